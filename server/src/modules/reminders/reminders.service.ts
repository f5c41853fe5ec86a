import { randomUUID } from 'node:crypto';
import {
  MAX_REMINDER_SCHEDULE_DAYS,
  businessDay,
  type ReminderCounts,
  type ReminderOutcome,
  type ReminderRun,
  type ReminderRunStatus,
  type ReminderTarget,
  type createReminderSchema,
} from '@campuspay/shared';
import type { z } from 'zod';
import type { ServerDeps } from '../../deps.ts';
import { forEachLimit } from '../../platform/concurrency.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { withDocumentLock } from '../../platform/db/document-lock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';
import { BillModel, FeeItemModel } from '../billing/billing.models.ts';
import type { JobRunContext } from '../jobs/job-queue.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ParentChildModel, ParentModel } from '../parents/parent.model.ts';
import { WechatApiError, subscribeMessageClient, type SubscribeMessageApi } from '../wechat/subscribe-message.client.ts';
import { ReminderClaimModel } from './reminder-claim.model.ts';
import { ReminderMessageModel } from './reminder-message.model.ts';
import { ReminderRunModel } from './reminder-run.model.ts';
import { reminderMessageData } from './reminder-template.ts';

export const REMINDER_JOB = 'reminders.run';
export const REMINDER_JOB_ATTEMPTS = 8;

/** WeChat's answer when the user has no subscription left for the template. */
const REFUSED = 43101;
/** Messages handled per hold of a school group's reminder lock. */
const MESSAGES_PER_LOCK = 200;
/** Messages in flight at once. */
const CONCURRENCY = 8;
const CHUNK = 5000;
/** The mini-program page a reminder opens. */
const BILLS_PAGE = 'pages/bills/index';

type RunDoc = {
  _id: string;
  orgPath: string[];
  target: ReminderTarget;
  scheduleAt: Date | null;
  status: ReminderRunStatus;
  jobId: string;
  createdBy: string;
  quietHours: number;
  counts: Partial<ReminderCounts> | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
  createdAt: Date;
};

type UnpaidBill = { _id: string; studentId: string; studentName: string; feeItemName: string; outstandingFen: number; dueDate: string; groupId: string; orgPath: string[] };

/** One subscribe message to send: a parent, one child, that child's bills not reminded recently. */
interface PlannedMessage {
  id: string;
  parentId: string;
  openid: string;
  studentId: string;
  studentName: string;
  groupId: string;
  orgPath: string[];
  bills: UnpaidBill[];
}

export interface RunPayload {
  runId: string;
  principal: StaffPrincipal;
}

const EMPTY_COUNTS: ReminderCounts = { bills: 0, unboundBills: 0, quiet: 0, messages: 0, sent: 0, refused: 0, failed: 0, unknown: 0 };

/** True when a bulk insert failed only because some ids exist already. */
function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((w) => w.code === 11000 || w.code === 11001);
  return isDuplicateKeyError(error);
}

/** Bulk insert where an id that exists already is fine (deterministic ids make repeats duplicates). */
async function insertIgnoringDuplicates(model: { insertMany(docs: Record<string, unknown>[], options: { ordered: false }): Promise<unknown> }, docs: Record<string, unknown>[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false });
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
  }
}

/**
 * Payment reminders (催缴). A request is stored as a run and executed by a
 * job, now or at `scheduleAt`; the run looks at the bills unpaid at that
 * moment. Each bound parent of a student with unpaid bills gets one WeChat
 * subscribe message for that student (covering the bills), and each
 * (parent, bill) pair is reminded at most once per quiet period:
 *  - runs for one school group take turns (a lock per group), so two runs
 *    cannot both decide a pair is due;
 *  - a pair is claimed (bulk insert) before its message is sent, so a
 *    sender that dies mid-send leaves the pair "in doubt", which counts as
 *    reminded: at most once, even across crashes;
 *  - only a message WeChat accepted (or one whose outcome is unknown) makes
 *    the pair quiet; a refusal (43101: no subscription) or failure does not.
 */
