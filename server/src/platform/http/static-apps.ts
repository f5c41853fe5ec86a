import { existsSync } from 'node:fs';
import path from 'node:path';
import send from 'koa-send';
import type { Middleware } from 'koa';
import type { AppState } from './context.ts';

/**
 * Serves a built single-page app under a path prefix; unknown paths without a
 * file extension fall back to its index.html so client-side routes work.
 */
export function singlePageApp(prefix: string, root: string): Middleware<AppState> {
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) throw new Error(`${prefix}: no built app at ${root} (index.html missing)`);
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === prefix) return ctx.redirect(`${prefix}/`);
    if (!ctx.path.startsWith(`${prefix}/`)) return next();
    const relative = ctx.path.slice(prefix.length) || '/';
    const isAsset = path.extname(relative) !== '';
    try {
      const served = await send(ctx, isAsset ? relative : '/index.html', {
        root,
        immutable: relative.startsWith('/assets/') || relative.startsWith('/js/') || relative.startsWith('/css/'),
        maxage: isAsset ? 365 * 24 * 3600 * 1000 : 0,
      });
      if (!isAsset) ctx.set('Cache-Control', 'no-cache');
      return served;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return next();
      throw error;
    }
  };
}
