import { consentActionSchema, parentConsentSchema, parentConsentsSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { parentOf } from '../auth/principal.ts';
import { consentService } from './consent.service.ts';

/** The parent's marketing consents in the mini-program: read the exact text and version, grant, withdraw. */
export function consentRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const consents = consentService(deps);
  const tags = ['consent'];
  return [
    route({
      method: 'get',
      path: '/parent/consents',
      summary: '我的营销授权：每家银行的授权说明（原文与版本）和当前状态',
      tags,
      auth: 'parent',
      response: parentConsentsSchema,
      handler: ({ ctx }) => consents.list(parentOf(ctx)),
    }),
    route({
      method: 'post',
      path: '/parent/consents',
      summary: '同意（确认手机号）或撤回银行联系我介绍金融服务；撤回立即生效',
      tags,
      auth: 'parent',
      body: consentActionSchema,
      response: parentConsentSchema,
      handler: ({ body, ctx }) => consents.act(parentOf(ctx), body, ctx.state.requestId),
    }),
  ];
}
