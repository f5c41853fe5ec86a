import type { Connection } from 'mongoose';
import { BillModel } from '../billing/billing.models.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { LedgerEntryModel } from './ledger-entry.model.ts';

export interface InvariantReport {
  ok: boolean;
  bills: number;
  entries: number;
  problems: string[];
}

/**
 * The books must agree everywhere: for every bill
 *   due − concessions = paid − refunded + outstanding,
 * its paid and refunded figures equal the sums of its ledger entries, every
 * ledger id it claims exists, and no ledger entry is missing from its bill.
 * Payment-level checks (orders = allocations = ledger) extend this list.
 */
export async function checkBillLedgerInvariants(
  db: Connection,
  extraChecks: ((problems: string[], scope: Record<string, string>) => Promise<void>)[] = [],
  /** Limits the check to one organisation node's subtree (tests running side by side check their own part). */
  scopeNodeId?: string,
): Promise<InvariantReport> {
  const problems: string[] = [];
  const scope: Record<string, string> = scopeNodeId ? { orgPath: scopeNodeId } : {};
  const bills = await BillModel(db).find(scope).lean<BillDoc[]>();
  const entries = await LedgerEntryModel(db).find(scope).lean();
  const byBill = new Map<string, typeof entries>();
  for (const e of entries) byBill.set(e.billId, [...(byBill.get(e.billId) ?? []), e]);
  const entryIds = new Set(entries.map((e) => e._id));
  for (const b of bills) {
    if (b.amountDueFen - b.concessionFen !== b.paidFen - b.refundedFen + b.outstandingFen) {
      problems.push(`bill ${b._id}: due ${b.amountDueFen} − concession ${b.concessionFen} ≠ paid ${b.paidFen} − refunded ${b.refundedFen} + outstanding ${b.outstandingFen}`);
    }
    if (b.concessionFen < 0 || b.concessionFen > b.amountDueFen) problems.push(`bill ${b._id}: concession ${b.concessionFen} outside [0, ${b.amountDueFen}]`);
    const own = byBill.get(b._id) ?? [];
    // Entries the bill carries but the ledger does not hold yet (a crash between the two writes) still count.
    const carried = b.pendingLedger.filter((e) => !entryIds.has(e._id)).map((e) => ({ kind: String(e.kind), amountFen: Number(e.amountFen) }));
    const all = [...own.map((e) => ({ kind: e.kind, amountFen: e.amountFen })), ...carried];
    const sum = (kind: string) => all.filter((e) => e.kind === kind).reduce((n, e) => n + e.amountFen, 0);
    if (sum('payment') - sum('reversal') !== b.paidFen) problems.push(`bill ${b._id}: paid ${b.paidFen} but ledger says ${sum('payment') - sum('reversal')}`);
    if (sum('refund') !== b.refundedFen) problems.push(`bill ${b._id}: refunded ${b.refundedFen} but ledger says ${sum('refund')}`);
    const pendingIds = new Set(b.pendingLedger.map((e) => e._id));
    for (const id of b.ledgerIds) if (!entryIds.has(id) && !pendingIds.has(id)) problems.push(`bill ${b._id}: ledger entry ${id} missing`);
    for (const e of own) if (!b.ledgerIds.includes(e._id)) problems.push(`ledger entry ${e._id} not applied to bill ${b._id}`);
  }
  for (const check of extraChecks) await check(problems, scope);
  return { ok: problems.length === 0, bills: bills.length, entries: entries.length, problems };
}
