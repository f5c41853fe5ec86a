import type { Middleware } from 'koa';
import type { ErrorBody } from '@campuspay/shared';
import { AppError } from '../errors.ts';
import { translateDatabaseError } from '../db/errors.ts';
import type { AppState } from './context.ts';

/**
 * The single place errors become HTTP. Registered first so it also wraps the
 * request-id middleware's output. Unknown errors are logged with their stack
 * and answered with a generic 500 that reveals nothing.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', `接口不存在：${ctx.method} ${ctx.path}`);
      }
    } catch (caught) {
      const error = translateDatabaseError(caught);
      const requestId = ctx.state.requestId ?? 'unknown';
      let body: ErrorBody;
      let status: number;
      if (error instanceof AppError) {
        status = error.status;
        body = { code: error.code, message: error.message, requestId };
        if (error.details) body.details = error.details;
        for (const [name, value] of Object.entries(error.headers ?? {})) ctx.set(name, value);
        if (status >= 500) ctx.state.log?.error({ err: error }, error.message);
        else ctx.state.log?.debug({ code: error.code }, error.message);
      } else {
        status = 500;
        body = { code: 'INTERNAL', message: '服务器内部错误，请稍后重试', requestId };
        (ctx.state.log ?? console).error({ err: error }, 'unhandled error');
      }
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = body;
    }
  };
}
