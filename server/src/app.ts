import Koa from 'koa';
import Router from '@koa/router';
import type { ServerDeps } from './deps.ts';
import type { AppState } from './platform/http/context.ts';
import { errorHandler } from './platform/http/error-handler.ts';
import { requestContext } from './platform/http/request-context.ts';
import { jsonBody } from './platform/http/body.ts';
import { mountRoutes } from './platform/http/route.ts';
import { buildOpenApi } from './platform/http/openapi.ts';
import { singlePageApp } from './platform/http/static-apps.ts';
import { healthRouter } from './modules/health/health.routes.ts';
import { apiRoutes } from './modules/index.ts';
import { authenticators } from './modules/auth/authenticators.ts';

/** Builds the Koa application without listening, so tests can drive it on any port. */
export function createApp(deps: ServerDeps): Koa<AppState> {
  const app = new Koa<AppState>();
  // Behind a load balancer the client address comes from X-Forwarded-For.
  app.proxy = deps.config.profile === 'production';
  app.use(errorHandler());
  app.use(requestContext(deps.log));

  const health = healthRouter(deps);
  app.use(health.routes());

  if (deps.config.adminWebDir) app.use(singlePageApp('/admin', deps.config.adminWebDir));
  if (deps.config.h5Dir) app.use(singlePageApp('/h5', deps.config.h5Dir));
  if (deps.config.adminWebDir) {
    app.use(async (ctx, next) => (ctx.path === '/' ? ctx.redirect('/admin/') : next()));
  }

  app.use(jsonBody({ limitBytes: deps.config.bodyLimitBytes }));

  const specs = apiRoutes(deps);
  const api = new Router<AppState>({ prefix: '/api/v1' });
  const openapi = buildOpenApi(specs, { title: 'CampusPay API', version: '1' });
  api.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  mountRoutes(api, specs, authenticators(deps));
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  return app;
}
