import type { z } from 'zod';
import { businessDay, type CashReport, type cashReportQuerySchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffScope } from '../auth/principal.ts';
import { StaffUserModel } from '../auth/staff-user.model.ts';
import { BillModel } from '../billing/billing.models.ts';
import { OfflinePaymentModel } from '../counter/offline-payment.model.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { reportRoot, type ReportRoot } from '../reports/report-scope.ts';

type CounterEntry = {
  _id: string;
  kind: 'payment' | 'refund' | 'reversal';
  method: 'cash' | 'pos' | 'transfer';
  amountFen: number;
  at: Date;
  billId: string;
  offlinePaymentId: string | null;
  refundId: string | null;
  actorId: string | null;
  reference: string | null;
};
type OfflineDoc = { _id: string; receiptNo: string; cashierId: string; cashierName: string; reversed: boolean; reference: string | null };
type Totals = CashReport['totals']['net'];
type CashierReport = CashReport['cashiers'][number];

const METHOD_FIELD = { cash: 'cashFen', pos: 'posFen', transfer: 'transferFen' } as const;

function emptyTotals(): Totals {
  return { cashFen: 0, posFen: 0, transferFen: 0, totalFen: 0 } as Totals;
}

function addTo(t: Totals, method: 'cash' | 'pos' | 'transfer', amountFen: number): void {
  const field = METHOD_FIELD[method];
  const a = t[field] + amountFen;
  const b = t.totalFen + amountFen;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) throw new AppError('INTERNAL', '金额合计超出安全整数范围');
  (t as Record<string, number>)[field] = a;
  (t as Record<string, number>).totalFen = b;
}

/**
 * The counter's cash report for one day (交班报表): every payment taken,
 * reversal made and counter refund handed out that day, per cashier (the
 * staff member who did it), with totals by method and the net each cashier
 * hands over. Read from the ledger (day and scope are indexed keys there),
 * so it agrees with the books by construction.
 */
export function cashReportService(deps: ServerDeps) {
  const ledger = LedgerEntryModel(deps.db);
  const offline = OfflinePaymentModel(deps.db);
  const bills = BillModel(deps.db);
  const staff = StaffUserModel(deps.db);

  async function report(scope: StaffScope, query: z.output<typeof cashReportQuerySchema>): Promise<CashReport & { root: ReportRoot }> {
    const day = query.day ?? businessDay();
    const root = await reportRoot(deps.db, scope, query.nodeId);
    const entries = (
      await ledger
        .find({ orgPath: root.nodeId, day, method: { $in: ['cash', 'pos', 'transfer'] } }, { kind: 1, method: 1, amountFen: 1, at: 1, billId: 1, offlinePaymentId: 1, refundId: 1, actorId: 1, reference: 1 })
        .lean<CounterEntry[]>()
    ).sort((a, b) => a.at.getTime() - b.at.getTime() || a._id.localeCompare(b._id));
    const offlineIds = [...new Set(entries.map((e) => e.offlinePaymentId).filter((v): v is string => Boolean(v)))];
    const offlineById = new Map((await offline.find({ _id: { $in: offlineIds } }).lean<OfflineDoc[]>()).map((o) => [o._id, o]));
    const billById = new Map(
      (await bills.find({ _id: { $in: [...new Set(entries.map((e) => e.billId))] } }, { studentName: 1, feeItemName: 1 }).lean<{ _id: string; studentName: string; feeItemName: string }[]>()).map((b) => [b._id, b]),
    );
    const actorIds = [...new Set(entries.map((e) => e.actorId).filter((v): v is string => typeof v === 'string' && /^[0-9a-f]{24}$/.test(v)))];
    const names = new Map((await staff.find({ _id: { $in: actorIds } }, { displayName: 1 }).lean()).map((u) => [String(u._id), u.displayName]));

    const cashiers = new Map<string, CashierReport>();
    const totals = { payments: emptyTotals(), reversals: emptyTotals(), refunds: emptyTotals(), net: emptyTotals() };
    for (const e of entries) {
      const paymentDoc = e.offlinePaymentId ? offlineById.get(e.offlinePaymentId) : undefined;
      // The cashier of a payment is who took it; of a reversal or refund, who made it.
      const cashierId = e.actorId ?? (e.kind === 'payment' ? paymentDoc?.cashierId : undefined) ?? 'unknown';
      let cashier = cashiers.get(cashierId);
      if (!cashier) {
        const cashierName = names.get(cashierId) ?? (paymentDoc && paymentDoc.cashierId === cashierId ? paymentDoc.cashierName : null) ?? '未知';
        cashier = { cashierId, cashierName, lines: [], payments: emptyTotals(), reversals: emptyTotals(), refunds: emptyTotals(), net: emptyTotals() };
        cashiers.set(cashierId, cashier);
      }
      const bill = billById.get(e.billId);
      const signed = e.kind === 'payment' ? e.amountFen : -e.amountFen;
      cashier.lines.push({
        kind: e.kind,
        at: e.at.toISOString(),
        method: e.method,
        amountFen: signed,
        offlinePaymentId: e.offlinePaymentId ?? null,
        receiptNo: paymentDoc?.receiptNo ?? null,
        studentName: bill?.studentName ?? '',
        feeItemName: bill?.feeItemName ?? '',
        reference: e.reference ?? paymentDoc?.reference ?? null,
        reversed: e.kind === 'payment' ? Boolean(paymentDoc?.reversed) : false,
      });
      const bucket = e.kind === 'payment' ? 'payments' : e.kind === 'reversal' ? 'reversals' : 'refunds';
      addTo(cashier[bucket], e.method, e.amountFen);
      addTo(cashier.net, e.method, signed);
      addTo(totals[bucket], e.method, e.amountFen);
      addTo(totals.net, e.method, signed);
    }
    return {
      day,
      scope: { nodeId: root.nodeId, label: root.label },
      generatedAt: new Date().toISOString(),
      cashiers: [...cashiers.values()].sort((a, b) => a.cashierName.localeCompare(b.cashierName, 'zh-CN')),
      totals,
      root,
    };
  }

  return { report };
}
