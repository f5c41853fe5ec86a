import { createHash, randomBytes } from 'node:crypto';
import { displayYuan } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { withDocumentLock } from '../../platform/db/document-lock.ts';
import { findWhereIn } from '../../platform/db/find-by-ids.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { BillModel } from '../billing/billing.models.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { exceptionsService } from '../exceptions/exceptions.service.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { OrderModel, type OrderDoc } from '../payments/order.model.ts';
import { WechatPayApiError, WechatPayTimeout, type WechatPayGateway, type WechatRefund } from '../wechatpay/wechatpay-gateway.ts';
import { RefundModel, type RefundDoc, type RefundStatus } from './refund.model.ts';

export interface RefundView {
  id: string;
  outRefundNo: string;
  billId: string;
  orderId: string | null;
  channel: 'wechat' | 'counter';
  amountFen: number;
  reason: string;
  status: RefundStatus;
  automatic: boolean;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
}

export function toRefundView(r: RefundDoc): RefundView {
  return {
    id: r._id,
    outRefundNo: r.outRefundNo,
    billId: r.billId,
    orderId: r.orderId,
    channel: r.channel,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    automatic: Boolean(r.automatic),
    lastError: r.lastError ?? null,
    createdAt: r.createdAt.toISOString(),
    completedAt: r.completedAt ? r.completedAt.toISOString() : null,
  };
}

const IN_FLIGHT: RefundStatus[] = ['PENDING_APPROVAL', 'SUBMITTING', 'PROCESSING', 'ABNORMAL'];

interface RefundRequest {
  billId: string;
  amountFen: number;
  reason: string;
  orderId?: string | null;
}

