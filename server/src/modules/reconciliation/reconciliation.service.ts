import type { z } from 'zod';
import {
  addDays,
  businessDay,
  daysBetween,
  MAX_RECONCILIATION_DAYS,
  type Reconciliation,
  type ReconciliationAmounts,
  type ReconciliationCounts,
  type ReconciliationLine,
  type ReconciliationListQuery,
  type ReconciliationPeriod,
  type ReconciliationStatus,
  type resolveReconciliationLineSchema,
  type RunReconciliationInput,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { PayeeAccountModel } from '../billing/billing.models.ts';
import { exceptionsService } from '../exceptions/exceptions.service.ts';
import { PaymentExceptionModel } from '../exceptions/payment-exception.model.ts';
import { LeaseLostError, type JobRunContext } from '../jobs/job-queue.ts';
import { OrderModel, type OrderDoc } from '../payments/order.model.ts';
import { RefundModel, type RefundDoc } from '../refunds/refund.model.ts';
import type { WechatPayGateway } from '../wechatpay/wechatpay-gateway.ts';
import { billReadyAt, emptyAmounts, emptyCounts, reconcileDay, type ReconcileOutcome } from './reconcile-day.ts';
import { ReconciliationLineModel, type ReconciliationLineDoc } from './reconciliation-line.model.ts';
import { ReconciliationModel, reconciliationId, type ReconciliationDoc } from './reconciliation.model.ts';

export const RUN_JOB = 'reconciliation.run';
export const DAILY_JOB = 'reconciliation.daily';
export const RETRY_JOB = 'reconciliation.retry';

type PayeeDoc = { _id: string; name: string; mchid: string; nodeId: string; orgPath: string[] };

/** The longest common ancestry of several payee accounts' paths. */
function commonPath(paths: string[][]): string[] {
  const [first = [], ...rest] = paths;
  let n = first.length;
  for (const p of rest) {
    let i = 0;
    while (i < n && i < p.length && p[i] === first[i]) i += 1;
    n = i;
  }
  return first.slice(0, n);
}

const STATUS_RANK: Record<ReconciliationStatus, number> = { failed: 4, running: 3, pending: 2, differences: 1, clean: 0 };

function addCounts(a: ReconciliationCounts, b: ReconciliationCounts): ReconciliationCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof ReconciliationCounts)[]) out[k] += b[k];
  return out;
}

function addAmounts(a: ReconciliationAmounts, b: ReconciliationAmounts): ReconciliationAmounts {
  const out = { ...a } as Record<string, number>;
  for (const [k, v] of Object.entries(b)) {
    const total = (out[k] ?? 0) + v;
    if (!Number.isSafeInteger(total)) throw new AppError('INTERNAL', '金额合计超出安全整数范围');
    out[k] = total;
  }
  return out as unknown as ReconciliationAmounts;
}

