import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  addDays,
  businessDay,
  businessDayRange,
  displayYuan,
  RECONCILIATION_OUTCOME_LABELS,
  type FundFlowSummary,
  type LineResolution,
  type ReconciliationAmounts,
  type ReconciliationCounts,
  type ReconciliationOutcome,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { exceptionsService } from '../exceptions/exceptions.service.ts';
import { PaymentExceptionModel } from '../exceptions/payment-exception.model.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { OrderModel, type OrderDoc } from '../payments/order.model.ts';
import { paymentsService } from '../payments/payments.service.ts';
import { RefundModel, type RefundDoc } from '../refunds/refund.model.ts';
import { refundsService } from '../refunds/refunds.service.ts';
import { WechatPayApiError, WechatPayTimeout, type WechatPayGateway, type WechatRefund, type WechatTransaction } from '../wechatpay/wechatpay-gateway.ts';
import { addExact, BillRejected, milliFenToFen } from './bill-amounts.ts';
import { downloadBill } from './bill-download.ts';
import { mergeRuns, mergeToFile, readRun, SortedRuns } from './external-sort.ts';
import { parseFundFlowFile } from './fund-flow-parser.ts';
import { billRecordOf, groupByKey, mergeJoin, platformRecordOf, type BillRecord, type LedgerEntryView, type PlatformRecord } from './matcher.ts';
import { ReconciliationLineModel, reconciliationLineId, type PlatformSide, type ReconciliationLineDoc, type WechatSide } from './reconciliation-line.model.ts';
import { parseTradeBillFile, type TradeBillTotals } from './trade-bill-parser.ts';

/**
 * One merchant's day, reconciled against WeChat's trade bill in bounded memory.
 *
 * 1. Download the ALL trade bill (gzip) to a temporary file, hashing it on the
 *    way; a SHA1 mismatch rejects it.
 * 2. Parse it line by line, validating the layout and the summary against the
 *    detail rows, while writing a compact record per row into sorted runs
 *    (external sort by key). Any deviation rejects the bill: nothing of it has
 *    touched the database yet.
 * 3. Merge the runs into one file sorted by key, refusing duplicate keys.
 * 4. Stream the platform's books for the day (WeChat Pay ledger entries of the
 *    merchant's payee accounts, one equality query on payee account and day)
 *    into sorted runs the same way.
 * 5. Merge-join the two sorted streams. Matched keys are only counted and
 *    summed. Keys on one side only are looked up one by one (they are the
 *    exceptions, not the rule): a payment or refund WeChat has that the books
 *    missed is asked of WeChat and applied through the normal payment/refund
 *    path (then marked auto_fixed); one booked on another day is a timing
 *    difference; the rest are differences.
 * 6. Differences are written in batches (insertMany) with deterministic ids,
 *    and each open one is raised in the exception queue (deterministic id too).
 *    A re-run keeps earlier resolutions, so it gives the same result.
 *
 * Memory holds a run of records (RUN_SIZE), one record per run while merging,
 * and the day's differences, never the bill or the day's books.
 */

export const RUN_SIZE = 50_000;
const INSERT_BATCH = 500;

export interface ReconcileTarget {
  id: string;
  mchid: string;
  day: string;
  payeeAccountIds: string[];
  orgPath: string[];
}

export type ReconcileOutcome =
  | {
      kind: 'done';
      status: 'clean' | 'differences';
      bill: { hashType: string; hashValue: string; bytes: number; lines: number } | null;
      counts: ReconciliationCounts;
      amounts: ReconciliationAmounts;
      fundFlow: FundFlowSummary | null;
      /** Milliseconds per step (download, parse + sort, books, join, fund flow), for logs and the benchmark. */
      timings: Record<string, number>;
    }
  | { kind: 'pending'; reason: 'bill_not_ready' | 'wechat_error'; error: string }
  | { kind: 'failed'; error: string; details?: Record<string, unknown> };

export type Progress = (done: number, total: number, message: string) => Promise<void>;

export function emptyCounts(): ReconciliationCounts {
  return { billLines: 0, wechatPayments: 0, wechatRefunds: 0, platformPayments: 0, platformRefunds: 0, matched: 0, crossDay: 0, wechatOnly: 0, platformOnly: 0, amountDiffers: 0, statusDiffers: 0, autoFixed: 0, resolved: 0, open: 0 };
}

