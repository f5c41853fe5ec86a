import { businessDay } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { BillModel } from '../billing/billing.models.ts';
import { settle } from '../billing/bill-figures.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { LedgerEntryModel, type LedgerKind } from './ledger-entry.model.ts';
import { rollupsService, type LedgerEntryLike } from '../insights/rollups.service.ts';

export interface LedgerEntryInput {
  _id: string;
  kind: LedgerKind;
  method: 'wechat' | 'cash' | 'pos' | 'transfer';
  billId: string;
  amountFen: number;
  at?: Date;
  orderId?: string | null;
  refundId?: string | null;
  offlinePaymentId?: string | null;
  transactionId?: string | null;
  bankType?: string | null;
  actorId?: string | null;
  reference?: string | null;
}

export interface ApplyResult {
  bill: BillDoc;
  /** False when this entry had already been applied: nothing changed. */
  applied: boolean;
}

/** How an entry moves the bill's figures. A reversal undoes a payment recorded in error; a refund returns money paid. */
function nextFigures(bill: BillDoc, kind: LedgerKind, amount: number) {
  const base = { amountDueFen: bill.amountDueFen, concessionFen: bill.concessionFen, paidFen: bill.paidFen, refundedFen: bill.refundedFen };
  if (kind === 'payment') base.paidFen += amount;
  else if (kind === 'reversal') base.paidFen -= amount;
  else base.refundedFen += amount;
  return settle(base, bill.status);
}

export function ledgerService(deps: ServerDeps) {
  const bills = BillModel(deps.db);
  const ledger = LedgerEntryModel(deps.db);
  const rollups = rollupsService(deps);

  async function writeEntry(entry: Record<string, unknown>): Promise<void> {
    await ledger.create(entry).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    // Insight rollups: recorded once per entry id (a retried write is a no-op). It runs
    // before `confirm` drops the entry from the bill, so a crash here is repaired with it.
    await rollups.record(entry as unknown as LedgerEntryLike);
  }

  /**
   * Records a ledger entry against its bill exactly once. The bill's
   * compare-and-set is the commit point: it moves the figures, remembers the
   * entry id, and carries the entry until the ledger has it, so a crash
   * between the two writes is repaired by `repairPending`. `check` runs on
   * the bill as it is at the moment of the write (e.g. "not more than is
   * outstanding") and may throw to refuse.
   */
  async function apply(input: LedgerEntryInput, check?: (bill: BillDoc) => void): Promise<ApplyResult> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const bill = await bills.findById(input.billId).lean<BillDoc>();
      if (!bill) throw notFound('账单');
      if (bill.ledgerIds.includes(input._id)) {
        const pending = bill.pendingLedger.find((e) => e._id === input._id);
        if (pending) await writeEntry(pending);
        return { bill, applied: false };
      }
      check?.(bill);
      const at = input.at ?? new Date();
      const entry = {
        ...input,
        at,
        day: businessDay(at),
        payeeAccountId: bill.payeeAccountId,
        feeItemId: bill.feeItemId,
        studentId: bill.studentId,
        orgPath: bill.orgPath,
        campusId: bill.campusId,
        groupId: bill.groupId,
      };
      const updated = await compareAndSet(deps.db, bills, bill._id, { version: bill.version }, {
        $set: { ...nextFigures(bill, input.kind, input.amountFen), pendingLedgerCount: bill.pendingLedger.length + 1 },
        $push: { ledgerIds: input._id, pendingLedger: entry },
        $inc: { version: 1 },
      });
      if (!updated) continue;
      await writeEntry(entry);
      await confirm(bill._id, input._id);
      return { bill: (await bills.findById(bill._id).lean<BillDoc>()) ?? (updated as unknown as BillDoc), applied: true };
    }
    throw new AppError('STATE_CONFLICT', '账单正被频繁修改，请稍后重试');
  }

  /** Drops an entry from the bill's carry list once the ledger holds it; losing this race only delays it to the repair job. */
  async function confirm(billId: string, entryId: string): Promise<void> {
    const bill = await bills.findById(billId).lean<BillDoc>();
    if (!bill?.pendingLedger.some((e) => e._id === entryId)) return;
    const rest = bill.pendingLedger.filter((e) => e._id !== entryId);
    await compareAndSet(deps.db, bills, billId, { version: bill.version }, { $set: { pendingLedger: rest, pendingLedgerCount: rest.length }, $inc: { version: 1 } });
  }

  /** Writes ledger entries that a crashed request committed to a bill but never wrote; safe to run anywhere, any time. */
  async function repairPending(): Promise<number> {
    const stuck = await bills.find({ pendingLedgerCount: { $gt: 0 } }).limit(500).lean<BillDoc[]>();
    let repaired = 0;
    for (const bill of stuck) {
      for (const entry of bill.pendingLedger) {
        await writeEntry(entry);
        await confirm(bill._id, entry._id);
        repaired += 1;
      }
    }
    return repaired;
  }

  /**
   * How much of a payment entry went beyond what its bill asked for when it
   * was applied. The bill's `ledgerIds` keep the commit order, so every
   * process asking about one entry gets the same answer, and of two payments
   * racing for one bill only the later is the extra.
   */
  async function excessOf(billId: string, entryId: string): Promise<number> {
    const bill = await bills.findById(billId).lean<BillDoc>();
    const upTo = bill ? bill.ledgerIds.indexOf(entryId) : -1;
    if (!bill || upTo < 0) return 0;
    const ids = bill.ledgerIds.slice(0, upTo + 1);
    const amounts = new Map<string, { kind: LedgerKind; amountFen: number }>();
    const stored = await findByIds<{ _id: string; kind: LedgerKind; amountFen: number }>(deps.db, ledger.collection.collectionName, ids, { kind: 1, amountFen: 1 });
    for (const [id, e] of stored) amounts.set(id, e);
    for (const e of bill.pendingLedger) amounts.set(e._id, { kind: e.kind as LedgerKind, amountFen: Number(e.amountFen) });
    let netBefore = 0;
    for (const id of ids.slice(0, -1)) {
      const e = amounts.get(id);
      if (e) netBefore += e.kind === 'payment' ? e.amountFen : -e.amountFen;
    }
    const entry = amounts.get(entryId);
    if (entry?.kind !== 'payment') return 0;
    const payable = bill.amountDueFen - bill.concessionFen;
    return Math.max(0, netBefore + entry.amountFen - payable) - Math.max(0, netBefore - payable);
  }

  return { apply, repairPending, excessOf };
}

export type LedgerService = ReturnType<typeof ledgerService>;
