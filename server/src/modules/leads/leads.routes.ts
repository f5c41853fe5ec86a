import { z } from 'zod';
import { leadSchema, leadsPageSchema, leadsQuerySchema, revealLeadRequestSchema, revealedContactSchema, updateLeadRequestSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { scopeOf } from '../auth/principal.ts';
import { leadsService } from './leads.service.ts';

const leadParams = z.object({ id: z.string().min(1).max(64) });

/** Cross-sell leads: counts per tag for everyone, a list only of parents who consented; reveals need a reason and are audited. */
export function leadsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const leads = leadsService(deps);
  const tags = ['leads'];
  return [
    route({
      method: 'get',
      path: '/admin/insights/leads',
      summary: '线索：各标签家庭数（汇总，不含身份）与已授权家长的线索列表（脱敏联系方式与标签依据）',
      tags,
      auth: 'staff',
      permission: 'leads.read',
      query: leadsQuerySchema,
      response: leadsPageSchema,
      handler: ({ query, ctx }) => leads.list(scopeOf(ctx), query),
    }),
    route({
      method: 'post',
      path: '/admin/insights/leads/:id/reveal',
      summary: '查看完整手机号（须说明原因，记入审计）',
      tags,
      auth: 'staff',
      permission: 'leads.reveal',
      params: leadParams,
      body: revealLeadRequestSchema,
      response: revealedContactSchema,
      handler: ({ params, body, ctx }) => leads.reveal(scopeOf(ctx), params.id, body.reason),
    }),
    route({
      method: 'patch',
      path: '/admin/insights/leads/:id',
      summary: '更新线索状态（新线索/已联系/已转化/已婉拒）或添加备注',
      tags,
      auth: 'staff',
      permission: 'leads.write',
      params: leadParams,
      body: updateLeadRequestSchema,
      response: leadSchema,
      handler: ({ params, body, ctx }) => leads.update(scopeOf(ctx), params.id, body),
    }),
  ];
}
