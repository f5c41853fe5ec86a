import Router from '@koa/router';
import { pingDatabase } from '../../platform/db/connection.ts';
import type { AppState } from '../../platform/http/context.ts';
import type { ServerDeps } from '../../deps.ts';

/** Liveness and readiness for load balancers; outside /api/v1 and unauthenticated. */
export function healthRouter({ db }: Pick<ServerDeps, 'db'>): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const up = await pingDatabase(db, 1000);
    ctx.status = up ? 200 : 503;
    ctx.body = { status: up ? 'ready' : 'not_ready', database: up ? 'up' : 'down' };
  });
  return router;
}
