import { z } from 'zod';
import { billSchema, billStatusSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { parentOf } from '../auth/principal.ts';
import { BillModel } from '../billing/billing.models.ts';
import { billsService } from '../billing/bills.service.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { miniProgramClient } from '../wechat/mini-program.client.ts';
import { parentsService } from './parents.service.ts';

export function parentBillsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const parents = parentsService(deps, miniProgramClient(deps.config));
  const bills = billsService(deps);
  const model = BillModel(deps.db);
  return [
    route({
      method: 'get',
      path: '/parent/bills',
      summary: '我的孩子的账单（仅已发布）',
      tags: ['parents'],
      auth: 'parent',
      query: z.object({ studentId: z.string().optional(), status: billStatusSchema.optional() }),
      response: z.object({ items: z.array(billSchema), total: z.number(), page: z.number(), pageSize: z.number() }),
      handler: async ({ query, ctx }) => {
        const principal = parentOf(ctx);
        if (query.studentId) await parents.assertOwnChild(principal, query.studentId);
        const children = query.studentId ? [query.studentId] : await parents.childIds(principal.parentId);
        const filter: Record<string, unknown> = { studentId: { $in: children }, published: true };
        if (query.status) filter.status = query.status;
        const docs = children.length ? await model.find(filter).sort({ dueDate: 1, feeItemName: 1 }).lean<BillDoc[]>() : [];
        const items = (await bills.views(docs)).filter((b) => b.status !== 'cancelled' || b.paidFen > 0);
        return { items, total: items.length, page: 1, pageSize: items.length };
      },
    }),
  ];
}
