import { randomBytes } from 'node:crypto';
import { businessDay, displayYuan, toRfc3339Shanghai } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { ParentPrincipal } from '../auth/principal.ts';
import { BillModel, PayeeAccountModel } from '../billing/billing.models.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { checkPayable } from '../billing/payable.ts';
import { refundsService } from '../refunds/refunds.service.ts';
import { exceptionsService } from '../exceptions/exceptions.service.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { ParentChildModel, parentChildId } from '../parents/parent.model.ts';
import { receiptsService } from '../receipts/receipts.service.ts';
import type { WechatPayGateway, WechatTransaction } from '../wechatpay/wechatpay-gateway.ts';
import { OrderModel, type OrderDoc, type OrderStatus } from './order.model.ts';

export interface OrderView {
  orderId: string;
  outTradeNo: string;
  status: OrderStatus;
  totalFen: number;
  refundedFen: number;
  payeeAccountId: string;
  payeeName: string;
  bills: { billId: string; feeItemName: string; studentName: string; amountFen: number }[];
  payParams: Record<string, string> | null;
  expiresAt: string;
  paidAt: string | null;
  transactionId: string | null;
  receiptNo: string | null;
}

const OUT_TRADE_NO = /^CP\d{8}([0-9A-F]{16})$/;

/** The order id inside an out_trade_no of ours, so WeChat's notifications find their order by `_id`. */
export function orderIdOf(outTradeNo: string): string | null {
  const hex = OUT_TRADE_NO.exec(outTradeNo)?.[1];
  return hex ? `ord_${hex.toLowerCase()}` : null;
}

/** A WeChat out_trade_no: 26 characters of [0-9A-Za-z], the day first so support staff can read it; the order id is inside. */
function newOrderIds(now: Date): { orderId: string; outTradeNo: string } {
  const outTradeNo = `CP${businessDay(now).replace(/-/g, '')}${randomBytes(8).toString('hex').toUpperCase()}`;
  return { orderId: orderIdOf(outTradeNo)!, outTradeNo };
}

const OPEN: OrderStatus[] = ['PENDING', 'CLOSING'];