export function refundsService(deps: ServerDeps, gateway: WechatPayGateway | null) {
  const refunds = RefundModel(deps.db);
  const bills = BillModel(deps.db);
  const orders = OrderModel(deps.db);
  const ledgerEntries = LedgerEntryModel(deps.db);
  const ledger = ledgerService(deps);
  const exceptions = exceptionsService(deps);
  const audit = auditService(deps.db);

  async function change(id: string, expected: Record<string, unknown>, set: Record<string, unknown>): Promise<RefundDoc | null> {
    const current = await refunds.findById(id).lean<RefundDoc>();
    if (!current) return null;
    return (await compareAndSet(deps.db, refunds, id, { ...expected, version: current.version }, { $set: set, $inc: { version: 1 } })) as RefundDoc | null;
  }

  /** What is still refundable on a bill through one route, net of refunds already made or under way. */
  async function refundableVia(bill: BillDoc, orderId: string | null): Promise<number> {
    const entries = await ledgerEntries.find({ billId: bill._id }).lean();
    const open = await refunds.find({ billId: bill._id, status: { $in: IN_FLIGHT } }).lean<RefundDoc[]>();
    const inFlight = (filter: (r: RefundDoc) => boolean) => open.filter(filter).reduce((n, r) => n + r.amountFen, 0);
    if (orderId) {
      const paid = entries.filter((e) => e.kind === 'payment' && e.orderId === orderId).reduce((n, e) => n + e.amountFen, 0);
      const refunded = entries.filter((e) => e.kind === 'refund' && e.orderId === orderId).reduce((n, e) => n + e.amountFen, 0);
      return paid - refunded - inFlight((r) => r.orderId === orderId);
    }
    const counterPaid = entries.filter((e) => e.method !== 'wechat' && e.kind === 'payment').reduce((n, e) => n + e.amountFen, 0);
    const counterOut = entries.filter((e) => e.method !== 'wechat' && e.kind !== 'payment').reduce((n, e) => n + e.amountFen, 0);
    return counterPaid - counterOut - inFlight((r) => r.channel === 'counter');
  }

  /** The route money goes back by: the given order, else the latest WeChat order with enough on it, else the counter. */
  async function chooseRoute(bill: BillDoc, amountFen: number, orderId?: string | null): Promise<string | null> {
    if (orderId) return orderId;
    const inFlight = (await refunds.find({ billId: bill._id, status: { $in: IN_FLIGHT } }).lean<RefundDoc[]>()).reduce((n, r) => n + r.amountFen, 0);
    const total = bill.paidFen - bill.refundedFen - inFlight;
    if (amountFen > total) throw new AppError('BUSINESS_RULE', `退款金额超过可退金额 ${displayYuan(Math.max(0, total))}`);
    const paidOrders = (await ledgerEntries.find({ billId: bill._id, kind: 'payment', method: 'wechat' }).lean()).map((e) => e.orderId).filter((v): v is string => Boolean(v));
    for (const id of [...new Set(paidOrders)].reverse()) if ((await refundableVia(bill, id)) >= amountFen) return id;
    if ((await refundableVia(bill, null)) >= amountFen) return null;
    throw new AppError('BUSINESS_RULE', '没有单笔支付足以覆盖该退款金额，请按支付分笔退款');
  }

  async function create(request: RefundRequest, who: { userId: string | null; mayApprove: boolean; automatic: boolean }): Promise<RefundDoc> {
    return withDocumentLock(deps.db, `refund-bill:${request.billId}`, async () => {
      if (who.automatic) {
        // One automatic refund per bill and order, however many deliveries of the payment ask for it.
        const existing = await refunds.findOne({ billId: request.billId, orderId: request.orderId ?? null, automatic: true }).lean<RefundDoc>();
        if (existing) return existing;
      }
      const bill = await bills.findById(request.billId).lean<BillDoc>();
      if (!bill) throw notFound('账单');
      if (!bill.refundable && !who.automatic) throw new AppError('BUSINESS_RULE', '该收费项目不可退费');
      const orderId = await chooseRoute(bill, request.amountFen, request.orderId);
      const available = await refundableVia(bill, orderId);
      if (request.amountFen > available) throw new AppError('BUSINESS_RULE', `退款金额超过可退金额 ${displayYuan(Math.max(0, available))}`);
      const needsApproval = orderId !== null && !who.automatic && !who.mayApprove && request.amountFen > deps.config.refundApprovalThresholdFen;
      const _id = `rfd_${randomBytes(8).toString('hex')}`;
      const doc = {
        _id,
        // 64 characters at most of [0-9A-Za-z_-|*@]; derived from the refund id and never changed.
        outRefundNo: `RF${createHash('sha256').update(_id).digest('hex').slice(0, 24).toUpperCase()}`,
        billId: bill._id,
        orderId,
        channel: orderId ? ('wechat' as const) : ('counter' as const),
        amountFen: request.amountFen,
        reason: request.reason,
        status: (needsApproval ? 'PENDING_APPROVAL' : orderId ? 'SUBMITTING' : 'SUCCESS') as RefundStatus,
        automatic: who.automatic,
        requestedBy: who.userId,
        approvedBy: needsApproval ? null : who.userId,
        orgPath: bill.orgPath,
      };
      await refunds.create(doc);
      if (!orderId) {
        // Counter money is handed back at the counter: recorded as done at once.
        await ledger.apply({ _id: `counter-refund:${_id}`, kind: 'refund', method: 'cash', billId: bill._id, amountFen: request.amountFen, refundId: _id, actorId: who.userId });
        await refunds.updateOne({ _id }, { $set: { completedAt: new Date() } });
      }
      return (await refunds.findById(_id).lean<RefundDoc>())!;
    });
  }

  /** Sends (or re-sends, with the same out_refund_no) a refund to WeChat. */
  async function submit(refund: RefundDoc): Promise<RefundDoc> {
    if (!gateway) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置微信支付，无法原路退款');
    const order = await orders.findById(refund.orderId).lean<OrderDoc>();
    if (!order) throw notFound('订单');
    const notifyUrl = new URL('/api/v1/wechatpay/notify/refund', deps.config.publicBaseUrl ?? 'http://127.0.0.1:3000').toString();
    try {
      const answer = await gateway.createRefund(order.mchid, { outTradeNo: order.outTradeNo, outRefundNo: refund.outRefundNo, reason: refund.reason, refundFen: refund.amountFen, totalFen: order.totalFen, notifyUrl });
      return await record(refund, answer);
    } catch (error) {
      if (error instanceof WechatPayTimeout || (error instanceof WechatPayApiError && error.code === 'UPSTREAM_UNAVAILABLE')) {
        await change(refund._id, {}, { lastError: error.message });
        return (await refunds.findById(refund._id).lean<RefundDoc>())!;
      }
      const message = error instanceof Error ? error.message : String(error);
      const failed = await change(refund._id, { status: 'SUBMITTING' }, { status: 'ABNORMAL', lastError: message });
      await exceptions.raise({ id: `abnormal_refund:${refund._id}`, kind: 'abnormal_refund', summary: `退款 ${displayYuan(refund.amountFen)} 被微信拒绝：${message}`, evidence: { outRefundNo: refund.outRefundNo, error: message }, orgPath: refund.orgPath, refundId: refund._id, billId: refund.billId, orderId: refund.orderId });
      return failed ?? refund;
    }
  }

  /** Records WeChat's word on a refund; SUCCESS moves the money in the ledger exactly once. */
  async function record(refund: RefundDoc, answer: Pick<WechatRefund, 'status' | 'refund_id'>): Promise<RefundDoc> {
    if (refund.status === answer.status) return refund;
    if (answer.status === 'SUCCESS') {
      await ledger.apply({ _id: `wxrefund:${refund.outRefundNo}`, kind: 'refund', method: 'wechat', billId: refund.billId, amountFen: refund.amountFen, orderId: refund.orderId, refundId: refund._id });
      await addToOrder(refund);
    }
    const set: Record<string, unknown> = { status: answer.status, wechatRefundId: answer.refund_id ?? refund.wechatRefundId };
    if (answer.status === 'SUCCESS' || answer.status === 'CLOSED') set.completedAt = new Date();
    const updated = await change(refund._id, { status: { $nin: ['SUCCESS', 'CLOSED'] } }, set);
    if (answer.status === 'ABNORMAL') {
      await exceptions.raise({ id: `abnormal_refund:${refund._id}`, kind: 'abnormal_refund', summary: `退款 ${displayYuan(refund.amountFen)} 异常（用户银行卡作废或冻结等），需线下处理`, evidence: { outRefundNo: refund.outRefundNo, wechatRefundId: answer.refund_id }, orgPath: refund.orgPath, refundId: refund._id, billId: refund.billId, orderId: refund.orderId });
    }
    return updated ?? (await refunds.findById(refund._id).lean<RefundDoc>())!;
  }

  async function addToOrder(refund: RefundDoc): Promise<void> {
    if (!refund.orderId) return;
    const refunded = (await ledgerEntries.find({ orderId: refund.orderId, kind: 'refund' }).lean()).reduce((n, e) => n + e.amountFen, 0);
    for (let attempt = 0; attempt < 10; attempt++) {
      const order = await orders.findById(refund.orderId).lean<OrderDoc>();
      if (!order) return;
      const status = refunded >= order.totalFen ? 'REFUNDED' : refunded > 0 ? 'PARTIALLY_REFUNDED' : order.status;
      if (await compareAndSet(deps.db, orders, order._id, { version: order.version }, { $set: { refundedFen: refunded, status }, $inc: { version: 1 } })) return;
    }
  }

  async function request(scope: StaffScope, input: RefundRequest): Promise<RefundView> {
    const bill = await bills.findById(input.billId).lean<BillDoc>();
    scope.assert(bill?.orgPath, '账单');
    const created = await create(input, { userId: scope.principal.userId, mayApprove: scope.principal.role === 'group_admin', automatic: false });
    await audit.append(scope.principal, { action: 'refund.request', objectType: 'refund', objectId: created._id, orgPath: created.orgPath, after: { billId: created.billId, amountFen: created.amountFen, channel: created.channel, status: created.status }, reason: input.reason });
    return toRefundView(created.status === 'SUBMITTING' ? await submit(created) : created);
  }

  async function requestSystemRefund(input: RefundRequest): Promise<RefundDoc> {
    const created = await create(input, { userId: null, mayApprove: true, automatic: true });
    return created.status === 'SUBMITTING' ? submit(created) : created;
  }

  async function approve(scope: StaffScope, id: string, approveIt: boolean, reason: string): Promise<RefundView> {
    if (scope.principal.role !== 'group_admin') throw new AppError('FORBIDDEN', '只有集团管理员可以审批退款');
    const refund = await refunds.findById(id).lean<RefundDoc>();
    scope.assert(refund?.orgPath, '退款');
    if (refund!.requestedBy === scope.principal.userId) throw new AppError('BUSINESS_RULE', '不能审批自己提交的退款');
    const moved = await change(id, { status: 'PENDING_APPROVAL' }, { status: approveIt ? 'SUBMITTING' : 'REJECTED', approvedBy: scope.principal.userId });
    if (!moved) throw new AppError('STATE_CONFLICT', '该退款已处理');
    await audit.append(scope.principal, { action: approveIt ? 'refund.approve' : 'refund.reject', objectType: 'refund', objectId: id, orgPath: refund!.orgPath, before: { status: 'PENDING_APPROVAL' }, after: { status: moved.status }, reason });
    return toRefundView(approveIt ? await submit(moved) : moved);
  }

  async function list(scope: StaffScope, filter: { billId?: string; status?: string }): Promise<RefundView[]> {
    const query: Record<string, unknown> = scope.filter();
    if (filter.billId) query.billId = filter.billId;
    if (filter.status) query.status = filter.status;
    return (await refunds.find(query).sort({ createdAt: -1 }).limit(500).lean<RefundDoc[]>()).map(toRefundView);
  }

  async function handleNotification(resource: Record<string, unknown>): Promise<void> {
    const refund = await refunds.findOne({ outRefundNo: String(resource.out_refund_no) }).lean<RefundDoc>();
    if (!refund) return;
    await record(refund, { status: resource.refund_status as WechatRefund['status'], refund_id: String(resource.refund_id ?? '') });
  }

  /** Retries refunds WeChat has not accepted yet, and asks about those still processing. */
  async function sweep(): Promise<{ touched: number }> {
    let touched = 0;
    for (const r of await refunds.find({ status: { $in: ['SUBMITTING', 'PROCESSING'] } }).limit(200).lean<RefundDoc[]>()) {
      try {
        if (r.status === 'SUBMITTING') await submit(r);
        else if (gateway && r.orderId) {
          const order = await orders.findById(r.orderId).lean<OrderDoc>();
          const answer = order ? await gateway.queryRefund(order.mchid, r.outRefundNo) : null;
          if (answer) await record(r, answer);
        }
        touched += 1;
      } catch (error) {
        deps.log.warn({ err: error, refundId: r._id }, 'refund sweep failed; will retry');
      }
    }
    return { touched };
  }

  async function forParent(billIds: string[]): Promise<RefundView[]> {
    const found = await findWhereIn<RefundDoc>(deps.db, refunds.collection.collectionName, 'billId', billIds);
    return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map(toRefundView);
  }

  return { request, requestSystemRefund, approve, list, handleNotification, sweep, submit, forParent };
}

export type RefundsService = ReturnType<typeof refundsService>;
