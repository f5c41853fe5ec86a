import { z } from 'zod';
import { createOfflinePaymentSchema, dayKeySchema, offlinePaymentSchema, reasonSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { idParams } from '../auth/auth.routes.ts';
import { scopeOf } from '../auth/principal.ts';
import { auditService } from '../audit/audit.service.ts';
import { counterService } from './counter.service.ts';

export function counterRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const counter = counterService(deps);
  const audit = auditService(deps.db);
  const tags = ['counter payments'];
  return [
    route({
      method: 'post',
      path: '/admin/offline-payments',
      summary: '柜台收款（现金 / POS / 转账），返回收据号',
      tags,
      auth: 'staff',
      permission: 'counter.take',
      idempotent: true,
      body: createOfflinePaymentSchema,
      response: offlinePaymentSchema.extend({ receiptVerificationCode: z.string() }),
      status: 201,
      handler: ({ body, ctx }) => counter.take(scopeOf(ctx), body),
    }),
    route({
      method: 'get',
      path: '/admin/offline-payments',
      summary: '柜台收款记录',
      tags,
      auth: 'staff',
      permission: 'billing.read',
      query: z.object({ day: dayKeySchema.optional(), billId: z.string().optional(), cashierId: z.string().optional() }),
      response: z.array(offlinePaymentSchema),
      handler: ({ query, ctx }) => counter.list(scopeOf(ctx), query),
    }),
    route({
      method: 'post',
      path: '/admin/offline-payments/:id/reverse',
      summary: '冲正柜台收款（须填写原因）',
      tags,
      auth: 'staff',
      permission: 'counter.take',
      idempotent: true,
      params: idParams,
      body: reasonSchema,
      response: offlinePaymentSchema,
      handler: ({ params, body, ctx }) => counter.reverse(scopeOf(ctx), params.id, body.reason),
    }),
    route({
      method: 'get',
      path: '/admin/receipts/:id/pdf',
      summary: '下载收据 PDF',
      tags: ['receipts'],
      auth: 'staff',
      permission: 'billing.read',
      params: idParams,
      handler: async ({ params, ctx }) => {
        const scope = scopeOf(ctx);
        const { receipt, pdf } = await counter.receiptFor(scope, params.id);
        await audit.append(scope.principal, { action: 'receipt.download', objectType: 'receipt', objectId: receipt._id, orgPath: receipt.orgPath });
        ctx.type = 'application/pdf';
        ctx.set('Content-Disposition', `inline; filename="${receipt._id}.pdf"`);
        ctx.body = pdf;
        return undefined;
      },
    }),
  ];
}