export function paymentsService(deps: ServerDeps, gateway: WechatPayGateway) {
  const orders = OrderModel(deps.db);
  const bills = BillModel(deps.db);
  const payees = PayeeAccountModel(deps.db);
  const links = ParentChildModel(deps.db);
  const ledger = ledgerService(deps);
  const receipts = receiptsService(deps);
  const exceptions = exceptionsService(deps);

  const billsById = (ids: string[]) => findByIds<BillDoc>(deps.db, bills.collection.collectionName, ids);

  async function changeOrder(id: string, expected: Record<string, unknown>, update: Record<string, unknown>): Promise<OrderDoc | null> {
    const current = await orders.findById(id).lean<OrderDoc>();
    if (!current) return null;
    return (await compareAndSet(deps.db, orders, id, { ...expected, version: current.version }, { ...update, $inc: { version: 1 } })) as OrderDoc | null;
  }

  /** Clears a bill's open-order mark if it still points at this order. */
  async function release(order: OrderDoc): Promise<void> {
    for (const { billId } of order.allocations) {
      for (let attempt = 0; attempt < 10; attempt++) {
        const bill = await bills.findById(billId).lean<BillDoc>();
        if (!bill || bill.openOrderId !== order._id) break;
        if (await compareAndSet(deps.db, bills, billId, { version: bill.version, openOrderId: order._id }, { $set: { openOrderId: null }, $inc: { version: 1 } })) break;
      }
    }
  }

  async function view(order: OrderDoc): Promise<OrderView> {
    const byId = await billsById(order.allocations.map((a) => a.billId));
    const payee = await payees.findById(order.payeeAccountId).lean();
    return {
      orderId: order._id,
      outTradeNo: order.outTradeNo,
      status: order.status,
      totalFen: order.totalFen,
      refundedFen: order.refundedFen,
      payeeAccountId: order.payeeAccountId,
      payeeName: payee?.name ?? '',
      bills: order.allocations.map((a) => ({ billId: a.billId, feeItemName: byId.get(a.billId)?.feeItemName ?? '', studentName: byId.get(a.billId)?.studentName ?? '', amountFen: a.amountFen })),
      payParams: order.status === 'PENDING' ? order.payParams : null,
      expiresAt: order.expiresAt.toISOString(),
      paidAt: order.paidAt ? order.paidAt.toISOString() : null,
      transactionId: order.transactionId,
      receiptNo: order.receiptNo,
    };
  }

  /** Closes an unpaid order at WeChat and here; if WeChat says it was paid after all, the payment is applied instead. */
  async function closeOrSettle(order: OrderDoc, reason: string): Promise<OrderDoc> {
    const tx = await gateway.queryOrder(order.mchid, order.outTradeNo);
    if (tx && (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND')) return applyPayment(order._id, tx);
    if (order.status === 'PENDING') await changeOrder(order._id, { status: 'PENDING' }, { $set: { status: 'CLOSING', closeReason: reason } });
    if (tx && tx.trade_state !== 'CLOSED') {
      try {
        await gateway.closeOrder(order.mchid, order.outTradeNo);
      } catch (error) {
        // A payer finishing right now makes the close fail: look again rather than guess.
        const again = await gateway.queryOrder(order.mchid, order.outTradeNo);
        if (again && (again.trade_state === 'SUCCESS' || again.trade_state === 'REFUND')) return applyPayment(order._id, again);
        throw error;
      }
    }
    const closed = (await changeOrder(order._id, { status: { $in: OPEN } }, { $set: { status: 'CLOSED' } })) ?? (await orders.findById(order._id).lean<OrderDoc>())!;
    await release(closed);
    return closed;
  }

  /**
   * Applies WeChat's word that an order was paid, exactly once however often
   * it is told: the order moves to PAID by compare-and-set, each bill gets a
   * ledger entry whose id is (transaction, bill), and a bill paid twice is
   * refunded or queued for the bursar.
   */
  async function applyPayment(orderId: string, tx: WechatTransaction): Promise<OrderDoc> {
    let order = await orders.findById(orderId).lean<OrderDoc>();
    if (!order) throw notFound('订单');
    const merchant = gateway.merchants.get(order.mchid);
    if (tx.out_trade_no !== order.outTradeNo || tx.mchid !== order.mchid || tx.appid !== merchant.appid || tx.amount?.total !== order.totalFen || !tx.transaction_id) {
      await exceptions.raise({
        id: `amount_mismatch:${order._id}:${tx.transaction_id ?? 'none'}`,
        kind: 'amount_mismatch',
        summary: `订单 ${order.outTradeNo} 与微信支付通知不一致（订单 ${displayYuan(order.totalFen)}，微信 ${displayYuan(tx.amount?.total ?? 0)}）`,
        evidence: { order: { outTradeNo: order.outTradeNo, totalFen: order.totalFen, mchid: order.mchid }, wechat: tx },
        orgPath: order.orgPath,
        orderId: order._id,
      });
      throw new AppError('BUSINESS_RULE', '支付结果与订单不一致，已转人工处理');
    }
    for (let attempt = 0; order.status !== 'PAID' && order.status !== 'REFUNDED' && order.status !== 'PARTIALLY_REFUNDED' && attempt < 20; attempt++) {
      const paidAt = tx.success_time ? new Date(tx.success_time) : new Date();
      const moved = await changeOrder(order._id, { status: order.status }, {
        $set: { status: 'PAID', transactionId: tx.transaction_id, bankType: tx.bank_type ?? null, paidAt },
      });
      order = moved ?? (await orders.findById(orderId).lean<OrderDoc>())!;
    }
    if (order.billsApplied) return order;
    for (const a of order.allocations) {
      await ledger.apply({
        _id: `wxpay:${tx.transaction_id}:${a.billId}`,
        kind: 'payment',
        method: 'wechat',
        billId: a.billId,
        amountFen: a.amountFen,
        at: order.paidAt ?? new Date(),
        orderId: order._id,
        transactionId: tx.transaction_id,
        bankType: tx.bank_type ?? null,
      });
    }
    await release(order);
    const paidBills = [...(await billsById(order.allocations.map((a) => a.billId))).values()];
    const receipt = await receipts.issue({
      source: 'online',
      sourceId: order._id,
      studentId: paidBills[0]?.studentId ?? '',
      studentName: [...new Set(paidBills.map((b) => b.studentName))].join('、'),
      studentNo: [...new Set(paidBills.map((b) => b.studentNo))].join('、'),
      orgPath: paidBills[0]?.orgPath ?? order.orgPath,
      lines: order.allocations.map((a) => {
        const b = paidBills.find((x) => x._id === a.billId);
        return { billId: a.billId, feeItemName: b?.feeItemName ?? '', periodLabel: b?.periodLabel ?? '', amountFen: a.amountFen };
      }),
      method: 'wechat',
      transactionId: tx.transaction_id,
      paidAt: order.paidAt ?? new Date(),
    });
    for (const bill of paidBills) {
      const extra = await ledger.excessOf(bill._id, `wxpay:${tx.transaction_id}:${bill._id}`);
      if (extra > 0) await handleDoublePayment(order, bill, extra);
    }
    // A notification and the parent's query may apply one payment side by side: whichever loses the race
    // for the order's version retries, so neither answers "paid" without the receipt.
    for (let attempt = 0; attempt < 20; attempt++) {
      const marked = await changeOrder(order._id, {}, { $set: { billsApplied: true, receiptNo: receipt._id } });
      if (marked) return marked;
      const now = (await orders.findById(order._id).lean<OrderDoc>())!;
      if (now.billsApplied && now.receiptNo) return now;
    }
    throw new AppError('STATE_CONFLICT', '订单正被频繁修改，请稍后重试');
  }

  /** Money paid twice for one bill goes back by the original route (or to the bursar's queue, by setting). */
  async function handleDoublePayment(order: OrderDoc, bill: BillDoc, extra: number): Promise<void> {
    const auto = deps.config.doublePaymentPolicy === 'auto_refund';
    if (auto) await refundsService(deps, gateway).requestSystemRefund({ billId: bill._id, orderId: order._id, amountFen: extra, reason: '重复支付自动退款' });
    await exceptions.raise({
      id: `double_payment:${bill._id}:${order._id}`,
      kind: 'double_payment',
      summary: `账单「${bill.studentName} ${bill.feeItemName}」重复支付 ${displayYuan(extra)}${auto ? '，已自动原路退款' : '，待财务处理'}`,
      evidence: { billId: bill._id, orderId: order._id, transactionId: order.transactionId, paidFen: bill.paidFen, payableFen: bill.amountDueFen - bill.concessionFen, extraFen: extra },
      orgPath: bill.orgPath,
      orderId: order._id,
      billId: bill._id,
      action: auto ? `自动退款 ${displayYuan(extra)}` : undefined,
    });
  }

  /** Asks WeChat about an order and acts on the answer. */
  async function settle(order: OrderDoc): Promise<OrderDoc> {
    if (order.status === 'PAID' && !order.billsApplied && order.transactionId) {
      const tx = await gateway.queryOrder(order.mchid, order.outTradeNo);
      return tx ? applyPayment(order._id, tx) : order;
    }
    if (!OPEN.includes(order.status)) return order;
    const tx = await gateway.queryOrder(order.mchid, order.outTradeNo);
    // Through the lock like every order write: a plain update could undo a concurrent compare-and-set on FerretDB.
    await changeOrder(order._id, {}, { $set: { lastQueriedAt: new Date() } });
    if (tx && (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND')) return applyPayment(order._id, tx);
    if (order.status === 'CLOSING' || order.expiresAt.getTime() <= Date.now() || tx?.trade_state === 'CLOSED' || !tx) {
      return closeOrSettle(order, order.status === 'CLOSING' ? (order.closeReason ?? 'closing') : 'expired');
    }
    return order;
  }

  async function assertChildren(principal: ParentPrincipal, docs: BillDoc[]): Promise<void> {
    const own = await findByIds(deps.db, links.collection.collectionName, docs.map((b) => parentChildId(principal.parentId, b.studentId)));
    if (docs.some((b) => !own.has(parentChildId(principal.parentId, b.studentId)) || !b.published)) throw notFound('账单');
  }

  /** A mark on a bill for an order that no longer fits it (other bills, other amounts, expired, or not this parent's). */
  function fits(order: OrderDoc, principal: ParentPrincipal, group: { bill: BillDoc; amountFen: number }[]): boolean {
    return (
      order.status === 'PENDING' &&
      order.parentId === principal.parentId &&
      order.prepayId !== null &&
      order.expiresAt.getTime() > Date.now() + 60_000 &&
      order.allocations.length === group.length &&
      group.every((g) => order.allocations.some((a) => a.billId === g.bill._id && a.amountFen === g.amountFen))
    );
  }

  async function createForPayee(principal: ParentPrincipal, group: { bill: BillDoc; amountFen: number }[]): Promise<OrderView> {
    const openIds = [...new Set(group.map((g) => g.bill.openOrderId).filter((v): v is string => Boolean(v)))];
    for (const id of openIds) {
      const open = await orders.findById(id).lean<OrderDoc>();
      if (!open) continue;
      if (openIds.length === 1 && fits(open, principal, group)) return view(open);
      // Another family's live order is left alone unless its bills changed under it (cancelled, adjusted, paid at the counter).
      const itsBills = await billsById(open.allocations.map((a) => a.billId));
      const stillFits = open.allocations.every((a) => {
        const b = itsBills.get(a.billId);
        return b !== undefined && b.status !== 'cancelled' && b.outstandingFen >= a.amountFen;
      });
      if (open.status === 'PENDING' && open.parentId !== principal.parentId && open.expiresAt.getTime() > Date.now() && stillFits) {
        throw new AppError('STATE_CONFLICT', '另一位家长正在支付该账单，请稍后刷新查看');
      }
      await closeOrSettle(open, 'replaced');
    }
    // Bills may have changed while old orders were settled: check them again as they are now.
    const fresh = await billsById(group.map((g) => g.bill._id));
    for (const g of group) {
      const now = fresh.get(g.bill._id)!;
      checkPayable(now, g.amountFen);
      g.bill = now;
    }
    const payee = await payees.findById(group[0]!.bill.payeeAccountId).lean();
    if (!payee) throw new AppError('BUSINESS_RULE', '收款账户不存在');
    const merchant = gateway.merchants.get(payee.mchid);
    const now = new Date();
    const { orderId, outTradeNo } = newOrderIds(now);
    const totalFen = group.reduce((n, g) => n + g.amountFen, 0);
    const names = [...new Set(group.map((g) => g.bill.feeItemName))];
    const description = `${group[0]!.bill.studentName}-${names.join('、')}`.slice(0, 120);
    const expiresAt = new Date(now.getTime() + deps.config.orderTtlMinutes * 60_000);
    const doc = {
      _id: orderId,
      outTradeNo,
      parentId: principal.parentId,
      openid: principal.openid,
      mchid: merchant.mchid,
      payeeAccountId: payee._id,
      description,
      allocations: group.map((g) => ({ billId: g.bill._id, amountFen: g.amountFen })),
      totalFen,
      status: 'PENDING' as const,
      expiresAt,
      orgPath: [...new Set(group.flatMap((g) => g.bill.orgPath))],
      groupId: group[0]!.bill.groupId,
    };
    // The order exists before WeChat hears of it, so a crash leaves something the sweep can close.
    await orders.create(doc);
    const reserved: string[] = [];
    for (const g of group) {
      const ok = await compareAndSet(deps.db, bills, g.bill._id, { version: g.bill.version, openOrderId: null }, { $set: { openOrderId: orderId }, $inc: { version: 1 } });
      if (!ok) {
        await changeOrder(orderId, { status: 'PENDING' }, { $set: { status: 'CLOSED', closeReason: 'conflict' } });
        await release({ ...(doc as unknown as OrderDoc), allocations: doc.allocations.filter((a) => reserved.includes(a.billId)) });
        throw new AppError('STATE_CONFLICT', '账单正在支付中，请稍后重试');
      }
      reserved.push(g.bill._id);
    }
    const notifyUrl = new URL('/api/v1/wechatpay/notify/transaction', deps.config.publicBaseUrl ?? 'http://127.0.0.1:3000').toString();
    try {
      const created = await gateway.createJsapiOrder(merchant.mchid, {
        outTradeNo,
        description,
        totalFen,
        openid: principal.openid,
        notifyUrl,
        timeExpire: toRfc3339Shanghai(expiresAt),
      });
      const saved = await changeOrder(orderId, { status: 'PENDING' }, { $set: { prepayId: created.prepayId, payParams: created.payParams } });
      return view(saved ?? (await orders.findById(orderId).lean<OrderDoc>())!);
    } catch (error) {
      // No orphan: whatever WeChat did with the request, the order is closed there and here.
      const failed = await orders.findById(orderId).lean<OrderDoc>();
      if (failed) await closeOrSettle(failed, 'create_failed').catch(() => changeOrder(orderId, { status: 'PENDING' }, { $set: { status: 'CLOSING', closeReason: 'create_failed' } }));
      throw error;
    }
  }

  /** Creates the orders for the selected bills: one per payee account, paid one after another. */
  async function create(principal: ParentPrincipal, billIds: string[], amountsFen?: number[]): Promise<{ orders: OrderView[] }> {
    const unique = [...new Set(billIds)];
    if (unique.length !== billIds.length) throw new AppError('VALIDATION_FAILED', '账单重复选择');
    if (amountsFen && amountsFen.length !== billIds.length) throw new AppError('VALIDATION_FAILED', 'amountsFen 须与 billIds 一一对应');
    const docs = await billsById(unique);
    if (docs.size !== unique.length) throw notFound('账单');
    await assertChildren(principal, [...docs.values()]);
    const chosen = billIds.map((id, i) => {
      const bill = docs.get(id)!;
      const amountFen = amountsFen?.[i] ?? bill.outstandingFen;
      checkPayable(bill, amountFen);
      return { bill, amountFen };
    });
    const byPayee = new Map<string, typeof chosen>();
    for (const c of chosen) byPayee.set(c.bill.payeeAccountId, [...(byPayee.get(c.bill.payeeAccountId) ?? []), c]);
    const created: OrderView[] = [];
    for (const group of byPayee.values()) created.push(await createForPayee(principal, group));
    return { orders: created };
  }

  async function getForParent(principal: ParentPrincipal, orderId: string): Promise<OrderView> {
    let order = await orders.findById(orderId).lean<OrderDoc>();
    if (!order || order.parentId !== principal.parentId) throw notFound('订单');
    // The page does not trust the payment sheet's callback: while pending, WeChat is asked.
    if (OPEN.includes(order.status) || (order.status === 'PAID' && !order.billsApplied)) order = await settle(order);
    return view(order);
  }

  async function handleTransactionNotification(resource: Record<string, unknown>): Promise<void> {
    const tx = resource as unknown as WechatTransaction;
    const byId = orderIdOf(tx.out_trade_no);
    const found = byId ? await orders.findById(byId).lean<OrderDoc>() : null;
    const order = found?.outTradeNo === tx.out_trade_no ? found : null;
    if (!order) {
      await exceptions.raise({
        id: `unknown_order:${tx.transaction_id}`,
        kind: 'notification_rejected',
        summary: `收到未知订单 ${tx.out_trade_no} 的支付通知`,
        evidence: { transaction: tx },
        orgPath: [],
      });
      return;
    }
    if (tx.trade_state !== 'SUCCESS') return;
    await applyPayment(order._id, tx);
  }

  /** The background sweep: pending orders past the query delay, closing ones, paid ones whose money has not reached every bill. */
  async function sweep(): Promise<{ settled: number }> {
    const queryBefore = new Date(Date.now() - deps.config.orderQueryAfterSeconds * 1000);
    const due = await orders
      .find({ $or: [{ status: 'PENDING', createdAt: { $lte: queryBefore } }, { status: 'CLOSING' }, { status: 'PAID', billsApplied: false }] })
      .limit(200)
      .lean<OrderDoc[]>();
    let settled = 0;
    for (const order of due) {
      try {
        const after = await settle(order);
        if (after.status !== order.status || after.billsApplied !== order.billsApplied) settled += 1;
      } catch (error) {
        deps.log.warn({ err: error, orderId: order._id }, 'order sweep failed; will retry');
      }
    }
    return { settled };
  }

  /** The counter is about to take money for a bill with an open order: settle that order first. */
  async function releaseForCounter(orderId: string): Promise<void> {
    const order = await orders.findById(orderId).lean<OrderDoc>();
    if (order && OPEN.includes(order.status)) await closeOrSettle(order, 'counter');
  }

  return { create, getForParent, applyPayment, handleTransactionNotification, sweep, settle, view, releaseForCounter };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
