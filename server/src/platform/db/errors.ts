import { AppError } from '../errors.ts';

interface MongoLikeError {
  name?: string;
  code?: number;
  keyValue?: Record<string, unknown>;
  keyPattern?: Record<string, unknown>;
  errmsg?: string;
  message?: string;
}

function asMongoError(error: unknown): MongoLikeError | undefined {
  return typeof error === 'object' && error !== null ? (error as MongoLikeError) : undefined;
}

export function isDuplicateKeyError(error: unknown): boolean {
  const e = asMongoError(error);
  return e?.code === 11000 || e?.code === 11001;
}

const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = asMongoError(error);
  return e?.name !== undefined && UNAVAILABLE_NAMES.has(e.name);
}

/**
 * Translates driver errors that callers can act on into typed errors; other
 * errors pass through unchanged to become a 500.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (isDuplicateKeyError(error)) {
    const e = asMongoError(error);
    const fields = Object.keys(e?.keyPattern ?? e?.keyValue ?? {});
    return new AppError('DUPLICATE', '记录已存在，不能重复创建', {
      details: fields.length > 0 ? { fields } : undefined,
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('UPSTREAM_UNAVAILABLE', '数据库暂时不可用，请稍后重试', { cause: error });
  }
  return error;
}
