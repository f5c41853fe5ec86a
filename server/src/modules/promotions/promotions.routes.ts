import { bankSettingsQuerySchema, parentPromotionsSchema, promotionsSchema, updatePromotionsSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { parentOf, scopeOf } from '../auth/principal.ts';
import { promotionsService } from './promotions.service.ts';

export function promotionsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const promotions = promotionsService(deps);
  return [
    route({
      method: 'get',
      path: '/admin/insights/promotions',
      summary: '小程序推广位（银行配置）',
      tags: ['promotions'],
      auth: 'staff',
      permission: 'insights.configure',
      query: bankSettingsQuerySchema,
      response: promotionsSchema,
      handler: ({ query, ctx }) => promotions.list(scopeOf(ctx), query.bankId),
    }),
    route({
      method: 'put',
      path: '/admin/insights/promotions',
      summary: '设置小程序推广位（整体替换，按顺序展示）',
      tags: ['promotions'],
      auth: 'staff',
      permission: 'insights.configure',
      body: updatePromotionsSchema,
      response: promotionsSchema,
      handler: ({ body, ctx }) => promotions.replace(scopeOf(ctx), body.bankId, body.items),
    }),
    route({
      method: 'get',
      path: '/parent/promotions',
      summary: '小程序推广位：孩子所在学校的银行配置的推广内容',
      tags: ['promotions'],
      auth: 'parent',
      response: parentPromotionsSchema,
      handler: ({ ctx }) => promotions.forParent(parentOf(ctx)),
    }),
  ];
}
