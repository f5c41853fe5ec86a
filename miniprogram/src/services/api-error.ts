import type { ErrorCode } from '@campuspay/shared';

/** Codes the client itself produces when no server answer is available. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/**
 * A failed API call. `code` is one of the server's error codes (shared
 * ERROR_STATUS), one of ours, or, should the server add one we do not know
 * yet, that string as received.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode | (string & {});
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode | ClientErrorCode | (string & {});
    message: string;
    details?: Record<string, unknown> | undefined;
    requestId?: string | undefined;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
