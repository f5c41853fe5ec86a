import { z } from 'zod';
import {
  adjustBillSchema,
  applyConcessionSchema,
  billBatchSchema,
  billListQuerySchema,
  billSchema,
  concessionRuleSchema,
  createBillBatchSchema,
  createConcessionRuleSchema,
  createFeeItemSchema,
  createPayeeAccountSchema,
  feeItemSchema,
  pageOf,
  payeeAccountSchema,
  reasonSchema,
  updateFeeItemSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { billsService } from './bills.service.ts';
import { feeItemsService, toFeeItem } from './fee-items.service.ts';

export function billingRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const feeItems = feeItemsService(deps);
  const bills = billsService(deps);
  const read = { auth: 'staff' as const, permission: 'billing.read' };
  const write = { auth: 'staff' as const, permission: 'billing.write' };
  return [
    route({ method: 'get', path: '/admin/payee-accounts', summary: '收款账户', tags: ['payee accounts'], ...read, response: z.array(payeeAccountSchema), handler: ({ ctx }) => feeItems.listPayees(scopeOf(ctx)) }),
    route({ method: 'post', path: '/admin/payee-accounts', summary: '新建收款账户', tags: ['payee accounts'], auth: 'staff', permission: 'billing.approve', body: createPayeeAccountSchema, response: payeeAccountSchema, status: 201, handler: ({ body, ctx }) => feeItems.createPayee(scopeOf(ctx), body) }),

    route({ method: 'get', path: '/admin/fee-items', summary: '收费项目', tags: ['fee items'], ...read, query: z.object({ includeArchived: z.enum(['true', 'false']).optional() }), response: z.array(feeItemSchema), handler: ({ query, ctx }) => feeItems.list(scopeOf(ctx), { includeArchived: query.includeArchived === 'true' }) }),
    route({ method: 'get', path: '/admin/fee-items/:id', summary: '收费项目详情', tags: ['fee items'], ...read, params: idParams, response: feeItemSchema, handler: async ({ params, ctx }) => toFeeItem(await feeItems.getDoc(scopeOf(ctx), params.id)) }),
    route({ method: 'post', path: '/admin/fee-items', summary: '新建收费项目', tags: ['fee items'], ...write, body: createFeeItemSchema, response: feeItemSchema, status: 201, handler: ({ body, ctx }) => feeItems.create(scopeOf(ctx), body) }),
    route({ method: 'patch', path: '/admin/fee-items/:id', summary: '修改收费项目（不影响已发布账单）', tags: ['fee items'], ...write, params: idParams, body: updateFeeItemSchema, response: feeItemSchema, handler: ({ params, body, ctx }) => feeItems.update(scopeOf(ctx), params.id, body) }),
    route({ method: 'delete', path: '/admin/fee-items/:id', summary: '停用收费项目', tags: ['fee items'], ...write, params: idParams, handler: ({ params, ctx }) => feeItems.archive(scopeOf(ctx), params.id) }),

    route({ method: 'get', path: '/admin/concession-rules', summary: '优惠规则', tags: ['concessions'], ...read, response: z.array(concessionRuleSchema), handler: ({ ctx }) => bills.listRules(scopeOf(ctx)) }),
    route({ method: 'post', path: '/admin/concession-rules', summary: '新建优惠规则', tags: ['concessions'], auth: 'staff', permission: 'billing.approve', body: createConcessionRuleSchema, response: concessionRuleSchema, status: 201, handler: ({ body, ctx }) => bills.createRule(scopeOf(ctx), body) }),

    route({ method: 'post', path: '/admin/bill-batches', summary: '定向发布：创建草稿并预览（张数、总额、跳过的学生）', tags: ['bill batches'], ...write, body: createBillBatchSchema, response: billBatchSchema, status: 201, handler: ({ body, ctx }) => bills.createBatch(scopeOf(ctx), body) }),
    route({ method: 'get', path: '/admin/bill-batches/:id', summary: '账单批次', tags: ['bill batches'], ...read, params: idParams, response: billBatchSchema, handler: ({ params, ctx }) => bills.getBatch(scopeOf(ctx), params.id) }),
    route({ method: 'post', path: '/admin/bill-batches/:id/publish', summary: '发布账单批次（后台任务，可重复调用）', tags: ['bill batches'], ...write, params: idParams, response: billBatchSchema, status: 202, handler: ({ params, ctx }) => bills.publishBatch(scopeOf(ctx), params.id) }),

    route({ method: 'get', path: '/admin/bills', summary: '账单', tags: ['bills'], ...read, query: billListQuerySchema, response: pageOf(billSchema), handler: ({ query, ctx }) => bills.list(scopeOf(ctx), query) }),
    route({ method: 'get', path: '/admin/bills/:id', summary: '账单详情', tags: ['bills'], ...read, params: idParams, response: billSchema, handler: ({ params, ctx }) => bills.get(scopeOf(ctx), params.id) }),
    route({ method: 'post', path: '/admin/bills/:id/concessions', summary: '给予优惠（超过阈值需集团审批）', tags: ['bills'], ...write, params: idParams, body: applyConcessionSchema, response: billSchema, handler: ({ params, body, ctx }) => bills.applyConcession(scopeOf(ctx), params.id, body) }),
    route({
      method: 'post',
      path: '/admin/bills/:id/concessions/:concessionId/decision',
      summary: '审批优惠申请',
      tags: ['bills'],
      auth: 'staff',
      permission: 'billing.approve',
      params: z.object({ id: z.string(), concessionId: z.string() }),
      body: z.object({ approve: z.boolean(), reason: z.string().trim().min(2, '请填写审批意见').max(200) }),
      response: billSchema,
      handler: ({ params, body, ctx }) => bills.decideConcession(scopeOf(ctx), params.id, params.concessionId, body.approve, body.reason),
    }),
    route({ method: 'post', path: '/admin/bills/:id/adjust', summary: '调整应缴金额', tags: ['bills'], ...write, params: idParams, body: adjustBillSchema, response: billSchema, handler: ({ params, body, ctx }) => bills.adjust(scopeOf(ctx), params.id, body.amountDueFen, body.reason) }),
    route({ method: 'post', path: '/admin/bills/:id/cancel', summary: '取消未缴账单', tags: ['bills'], ...write, params: idParams, body: reasonSchema, response: billSchema, handler: ({ params, body, ctx }) => bills.cancel(scopeOf(ctx), params.id, body.reason) }),
    route({ method: 'post', path: '/admin/bills/:id/waive', summary: '减免剩余待缴金额', tags: ['bills'], ...write, params: idParams, body: reasonSchema, response: billSchema, handler: ({ params, body, ctx }) => bills.waive(scopeOf(ctx), params.id, body.reason) }),
  ];
}

export function registerBillingJobs(deps: ServerDeps): void {
  const bills = billsService(deps);
  deps.jobs.register('bill-batch.publish', (payload, run) =>
    bills.runPublish(payload as unknown as Parameters<typeof bills.runPublish>[0], (done, total, message) => run.progress(done, total, message)),
  );
}
