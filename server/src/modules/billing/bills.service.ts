import { createHash, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CONCESSION_KIND_LABELS,
  periodLabel,
  type Bill,
  type BillBatch,
  type ConcessionRule,
  type Page,
  type applyConcessionSchema,
  type billListQuerySchema,
  type createBillBatchSchema,
  type createConcessionRuleSchema,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { forEachLimit } from '../../platform/concurrency.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { StudentModel } from '../people/student.model.ts';
import { BillBatchModel, BillModel, ConcessionRuleModel } from './billing.models.ts';
import { settle, stackConcessions, totalApplied } from './bill-figures.ts';
import { toBill, type BillDoc, type ConcessionEntry } from './bill-view.ts';
import { feeItemsService, resolvePrice, type FeeItemDoc } from './fee-items.service.ts';

export function billIdFor(studentId: string, feeItemId: string, period: string): string {
  return `bill_${createHash('sha256').update(`${studentId}\n${feeItemId}\n${period}`).digest('hex').slice(0, 24)}`;
}

type RuleDoc = ConcessionRule & { _id: string; orgPath: string[] };
type StudentLite = { _id: string; studentNo: string; name: string; orgPath: string[]; campusId: string; groupId: string; guardianIds: string[]; status: string };
/** The student fields issuance reads: a projection keeps 100,000-student scans light (no guardians, no sealed identity numbers). */
const STUDENT_LITE = { studentNo: 1, name: 1, orgPath: 1, campusId: 1, groupId: 1, guardianIds: 1, status: 1 } as const;
/** A bill as the publish job inserts it, with what Mongoose would have added. */
type NewBill = BillDoc & { pendingLedgerCount: number; createdAt: Date; updatedAt: Date };
const PUBLISH_CHUNK = 5000;
const PUBLISH_CHUNKS_IN_FLIGHT = 3;

export function billsService(deps: ServerDeps) {
  const bills = BillModel(deps.db);
  const batches = BillBatchModel(deps.db);
  const rules = ConcessionRuleModel(deps.db);
  const students = StudentModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);
  const feeItems = feeItemsService(deps);

  async function classNames(docs: BillDoc[]): Promise<Map<string, string>> {
    const ids = [...new Set(docs.map((d) => d.orgPath[d.orgPath.length - 1] ?? ''))];
    const found = ids.length ? await nodes.find({ _id: { $in: ids } }).lean() : [];
    return new Map(found.map((n) => [String(n._id), n.name]));
  }

  async function views(docs: BillDoc[]): Promise<Bill[]> {
    const names = await classNames(docs);
    return docs.map((d) => toBill(d, names));
  }

  async function list(scope: StaffScope, query: z.output<typeof billListQuerySchema>): Promise<Page<Bill>> {
    const narrowing = [query.nodeId, query.campusId, query.classId].filter((v): v is string => Boolean(v));
    const filter: Record<string, unknown> = narrowing.length ? { orgPath: { $all: [scope.nodeId, ...narrowing] } } : scope.filter();
    if (query.studentId) filter.studentId = query.studentId;
    if (query.feeItemId) filter.feeItemId = query.feeItemId;
    if (query.status) filter.status = query.status;
    if (query.q) {
      const escaped = query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      filter.$or = [{ studentNo: { $regex: `^${escaped}` } }, { studentName: { $regex: escaped } }];
    }
    const [total, docs] = await Promise.all([
      bills.countDocuments(filter),
      bills.find(filter).sort({ studentNo: 1, feeItemName: 1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<BillDoc[]>(),
    ]);
    return { items: await views(docs), total, page: query.page, pageSize: query.pageSize };
  }

  async function getDoc(scope: StaffScope, id: string): Promise<BillDoc> {
    const doc = await bills.findById(id).lean<BillDoc>();
    scope.assert(doc?.orgPath, '账单');
    return doc!;
  }

  async function get(scope: StaffScope, id: string): Promise<Bill> {
    return (await views([await getDoc(scope, id)]))[0]!;
  }

  /** Applies a change to a bill by compare-and-set on its version, retrying when someone else changed it first. */
  async function change(id: string, mutate: (bill: BillDoc) => Record<string, unknown>): Promise<BillDoc> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const bill = await bills.findById(id).lean<BillDoc>();
      if (!bill) throw notFound('账单');
      const set = mutate(bill);
      const updated = await compareAndSet(deps.db, bills, id, { version: bill.version }, { $set: set, $inc: { version: 1 } });
      if (updated) return updated as unknown as BillDoc;
    }
    throw new AppError('STATE_CONFLICT', '账单正被频繁修改，请稍后重试');
  }

  function refigure(bill: BillDoc, changes: Partial<Pick<BillDoc, 'amountDueFen' | 'concessions'>>) {
    const concessions = changes.concessions ?? bill.concessions;
    const amountDueFen = changes.amountDueFen ?? bill.amountDueFen;
    const concessionFen = totalApplied(concessions);
    if (concessionFen > amountDueFen) throw new AppError('BUSINESS_RULE', '优惠合计不能超过应缴金额');
    if (amountDueFen - concessionFen < bill.paidFen - bill.refundedFen) {
      throw new AppError('BUSINESS_RULE', '已缴金额将超过调整后的应缴金额，请先办理退款');
    }
    return { concessions, ...settle({ amountDueFen, concessionFen, paidFen: bill.paidFen, refundedFen: bill.refundedFen }, bill.status) };
  }

  // ---- bill batches (targeted issuance) ----

  /** Students sharing a guardian with another enrolled student of the same group. */
  async function siblingIds(groupId: string): Promise<Set<string>> {
    const all = await students.find({ groupId, status: 'enrolled' }, STUDENT_LITE).lean<StudentLite[]>();
    const perGuardian = new Map<string, string[]>();
    for (const s of all) for (const g of s.guardianIds) perGuardian.set(g, [...(perGuardian.get(g) ?? []), s._id]);
    const out = new Set<string>();
    for (const ids of perGuardian.values()) if (ids.length > 1) ids.forEach((id) => out.add(id));
    return out;
  }

  /**
   * What a batch issues: everything that can refuse it (the fee item, its rules, the target nodes and
   * listed students) is checked first; then the bills come one by one as the roster is read, so the publish
   * job inserts while it reads and nothing holds 100,000 bills at once. `tally` becomes the preview.
   */
  async function issuance(scope: StaffScope, input: z.output<typeof createBillBatchSchema>, batchId: string) {
    const feeItem = await feeItems.getDoc(scope, input.feeItemId);
    if (feeItem.archived) throw new AppError('BUSINESS_RULE', '该收费项目已停用');
    const chosenRules = input.concessionRuleIds.length ? await rules.find({ _id: { $in: input.concessionRuleIds } }).sort({ order: 1 }).lean<RuleDoc[]>() : [];
    if (chosenRules.length !== input.concessionRuleIds.length || chosenRules.some((r) => !scope.principal.nodePath.concat(feeItem.orgPath).some((id) => r.orgPath.includes(id) && feeItem.orgPath.includes(r.nodeId)))) {
      throw new AppError('VALIDATION_FAILED', '优惠规则不存在或不适用于该收费项目');
    }
    const applicable = chosenRules.filter((r) => r.categories.length === 0 || r.categories.includes(feeItem.category));
    const { target } = input;
    const within = (path: string[]) => scope.contains(path) && path.includes(feeItem.nodeId);
    for (const nodeId of target.nodeIds) {
      const node = await nodes.findById(nodeId).lean();
      if (!node || !within(node.path)) throw new AppError('VALIDATION_FAILED', '发布对象不存在，或不在该收费项目的适用范围内');
    }
    const listed = target.studentIds.length ? await students.find({ _id: { $in: target.studentIds } }, STUDENT_LITE).lean<StudentLite[]>() : [];
    if (listed.length !== new Set(target.studentIds).size || listed.some((s) => !within(s.orgPath))) {
      throw new AppError('VALIDATION_FAILED', '名单中有学生不存在，或不在该收费项目的适用范围内');
    }
    const existing = new Set(
      (await bills.find({ feeItemId: feeItem._id, period: feeItem.periodKey }, { studentId: 1 }).lean<{ studentId: string }[]>()).map((b) => b.studentId),
    );
    const tally = { bills: 0, totalFen: 0, concessionFen: 0, skippedExisting: 0, skippedNoPrice: 0 };

    async function* planned(): AsyncGenerator<BillDoc> {
      const excluded = new Set(target.excludeStudentIds);
      const seen = new Set<string>();
      const bySibling = applicable.some((r) => r.kind === 'sibling');
      let siblings: Set<string> | null = null;
      const sources: (AsyncIterable<StudentLite> | StudentLite[])[] = [
        ...target.nodeIds.map((nodeId) => students.find({ orgPath: nodeId, status: 'enrolled' }, STUDENT_LITE).lean<StudentLite>().cursor()),
        listed,
      ];
      for (const source of sources) {
        for await (const s of source) {
          if (seen.has(s._id) || excluded.has(s._id)) continue;
          seen.add(s._id);
          if (existing.has(s._id)) {
            tally.skippedExisting += 1;
            continue;
          }
          const amountDueFen = resolvePrice(feeItem.prices, s.orgPath);
          if (amountDueFen === null) {
            tally.skippedNoPrice += 1;
            continue;
          }
          if (bySibling && !siblings) siblings = await siblingIds(s.groupId);
          // Only rules whose eligibility the platform can see apply automatically (siblings); the rest are granted per bill with a reason.
          const eligible = applicable.filter((r) => r.kind === 'sibling' && siblings?.has(s._id));
          const amounts = stackConcessions(amountDueFen, eligible);
          const concessions: ConcessionEntry[] = eligible
            .map((r, i) => ({ id: `rule:${r._id}`, kind: r.kind, label: r.label, amountFen: amounts[i] ?? 0, reason: '发布时按规则自动计算', status: 'applied' as const }))
            .filter((c) => c.amountFen > 0);
          const figures = settle({ amountDueFen, concessionFen: totalApplied(concessions), paidFen: 0, refundedFen: 0 });
          tally.bills += 1;
          tally.totalFen += amountDueFen;
          tally.concessionFen += figures.concessionFen;
          const bill: BillDoc = {
            _id: billIdFor(s._id, feeItem._id, feeItem.periodKey),
            studentId: s._id,
            studentNo: s.studentNo,
            studentName: s.name,
            orgPath: s.orgPath,
            campusId: s.campusId,
            groupId: s.groupId,
            feeItemId: feeItem._id,
            feeItemName: feeItem.name,
            category: feeItem.category,
            period: feeItem.periodKey,
            periodLabel: periodLabel(feeItem.period),
            payeeAccountId: feeItem.payeeAccountId,
            dueDate: feeItem.dueDate,
            mandatory: feeItem.mandatory,
            allowPartial: feeItem.allowPartial,
            minPaymentFen: feeItem.minPaymentFen ?? null,
            refundable: feeItem.refundable,
            ...figures,
            concessions,
            published: true,
            batchId,
            version: 1,
            ledgerIds: [],
            pendingLedger: [],
            openOrderId: null,
          };
          yield bill;
        }
      }
    }
    return { feeItem, tally, planned: planned() };
  }

  function toBatch(doc: { _id: string; feeItemId: string; feeItemName: string; status: BillBatch['status']; preview: BillBatch['preview']; jobId?: string | null; createdAt?: Date; publishedAt?: Date | null }): BillBatch {
    return {
      id: doc._id,
      feeItemId: doc.feeItemId,
      feeItemName: doc.feeItemName,
      status: doc.status,
      preview: doc.preview,
      jobId: doc.jobId ?? null,
      createdAt: (doc.createdAt ?? new Date()).toISOString(),
      publishedAt: doc.publishedAt ? doc.publishedAt.toISOString() : null,
    };
  }

  /** A draft with its preview: how many bills, the total, who is skipped. Nothing is issued yet. */
  async function createBatch(scope: StaffScope, input: z.output<typeof createBillBatchSchema>): Promise<BillBatch> {
    const _id = `batch_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const { feeItem, tally, planned } = await issuance(scope, input, _id);
    for await (const _bill of planned) {
      // counted in the tally
    }
    const preview = { ...tally };
    // A batch belongs where it is issued: a campus issuing its group's fee item keeps the batch in the campus.
    const orgPath = scope.contains(feeItem.orgPath) ? feeItem.orgPath : scope.principal.nodePath;
    const doc = {
      _id,
      feeItemId: feeItem._id,
      feeItemName: feeItem.name,
      orgPath,
      target: input.target,
      concessionRuleIds: input.concessionRuleIds,
      note: input.note,
      status: 'draft' as const,
      preview,
      createdBy: scope.principal.userId,
    };
    const created = await batches.create(doc);
    await audit.append(scope.principal, { action: 'bill-batch.create', objectType: 'bill_batch', objectId: _id, orgPath, after: { feeItemId: feeItem._id, target: input.target, preview } });
    return toBatch(created.toObject() as never);
  }

  async function getBatch(scope: StaffScope, id: string): Promise<BillBatch> {
    const doc = await batches.findById(id).lean();
    scope.assert(doc?.orgPath, '账单批次');
    return toBatch(doc as never);
  }

  /** Publishing runs as a job; the batch id makes it once-only and bill ids make re-running it issue nothing new. */
  async function publishBatch(scope: StaffScope, id: string): Promise<BillBatch> {
    const doc = await batches.findById(id).lean();
    scope.assert(doc?.orgPath, '账单批次');
    if (doc!.status === 'published') return toBatch(doc as never);
    const job = await deps.jobs.enqueue(
      'bill-batch.publish',
      { batchId: id, principal: scope.principal as unknown as Record<string, unknown> },
      { id: `bill-batch.publish:${id}`, scopeNodeId: doc!.orgPath[doc!.orgPath.length - 1], createdBy: scope.principal.userId },
    );
    await batches.updateOne({ _id: id }, { $set: { status: 'publishing', jobId: job.id } });
    return getBatch(scope, id);
  }

  async function runPublish(payload: { batchId: string; principal: StaffPrincipal }, progress: (done: number, total: number, message: string) => Promise<void>) {
    const scope = new StaffScope(payload.principal);
    const batch = await batches.findById(payload.batchId).lean();
    if (!batch) throw notFound('账单批次');
    const { tally, planned } = await issuance(scope, { feeItemId: batch.feeItemId, target: batch.target, concessionRuleIds: batch.concessionRuleIds, note: batch.note }, batch._id);
    // Bills are complete as issuance() builds them (every field, figures settled), so they are inserted `lean`:
    // Mongoose would otherwise hydrate and validate each of 100,000 documents, which cost more than the insert
    // itself (bench/src/bill-issuance.bench.ts). The schema still checks the first one of the run, and the fields
    // Mongoose would have added (timestamps, the pendingLedgerCount default) are set here.
    const now = new Date();
    const expected = batch.preview?.bills ?? 0;
    let inserted = 0;
    let done = 0;
    let reported = Promise.resolve();
    const report = () => {
      const at = done;
      // One progress write at a time, in order, however the chunks finish.
      reported = reported.then(() => progress(at, Math.max(at, expected), `已发布 ${at} / ${Math.max(at, expected)} 张账单`));
      return reported;
    };
    const insertChunk = async (chunk: NewBill[]) => {
      try {
        const res = await bills.insertMany(chunk, { ordered: false, rawResult: true, lean: true });
        inserted += res.insertedCount;
      } catch (error) {
        // A retried job meets the bills it issued before: the ids make them duplicates, which is the point.
        // Anything else (a lost connection has no writeErrors) is a real failure and fails the job.
        const e = error as { insertedDocs?: unknown[]; result?: { insertedCount?: number }; writeErrors?: { code?: number }[] };
        const duplicatesOnly = e.writeErrors?.length ? e.writeErrors.every((w) => w.code === 11000) : isDuplicateKeyError(error);
        if (!duplicatesOnly) throw error;
        inserted += e.result?.insertedCount ?? e.insertedDocs?.length ?? 0;
      }
      done += chunk.length;
      await report();
    };
    async function* chunks(): AsyncGenerator<NewBill[]> {
      let chunk: NewBill[] = [];
      let checked = false;
      for await (const bill of planned) {
        if (!checked) {
          await new bills({ ...bill, pendingLedgerCount: 0 }).validate();
          checked = true;
        }
        chunk.push({ ...bill, pendingLedgerCount: 0, createdAt: now, updatedAt: now });
        if (chunk.length === PUBLISH_CHUNK) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    }
    // A few chunks in flight while the roster is still being read: the database converts and indexes one chunk
    // while the next is on the wire and the students after it are decoded.
    await forEachLimit(chunks(), PUBLISH_CHUNKS_IN_FLIGHT, insertChunk);
    // Fewer bills than the draft expected (some already issued, e.g. by an earlier attempt): end at 100 %.
    if (done < expected) await progress(done, done, `已发布 ${done} / ${done} 张账单`);
    await batches.updateOne({ _id: batch._id }, { $set: { status: 'published', publishedAt: new Date(), preview: { ...tally } } });
    await audit.append(payload.principal, { action: 'bill-batch.publish', objectType: 'bill_batch', objectId: batch._id, orgPath: batch.orgPath, after: { bills: tally.bills, inserted, totalFen: tally.totalFen } });
    return { bills: tally.bills, inserted, totalFen: tally.totalFen };
  }

  // ---- concessions ----

  async function listRules(scope: StaffScope): Promise<ConcessionRule[]> {
    const docs = await rules.find({ orgPath: { $in: [scope.nodeId, ...scope.principal.nodePath] } }).sort({ order: 1 }).lean<RuleDoc[]>();
    return docs.filter((r) => r.orgPath.includes(scope.nodeId) || scope.principal.nodePath.includes(r.nodeId)).map(({ _id, orgPath: _o, ...r }) => ({ ...r, id: _id }));
  }

  async function createRule(scope: StaffScope, input: z.output<typeof createConcessionRuleSchema>): Promise<ConcessionRule> {
    const node = await nodes.findById(input.nodeId).lean();
    if (!node || !scope.contains(node.path)) throw new AppError('VALIDATION_FAILED', '适用学校不存在或不在您的管理范围内');
    const doc = { ...input, _id: `rule_${randomUUID().replace(/-/g, '').slice(0, 16)}`, orgPath: node.path };
    await rules.create(doc);
    await audit.append(scope.principal, { action: 'concession-rule.create', objectType: 'concession_rule', objectId: doc._id, orgPath: node.path, after: doc });
    return { ...input, id: doc._id };
  }

  /** Grants a concession on one bill; above the threshold it waits for a group admin. */
  async function applyConcession(scope: StaffScope, billId: string, input: z.output<typeof applyConcessionSchema>): Promise<Bill> {
    const before = await getDoc(scope, billId);
    if (before.status === 'cancelled') throw new AppError('BUSINESS_RULE', '已取消的账单不能优惠');
    let entry: ConcessionEntry | undefined;
    const updated = await change(billId, (bill) => {
      const remaining = bill.amountDueFen - totalApplied(bill.concessions);
      const [amountFen = 0] = stackConcessions(remaining, [{ percentBp: input.percentBp ?? null, amountFen: input.amountFen ?? null }]);
      if (amountFen <= 0) throw new AppError('BUSINESS_RULE', '该账单已无可优惠的金额');
      const needsApproval = amountFen > deps.config.concessionApprovalThresholdFen && scope.principal.role !== 'group_admin';
      entry = {
        id: `c_${randomUUID().replace(/-/g, '').slice(0, 12)}`,
        kind: input.kind,
        label: input.label ?? CONCESSION_KIND_LABELS[input.kind],
        amountFen,
        reason: input.reason,
        status: needsApproval ? 'pending_approval' : 'applied',
        requestedBy: scope.principal.userId,
        decidedBy: needsApproval ? null : scope.principal.userId,
      };
      return refigure(bill, { concessions: [...bill.concessions, entry] });
    });
    await audit.append(scope.principal, {
      action: entry?.status === 'pending_approval' ? 'bill.concession.request' : 'bill.concession.apply',
      objectType: 'bill',
      objectId: billId,
      orgPath: before.orgPath,
      before: { concessionFen: before.concessionFen, outstandingFen: before.outstandingFen },
      after: { concession: entry, concessionFen: updated.concessionFen, outstandingFen: updated.outstandingFen },
      reason: input.reason,
    });
    return (await views([updated]))[0]!;
  }

  async function decideConcession(scope: StaffScope, billId: string, concessionId: string, approve: boolean, reason: string): Promise<Bill> {
    if (scope.principal.role !== 'group_admin') throw new AppError('FORBIDDEN', '只有集团管理员可以审批优惠');
    const before = await getDoc(scope, billId);
    const updated = await change(billId, (bill) => {
      const target = bill.concessions.find((c) => c.id === concessionId);
      if (!target) throw notFound('优惠申请');
      if (target.status !== 'pending_approval') throw new AppError('STATE_CONFLICT', '该优惠申请已处理');
      if (target.requestedBy === scope.principal.userId) throw new AppError('BUSINESS_RULE', '不能审批自己提交的优惠');
      const concessions = bill.concessions.map((c) => (c.id === concessionId ? { ...c, status: approve ? ('applied' as const) : ('rejected' as const), decidedBy: scope.principal.userId } : c));
      return refigure(bill, { concessions });
    });
    await audit.append(scope.principal, { action: approve ? 'bill.concession.approve' : 'bill.concession.reject', objectType: 'bill', objectId: billId, orgPath: before.orgPath, before: { outstandingFen: before.outstandingFen }, after: { concessionId, outstandingFen: updated.outstandingFen }, reason });
    return (await views([updated]))[0]!;
  }

  async function adjust(scope: StaffScope, billId: string, amountDueFen: number, reason: string): Promise<Bill> {
    const before = await getDoc(scope, billId);
    if (before.status === 'cancelled') throw new AppError('BUSINESS_RULE', '已取消的账单不能调整');
    const updated = await change(billId, (bill) => refigure(bill, { amountDueFen }));
    await audit.append(scope.principal, { action: 'bill.adjust', objectType: 'bill', objectId: billId, orgPath: before.orgPath, before: { amountDueFen: before.amountDueFen }, after: { amountDueFen }, reason });
    return (await views([updated]))[0]!;
  }

  async function cancel(scope: StaffScope, billId: string, reason: string): Promise<Bill> {
    const before = await getDoc(scope, billId);
    const updated = await change(billId, (bill) => {
      if (bill.paidFen - bill.refundedFen !== 0) throw new AppError('BUSINESS_RULE', '账单已有缴费，不能取消；请先办理退款');
      if (bill.openOrderId) throw new AppError('STATE_CONFLICT', '家长正在支付该账单，请稍后再试');
      // A cancelled bill owes nothing: the remainder is written off as a cancellation, which keeps the figures' identity.
      const writeOff: ConcessionEntry = { id: 'cancel', kind: 'other', label: '账单取消', amountFen: bill.amountDueFen - totalApplied(bill.concessions), reason, status: 'applied', decidedBy: scope.principal.userId };
      const concessions = [...bill.concessions, writeOff];
      return { concessions, ...settle({ amountDueFen: bill.amountDueFen, concessionFen: bill.amountDueFen, paidFen: bill.paidFen, refundedFen: bill.refundedFen }, 'cancelled') };
    });
    await audit.append(scope.principal, { action: 'bill.cancel', objectType: 'bill', objectId: billId, orgPath: before.orgPath, before: { status: before.status }, after: { status: 'cancelled' }, reason });
    return (await views([updated]))[0]!;
  }

  /** Waives what is still owed: a hardship concession for the whole remainder. */
  async function waive(scope: StaffScope, billId: string, reason: string): Promise<Bill> {
    const before = await getDoc(scope, billId);
    if (before.outstandingFen <= 0) throw new AppError('BUSINESS_RULE', '该账单没有待缴金额');
    return applyConcession(scope, billId, { kind: 'hardship', label: '减免', amountFen: before.outstandingFen, reason });
  }

  return { list, get, getDoc, createBatch, getBatch, publishBatch, runPublish, listRules, createRule, applyConcession, decideConcession, adjust, cancel, waive, views };
}

export type BillsService = ReturnType<typeof billsService>;
