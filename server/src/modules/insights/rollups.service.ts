import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ServerDeps } from '../../deps.ts';
import { forEachLimit } from '../../platform/concurrency.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { withDocumentLock } from '../../platform/db/document-lock.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/errors.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { OrderModel } from '../payments/order.model.ts';
import { BillModel } from '../billing/billing.models.ts';
import {
  InsightContributionModel,
  InsightFoldBatchModel,
  InsightMarkerModel,
  InsightMonthModel,
  InsightRankMonthModel,
  InsightUnfoldedModel,
} from './rollup.models.ts';
import {
  RollupPlanner,
  campusAncestry,
  mergeMonth,
  mergeRank,
  storedMonth,
  storedRank,
  type MarkerDoc,
  type MonthDelta,
  type OrderFacts,
  type RankDelta,
  type RollupEntry,
} from './rollup-planner.ts';

/** A ledger entry as written by the ledger (see ledger-entry.model.ts). */
export interface LedgerEntryLike {
  _id: string;
  kind: 'payment' | 'refund' | 'reversal';
  method: 'wechat' | 'cash' | 'pos' | 'transfer';
  billId: string;
  amountFen: number;
  day: string;
  studentId: string;
  orgPath: string[];
  campusId: string;
  orderId?: string | null;
  bankType?: string | null;
}

const FOLDER_LOCK = 'insights:folder';
const BATCH_ENTRIES = 300;
const KEEP_BATCH_IDS = 50;
const PARALLEL = 8;

export const LEADS_REFRESH_JOB = 'leads.refresh';

export function toRollupEntry(e: LedgerEntryLike): RollupEntry | null {
  const ancestry = campusAncestry(e.orgPath, e.campusId);
  if (!ancestry) return null;
  return {
    _id: e._id,
    kind: e.kind,
    method: e.method,
    amountFen: e.amountFen,
    day: e.day,
    ancestry,
    studentId: e.studentId,
    billId: e.billId,
    orderId: e.orderId ?? null,
    bankType: e.bankType ?? null,
  };
}

export function orderFacts(order: { parentId?: string | null; allocations?: { billId: string }[] } | null | undefined): OrderFacts | null {
  if (!order) return null;
  const bills = (order.allocations ?? []).map((a) => a.billId).sort();
  return { parentId: order.parentId ?? null, firstBillId: bills[0] ?? null };
}

interface FoldBatch {
  _id: string;
  entries: string[];
  months: MonthDelta[];
  ranks: RankDelta[];
  markers: MarkerDoc[];
  studentIds: string[];
}

/**
 * Daily rollups for the bank's dashboards, maintained as money moves.
 *
 * Protocol (every step idempotent, safe on FerretDB where updates are not atomic):
 *  1. `record(entry)` runs inside the ledger's write of each entry, before
 *     the bill stops carrying it, so it runs at least once for every entry.
 *     It inserts a permanent contribution keyed by the entry id (the unique
 *     insert is the guard: an entry is recorded once) and a small "unfolded"
 *     marker holding what the folder needs.
 *  2. One folder at a time (a document lock) takes unfolded entries, skips
 *     any whose contribution is already folded, plans the deltas of every
 *     node's month document (planner), freezes the plan in a batch document,
 *     and applies it: each month document remembers the last batches applied,
 *     so a resumed batch never counts twice. Then the contributions are
 *     marked folded, the unfolded markers and the batch deleted.
 *  3. `rebuild()` recomputes everything from the ledger with the same planner.
 */