export function emptyAmounts(): ReconciliationAmounts {
  return { wechatPaymentsFen: 0, wechatSettledFen: 0, wechatRefundsFen: 0, wechatFeeMilliFen: 0, wechatFeeFen: 0, platformPaymentsFen: 0, platformRefundsFen: 0, matchedNetFen: 0, differenceFen: 0, netSettlementFen: 0 } as ReconciliationAmounts;
}

/** WeChat publishes a day's bills from about 10:00 the next morning (Asia/Shanghai). */
export function billReadyAt(day: string): Date {
  return new Date(businessDayRange(addDays(day, 1)).start.getTime() + 10 * 3600_000);
}

const COUNT_OF: Record<Exclude<ReconciliationOutcome, 'matched'>, keyof ReconciliationCounts> = {
  wechat_only: 'wechatOnly',
  platform_only: 'platformOnly',
  amount_differs: 'amountDiffers',
  status_differs: 'statusDiffers',
};

interface LineDraft {
  key: string;
  kind: 'payment' | 'refund';
  outcome: Exclude<ReconciliationOutcome, 'matched'>;
  resolution: LineResolution;
  action: string | null;
  outTradeNo: string | null;
  transactionId: string | null;
  outRefundNo: string | null;
  wechat: WechatSide | null;
  platform: PlatformSide | null;
  evidence: Record<string, unknown>;
  orgPath: string[];
  orderId: string | null;
  refundId: string | null;
  billId: string | null;
}

const paid = (state: string | undefined) => state === 'SUCCESS' || state === 'REFUND';

