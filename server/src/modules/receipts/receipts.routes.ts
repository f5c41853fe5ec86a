import { z } from 'zod';
import type { ServerDeps } from '../../deps.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import { receiptsService } from './receipts.service.ts';

export function publicReceiptRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const receipts = receiptsService(deps);
  return [
    route({
      method: 'get',
      path: '/public/receipts/:receiptNo/verify',
      summary: '收据真伪验证（收据号 + 验证码）',
      tags: ['public'],
      auth: 'public',
      params: z.object({ receiptNo: z.string().min(1).max(40) }),
      query: z.object({ code: z.string().min(1, '请填写验证码').max(16) }),
      handler: ({ params, query }) => receipts.verify(params.receiptNo, query.code),
    }),
  ];
}
