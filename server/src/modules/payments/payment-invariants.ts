import type { Connection } from 'mongoose';
import { BillModel } from '../billing/billing.models.ts';
import { checkBillLedgerInvariants, type InvariantReport } from '../ledger/invariants.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { PaymentExceptionModel } from '../exceptions/payment-exception.model.ts';
import { OrderModel, type OrderDoc } from './order.model.ts';

/**
 * Bills = orders = ledger: on top of the bill/ledger checks, every paid
 * order's total equals its allocations and the ledger's payments for it, its
 * refunded figure equals the ledger's refunds for it, no open order's mark is
 * left on a bill it does not hold, and every bill paid more than once is
 * accounted for (an automatic refund or a queued exception).
 */
export async function checkPaymentInvariants(db: Connection, scopeNodeId?: string): Promise<InvariantReport> {
  return checkBillLedgerInvariants(
    db,
    [
    async (problems, scope) => {
      const orders = await OrderModel(db).find(scope).lean<OrderDoc[]>();
      const entries = await LedgerEntryModel(db).find({ ...scope, orderId: { $ne: null } }).lean();
      for (const o of orders) {
        const allocated = o.allocations.reduce((n, a) => n + a.amountFen, 0);
        if (allocated !== o.totalFen) problems.push(`order ${o._id}: total ${o.totalFen} ≠ allocations ${allocated}`);
        const paid = entries.filter((e) => e.orderId === o._id && e.kind === 'payment').reduce((n, e) => n + e.amountFen, 0);
        const refunded = entries.filter((e) => e.orderId === o._id && e.kind === 'refund').reduce((n, e) => n + e.amountFen, 0);
        const isPaid = ['PAID', 'REFUNDED', 'PARTIALLY_REFUNDED'].includes(o.status);
        if (isPaid && o.billsApplied && paid !== o.totalFen) problems.push(`order ${o._id}: paid ${o.totalFen} but ledger holds ${paid}`);
        if (!isPaid && paid !== 0) problems.push(`order ${o._id} is ${o.status} but the ledger holds ${paid} paid through it`);
        if (refunded !== o.refundedFen) problems.push(`order ${o._id}: refunded ${o.refundedFen} but ledger holds ${refunded}`);
      }
      const bills = await BillModel(db).find({ ...scope, openOrderId: { $ne: null } }).lean();
      for (const b of bills) {
        const open = orders.find((o) => o._id === b.openOrderId);
        if (!open || !['PENDING', 'CLOSING'].includes(open.status)) problems.push(`bill ${b._id} is marked with order ${b.openOrderId}, which is ${open?.status ?? 'missing'}`);
      }
      const overpaid = await BillModel(db).find({ ...scope, outstandingFen: { $lt: 0 } }).lean();
      for (const b of overpaid) {
        const handled = await PaymentExceptionModel(db).countDocuments({ kind: 'double_payment', billId: b._id });
        if (handled === 0) problems.push(`bill ${b._id} is overpaid by ${-b.outstandingFen} with nothing refunding or queueing it`);
      }
    },
    ],
    scopeNodeId,
  );
}