function wechatSide(b: BillRecord): WechatSide {
  return { time: b.time, status: b.status, amountFen: b.amountFen, settledFen: b.settledFen, feeMilliFen: b.feeMilliFen, bankType: b.bankType };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a WeChat failure means for the day: try again later. Bill problems and our own bugs are not this. */
function asPending(error: unknown): ReconcileOutcome | null {
  if (error instanceof WechatPayApiError) {
    return { kind: 'pending', reason: error.wechatCode === 'STATEMENT_CREATING' ? 'bill_not_ready' : 'wechat_error', error: error.message };
  }
  if (error instanceof WechatPayTimeout) return { kind: 'pending', reason: 'wechat_error', error: error.message };
  return null;
}

export function lineSummary(day: string, d: Pick<LineDraft, 'kind' | 'outcome' | 'outTradeNo' | 'outRefundNo' | 'wechat' | 'platform'>): string {
  const what = d.kind === 'payment' ? `支付 ${d.outTradeNo ?? ''}` : `退款 ${d.outRefundNo ?? ''}`;
  const sides = [d.wechat ? `微信 ${displayYuan(d.wechat.amountFen)}` : '微信无', d.platform ? `平台 ${displayYuan(d.platform.amountFen)}` : '平台无'].join('，');
  return `${day} 对账差异（${RECONCILIATION_OUTCOME_LABELS[d.outcome]}）：${what}，${sides}`;
}

export function reconcileDay(deps: ServerDeps, gateway: WechatPayGateway) {
  const orders = OrderModel(deps.db);
  const refunds = RefundModel(deps.db);
  const ledger = LedgerEntryModel(deps.db);
  const lines = ReconciliationLineModel(deps.db);
  const exceptions = exceptionsService(deps);
  const payments = paymentsService(deps, gateway);
  const refundActions = refundsService(deps, gateway);

  /** The order's WeChat Pay payments as booked: amount, days, first bill. */
  async function bookedPayment(orderId: string): Promise<{ amountFen: number; days: string[]; billId: string | null }> {
    const entries = await ledger.find({ orderId, kind: 'payment', method: 'wechat' }, { amountFen: 1, day: 1, billId: 1 }).lean<{ amountFen: number; day: string; billId: string }[]>();
    return { amountFen: entries.reduce((n, e) => n + e.amountFen, 0), days: [...new Set(entries.map((e) => e.day))], billId: entries[0]?.billId ?? null };
  }

  async function bookedRefund(outRefundNo: string): Promise<{ amountFen: number; day: string } | null> {
    const entry = await ledger.findById(`wxrefund:${outRefundNo}`, { amountFen: 1, day: 1 }).lean<{ amountFen: number; day: string }>();
    return entry ? { amountFen: entry.amountFen, day: entry.day } : null;
  }

  /**
   * A payment WeChat has and the books do not: ask WeChat about the order and
   * apply its answer through the normal path (paymentsService.applyPayment),
   * as a notification would have.
   */
  async function fixPayment(target: ReconcileTarget, order: OrderDoc, b: BillRecord | null): Promise<{ fixed: boolean; bookedFen: number; day: string | null; evidence: Record<string, unknown> }> {
    let tx: WechatTransaction | null;
    try {
      tx = await gateway.queryOrder(target.mchid, order.outTradeNo);
    } catch (error) {
      return { fixed: false, bookedFen: 0, day: null, evidence: { queryError: errorText(error) } };
    }
    if (!tx || !paid(tx.trade_state)) return { fixed: false, bookedFen: 0, day: null, evidence: { wechatQuery: tx ? { trade_state: tx.trade_state } : 'ORDER_NOT_EXIST' } };
    try {
      await payments.applyPayment(order._id, tx);
    } catch (error) {
      return { fixed: false, bookedFen: 0, day: null, evidence: { applyError: errorText(error), wechatQuery: { trade_state: tx.trade_state, total: tx.amount?.total } } };
    }
    const booked = await bookedPayment(order._id);
    const fixed = booked.amountFen > 0 && (!b || booked.amountFen === b.amountFen);
    return { fixed, bookedFen: booked.amountFen, day: booked.days[0] ?? null, evidence: { wechatQuery: { trade_state: tx.trade_state, success_time: tx.success_time, total: tx.amount?.total } } };
  }

  /** A refund WeChat completed that the books do not hold: ask WeChat and record it through the normal refund path. */
  async function fixRefund(target: ReconcileTarget, refund: RefundDoc, b: BillRecord | null): Promise<{ fixed: boolean; bookedFen: number; day: string | null; evidence: Record<string, unknown> }> {
    let answer: WechatRefund | null;
    try {
      answer = await gateway.queryRefund(target.mchid, refund.outRefundNo);
    } catch (error) {
      return { fixed: false, bookedFen: 0, day: null, evidence: { queryError: errorText(error) } };
    }
    if (!answer || answer.status !== 'SUCCESS') return { fixed: false, bookedFen: 0, day: null, evidence: { wechatQuery: answer ? { status: answer.status } : 'RESOURCE_NOT_EXISTS' } };
    try {
      await refundActions.handleNotification({ out_refund_no: refund.outRefundNo, refund_status: 'SUCCESS', refund_id: answer.refund_id });
    } catch (error) {
      return { fixed: false, bookedFen: 0, day: null, evidence: { applyError: errorText(error) } };
    }
    const booked = await bookedRefund(refund.outRefundNo);
    const fixed = booked !== null && (!b || booked.amountFen === b.amountFen);
    return { fixed, bookedFen: booked?.amountFen ?? 0, day: booked?.day ?? null, evidence: { wechatQuery: { status: answer.status, success_time: answer.success_time, refund: answer.amount?.refund } } };
  }

  async function run(target: ReconcileTarget, progress: Progress): Promise<ReconcileOutcome> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'campuspay-recon-'));
    try {
      return await runIn(dir, target, progress);
    } catch (error) {
      if (error instanceof BillRejected) return { kind: 'failed', error: error.message, details: error.details };
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function runIn(dir: string, target: ReconcileTarget, progress: Progress): Promise<ReconcileOutcome> {
    const { day, mchid } = target;
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };

    // ---- 1. download, checked against WeChat's SHA1 ----
    let bill: Awaited<ReturnType<typeof downloadBill>>;
    try {
      bill = await downloadBill(gateway, mchid, 'tradebill', day, path.join(dir, 'tradebill.csv'));
    } catch (error) {
      if (error instanceof BillRejected) throw error;
      const pending = asPending(error);
      if (pending) return pending;
      // A download cut off half-way, a reset connection: WeChat's side, try again later.
      return { kind: 'pending', reason: 'wechat_error', error: `下载账单失败：${errorText(error)}` };
    }
    timings.downloadMs = lap();
    if (!bill && Date.now() < billReadyAt(day).getTime()) {
      return { kind: 'pending', reason: 'bill_not_ready', error: '微信尚未生成该日账单（次日 10:00 后可用）' };
    }

    // ---- 2–3. parse, validate, sort by key; nothing is written before the bill is known to be sound ----
    const billRuns = new SortedRuns<BillRecord>(dir, 'bill', (r) => r.k, RUN_SIZE);
    let totals: TradeBillTotals | null = null;
    let billLines = 0;
    if (bill) {
      const parsed = await parseTradeBillFile(bill.file, {
        mchid,
        onRow: async (row) => {
          await billRuns.add(billRecordOf(row));
          if (billRuns.size % 100_000 === 0) await progress(billRuns.size, 0, `已读取账单 ${billRuns.size} 行`);
        },
      });
      totals = parsed.totals;
      billLines = parsed.lines;
    }
    const sortedBill = path.join(dir, 'bill-sorted.jsonl');
    const billCount = await mergeToFile<BillRecord>(await billRuns.finish(), (r) => r.k, sortedBill, (r, previous) => {
      if (previous && previous.k === r.k) {
        throw new BillRejected(`账单第 ${previous.line} 行与第 ${r.line} 行是同一笔${r.t === 'p' ? '支付' : '退款'}（${r.t === 'p' ? r.txid : r.outRefundNo}），账单重复`, { lines: [previous.line, r.line] });
      }
    });

    timings.parseSortMs = lap();

    // ---- 4. the platform's books for the day, sorted the same way ----
    const platformRuns = new SortedRuns<PlatformRecord>(dir, 'platform', (r) => r.k, RUN_SIZE);
    // One cursor per payee account, each an equality query on top-level keys (payee account, day, method): indexed on
    // MongoDB, pushed down by FerretDB's PostgreSQL backend.
    for (const payeeAccountId of target.payeeAccountIds) {
      const cursor = ledger
        .find({ payeeAccountId, day, method: 'wechat' }, { _id: 1, kind: 1, amountFen: 1, orderId: 1, refundId: 1, billId: 1, transactionId: 1, orgPath: 1, day: 1 })
        .lean()
        .cursor({ batchSize: 2000 });
      for await (const entry of cursor) {
        const record = platformRecordOf(entry as unknown as LedgerEntryView);
        if (record) await platformRuns.add(record);
      }
    }
    timings.booksMs = lap();

    // ---- 5. merge join ----
    const existing = new Map<string, ReconciliationLineDoc>();
    for (const line of await lines.find({ reconciliationId: target.id }).lean<ReconciliationLineDoc[]>()) existing.set(line.key, line);
    const touched = new Set<string>();
    const counts = emptyCounts();
    counts.billLines = billCount;
    counts.wechatPayments = totals?.payments ?? 0;
    counts.wechatRefunds = totals?.refunds ?? 0;
    let platformPaymentsFen = 0;
    let platformRefundsFen = 0;
    let matchedNetFen = 0;
    let inserts: Record<string, unknown>[] = [];

    const countLine = (outcome: ReconciliationOutcome, resolution: LineResolution) => {
      if (outcome === 'matched') {
        counts.matched += 1;
        return;
      }
      counts[COUNT_OF[outcome]] += 1;
      if (resolution === 'auto_fixed') counts.autoFixed += 1;
      else if (resolution === 'resolved') counts.resolved += 1;
      else counts.open += 1;
    };

    const flush = async () => {
      if (inserts.length === 0) return;
      const batch = inserts;
      inserts = [];
      try {
        await lines.insertMany(batch, { ordered: false });
      } catch (error) {
        // Lines a crashed earlier attempt already wrote: the same ids, the same content. Anything else is a real failure.
        const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
        const onlyDuplicates = writeErrors !== undefined && writeErrors.length > 0 && writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
        if (!isDuplicateKeyError(error) && !onlyDuplicates) throw error;
      }
      for (const doc of batch) await raiseFor(doc as unknown as ReconciliationLineDoc);
    };

    const raiseFor = async (line: Pick<ReconciliationLineDoc, '_id' | 'resolution' | 'exceptionId' | 'summary' | 'orgPath' | 'orderId' | 'billId' | 'refundId' | 'evidence' | 'outcome' | 'wechat' | 'platform'>) => {
      if (line.resolution !== 'open' || !line.exceptionId) return;
      await exceptions.raise({
        id: line.exceptionId,
        kind: 'reconciliation_difference',
        summary: line.summary,
        evidence: { ...line.evidence, reconciliationId: target.id, lineId: line._id, outcome: line.outcome, wechat: line.wechat, platform: line.platform },
        orgPath: line.orgPath,
        orderId: line.orderId,
        billId: line.billId,
        refundId: line.refundId,
      });
    };

    /** Records a key's outcome (null draft = matched), keeping what earlier runs and people decided. */
    const settle = async (key: string, draft: LineDraft | null, crossDay = false) => {
      const before = existing.get(key);
      if (before) {
        touched.add(key);
        if (before.resolution !== 'open') {
          countLine(before.outcome, before.resolution);
          return;
        }
        if (!draft || draft.resolution !== 'open') {
          const resolution: LineResolution = draft?.resolution === 'auto_fixed' ? 'auto_fixed' : 'resolved';
          const action = draft?.action ?? '重新对账时已一致';
          await compareAndSet(deps.db, lines, before._id, { resolution: 'open' }, { $set: { resolution, action, resolvedBy: 'system', resolvedAt: new Date() }, $inc: { version: 1 } });
          if (before.exceptionId) await closeException(before.exceptionId, action);
          countLine(before.outcome, resolution);
          return;
        }
        const summary = lineSummary(day, draft);
        await compareAndSet(deps.db, lines, before._id, { resolution: 'open' }, {
          $set: { outcome: draft.outcome, wechat: draft.wechat, platform: draft.platform, evidence: draft.evidence, summary },
          $inc: { version: 1 },
        });
        await raiseFor({ ...before, ...draft, summary });
        countLine(draft.outcome, 'open');
        return;
      }
      if (!draft) {
        countLine('matched', 'open');
        if (crossDay) counts.crossDay += 1;
        return;
      }
      const _id = reconciliationLineId(target.id, key);
      inserts.push({
        _id,
        reconciliationId: target.id,
        mchid,
        day,
        ...draft,
        resolvedBy: draft.resolution === 'auto_fixed' ? 'system' : null,
        resolvedAt: draft.resolution === 'auto_fixed' ? new Date() : null,
        summary: lineSummary(day, draft),
        orgPath: draft.orgPath.length > 0 ? draft.orgPath : target.orgPath,
        exceptionId: draft.resolution === 'open' ? `reconciliation:${_id}` : null,
      });
      countLine(draft.outcome, draft.resolution);
      if (inserts.length >= INSERT_BATCH) await flush();
    };

    /** The platform itself settled a difference it had queued: the queue item is closed with what happened. */
    const closeException = async (id: string, action: string) => {
      await PaymentExceptionModel(deps.db).updateOne(
        { _id: id, status: 'open' },
        { $set: { status: 'resolved', resolvedBy: 'system', resolvedAt: new Date(), resolution: action }, $push: { actions: { at: new Date(), by: 'system', action } } },
      );
    };

    const draftOf = (b: BillRecord | null, p: PlatformRecord | null, rest: Partial<LineDraft> & Pick<LineDraft, 'outcome'>): LineDraft => ({
      key: (b?.k ?? p?.k)!,
      kind: (b?.t ?? p?.t) === 'p' ? 'payment' : 'refund',
      resolution: 'open',
      action: null,
      outTradeNo: b?.outTradeNo ?? null,
      transactionId: b?.txid ?? (p?.t === 'p' ? p.k.slice(2) : null),
      outRefundNo: b?.outRefundNo ?? (p?.t === 'r' ? p.k.slice(2) : null),
      wechat: b ? wechatSide(b) : null,
      platform: p ? { orderId: p.orderId, refundId: p.refundId, amountFen: p.amountFen, status: 'booked', day: p.day } : null,
      evidence: { billLine: b?.line ?? null },
      orgPath: p?.orgPath ?? [],
      orderId: p?.orderId ?? null,
      refundId: p?.refundId ?? null,
      billId: p?.billId ?? null,
      ...rest,
    });

    const addPlatform = (p: Pick<PlatformRecord, 't' | 'amountFen'>) => {
      if (p.t === 'p') {
        platformPaymentsFen = addExact(platformPaymentsFen, p.amountFen);
        counts.platformPayments += 1;
      } else {
        platformRefundsFen = addExact(platformRefundsFen, p.amountFen);
        counts.platformRefunds += 1;
      }
    };
    /** A fix booked money on this day: it is now in the day's books too. */
    const addFixed = (t: 'p' | 'r', amountFen: number, bookedDay: string | null) => {
      if (bookedDay === day && amountFen > 0) addPlatform({ t, amountFen });
    };

    let done = 0;
    const tick = async () => {
      done += 1;
      if (done % 100_000 === 0) await progress(done, billCount, `已核对 ${done} / ${billCount} 行`);
    };

    await mergeJoin(readRun<BillRecord>(sortedBill), groupByKey(mergeRuns<PlatformRecord>(await platformRuns.finish(), (r) => r.k)), {
      async matched(b, p) {
        await tick();
        addPlatform(p);
        const ok = b.t === 'p' ? paid(b.status) : b.status === 'SUCCESS';
        if (!ok) return settle(b.k, draftOf(b, p, { outcome: 'status_differs', evidence: { billLine: b.line, issue: `微信状态为 ${b.status}，平台已记账` } }));
        if (b.amountFen !== p.amountFen) return settle(b.k, draftOf(b, p, { outcome: 'amount_differs', evidence: { billLine: b.line, differenceFen: b.amountFen - p.amountFen } }));
        matchedNetFen = addExact(matchedNetFen, b.t === 'p' ? b.amountFen : -b.amountFen);
        return settle(b.k, null);
      },

      async billOnly(b) {
        await tick();
        if (b.t === 'p') {
          const order = await orders.findOne({ outTradeNo: b.outTradeNo }).lean<OrderDoc>();
          if (!order) return settle(b.k, draftOf(b, null, { outcome: 'wechat_only', evidence: { billLine: b.line, issue: '平台无此商户订单号' } }));
          const base = { orgPath: order.orgPath, orderId: order._id, billId: order.allocations[0]?.billId ?? null };
          const booked = await bookedPayment(order._id);
          if (!paid(b.status)) {
            // WeChat lists it without the money (e.g. REVOKED): fine while the books hold nothing either.
            if (booked.amountFen === 0) return settle(b.k, null);
            const platform = { orderId: order._id, refundId: null, amountFen: booked.amountFen, status: order.status, day: booked.days.join(',') };
            return settle(b.k, draftOf(b, null, { ...base, outcome: 'status_differs', platform, evidence: { billLine: b.line, issue: `微信状态为 ${b.status}，平台已记账` } }));
          }
          if (booked.amountFen > 0) {
            // Booked on another day (a payment near midnight): a timing difference, unless the amount differs.
            const platform = { orderId: order._id, refundId: null, amountFen: booked.amountFen, status: order.status, day: booked.days.join(',') };
            if (booked.amountFen === b.amountFen) {
              matchedNetFen = addExact(matchedNetFen, b.amountFen);
              return settle(b.k, null, true);
            }
            return settle(b.k, draftOf(b, null, { ...base, outcome: 'amount_differs', platform, evidence: { billLine: b.line, differenceFen: b.amountFen - booked.amountFen } }));
          }
          // The books missed a payment WeChat took (e.g. its notification was lost): ask WeChat, apply it the normal way.
          const fix = await fixPayment(target, order, b);
          const platform = fix.bookedFen > 0 ? { orderId: order._id, refundId: null, amountFen: fix.bookedFen, status: 'booked', day: fix.day } : null;
          if (fix.fixed) {
            addFixed('p', fix.bookedFen, fix.day);
            matchedNetFen = addExact(matchedNetFen, b.amountFen);
            return settle(b.k, draftOf(b, null, { ...base, outcome: 'wechat_only', resolution: 'auto_fixed', action: '平台漏记（如支付通知丢失）：已向微信查询并按正常支付流程补记', platform, evidence: { billLine: b.line, ...fix.evidence } }));
          }
          addFixed('p', fix.bookedFen, fix.day);
          return settle(b.k, draftOf(b, null, { ...base, outcome: platform ? 'amount_differs' : 'wechat_only', platform, evidence: { billLine: b.line, orderStatus: order.status, ...fix.evidence } }));
        }
        const refund = await refunds.findOne({ outRefundNo: b.outRefundNo }).lean<RefundDoc>();
        if (!refund) return settle(b.k, draftOf(b, null, { outcome: 'wechat_only', evidence: { billLine: b.line, issue: '平台无此退款单（可能在微信商户平台直接退款）' } }));
        const base = { orgPath: refund.orgPath, orderId: refund.orderId, refundId: refund._id, billId: refund.billId };
        const booked = await bookedRefund(refund.outRefundNo);
        if (b.status !== 'SUCCESS') {
          if (!booked && refund.status === b.status) return settle(b.k, null);
          return settle(b.k, draftOf(b, null, { ...base, outcome: 'status_differs', platform: { orderId: refund.orderId, refundId: refund._id, amountFen: booked?.amountFen ?? refund.amountFen, status: refund.status, day: booked?.day ?? null }, evidence: { billLine: b.line } }));
        }
        if (booked) {
          const platform = { orderId: refund.orderId, refundId: refund._id, amountFen: booked.amountFen, status: refund.status, day: booked.day };
          if (booked.amountFen === b.amountFen) {
            matchedNetFen = addExact(matchedNetFen, -b.amountFen);
            return settle(b.k, null, true);
          }
          return settle(b.k, draftOf(b, null, { ...base, outcome: 'amount_differs', platform, evidence: { billLine: b.line, differenceFen: b.amountFen - booked.amountFen } }));
        }
        const fix = await fixRefund(target, refund, b);
        const platform = fix.bookedFen > 0 ? { orderId: refund.orderId, refundId: refund._id, amountFen: fix.bookedFen, status: 'SUCCESS', day: fix.day } : null;
        addFixed('r', fix.bookedFen, fix.day);
        if (fix.fixed) {
          matchedNetFen = addExact(matchedNetFen, -b.amountFen);
          return settle(b.k, draftOf(b, null, { ...base, outcome: 'wechat_only', resolution: 'auto_fixed', action: '平台漏记退款结果（如退款通知丢失）：已向微信查询并按正常退款流程补记', platform, evidence: { billLine: b.line, ...fix.evidence } }));
        }
        return settle(b.k, draftOf(b, null, { ...base, outcome: platform ? 'amount_differs' : 'wechat_only', platform, evidence: { billLine: b.line, refundStatus: refund.status, ...fix.evidence } }));
      },

      async platformOnly(p) {
        addPlatform(p);
        if (p.t === 'p') {
          const order = p.orderId ? await orders.findById(p.orderId).lean<OrderDoc>() : null;
          let evidence: Record<string, unknown> = { issue: '平台已记收款，微信当日账单无此笔' };
          if (order) {
            try {
              const tx = await gateway.queryOrder(mchid, order.outTradeNo);
              evidence = { ...evidence, wechatQuery: tx ? { trade_state: tx.trade_state, success_time: tx.success_time ?? null, total: tx.amount?.total ?? null } : 'ORDER_NOT_EXIST' };
              const wechatDay = tx?.success_time ? businessDay(tx.success_time) : null;
              if (tx && paid(tx.trade_state) && wechatDay && wechatDay !== day && tx.amount?.total === p.amountFen) return settle(p.k, null, true);
            } catch (error) {
              evidence = { ...evidence, queryError: errorText(error) };
            }
          }
          return settle(p.k, draftOf(null, p, { outcome: 'platform_only', outTradeNo: order?.outTradeNo ?? null, orgPath: order?.orgPath ?? p.orgPath, evidence }));
        }
        const refund = p.refundId ? await refunds.findById(p.refundId).lean<RefundDoc>() : null;
        let evidence: Record<string, unknown> = { issue: '平台已记退款，微信当日账单无此笔' };
        if (refund) {
          try {
            const answer = await gateway.queryRefund(mchid, refund.outRefundNo);
            evidence = { ...evidence, wechatQuery: answer ? { status: answer.status, success_time: answer.success_time ?? null, refund: answer.amount?.refund ?? null } : 'RESOURCE_NOT_EXISTS' };
            const wechatDay = answer?.success_time ? businessDay(answer.success_time) : null;
            if (answer?.status === 'SUCCESS' && wechatDay && wechatDay !== day && answer.amount.refund === p.amountFen) return settle(p.k, null, true);
          } catch (error) {
            evidence = { ...evidence, queryError: errorText(error) };
          }
        }
        const order = refund?.orderId ? await orders.findById(refund.orderId, { outTradeNo: 1 }).lean<{ outTradeNo: string }>() : null;
        return settle(p.k, draftOf(null, p, { outcome: 'platform_only', outTradeNo: order?.outTradeNo ?? null, orgPath: refund?.orgPath ?? p.orgPath, evidence }));
      },
    });
    await flush();
    timings.joinMs = lap();

    // Open lines of an earlier run that nothing in this run touched any more (the record is gone from both sides).
    for (const [key, before] of existing) {
      if (touched.has(key) || before.resolution !== 'open') continue;
      const action = '重新对账时该笔已不在账单或账簿中';
      await compareAndSet(deps.db, lines, before._id, { resolution: 'open' }, { $set: { resolution: 'resolved', action, resolvedBy: 'system', resolvedAt: new Date() }, $inc: { version: 1 } });
      if (before.exceptionId) await closeException(before.exceptionId, action);
    }


    const feeMilliFen = totals?.feeMilliFen ?? 0;
    const wechatFeeFen = milliFenToFen(feeMilliFen);
    const wechatPaymentsFen = totals?.paymentTotalFen ?? 0;
    const wechatSettledFen = totals?.paymentSettledFen ?? 0;
    const wechatRefundsFen = totals?.refundFen ?? 0;
    const wechatRequestedRefundsFen = totals?.requestedRefundFen ?? 0;
    const amounts: ReconciliationAmounts = {
      wechatPaymentsFen,
      wechatSettledFen,
      wechatRefundsFen,
      wechatFeeMilliFen: feeMilliFen,
      wechatFeeFen,
      platformPaymentsFen,
      platformRefundsFen,
      matchedNetFen,
      differenceFen: wechatPaymentsFen - wechatRequestedRefundsFen - (platformPaymentsFen - platformRefundsFen),
      netSettlementFen: wechatSettledFen - wechatRefundsFen - wechatFeeFen,
    } as ReconciliationAmounts;

    // ---- the fund-flow bill, where WeChat has one: compared with the net the trade bill says settles ----
    const fundFlow = await fundFlowOf(dir, target, amounts.netSettlementFen);
    timings.fundFlowMs = lap();
    deps.log.info({ reconciliationId: target.id, lines: billCount, timings }, 'reconciliation run finished');

    return {
      kind: 'done',
      status: counts.open > 0 ? 'differences' : 'clean',
      bill: bill ? { hashType: bill.hashType, hashValue: bill.hashValue, bytes: bill.bytes, lines: billLines } : null,
      counts,
      amounts,
      fundFlow,
      timings,
    };
  }

  async function fundFlowOf(dir: string, target: ReconcileTarget, expectedNetFen: number): Promise<FundFlowSummary | null> {
    try {
      const file = await downloadBill(gateway, target.mchid, 'fundflowbill', target.day, path.join(dir, 'fundflow.csv'));
      const totals = file ? await parseFundFlowFile(file.file) : { entries: 0, incomeCount: 0, incomeFen: 0, expenseCount: 0, expenseFen: 0 };
      const netFen = totals.incomeFen - totals.expenseFen;
      return { accountType: 'BASIC', ...totals, netFen, expectedNetFen, differenceFen: netFen - expectedNetFen } as FundFlowSummary;
    } catch (error) {
      // The fund-flow bill is a cross-check: without it the trade reconciliation still stands.
      deps.log.warn({ err: error, mchid: target.mchid, day: target.day }, 'fund-flow bill unavailable');
      return null;
    }
  }

  return { run, fixPayment, fixRefund, bookedPayment, bookedRefund };
}

export type DayReconciler = ReturnType<typeof reconcileDay>;
