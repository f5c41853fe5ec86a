import { z } from 'zod';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import type { ServerDeps } from '../../deps.ts';

export const clientConfigSchema = z.object({
  /** Set only when the platform runs against the local WeChat sandbox (development and demos). */
  wechatSandboxUrl: z.string().nullable(),
});

export function publicRoutes({ config }: Pick<ServerDeps, 'config'>): AnyRouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/public/client-config',
      summary: '客户端运行配置',
      tags: ['public'],
      auth: 'public',
      response: clientConfigSchema,
      handler: () => ({ wechatSandboxUrl: config.wechatSandboxUrl ?? null }),
    }),
  ];
}
