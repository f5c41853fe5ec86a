import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { businessDay, type OfflinePayment, type createOfflinePaymentSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { BillModel } from '../billing/billing.models.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { ledgerService } from '../ledger/ledger.service.ts';
import { receiptsService } from '../receipts/receipts.service.ts';
import { OfflinePaymentModel } from './offline-payment.model.ts';
import { checkPayable } from '../billing/payable.ts';
import { paymentsService } from '../payments/payments.service.ts';

type OfflineDoc = {
  _id: string;
  billId: string;
  amountFen: number;
  method: 'cash' | 'pos' | 'transfer';
  reference: string | null;
  receiptNo: string;
  cashierId: string;
  reversed: boolean;
  createdAt: Date;
  orgPath: string[];
};

function toView(d: OfflineDoc): OfflinePayment {
  return { id: d._id, billId: d.billId, amountFen: d.amountFen, method: d.method, reference: d.reference ?? null, receiptNo: d.receiptNo, cashierId: d.cashierId, reversed: Boolean(d.reversed), at: d.createdAt.toISOString() };
}

export function counterService(deps: ServerDeps) {
  const payments = OfflinePaymentModel(deps.db);
  const bills = BillModel(deps.db);
  const ledger = ledgerService(deps);
  const receipts = receiptsService(deps);
  const audit = auditService(deps.db);

  async function take(scope: StaffScope, input: z.output<typeof createOfflinePaymentSchema>): Promise<OfflinePayment & { receiptVerificationCode: string }> {
    const bill = await bills.findById(input.billId).lean<BillDoc>();
    scope.assert(bill?.orgPath, '账单');
    // A parent who opened the payment sheet and then came to the counter: close that order first (or apply it, if paid).
    if (bill!.openOrderId && deps.wechatPay) await paymentsService(deps, deps.wechatPay).releaseForCounter(bill!.openOrderId);
    const _id = `off_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const at = new Date();
    await ledger.apply(
      { _id: `counter:${_id}`, kind: 'payment', method: input.method, billId: input.billId, amountFen: input.amountFen, at, offlinePaymentId: _id, actorId: scope.principal.userId, reference: input.reference ?? null },
      (current) => checkPayable(current, input.amountFen),
    );
    const receipt = await receipts.issue({
      source: 'counter',
      sourceId: _id,
      studentId: bill!.studentId,
      studentName: bill!.studentName,
      studentNo: bill!.studentNo,
      orgPath: bill!.orgPath,
      payerName: input.payerName ?? null,
      lines: [{ billId: bill!._id, feeItemName: bill!.feeItemName, periodLabel: bill!.periodLabel, amountFen: input.amountFen }],
      method: input.method,
      reference: input.reference ?? null,
      paidAt: at,
    });
    const doc = {
      _id,
      billId: input.billId,
      amountFen: input.amountFen,
      method: input.method,
      reference: input.reference ?? null,
      payerName: input.payerName ?? null,
      cashierId: scope.principal.userId,
      cashierName: scope.principal.displayName,
      receiptNo: receipt._id,
      day: businessDay(at),
      orgPath: bill!.orgPath,
    };
    const created = await payments.create(doc);
    await audit.append(scope.principal, { action: 'offline-payment.create', objectType: 'offline_payment', objectId: _id, orgPath: bill!.orgPath, after: doc });
    return { ...toView(created.toObject() as OfflineDoc), receiptVerificationCode: receipt.verificationCode };
  }

  /** Undoes a counter payment recorded in error; the reversal's id makes it once-only. */
  async function reverse(scope: StaffScope, id: string, reason: string): Promise<OfflinePayment> {
    const payment = await payments.findById(id).lean<OfflineDoc>();
    scope.assert(payment?.orgPath, '线下缴费记录');
    if (payment!.reversed) throw new AppError('STATE_CONFLICT', '该笔缴费已冲正');
    await ledger.apply(
      { _id: `counter-reversal:${id}`, kind: 'reversal', method: payment!.method, billId: payment!.billId, amountFen: payment!.amountFen, offlinePaymentId: id, actorId: scope.principal.userId },
      (bill) => {
        if (bill.paidFen - bill.refundedFen < payment!.amountFen) throw new AppError('BUSINESS_RULE', '账单已缴金额不足以冲正（可能已退款）');
      },
    );
    await payments.updateOne({ _id: id }, { $set: { reversed: true, reversedAt: new Date(), reversedBy: scope.principal.userId, reverseReason: reason } });
    await receipts.voidFor(id);
    await audit.append(scope.principal, { action: 'offline-payment.reverse', objectType: 'offline_payment', objectId: id, orgPath: payment!.orgPath, before: { reversed: false }, after: { reversed: true }, reason });
    return toView({ ...payment!, reversed: true });
  }

  async function list(scope: StaffScope, filter: { day?: string; billId?: string; cashierId?: string }): Promise<OfflinePayment[]> {
    const query: Record<string, unknown> = scope.filter();
    if (filter.day) query.day = filter.day;
    if (filter.billId) query.billId = filter.billId;
    if (filter.cashierId) query.cashierId = filter.cashierId;
    return (await payments.find(query).sort({ createdAt: -1 }).limit(1000).lean<OfflineDoc[]>()).map(toView);
  }

  async function receiptFor(scope: StaffScope, receiptNo: string) {
    const receipt = await receipts.get(receiptNo);
    scope.assert(receipt.orgPath, '收据');
    return { receipt, pdf: await receipts.pdf(receipt) };
  }

  return { take, reverse, list, receiptFor };
}
