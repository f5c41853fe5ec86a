import { z } from 'zod';
import { auditEntrySchema, auditListQuerySchema, pageOf, isDayKey, businessDayRange } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { scopeOf } from '../auth/principal.ts';
import { AuditLogModel } from './audit-log.model.ts';
import { auditService } from './audit.service.ts';

export function auditRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const logs = AuditLogModel(deps.db);
  const audit = auditService(deps.db);
  const tags = ['audit'];
  return [
    route({
      method: 'get',
      path: '/admin/audit-logs',
      summary: '审计日志（本人范围内，新的在前）',
      tags,
      auth: 'staff',
      permission: 'audit.read',
      query: auditListQuerySchema,
      response: pageOf(auditEntrySchema),
      handler: async ({ query, ctx }) => {
        const filter: Record<string, unknown> = scopeOf(ctx).filter();
        if (query.action) filter.action = query.action;
        if (query.objectType) filter.objectType = query.objectType;
        if (query.objectId) filter.objectId = query.objectId;
        if (query.username) filter['actor.username'] = query.username;
        const at: Record<string, Date> = {};
        if (query.from && isDayKey(query.from)) at.$gte = businessDayRange(query.from).start;
        if (query.to && isDayKey(query.to)) at.$lt = businessDayRange(query.to).end;
        if (Object.keys(at).length) filter.at = at;
        const [total, docs] = await Promise.all([
          logs.countDocuments(filter),
          logs.find(filter).sort({ seq: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean(),
        ]);
        return {
          items: docs.map((d) => ({
            id: d._id,
            seq: d.seq,
            at: d.at.toISOString(),
            actor: d.actor,
            action: d.action,
            objectType: d.objectType,
            objectId: d.objectId ?? null,
            before: d.before ?? null,
            after: d.after ?? null,
            reason: d.reason ?? null,
            requestId: d.requestId ?? null,
            ip: d.ip ?? null,
            hash: d.hash,
          })),
          total,
          page: query.page,
          pageSize: query.pageSize,
        };
      },
    }),
    route({
      method: 'get',
      path: '/admin/audit-logs/verify',
      summary: '校验审计日志哈希链',
      tags,
      auth: 'staff',
      permission: 'audit.read',
      response: z.object({ ok: z.boolean(), entries: z.number(), brokenAt: z.number().nullable(), problem: z.string().nullable() }),
      handler: () => audit.verify(),
    }),
  ];
}