export function rollupsService(deps: Pick<ServerDeps, 'db' | 'log'> & { jobs?: ServerDeps['jobs'] }) {
  const { db } = deps;
  const contributions = InsightContributionModel(db);
  const unfolded = InsightUnfoldedModel(db);
  const batches = InsightFoldBatchModel(db);
  const months = InsightMonthModel(db);
  const ranks = InsightRankMonthModel(db);
  const markers = InsightMarkerModel(db);

  async function record(entry: LedgerEntryLike): Promise<void> {
    const e = toRollupEntry(entry);
    if (!e) {
      deps.log.warn({ entryId: entry._id }, 'ledger entry without a campus on its path: not rolled up');
      return;
    }
    try {
      await contributions.collection.insertOne({ _id: e._id as never, folded: false, at: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const seen = await contributions.findById(e._id).lean();
      if (seen?.folded) return;
    }
    try {
      await unfolded.collection.insertOne({ ...e, _id: e._id as never, at: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /** Applies one delta to a month document exactly once per batch (the document remembers recent batches). */
  async function applyMonth(model: typeof months | typeof ranks, delta: MonthDelta | RankDelta, batchId: string, merge: (doc: never) => unknown, fresh: () => unknown): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const doc = await model.findById(delta._id).lean<{ batches: string[]; version: number }>();
      if (!doc) {
        try {
          await model.collection.insertOne({ _id: delta._id as never, nodeId: delta.nodeId, month: delta.month, d: fresh(), batches: [batchId], version: 1 });
          return;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue;
        }
      }
      if (doc.batches.includes(batchId)) return;
      // Only the folder writes rollup documents, and only one folder runs (the lock), so a
      // version-guarded replace suffices: atomic on MongoDB, and on FerretDB the lock excludes
      // other writers (a compare-and-set there would cost a document lock per write).
      const replaced = await model.collection.replaceOne(
        { _id: delta._id as never, version: doc.version },
        { nodeId: delta.nodeId, month: delta.month, d: merge(doc as never), batches: [...doc.batches, batchId].slice(-KEEP_BATCH_IDS), version: doc.version + 1 },
      );
      if (replaced.matchedCount === 1) return;
    }
    throw new AppError('STATE_CONFLICT', `rollup document ${delta._id} kept changing`);
  }

  async function applyBatch(batch: FoldBatch): Promise<void> {
    await forEachLimit(batch.months, PARALLEL, (m) => applyMonth(months, m, batch._id, (doc) => mergeMonth(doc, m), () => storedMonth(m)));
    await forEachLimit(batch.ranks, PARALLEL, (r) => applyMonth(ranks, r, batch._id, (doc) => mergeRank(doc, r), () => storedRank(r)));
    await forEachLimit(batch.markers, PARALLEL, (m) => markers.collection.replaceOne({ _id: m._id as never }, { holders: m.holders }, { upsert: true }));
    await forEachLimit(batch.entries, 16, (id) => contributions.updateOne({ _id: id }, { $set: { folded: true } }));
    await unfolded.deleteMany({ _id: { $in: batch.entries } });
    if (batch.studentIds.length > 0 && deps.jobs) {
      await deps.jobs.enqueue(LEADS_REFRESH_JOB, { studentIds: batch.studentIds }, { id: `leads-refresh:${batch._id}`, maxAttempts: 3 });
    }
    await batches.deleteOne({ _id: batch._id });
  }

  async function loadOrders(entries: RollupEntry[]): Promise<Map<string, OrderFacts | null>> {
    const ids = entries.filter((e) => e.method === 'wechat' && e.kind === 'payment' && e.orderId).map((e) => e.orderId!);
    const found = await findByIds<{ _id: string; parentId: string; allocations: { billId: string }[] }>(db, OrderModel(db).collection.collectionName, ids, {
      parentId: 1,
      allocations: 1,
    });
    const out = new Map<string, OrderFacts | null>();
    for (const id of ids) out.set(id, orderFacts(found.get(id)));
    return out;
  }

  /** Plans and applies one batch; returns how many entries it folded (0 when nothing was pending). */
  async function foldOneBatch(): Promise<number> {
    const pending = await unfolded.find({}).limit(BATCH_ENTRIES).lean<(RollupEntry & { at: Date })[]>();
    if (pending.length === 0) return 0;
    const seen = await findByIds<{ _id: string; folded: boolean }>(db, contributions.collection.collectionName, pending.map((u) => u._id));
    const stale = pending.filter((u) => seen.get(u._id)?.folded).map((u) => u._id);
    if (stale.length > 0) await unfolded.deleteMany({ _id: { $in: stale } });
    const fresh = pending.filter((u) => !seen.get(u._id)?.folded);
    for (const u of fresh) {
      if (!seen.has(u._id)) await contributions.collection.insertOne({ _id: u._id as never, folded: false, at: new Date() }).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    }
    if (fresh.length === 0) return stale.length;
    const orders = await loadOrders(fresh);
    const markerIds = new Set<string>();
    for (const e of fresh) {
      if (e.method !== 'wechat' || e.kind !== 'payment') continue;
      markerIds.add(`live:${e.ancestry[e.ancestry.length - 1]}`);
      const parentId = e.orderId ? orders.get(e.orderId)?.parentId : null;
      if (parentId) markerIds.add(`payer:${parentId}`);
    }
    const existing = await findByIds<MarkerDoc>(db, markers.collection.collectionName, [...markerIds]);
    const planner = new RollupPlanner(new Map(existing));
    for (const e of fresh) planner.add(e, e.orderId ? (orders.get(e.orderId) ?? null) : null);
    const batch: FoldBatch = {
      _id: `fold_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`,
      entries: fresh.map((e) => e._id),
      months: [...planner.months.values()],
      ranks: [...planner.ranks.values()],
      markers: planner.touchedMarkers(),
      studentIds: [...planner.studentIds],
    };
    await batches.collection.insertOne({ ...batch, _id: batch._id as never, createdAt: new Date() });
    await applyBatch(batch);
    return fresh.length + stale.length;
  }

  /**
   * Folds what is pending, one folder at a time across all instances; a
   * second caller returns at once (`busy`). Interrupted batches are resumed
   * first.
   */
  async function fold(options: { maxBatches?: number } = {}): Promise<{ folded: number; busy: boolean }> {
    try {
      return await withDocumentLock(
        db,
        FOLDER_LOCK,
        async () => {
          for (const b of await batches.find({}).lean<FoldBatch[]>()) await applyBatch(b);
          let folded = 0;
          for (let i = 0; i < (options.maxBatches ?? 100); i++) {
            const n = await foldOneBatch();
            if (n === 0) break;
            folded += n;
          }
          return { folded, busy: false };
        },
        { ttlMs: 10 * 60_000, waitMs: 0 },
      );
    } catch (error) {
      if (error instanceof AppError && error.code === 'STATE_CONFLICT' && (error.details as { resource?: string } | undefined)?.resource === FOLDER_LOCK) {
        return { folded: 0, busy: true };
      }
      throw error;
    }
  }

  /** Folds until nothing is pending (tests and the rebuild command). */
  async function foldAll(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    for (;;) {
      const { folded, busy } = await fold();
      total += folded;
      if (!busy && (await unfolded.countDocuments({})) === 0 && (await batches.countDocuments({})) === 0) return total;
      if (Date.now() > deadline) throw new Error('rollups did not settle in time');
      if (busy || folded === 0) await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Recomputes every rollup document from the ledger with the same planner
   * the folder uses, holding the folder lock so nothing folds meanwhile.
   * Entries recorded while the rebuild read the ledger are either counted
   * by it (their pending markers are then dropped) or folded afterwards.
   */
  async function rebuild(log: (line: string) => void = () => undefined): Promise<RebuildReport> {
    const started = Date.now();
    return withDocumentLock(
      db,
      FOLDER_LOCK,
      async () => {
        const orders = new Map<string, OrderFacts>();
        const orderCursor = OrderModel(db).collection.find({ status: { $in: ['PAID', 'REFUNDED', 'PARTIALLY_REFUNDED'] } }, { projection: { parentId: 1, allocations: 1 } });
        for await (const o of orderCursor) orders.set(String(o._id), orderFacts(o as never)!);
        log(`  orders: ${orders.size}`);
        const planner = new RollupPlanner();
        const counted = new Set<string>();
        let entries = 0;
        const cursor = LedgerEntryModel(db).collection.find(
          {},
          { projection: { kind: 1, method: 1, billId: 1, amountFen: 1, day: 1, studentId: 1, orgPath: 1, campusId: 1, orderId: 1, bankType: 1 }, batchSize: 5000 },
        );
        for await (const raw of cursor) {
          const e = toRollupEntry({ ...(raw as unknown as LedgerEntryLike), _id: String(raw._id) });
          counted.add(String(raw._id));
          entries += 1;
          if (!e) continue;
          planner.add(e, e.orderId ? (orders.get(e.orderId) ?? null) : null);
          if (entries % 100_000 === 0) log(`  ledger entries read: ${entries}`);
        }
        log(`  ledger entries: ${entries}; writing ${planner.months.size} month and ${planner.ranks.size} ranking documents, ${planner.touched.size} markers`);
        await Promise.all([months.deleteMany({}), ranks.deleteMany({}), markers.deleteMany({}), batches.deleteMany({})]);
        const chunks = async <T>(items: T[], write: (chunk: T[]) => Promise<unknown>) => {
          for (let i = 0; i < items.length; i += 2000) await write(items.slice(i, i + 2000));
        };
        await chunks([...planner.months.values()], (c) => months.collection.insertMany(c.map((m) => ({ ...m, _id: m._id as never, d: storedMonth(m), batches: [], version: 1 })), { ordered: false }));
        await chunks([...planner.ranks.values()], (c) => ranks.collection.insertMany(c.map((r) => ({ ...r, _id: r._id as never, d: storedRank(r), batches: [], version: 1 })), { ordered: false }));
        await chunks(planner.touchedMarkers(), (c) => markers.collection.insertMany(c.map((m) => ({ _id: m._id as never, holders: m.holders })), { ordered: false }));
        // Entries recorded but not folded that the scan counted: done. Bills
        // still carrying entries (a write in flight) get their contributions
        // marked, so a late `record` of a counted entry is a no-op.
        const pending = await unfolded.find({}, { _id: 1 }).lean<{ _id: string }[]>();
        const countedPending = pending.map((p) => p._id).filter((id) => counted.has(id));
        const inFlight = (await BillModel(db).find({ pendingLedgerCount: { $gt: 0 } }, { pendingLedger: 1 }).lean<{ pendingLedger: { _id: string }[] }[]>())
          .flatMap((b) => b.pendingLedger.map((p) => String(p._id)))
          .filter((id) => counted.has(id));
        for (const id of new Set([...countedPending, ...inFlight])) {
          await contributions.collection.updateOne({ _id: id as never }, { $set: { folded: true }, $setOnInsert: { at: new Date() } }, { upsert: true });
        }
        if (countedPending.length > 0) await unfolded.deleteMany({ _id: { $in: countedPending } });
        return { entries, monthDocuments: planner.months.size, rankDocuments: planner.ranks.size, markers: planner.touched.size, ms: Date.now() - started };
      },
      { ttlMs: 60 * 60_000, waitMs: 5 * 60_000 },
    );
  }

  return { record, fold, foldAll, rebuild };
}

export interface RebuildReport {
  entries: number;
  monthDocuments: number;
  rankDocuments: number;
  markers: number;
  ms: number;
}

export type RollupsService = ReturnType<typeof rollupsService>;
