import { ERROR_STATUS, type ErrorCode } from '@campuspay/shared';

/**
 * The one error type services throw. The code decides the HTTP status (see
 * ERROR_STATUS in shared); the message is shown to users, so it is Chinese.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what}不存在`);
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
