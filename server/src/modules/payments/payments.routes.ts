import { z } from 'zod';
import { positiveFenSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { route, type AnyRouteSpec } from '../../platform/http/route.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { parentOf, scopeOf } from '../auth/principal.ts';
import { exceptionsService } from '../exceptions/exceptions.service.ts';
import { refundsService } from '../refunds/refunds.service.ts';
import { NotificationRejected, type WechatPayGateway } from '../wechatpay/wechatpay-gateway.ts';
import { paymentsService } from './payments.service.ts';
import { OrderModel } from './order.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';

const orderViewSchema = z.object({
  orderId: z.string(),
  outTradeNo: z.string(),
  status: z.enum(['PENDING', 'PAID', 'CLOSING', 'CLOSED', 'REFUNDED', 'PARTIALLY_REFUNDED']),
  totalFen: z.number(),
  refundedFen: z.number(),
  payeeAccountId: z.string(),
  payeeName: z.string(),
  bills: z.array(z.object({ billId: z.string(), feeItemName: z.string(), studentName: z.string(), amountFen: z.number() })),
  payParams: z.record(z.string(), z.string()).nullable(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  transactionId: z.string().nullable(),
  receiptNo: z.string().nullable(),
});

function requireGateway(deps: ServerDeps): WechatPayGateway {
  if (!deps.wechatPay) throw new AppError('UPSTREAM_UNAVAILABLE', '在线支付暂未开通（未配置微信支付商户）');
  return deps.wechatPay;
}

/** WeChat expects 2xx with no body for success, and 4xx/5xx with this body otherwise (it then retries). */
function answerWechat(ctx: AppContext, ok: boolean, status = 401): undefined {
  if (ok) {
    ctx.status = 204;
    ctx.body = null;
  } else {
    ctx.status = status;
    ctx.body = { code: 'FAIL', message: '失败' };
  }
  return undefined;
}

export function paymentsRoutes(deps: ServerDeps): AnyRouteSpec[] {
  const payments = () => paymentsService(deps, requireGateway(deps));
  const refunds = refundsService(deps, deps.wechatPay);
  const exceptions = exceptionsService(deps);

  async function notification(ctx: AppContext, kind: 'transaction' | 'refund'): Promise<undefined> {
    const gateway = requireGateway(deps);
    let opened;
    try {
      opened = await gateway.openNotification((name) => ctx.get(name) || undefined, ctx.state.rawBody ?? Buffer.alloc(0));
    } catch (error) {
      if (!(error instanceof NotificationRejected)) throw error;
      ctx.state.log.warn({ reason: error.message, kind }, 'WeChat Pay notification rejected');
      if (error.message !== 'signature probe') {
        const claimed = gateway.peekNotification(ctx.state.rawBody ?? Buffer.alloc(0));
        const about = claimed?.out_trade_no ? await OrderModel(deps.db).findOne({ outTradeNo: String(claimed.out_trade_no) }).lean() : null;
        const roots = about ? [] : (await OrgNodeModel(deps.db).find({ parentId: null }).lean()).map((n) => String(n._id));
        await exceptions.raise({
          id: `notification_rejected:${ctx.state.requestId}`,
          kind: 'notification_rejected',
          summary: `拒绝了一条未通过校验的微信支付通知（${error.message}）`,
          evidence: { reason: error.message, serial: ctx.get('wechatpay-serial'), timestamp: ctx.get('wechatpay-timestamp'), bodyBytes: ctx.state.rawBody?.length ?? 0, claimedOutTradeNo: claimed?.out_trade_no ?? null },
          // Routed to the school the content names when it decrypts with our key; otherwise to the bank's platform staff.
          orgPath: about?.orgPath ?? roots,
          orderId: about?._id ?? null,
        });
      }
      return answerWechat(ctx, false);
    }
    try {
      if (kind === 'transaction' && opened.eventType.startsWith('TRANSACTION.')) await payments().handleTransactionNotification(opened.resource);
      else if (kind === 'refund' && opened.eventType.startsWith('REFUND.')) await refunds.handleNotification(opened.resource);
      else return answerWechat(ctx, false, 400);
    } catch (error) {
      // Not applied (e.g. the amount does not match the order, or a passing fault): WeChat will retry.
      const business = error instanceof AppError && error.status < 500;
      ctx.state.log[business ? 'warn' : 'error']({ err: error }, 'WeChat Pay notification not applied');
      return answerWechat(ctx, false, business ? 400 : 500);
    }
    return answerWechat(ctx, true);
  }

  return [
    route({
      method: 'post',
      path: '/parent/orders',
      summary: '为选中的账单下单（按收款账户拆单），返回 wx.requestPayment 参数',
      tags: ['payments'],
      auth: 'parent',
      idempotent: true,
      body: z.object({ billIds: z.array(z.string()).min(1, '请选择账单').max(20), amountsFen: z.array(positiveFenSchema).optional() }),
      response: orderViewSchema.extend({ orders: z.array(orderViewSchema) }),
      status: 201,
      handler: async ({ body, ctx }) => {
        const { orders } = await payments().create(parentOf(ctx), body.billIds, body.amountsFen);
        // The contract's single-order shape is the first order; `orders` lists every payee's order in paying order.
        return { ...orders[0]!, orders };
      },
    }),
    route({
      method: 'get',
      path: '/parent/orders/:id',
      summary: '订单状态（未收到通知时会向微信查询）',
      tags: ['payments'],
      auth: 'parent',
      params: z.object({ id: z.string() }),
      response: orderViewSchema,
      handler: ({ params, ctx }) => payments().getForParent(parentOf(ctx), params.id),
    }),
    route({
      method: 'post',
      path: '/wechatpay/notify/transaction',
      summary: '微信支付成功通知（按原始报文验签）',
      tags: ['wechat pay'],
      auth: 'wechatpay',
      handler: ({ ctx }) => notification(ctx, 'transaction'),
    }),
    route({
      method: 'post',
      path: '/wechatpay/notify/refund',
      summary: '微信退款结果通知（按原始报文验签）',
      tags: ['wechat pay'],
      auth: 'wechatpay',
      handler: ({ ctx }) => notification(ctx, 'refund'),
    }),
    route({
      method: 'post',
      path: '/admin/refunds',
      summary: '申请退款（原路退回；超过阈值需集团审批）',
      tags: ['refunds'],
      auth: 'staff',
      permission: 'counter.take',
      idempotent: true,
      body: z.object({ billId: z.string(), amountFen: positiveFenSchema, reason: z.string().trim().min(2, '请填写退款原因').max(80), orderId: z.string().optional() }),
      status: 201,
      handler: ({ body, ctx }) => refunds.request(scopeOf(ctx), body),
    }),
    route({
      method: 'get',
      path: '/admin/refunds',
      summary: '退款记录',
      tags: ['refunds'],
      auth: 'staff',
      permission: 'billing.read',
      query: z.object({ billId: z.string().optional(), status: z.string().optional() }),
      handler: ({ query, ctx }) => refunds.list(scopeOf(ctx), query),
    }),
    route({
      method: 'post',
      path: '/admin/refunds/:id/approve',
      summary: '审批退款',
      tags: ['refunds'],
      auth: 'staff',
      permission: 'billing.approve',
      params: z.object({ id: z.string() }),
      body: z.object({ approve: z.boolean().default(true), reason: z.string().trim().min(2, '请填写审批意见').max(200) }),
      handler: ({ params, body, ctx }) => refunds.approve(scopeOf(ctx), params.id, body.approve, body.reason),
    }),
    route({
      method: 'get',
      path: '/admin/exceptions',
      summary: '异常队列（重复支付、金额不符、退款异常、验签失败、对账差异）',
      tags: ['exceptions'],
      auth: 'staff',
      permission: 'billing.read',
      query: z.object({ status: z.enum(['open', 'resolved']).optional(), kind: z.string().optional() }),
      handler: ({ query, ctx }) => exceptions.list(scopeOf(ctx), query),
    }),
    route({
      method: 'post',
      path: '/admin/exceptions/:id/resolve',
      summary: '处理异常（记入审计）',
      tags: ['exceptions'],
      auth: 'staff',
      permission: 'counter.take',
      params: z.object({ id: z.string() }),
      body: z.object({ resolution: z.string().trim().min(2, '请填写处理说明').max(300) }),
      handler: ({ params, body, ctx }) => exceptions.resolve(scopeOf(ctx), params.id, body.resolution),
    }),
  ];
}

export function registerPaymentJobs(deps: ServerDeps): void {
  if (!deps.wechatPay) return;
  const gateway = deps.wechatPay;
  deps.jobs.register('payments.sweep', async () => paymentsService(deps, gateway).sweep(), { maxAttempts: 1 });
  deps.jobs.register('refunds.sweep', async () => refundsService(deps, gateway).sweep(), { maxAttempts: 1 });
  deps.jobs.every('payments-sweep', deps.config.paymentSweepSeconds, 'payments.sweep');
  deps.jobs.every('refunds-sweep', deps.config.paymentSweepSeconds, 'refunds.sweep');
}