export function remindersService(deps: ServerDeps, options: { messages?: SubscribeMessageApi } = {}) {
  const runs = ReminderRunModel(deps.db);
  const claims = ReminderClaimModel(deps.db);
  const messages = ReminderMessageModel(deps.db);
  const bills = BillModel(deps.db);
  const feeItems = FeeItemModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const parentChildren = ParentChildModel(deps.db);
  const parents = ParentModel(deps.db);
  const audit = auditService(deps.db);
  const wechat = options.messages ?? subscribeMessageClient(deps.config, deps.db);

  async function outcomeCounts(runId: string): Promise<{ counts: Pick<ReminderCounts, 'sent' | 'refused' | 'failed' | 'unknown'>; failuresByErrcode: Record<string, number> }> {
    const [done, claimed] = await Promise.all([
      messages.find({ runId }, { outcome: 1, errcode: 1 }).lean<{ _id: string; outcome: ReminderOutcome; errcode: number | null }[]>(),
      claims.find({ runId }, { messageId: 1 }).lean<{ messageId: string }[]>(),
    ]);
    const counts = { sent: 0, refused: 0, failed: 0, unknown: 0 };
    const failuresByErrcode: Record<string, number> = {};
    for (const m of done) {
      counts[m.outcome] += 1;
      if (m.outcome === 'failed') {
        const key = m.errcode === null ? 'network' : String(m.errcode);
        failuresByErrcode[key] = (failuresByErrcode[key] ?? 0) + 1;
      }
    }
    const finished = new Set(done.map((m) => m._id));
    counts.unknown = new Set(claimed.map((c) => c.messageId).filter((id) => !finished.has(id))).size;
    return { counts, failuresByErrcode };
  }

  async function view(doc: RunDoc): Promise<ReminderRun> {
    const outcome = await outcomeCounts(doc._id);
    // While a run is sending, a claimed message without an outcome is in flight, not lost.
    const unknown = doc.status === 'running' ? 0 : outcome.counts.unknown;
    return {
      id: doc._id,
      status: doc.status,
      target: doc.target,
      scheduleAt: doc.scheduleAt ? doc.scheduleAt.toISOString() : null,
      jobId: doc.jobId,
      createdBy: doc.createdBy,
      createdAt: doc.createdAt.toISOString(),
      startedAt: doc.startedAt ? doc.startedAt.toISOString() : null,
      finishedAt: doc.finishedAt ? doc.finishedAt.toISOString() : null,
      quietHours: doc.quietHours,
      counts: { ...EMPTY_COUNTS, ...(doc.counts ?? {}), ...outcome.counts, unknown },
      failuresByErrcode: outcome.failuresByErrcode,
      lastError: doc.lastError ?? null,
    };
  }

  async function create(scope: StaffScope, input: z.output<typeof createReminderSchema>): Promise<ReminderRun> {
    const target: ReminderTarget = { overdueOnly: input.target.overdueOnly, ...(input.target.nodeId ? { nodeId: input.target.nodeId } : {}), ...(input.target.feeItemId ? { feeItemId: input.target.feeItemId } : {}) };
    const node = await nodes.findById(target.nodeId ?? scope.nodeId, { path: 1 }).lean<{ _id: string; path: string[] }>();
    scope.assert(node?.path, '组织节点');
    const orgPath = node!.path;
    if (target.feeItemId) {
      const item = await feeItems.findById(target.feeItemId, { orgPath: 1 }).lean<{ orgPath: string[] }>();
      scope.assert(item?.orgPath, '收费项目');
    }
    let scheduleAt: Date | null = null;
    if (input.scheduleAt) {
      scheduleAt = new Date(input.scheduleAt);
      const now = Date.now();
      if (scheduleAt.getTime() < now - 60_000) throw new AppError('VALIDATION_FAILED', '发送时间已过，请选择将来的时间或立即发送');
      if (scheduleAt.getTime() > now + MAX_REMINDER_SCHEDULE_DAYS * 24 * 3600 * 1000) throw new AppError('VALIDATION_FAILED', `发送时间最多可预约 ${MAX_REMINDER_SCHEDULE_DAYS} 天以内`);
    }
    const _id = `rem_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const jobId = `${REMINDER_JOB}:${_id}`;
    const doc = {
      _id,
      orgPath,
      target,
      scheduleAt,
      status: 'scheduled' as const,
      jobId,
      createdBy: scope.principal.userId,
      quietHours: deps.config.reminderQuietHours,
    };
    await runs.create(doc);
    const payload: RunPayload = { runId: _id, principal: scope.principal };
    await deps.jobs.enqueue(REMINDER_JOB, payload as unknown as Record<string, unknown>, {
      id: jobId,
      runAt: scheduleAt ?? undefined,
      scopeNodeId: orgPath[orgPath.length - 1],
      createdBy: scope.principal.userId,
      maxAttempts: REMINDER_JOB_ATTEMPTS,
    });
    await audit.append(scope.principal, { action: 'reminder.create', objectType: 'reminder_run', objectId: _id, orgPath, after: { target, scheduleAt } });
    return get(scope, _id);
  }

  async function get(scope: StaffScope, id: string): Promise<ReminderRun> {
    const doc = await runs.findById(id).lean<RunDoc>();
    scope.assert(doc?.orgPath, '催缴任务');
    return view(doc!);
  }

  async function list(scope: StaffScope): Promise<ReminderRun[]> {
    const docs = await runs.find(scope.filter()).sort({ createdAt: -1 }).limit(50).lean<RunDoc[]>();
    return Promise.all(docs.map(view));
  }

  // ---- the run ----

  async function unpaidBills(run: RunDoc): Promise<UnpaidBill[]> {
    const root = run.orgPath[run.orgPath.length - 1]!;
    const filter: Record<string, unknown> = { orgPath: root, status: { $in: ['unpaid', 'partially_paid'] } };
    if (run.target.feeItemId) filter.feeItemId = run.target.feeItemId;
    const today = businessDay();
    const found = await bills
      .find(filter, { studentId: 1, studentName: 1, feeItemName: 1, outstandingFen: 1, dueDate: 1, groupId: 1, orgPath: 1, published: 1 })
      .lean<(UnpaidBill & { published?: boolean })[]>();
    return found.filter((b) => b.published !== false && b.outstandingFen > 0 && (!run.target.overdueOnly || b.dueDate < today));
  }

  /** Bound parents (with a WeChat openid) per student: two queries, however many students. */
  async function boundParents(studentIds: string[]): Promise<Map<string, { parentId: string; openid: string }[]>> {
    const links: { parentId: string; studentId: string }[] = [];
    for (let i = 0; i < studentIds.length; i += CHUNK) {
      links.push(...(await parentChildren.find({ studentId: { $in: studentIds.slice(i, i + CHUNK) } }, { parentId: 1, studentId: 1 }).lean<{ parentId: string; studentId: string }[]>()));
    }
    const parentIds = [...new Set(links.map((l) => l.parentId))];
    const openids = new Map<string, string>();
    for (let i = 0; i < parentIds.length; i += CHUNK) {
      for (const p of await parents.find({ _id: { $in: parentIds.slice(i, i + CHUNK) } }, { openid: 1 }).lean<{ _id: unknown; openid: string }[]>()) {
        if (p.openid) openids.set(String(p._id), p.openid);
      }
    }
    const out = new Map<string, { parentId: string; openid: string }[]>();
    for (const l of links) {
      const openid = openids.get(l.parentId);
      if (openid) out.set(l.studentId, [...(out.get(l.studentId) ?? []), { parentId: l.parentId, openid }]);
    }
    return out;
  }

  /**
   * Pairs (`parentId:billId`) of a school group reminded within the quiet
   * period, or in doubt; and the pairs this run already handled (a retried
   * job skips them whatever their outcome).
   */
  async function quietPairs(groupId: string, since: Date, runId: string): Promise<{ quiet: Set<string>; handled: Set<string> }> {
    const [recentClaims, recentMessages] = await Promise.all([
      claims.find({ groupId, claimedAt: { $gte: since } }, { messageId: 1, parentId: 1, billId: 1 }).lean<{ messageId: string; parentId: string; billId: string }[]>(),
      messages.find({ groupId, at: { $gte: since } }, { outcome: 1 }).lean<{ _id: string; outcome: ReminderOutcome }[]>(),
    ]);
    const outcome = new Map(recentMessages.map((m) => [m._id, m.outcome]));
    const quiet = new Set<string>();
    const handled = new Set<string>();
    for (const c of recentClaims) {
      const result = outcome.get(c.messageId);
      if (c.messageId.startsWith(`${runId}:`)) handled.add(`${c.parentId}:${c.billId}`);
      else if (result === undefined || result === 'sent') quiet.add(`${c.parentId}:${c.billId}`);
    }
    return { quiet, handled };
  }

  async function deliver(message: PlannedMessage, templateId: string, today: string): Promise<{ outcome: ReminderOutcome; errcode: number | null; errmsg: string | null; msgid: string | null }> {
    try {
      const { msgid } = await wechat.send({
        touser: message.openid,
        templateId,
        page: `${BILLS_PAGE}?studentId=${encodeURIComponent(message.studentId)}`,
        data: reminderMessageData(message.studentName, message.bills, today),
      });
      return { outcome: 'sent', errcode: null, errmsg: null, msgid };
    } catch (error) {
      if (error instanceof WechatApiError) return { outcome: error.errcode === REFUSED ? 'refused' : 'failed', errcode: error.errcode, errmsg: error.errmsg, msgid: null };
      if (error instanceof AppError) return { outcome: 'failed', errcode: null, errmsg: error.message, msgid: null };
      throw error;
    }
  }

  /** Sends one group's messages: under the group's lock, re-checks the quiet period, claims, sends, records. */
  async function sendGroup(run: RunDoc, groupId: string, planned: PlannedMessage[], job: JobRunContext | undefined, progress: { done: number; total: number; quiet: number }) {
    const since = new Date(Date.now() - run.quietHours * 3600 * 1000);
    const today = businessDay();
    for (let i = 0; i < planned.length; i += MESSAGES_PER_LOCK) {
      const slice = planned.slice(i, i + MESSAGES_PER_LOCK);
      await withDocumentLock(
        deps.db,
        `reminders:${groupId}`,
        async () => {
          const { quiet, handled } = await quietPairs(groupId, since, run._id);
          const due: PlannedMessage[] = [];
          for (const m of slice) {
            const fresh = m.bills.filter((b) => !handled.has(`${m.parentId}:${b._id}`));
            const open = fresh.filter((b) => !quiet.has(`${m.parentId}:${b._id}`));
            progress.quiet += fresh.length - open.length;
            if (open.length) due.push({ ...m, bills: open });
          }
          if (due.length === 0) return;
          const claimedAt = new Date();
          const claimDocs = due.flatMap((m) => m.bills.map((b) => ({ _id: `${run._id}:${m.parentId}:${b._id}`, runId: run._id, messageId: m.id, parentId: m.parentId, billId: b._id, groupId, claimedAt })));
          await insertIgnoringDuplicates(claims, claimDocs);
          const results: Record<string, unknown>[] = [];
          await forEachLimit(due, CONCURRENCY, async (m) => {
            const result = await deliver(m, deps.config.wechatReminderTemplateId, today);
            results.push({
              _id: m.id,
              runId: run._id,
              parentId: m.parentId,
              openid: m.openid,
              studentId: m.studentId,
              billIds: m.bills.map((b) => b._id),
              outstandingFen: m.bills.reduce((n, b) => n + b.outstandingFen, 0),
              ...result,
              groupId,
              orgPath: m.orgPath,
              at: new Date(),
            });
          });
          await insertIgnoringDuplicates(messages, results);
        },
        // The lock outlives a holder that dies by at most this long; a waiting run retries as a job.
        { ttlMs: 60_000 + slice.length * 6_000, waitMs: 10_000 },
      );
      progress.done += slice.length;
      await job?.progress(progress.done, progress.total, `已处理 ${progress.done} / ${progress.total} 条催缴消息`);
    }
  }

  async function execute(payload: RunPayload, job?: JobRunContext): Promise<ReminderCounts> {
    const run = await runs.findById(payload.runId).lean<RunDoc>();
    if (!run) throw notFound('催缴任务');
    if (run.status === 'done') return { ...EMPTY_COUNTS, ...(run.counts ?? {}), ...(await outcomeCounts(run._id)).counts };
    await runs.updateOne({ _id: run._id }, { $set: { status: 'running', startedAt: run.startedAt ?? new Date(), lastError: null } });
    try {
      const found = await unpaidBills(run);
      const bound = await boundParents([...new Set(found.map((b) => b.studentId))]);
      const planned = new Map<string, PlannedMessage>();
      let unboundBills = 0;
      for (const bill of found) {
        const family = bound.get(bill.studentId) ?? [];
        if (family.length === 0) unboundBills += 1;
        for (const p of family) {
          const id = `${run._id}:${p.parentId}:${bill.studentId}`;
          let message = planned.get(id);
          if (!message) {
            message = { id, parentId: p.parentId, openid: p.openid, studentId: bill.studentId, studentName: bill.studentName, groupId: bill.groupId, orgPath: bill.orgPath, bills: [] };
            planned.set(id, message);
          }
          message.bills.push(bill);
        }
      }
      const byGroup = new Map<string, PlannedMessage[]>();
      for (const m of planned.values()) byGroup.set(m.groupId, [...(byGroup.get(m.groupId) ?? []), m]);
      const progress = { done: 0, total: planned.size, quiet: 0 };
      await runs.updateOne({ _id: run._id }, { $set: { counts: { bills: found.length, unboundBills } } });
      for (const [groupId, list] of byGroup) await sendGroup(run, groupId, list, job, progress);

      const outcome = await outcomeCounts(run._id);
      const counts: ReminderCounts = { bills: found.length, unboundBills, quiet: progress.quiet, messages: outcome.counts.sent + outcome.counts.refused + outcome.counts.failed + outcome.counts.unknown, ...outcome.counts };
      await runs.updateOne({ _id: run._id }, { $set: { status: 'done', finishedAt: new Date(), counts } });
      await audit.append(payload.principal, { action: 'reminder.run', objectType: 'reminder_run', objectId: run._id, orgPath: run.orgPath, after: { counts, failuresByErrcode: outcome.failuresByErrcode } });
      return counts;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const last = !job || job.attempt >= REMINDER_JOB_ATTEMPTS;
      await runs.updateOne({ _id: run._id }, { $set: { status: last ? 'failed' : 'running', lastError: message, ...(last ? { finishedAt: new Date() } : {}) } });
      throw error;
    }
  }

  return { create, get, list, execute };
}

export type RemindersService = ReturnType<typeof remindersService>;

export function registerReminderJobs(deps: ServerDeps): void {
  const reminders = remindersService(deps);
  deps.jobs.register(REMINDER_JOB, (payload, run) => reminders.execute(payload as unknown as RunPayload, run), { maxAttempts: REMINDER_JOB_ATTEMPTS });
}
