import getRawBody from 'raw-body';
import type { Middleware } from 'koa';
import { AppError } from '../errors.ts';
import type { AppState } from './context.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readLimitError(error: unknown, limit: number): AppError | undefined {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new AppError('PAYLOAD_TOO_LARGE', `请求体过大，上限为 ${Math.floor(limit / 1024)} KB`, { details: { limitBytes: limit } });
  }
  if (type === 'request.aborted') return new AppError('BAD_REQUEST', '请求被中断');
  return undefined;
}

/**
 * Reads JSON bodies itself so the raw bytes stay available (WeChat Pay
 * signatures are over them) and so size and syntax errors get our codes.
 * Multipart bodies are left unread for the routes that stream uploads.
 */
export function jsonBody({ limitBytes }: { limitBytes: number }): Middleware<AppState> {
  return async (ctx, next) => {
    if (!METHODS_WITH_BODY.has(ctx.method) || ctx.is('multipart/form-data')) return next();
    const declared = Number(ctx.get('content-length') || '0');
    if (declared > limitBytes) throw readLimitError({ type: 'entity.too.large' }, limitBytes);
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { limit: limitBytes });
    } catch (error) {
      throw readLimitError(error, limitBytes) ?? error;
    }
    ctx.state.rawBody = raw;
    if (raw.length === 0) return next();
    if (!ctx.is('application/json', '+json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请求体必须是 JSON（Content-Type: application/json）');
    }
    try {
      ctx.state.body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new AppError('BAD_JSON', '请求体不是有效的 JSON', {
        details: { reason: error instanceof Error ? error.message : String(error) },
      });
    }
    return next();
  };
}
