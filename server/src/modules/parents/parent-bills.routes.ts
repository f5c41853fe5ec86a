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
import { refundsService } from '../refunds/refunds.service.ts';
import { receiptsService } from '../receipts/receipts.service.ts';
import { notFound } from '../../platform/errors.ts';
import { findWhereIn } from '../../platform/db/find-by-ids.ts';

export function parentBillsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const parents = parentsService(deps, miniProgramClient(deps.config));
  const bills = billsService(deps);
  const model = BillModel(deps.db);
  const refunds = refundsService(deps, deps.wechatPay);
  const receipts = receiptsService(deps);
  return [
    route({
      method: 'get',
      path: '/parent/refunds',
      summary: '退款进度（我的孩子的账单）',
      tags: ['parents'],
      auth: 'parent',
      query: z.object({ billId: z.string() }),
      handler: async ({ query, ctx }) => {
        const bill = await model.findById(query.billId).lean<BillDoc>();
        if (!bill) throw notFound('账单');
        await parents.assertOwnChild(parentOf(ctx), bill.studentId);
        return refunds.forParent([bill._id]);
      },
    }),
    route({
      method: 'get',
      path: '/parent/receipts/:receiptNo/pdf',
      summary: '下载收据 PDF',
      tags: ['parents'],
      auth: 'parent',
      params: z.object({ receiptNo: z.string() }),
      handler: async ({ params, ctx }) => {
        const receipt = await receipts.get(params.receiptNo);
        await parents.assertOwnChild(parentOf(ctx), receipt.studentId).catch(() => {
          throw notFound('收据');
        });
        ctx.type = 'application/pdf';
        ctx.set('Content-Disposition', `inline; filename="${receipt._id}.pdf"`);
        ctx.body = await receipts.pdf(receipt);
        return undefined;
      },
    }),
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
        const filter: Record<string, unknown> = { published: true };
        if (query.status) filter.status = query.status;
        const key = (b: BillDoc) => `${b.dueDate}\u0000${b.feeItemName}`;
        const docs = (await findWhereIn<BillDoc>(deps.db, model.collection.collectionName, 'studentId', children, filter)).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        const items = (await bills.views(docs)).filter((b) => b.status !== 'cancelled' || b.paidFen > 0);
        return { items, total: items.length, page: 1, pageSize: items.length };
      },
    }),
  ];
}
