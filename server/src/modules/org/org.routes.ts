import { z } from 'zod';
import {
  createOrgNodeSchema,
  orgNodeSchema,
  promotionPreviewRequestSchema,
  promotionPreviewSchema,
  startPromotionSchema,
  updateOrgNodeSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { orgService, toOrgNode } from './org.service.ts';
import { promotionService } from './promotion.ts';
import { jobViewSchema } from '../jobs/jobs.routes.ts';

export function orgRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const org = orgService(deps);
  const promotion = promotionService(deps);
  const tags = ['organisation'];
  return [
    route({
      method: 'get',
      path: '/admin/org-nodes',
      summary: '组织树（本人范围内）',
      tags,
      auth: 'staff',
      permission: 'org.read',
      query: z.object({ includeArchived: z.enum(['true', 'false']).optional() }),
      response: z.array(orgNodeSchema),
      handler: ({ query, ctx }) => org.tree(scopeOf(ctx), { includeArchived: query.includeArchived === 'true' }),
    }),
    route({
      method: 'get',
      path: '/admin/org-nodes/:id',
      summary: '组织节点详情',
      tags,
      auth: 'staff',
      permission: 'org.read',
      params: idParams,
      response: orgNodeSchema,
      handler: async ({ params, ctx }) => toOrgNode(await org.getInScope(scopeOf(ctx), params.id)),
    }),
    route({
      method: 'post',
      path: '/admin/org-nodes',
      summary: '新建组织节点',
      tags,
      auth: 'staff',
      permission: 'org.write',
      body: createOrgNodeSchema,
      response: orgNodeSchema,
      status: 201,
      handler: ({ body, ctx }) => org.create(scopeOf(ctx), body),
    }),
    route({
      method: 'patch',
      path: '/admin/org-nodes/:id',
      summary: '修改组织节点',
      tags,
      auth: 'staff',
      permission: 'org.write',
      params: idParams,
      body: updateOrgNodeSchema,
      response: orgNodeSchema,
      handler: ({ params, body, ctx }) => org.update(scopeOf(ctx), params.id, body),
    }),
    route({
      method: 'delete',
      path: '/admin/org-nodes/:id',
      summary: '归档组织节点',
      tags,
      auth: 'staff',
      permission: 'org.write',
      params: idParams,
      handler: ({ params, ctx }) => org.archive(scopeOf(ctx), params.id),
    }),
    route({
      method: 'post',
      path: '/admin/academic-years/promotion/preview',
      summary: '新学年升级预览（每班升一级，最高年级毕业）',
      tags,
      auth: 'staff',
      permission: 'academic-year.promote',
      body: promotionPreviewRequestSchema,
      response: promotionPreviewSchema,
      handler: ({ body, ctx }) => promotion.preview(scopeOf(ctx), body.nodeId),
    }),
    route({
      method: 'post',
      path: '/admin/academic-years/promotion',
      summary: '确认执行新学年升级（后台任务；预览后名册有变动则拒绝）',
      tags,
      auth: 'staff',
      permission: 'academic-year.promote',
      body: startPromotionSchema,
      response: jobViewSchema.pick({ id: true, status: true }),
      status: 202,
      handler: async ({ body, ctx }) => {
        const job = await promotion.start(scopeOf(ctx), body.nodeId, body.planHash);
        return { id: job.id, status: job.status };
      },
    }),
  ];
}