export function reconciliationService(deps: ServerDeps, gateway: WechatPayGateway | null = deps.wechatPay) {
  const model = ReconciliationModel(deps.db);
  const lines = ReconciliationLineModel(deps.db);
  const payees = PayeeAccountModel(deps.db);
  const orders = OrderModel(deps.db);
  const refunds = RefundModel(deps.db);
  const audit = auditService(deps.db);
  const exceptions = exceptionsService(deps);
  const reconciler = gateway ? reconcileDay(deps, gateway) : null;

  /** Visible to staff whose scope holds the merchant's payee accounts, and to staff below them (payee accounts serve the campuses under them). */
  function visible(scope: StaffScope, doc: Pick<ReconciliationDoc, 'orgPath' | 'nodeId'>): boolean {
    return scope.contains(doc.orgPath) || scope.principal.nodePath.includes(doc.nodeId);
  }

  function scopeFilter(scope: StaffScope): Record<string, unknown> {
    return { $or: [{ orgPath: scope.nodeId }, { nodeId: { $in: scope.principal.nodePath } }] };
  }

  /** Payee accounts the user works with: in their scope, or defined above it (as the fee items' payee accounts are). */
  async function payeesInScope(scope: StaffScope): Promise<PayeeDoc[]> {
    const docs = await payees.find({ orgPath: { $in: [scope.nodeId, ...scope.principal.nodePath] } }).lean<PayeeDoc[]>();
    return docs.filter((d) => d.orgPath.includes(scope.nodeId) || scope.principal.nodePath.includes(d.nodeId));
  }

  /** The day's record for a merchant, created on first use with a deterministic id. */
  async function ensure(mchid: string, day: string): Promise<ReconciliationDoc> {
    const all = await payees.find({ mchid }).lean<PayeeDoc[]>();
    if (all.length === 0) throw notFound('收款账户');
    const orgPath = commonPath(all.map((p) => p.orgPath));
    const _id = reconciliationId(mchid, day);
    const payeeAccountIds = all.map((p) => p._id).sort();
    try {
      await model.create({ _id, mchid, day, payeeAccountIds, nodeId: orgPath[orgPath.length - 1] ?? '', orgPath, status: 'pending', pendingReason: 'queued', runs: 0 });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const doc = (await model.findById(_id).lean<ReconciliationDoc>())!;
    if (doc.payeeAccountIds.join() !== payeeAccountIds.join()) {
      // A payee account was added for the merchant since: the next run reads its books too.
      return ((await compareAndSet(deps.db, model, _id, { version: doc.version }, { $set: { payeeAccountIds, orgPath, nodeId: orgPath[orgPath.length - 1] ?? '' }, $inc: { version: 1 } })) as ReconciliationDoc | null) ?? doc;
    }
    return doc;
  }

  /**
   * Queues a run of the day unless one is queued or running. The job id is
   * the record's id and run number, so two clicks at once queue one run.
   */
  async function trigger(recon: ReconciliationDoc, createdBy: string | undefined): Promise<ReconciliationDoc> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = (await model.findById(recon._id).lean<ReconciliationDoc>())!;
      if ((current.status === 'running' || (current.status === 'pending' && current.pendingReason === 'queued')) && current.jobId) {
        // A run is queued or under way: this press joins it. (A run whose job is gone or finished does not count.)
        const job = await deps.jobs.get(current.jobId).catch(() => null);
        if (job && (job.status === 'queued' || job.status === 'running')) return current;
      }
      const jobId = `${RUN_JOB}:${current._id}:${current.runs + 1}`;
      const moved = (await compareAndSet(deps.db, model, current._id, { version: current.version }, {
        $set: { status: 'pending', pendingReason: 'queued', jobId, retryAt: null },
        $inc: { runs: 1, version: 1 },
      })) as ReconciliationDoc | null;
      if (!moved) continue;
      await deps.jobs.enqueue(RUN_JOB, { reconciliationId: current._id }, { id: jobId, scopeNodeId: current.nodeId, createdBy, maxAttempts: 3 });
      return moved;
    }
    throw new AppError('STATE_CONFLICT', '对账记录正被频繁修改，请稍后重试');
  }

  /** The button: runs the day for every merchant of the user's payee accounts (or one), as jobs. */
  async function start(scope: StaffScope, input: RunReconciliationInput) {
    if (!gateway) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置微信支付商户，无法对账');
    const today = businessDay();
    if (input.date > today) throw new AppError('BUSINESS_RULE', '对账日期不能晚于今天');
    if (input.date < addDays(today, -MAX_RECONCILIATION_DAYS)) throw new AppError('BUSINESS_RULE', `微信只保留最近 ${MAX_RECONCILIATION_DAYS} 天的账单`);
    const mine = await payeesInScope(scope);
    const chosen = input.payeeAccountId ? mine.filter((p) => p._id === input.payeeAccountId) : mine;
    if (input.payeeAccountId && chosen.length === 0) throw notFound('收款账户');
    if (chosen.length === 0) throw new AppError('BUSINESS_RULE', '没有可对账的收款账户');
    const configured = new Set(gateway.merchants.all().map((m) => m.mchid));
    const mchids = [...new Set(chosen.map((p) => p.mchid))].sort();
    // A merchant WeChat Pay is not configured for cannot be reconciled; named explicitly, that is an error (which names it).
    if (input.payeeAccountId || !mchids.some((m) => configured.has(m))) for (const m of mchids) gateway.merchants.get(m);
    const items = [];
    for (const mchid of mchids.filter((m) => configured.has(m))) {
      const recon = await trigger(await ensure(mchid, input.date), scope.principal.userId);
      await audit.append(scope.principal, {
        action: 'reconciliation.run',
        objectType: 'reconciliation',
        objectId: recon._id,
        orgPath: recon.orgPath,
        after: { mchid, day: recon.day, jobId: recon.jobId, run: recon.runs },
      });
      items.push({ reconciliationId: recon._id, mchid, day: recon.day, payeeAccountIds: recon.payeeAccountIds, jobId: recon.jobId, status: recon.status });
    }
    return { items };
  }

  /** The job: one run of one merchant's day. A superseded or finished run does nothing. */
  async function runJob(payload: Record<string, unknown>, run: Pick<JobRunContext, 'jobId' | 'progress'>): Promise<unknown> {
    const id = String(payload.reconciliationId ?? '');
    const recon = await model.findById(id).lean<ReconciliationDoc>();
    if (!recon) return { skipped: 'missing' };
    if (recon.jobId !== run.jobId) return { skipped: 'superseded' };
    if (recon.status !== 'pending' && recon.status !== 'running') return { skipped: recon.status };
    const started = (await compareAndSet(deps.db, model, id, { version: recon.version, jobId: run.jobId }, {
      $set: { status: 'running', pendingReason: null, startedAt: new Date(), lastError: null },
      $inc: { version: 1 },
    })) as ReconciliationDoc | null;
    if (!started) return { skipped: 'busy' };
    let outcome: ReconcileOutcome;
    if (!reconciler) outcome = { kind: 'failed', error: '未配置微信支付商户，无法对账' };
    else {
      try {
        outcome = await reconciler.run(
          { id, mchid: recon.mchid, day: recon.day, payeeAccountIds: recon.payeeAccountIds, orgPath: recon.orgPath },
          (done, total, message) => run.progress(done, total, message),
        );
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        deps.log.error({ err: error, reconciliationId: id }, 'reconciliation failed');
        outcome = { kind: 'failed', error: `对账出错：${error instanceof Error ? error.message : String(error)}` };
      }
    }
    const now = new Date();
    const set: Record<string, unknown> =
      outcome.kind === 'done'
        ? { status: outcome.status, bill: outcome.bill, counts: outcome.counts, amounts: outcome.amounts, fundFlow: outcome.fundFlow, lastError: null, pendingReason: null, retryAt: null }
        : outcome.kind === 'pending'
          ? {
              status: 'pending',
              pendingReason: outcome.reason,
              lastError: outcome.error,
              retryAt: new Date(Math.max(now.getTime() + deps.config.reconciliationRetrySeconds * 1000, outcome.reason === 'bill_not_ready' ? billReadyAt(recon.day).getTime() : 0)),
            }
          : { status: 'failed', lastError: outcome.error, pendingReason: null, retryAt: null };
    await compareAndSet(deps.db, model, id, { jobId: run.jobId }, { $set: { ...set, finishedAt: now }, $inc: { version: 1 } });
    return outcome.kind === 'done' ? { status: outcome.status, counts: outcome.counts } : { status: outcome.kind, error: outcome.error };
  }

  /** The morning schedule: yesterday, for every configured merchant that has a payee account. */
  async function daily(day = addDays(businessDay(), -1)): Promise<{ queued: number }> {
    if (!gateway) return { queued: 0 };
    const configured = new Set(gateway.merchants.all().map((m) => m.mchid));
    const mchids = ((await payees.distinct('mchid')) as string[]).filter((m) => configured.has(m));
    for (const mchid of mchids) await trigger(await ensure(mchid, day), undefined);
    return { queued: mchids.length };
  }

  /** Days still pending whose retry time has come (bill not out yet, WeChat errors), and queued runs whose job went missing. */
  async function retryPending(now = new Date()): Promise<{ retried: number }> {
    let retried = 0;
    const oldest = addDays(businessDay(now), -MAX_RECONCILIATION_DAYS);
    for (const recon of await model.find({ status: 'pending' }).lean<ReconciliationDoc[]>()) {
      if (recon.day < oldest) {
        await compareAndSet(deps.db, model, recon._id, { version: recon.version }, { $set: { status: 'failed', lastError: '超过微信账单保留期，无法再对账', retryAt: null }, $inc: { version: 1 } });
        continue;
      }
      if (recon.pendingReason === 'queued') {
        const job = recon.jobId ? await deps.jobs.get(recon.jobId).catch(() => null) : null;
        if (job && (job.status === 'queued' || job.status === 'running')) continue;
        if (recon.jobId && !job) {
          // The record was moved to "queued" but the job was never written (a crash in between): write it now.
          await deps.jobs.enqueue(RUN_JOB, { reconciliationId: recon._id }, { id: recon.jobId, scopeNodeId: recon.nodeId, maxAttempts: 3 });
          retried += 1;
          continue;
        }
      } else if (!recon.retryAt || recon.retryAt.getTime() > now.getTime()) continue;
      await trigger(recon, undefined);
      retried += 1;
    }
    return { retried };
  }

  // ---- reading ----

  /** Open lines per reconciliation, after resolutions made in the exception queue. */
  async function openLines(ids: string[]): Promise<{ open: Map<string, number>; resolvedExceptions: Map<string, { resolution: string | null; resolvedBy: string | null; resolvedAt: Date | null }> }> {
    const open = new Map<string, number>();
    const resolvedExceptions = new Map<string, { resolution: string | null; resolvedBy: string | null; resolvedAt: Date | null }>();
    if (ids.length === 0) return { open, resolvedExceptions };
    const docs = await lines.find({ reconciliationId: { $in: ids }, resolution: 'open' }, { reconciliationId: 1, exceptionId: 1 }).lean<{ reconciliationId: string; exceptionId: string | null }[]>();
    const exceptionIds = docs.map((d) => d.exceptionId).filter((v): v is string => Boolean(v));
    if (exceptionIds.length > 0) {
      const resolved = await PaymentExceptionModel(deps.db).find({ _id: { $in: exceptionIds }, status: 'resolved' }, { resolution: 1, resolvedBy: 1, resolvedAt: 1 }).lean();
      for (const e of resolved) resolvedExceptions.set(String(e._id), { resolution: e.resolution ?? null, resolvedBy: e.resolvedBy ?? null, resolvedAt: e.resolvedAt ?? null });
    }
    for (const d of docs) {
      if (d.exceptionId && resolvedExceptions.has(d.exceptionId)) continue;
      open.set(d.reconciliationId, (open.get(d.reconciliationId) ?? 0) + 1);
    }
    return { open, resolvedExceptions };
  }

  function toView(doc: ReconciliationDoc, names: Map<string, string>, liveOpen: number): Omit<Reconciliation, 'lines'> {
    let status = doc.status;
    let counts = doc.counts;
    if (counts && (status === 'clean' || status === 'differences')) {
      // Lines resolved since the run (here or in the exception queue) count as resolved now.
      counts = { ...counts, resolved: counts.resolved + Math.max(0, counts.open - liveOpen), open: Math.min(counts.open, liveOpen) };
      status = counts.open > 0 ? 'differences' : 'clean';
    }
    return {
      id: doc._id,
      mchid: doc.mchid,
      day: doc.day,
      payeeAccountIds: doc.payeeAccountIds,
      payeeNames: doc.payeeAccountIds.map((id) => names.get(id) ?? id),
      status,
      pendingReason: doc.pendingReason ?? null,
      lastError: doc.lastError ?? null,
      retryAt: doc.retryAt ? doc.retryAt.toISOString() : null,
      jobId: doc.jobId ?? null,
      runs: doc.runs,
      startedAt: doc.startedAt ? doc.startedAt.toISOString() : null,
      finishedAt: doc.finishedAt ? doc.finishedAt.toISOString() : null,
      bill: doc.bill ?? null,
      counts: counts ?? null,
      amounts: doc.amounts ?? null,
      fundFlow: doc.fundFlow ?? null,
    };
  }

  async function payeeNames(ids: string[]): Promise<Map<string, string>> {
    const docs = await payees.find({ _id: { $in: [...new Set(ids)] } }, { name: 1 }).lean<{ _id: string; name: string }[]>();
    return new Map(docs.map((d) => [d._id, d.name]));
  }

  function lineView(line: ReconciliationLineDoc, resolvedException?: { resolution: string | null; resolvedBy: string | null; resolvedAt: Date | null }): ReconciliationLine {
    const viaQueue = line.resolution === 'open' && resolvedException;
    return {
      id: line._id,
      kind: line.kind,
      outcome: line.outcome,
      resolution: viaQueue ? 'resolved' : line.resolution,
      action: viaQueue ? resolvedException.resolution : line.action,
      resolvedBy: viaQueue ? resolvedException.resolvedBy : line.resolvedBy,
      resolvedAt: viaQueue ? (resolvedException.resolvedAt?.toISOString() ?? null) : line.resolvedAt ? line.resolvedAt.toISOString() : null,
      outTradeNo: line.outTradeNo,
      transactionId: line.transactionId,
      outRefundNo: line.outRefundNo,
      wechat: line.wechat,
      platform: line.platform,
      exceptionId: line.exceptionId,
      summary: line.summary,
    };
  }

  async function getDoc(scope: StaffScope, id: string): Promise<ReconciliationDoc> {
    const doc = await model.findById(id).lean<ReconciliationDoc>();
    if (!doc || !visible(scope, doc)) throw notFound('对账记录');
    return doc;
  }

  async function get(scope: StaffScope, id: string): Promise<Reconciliation> {
    const doc = await getDoc(scope, id);
    const { open, resolvedExceptions } = await openLines([doc._id]);
    const all = await lines.find({ reconciliationId: doc._id }).lean<ReconciliationLineDoc[]>();
    const sameAsMerchant = (path: string[]) => path.length === doc.orgPath.length && path.every((p, i) => p === doc.orgPath[i]);
    // Staff below the merchant's node see the lines of their own part of the school, and those not tied to any.
    const shown = all
      .filter((l) => scope.contains(l.orgPath) || sameAsMerchant(l.orgPath))
      .sort((a, b) => Number(a.resolution !== 'open') - Number(b.resolution !== 'open') || a.key.localeCompare(b.key));
    return { ...toView(doc, await payeeNames(doc.payeeAccountIds), open.get(doc._id) ?? 0), lines: shown.map((l) => lineView(l, l.exceptionId ? resolvedExceptions.get(l.exceptionId) : undefined)) };
  }

  function periodOf(query: { from?: string; to?: string }): { from: string; to: string } {
    const today = businessDay();
    const to = query.to ?? (query.from && query.from > today ? query.from : today);
    const from = query.from ?? addDays(to, -29);
    if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
    if (addDays(from, MAX_RECONCILIATION_DAYS - 1) < to) throw new AppError('VALIDATION_FAILED', `期间最长 ${MAX_RECONCILIATION_DAYS} 天`);
    return { from, to };
  }

  async function period(scope: StaffScope, query: ReconciliationListQuery): Promise<ReconciliationPeriod & { docs: ReconciliationDoc[] }> {
    const { from, to } = periodOf(query);
    const filter: Record<string, unknown> = { ...scopeFilter(scope), day: { $gte: from, $lte: to } };
    if (query.payeeAccountId) filter.payeeAccountIds = query.payeeAccountId;
    const docs = (await model.find(filter).lean<ReconciliationDoc[]>()).filter((d) => visible(scope, d)).sort((a, b) => b.day.localeCompare(a.day) || a.mchid.localeCompare(b.mchid));
    const { open } = await openLines(docs.filter((d) => d.status === 'differences').map((d) => d._id));
    const names = await payeeNames(docs.flatMap((d) => d.payeeAccountIds));
    const items = docs.map((d) => toView(d, names, open.get(d._id) ?? 0));
    const days = daysBetween(from, to)
      .reverse()
      .map((day) => {
        const mine = items.filter((i) => i.day === day);
        return {
          day,
          merchants: mine.length,
          status: mine.reduce<ReconciliationStatus | null>((worst, i) => (worst === null || STATUS_RANK[i.status] > STATUS_RANK[worst] ? i.status : worst), null),
          counts: mine.reduce((c, i) => (i.counts ? addCounts(c, i.counts) : c), emptyCounts()),
          amounts: mine.reduce((a, i) => (i.amounts ? addAmounts(a, i.amounts) : a), emptyAmounts()),
        };
      });
    return {
      from,
      to,
      items,
      days,
      totals: {
        counts: days.reduce((c, d) => addCounts(c, d.counts), emptyCounts()),
        amounts: days.reduce((a, d) => addAmounts(a, d.amounts), emptyAmounts()),
        pendingDays: days.filter((d) => d.status === 'pending' || d.status === 'running').length,
        failedDays: days.filter((d) => d.status === 'failed').length,
      },
      docs,
    };
  }

  async function list(scope: StaffScope, query: ReconciliationListQuery): Promise<ReconciliationPeriod> {
    const { docs: _docs, ...report } = await period(scope, query);
    return report;
  }

  /** Differences of the period's reconciliations that the user may see, for the report's detail sheet. */
  async function periodLines(scope: StaffScope, docs: ReconciliationDoc[]): Promise<(ReconciliationLine & { day: string; mchid: string })[]> {
    if (docs.length === 0) return [];
    const byId = new Map(docs.map((d) => [d._id, d]));
    const all = await lines.find({ reconciliationId: { $in: docs.map((d) => d._id) } }).lean<ReconciliationLineDoc[]>();
    const { resolvedExceptions } = await openLines(docs.map((d) => d._id));
    return all
      .filter((l) => {
        const doc = byId.get(l.reconciliationId)!;
        return scope.contains(l.orgPath) || l.orgPath.join('/') === doc.orgPath.join('/');
      })
      .sort((a, b) => b.day.localeCompare(a.day) || a.key.localeCompare(b.key))
      .map((l) => ({ ...lineView(l, l.exceptionId ? resolvedExceptions.get(l.exceptionId) : undefined), day: l.day, mchid: l.mchid }));
  }

  // ---- resolving a difference ----

  async function resolveLine(scope: StaffScope, lineId: string, input: z.output<typeof resolveReconciliationLineSchema>): Promise<ReconciliationLine> {
    const line = await lines.findById(lineId).lean<ReconciliationLineDoc>();
    scope.assert(line?.orgPath, '对账差异');
    const recon = await getDoc(scope, line!.reconciliationId);
    if (line!.resolution !== 'open') throw new AppError('STATE_CONFLICT', '该差异已处理');
    let action = input.note;
    if (input.action === 'requery') {
      const outcome = await requery(recon, line!);
      await audit.append(scope.principal, {
        action: 'reconciliation-line.requery',
        objectType: 'reconciliation_line',
        objectId: line!._id,
        orgPath: line!.orgPath,
        before: { resolution: 'open' },
        after: { fixed: outcome.fixed, evidence: outcome.evidence },
        reason: input.note,
      });
      if (!outcome.fixed) throw new AppError('BUSINESS_RULE', `向微信查询后仍无法自动处理：${outcome.message}`, { details: outcome.evidence });
      action = `${input.note}（${outcome.message}）`;
    }
    const moved = (await compareAndSet(deps.db, lines, line!._id, { resolution: 'open' }, {
      $set: { resolution: 'resolved', action, resolvedBy: scope.principal.userId, resolvedAt: new Date() },
      $inc: { version: 1 },
    })) as ReconciliationLineDoc | null;
    if (!moved) throw new AppError('STATE_CONFLICT', '该差异已处理');
    await audit.append(scope.principal, {
      action: 'reconciliation-line.resolve',
      objectType: 'reconciliation_line',
      objectId: line!._id,
      orgPath: line!.orgPath,
      before: { resolution: 'open', outcome: line!.outcome },
      after: { resolution: 'resolved', action },
      reason: input.note,
    });
    if (line!.exceptionId) {
      await exceptions.resolve(scope, line!.exceptionId, action).catch((error: unknown) => {
        // Already resolved in the queue, or filed where this user cannot see it: the line's own resolution stands.
        if (!(error instanceof AppError) || (error.code !== 'STATE_CONFLICT' && error.code !== 'NOT_FOUND')) throw error;
      });
    }
    // The stored counts move with it, so lists and reports agree without a re-run.
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = (await model.findById(recon._id).lean<ReconciliationDoc>())!;
      if (!current.counts || current.counts.open === 0) break;
      const counts = { ...current.counts, open: current.counts.open - 1, resolved: current.counts.resolved + 1 };
      const status = current.status === 'differences' && counts.open === 0 ? 'clean' : current.status;
      if (await compareAndSet(deps.db, model, current._id, { version: current.version }, { $set: { counts, status }, $inc: { version: 1 } })) break;
    }
    return lineView(moved);
  }

  /** Asks WeChat again about a difference and applies its answer through the normal path. */
  async function requery(recon: ReconciliationDoc, line: ReconciliationLineDoc): Promise<{ fixed: boolean; message: string; evidence: Record<string, unknown> }> {
    if (!reconciler || !gateway) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置微信支付商户');
    const target = { id: recon._id, mchid: recon.mchid, day: recon.day, payeeAccountIds: recon.payeeAccountIds, orgPath: recon.orgPath };
    if (line.kind === 'payment') {
      const order = line.orderId ? await orders.findById(line.orderId).lean<OrderDoc>() : line.outTradeNo ? await orders.findOne({ outTradeNo: line.outTradeNo }).lean<OrderDoc>() : null;
      if (!order) return { fixed: false, message: '平台无此订单', evidence: {} };
      if (line.outcome === 'platform_only') {
        const tx = await gateway.queryOrder(recon.mchid, order.outTradeNo);
        const ok = tx !== null && (tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND') && tx.amount?.total === order.totalFen;
        return { fixed: ok, message: ok ? `微信确认已支付（${tx!.success_time ?? ''}）` : `微信订单状态为 ${tx?.trade_state ?? '不存在'}`, evidence: { wechatQuery: tx } };
      }
      const fix = await reconciler.fixPayment(target, order, line.wechat ? ({ amountFen: line.wechat.amountFen } as never) : null);
      return { fixed: fix.fixed, message: fix.fixed ? '已向微信查询并补记支付' : '微信未确认该笔支付或金额不符', evidence: fix.evidence };
    }
    const refund = line.refundId ? await refunds.findById(line.refundId).lean<RefundDoc>() : line.outRefundNo ? await refunds.findOne({ outRefundNo: line.outRefundNo }).lean<RefundDoc>() : null;
    if (!refund) return { fixed: false, message: '平台无此退款单', evidence: {} };
    if (line.outcome === 'platform_only') {
      const answer = await gateway.queryRefund(recon.mchid, refund.outRefundNo);
      const ok = answer?.status === 'SUCCESS' && answer.amount.refund === refund.amountFen;
      return { fixed: ok, message: ok ? `微信确认退款成功（${answer!.success_time ?? ''}）` : `微信退款状态为 ${answer?.status ?? '不存在'}`, evidence: { wechatQuery: answer } };
    }
    const fix = await reconciler.fixRefund(target, refund, line.wechat ? ({ amountFen: line.wechat.amountFen } as never) : null);
    return { fixed: fix.fixed, message: fix.fixed ? '已向微信查询并补记退款' : '微信未确认该笔退款或金额不符', evidence: fix.evidence };
  }

  return { start, runJob, daily, retryPending, get, getDoc, list, period, periodLines, resolveLine, ensure, trigger, payeesInScope, visible };
}

export type ReconciliationService = ReturnType<typeof reconciliationService>;
