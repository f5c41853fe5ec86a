import { createHash } from 'node:crypto';
import type { PromotionPreview, PromotionTotals } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';
import { StudentModel } from '../people/student.model.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { OrgNodeModel } from './org-node.model.ts';
import { PromotionPlanModel } from './promotion-plan.model.ts';
import { newNodeId, nodeKeys } from './org.service.ts';

type Node = { _id: string; kind: string; name: string; parentId?: string | null; path: string[]; level?: number | null; archived?: boolean | null };

/**
 * A new academic year: every enrolled student moves to the class of the same
 * name one grade up (created when missing), and the last grade of each
 * division graduates. Planned first, reviewed by a person, then applied by a
 * job only if nothing changed since the preview (the plan hash covers every
 * student's placement).
 */
export function promotionService(deps: ServerDeps) {
  const nodes = OrgNodeModel(deps.db);
  const students = StudentModel(deps.db);
  const plans = PromotionPlanModel(deps.db);

  async function plan(scope: StaffScope, nodeId: string) {
    const root = await nodes.findById(nodeId).lean<Node>();
    scope.assert(root?.path, '组织节点');
    if (!['school_group', 'campus', 'division'].includes(root!.kind)) {
      throw new AppError('VALIDATION_FAILED', '请选择学校、校区或学部进行升级');
    }
    const all = (await nodes.find({ path: nodeId, archived: false }).lean<Node[]>()).filter((n) => n.kind === 'grade' || n.kind === 'class' || n.kind === 'division');
    const enrolled = await students.find({ orgPath: nodeId, status: 'enrolled' }).lean();
    const byClass = new Map<string, string[]>();
    for (const s of enrolled) byClass.set(s.classId, [...(byClass.get(s.classId) ?? []), String(s._id)]);
    const moves: PromotionPreview['moves'] = [];
    const graduating: PromotionPreview['graduating'] = [];
    const newClasses: { gradeId: string; name: string; fromClassId: string }[] = [];
    for (const division of all.filter((n) => n.kind === 'division')) {
      const grades = all.filter((n) => n.kind === 'grade' && n.parentId === division._id).sort((a, b) => (a.level ?? 0) - (b.level ?? 0));
      grades.forEach((grade, i) => {
        const next = grades[i + 1];
        for (const klass of all.filter((n) => n.kind === 'class' && n.parentId === grade._id)) {
          const count = byClass.get(klass._id)?.length ?? 0;
          if (count === 0) continue;
          const label = `${division.name} ${grade.name} ${klass.name}`;
          if (!next) {
            graduating.push({ classId: klass._id, label, students: count });
            continue;
          }
          const target = all.find((n) => n.kind === 'class' && n.parentId === next._id && n.name === klass.name);
          if (!target) newClasses.push({ gradeId: next._id, name: klass.name, fromClassId: klass._id });
          moves.push({
            fromClassId: klass._id,
            fromLabel: label,
            toClassId: target?._id ?? null,
            toLabel: `${division.name} ${next.name} ${klass.name}${target ? '' : '（新建）'}`,
            students: count,
            createsClass: !target,
          });
        }
      });
    }
    // Promote top grades first so a class never receives students before its own have left.
    moves.reverse();
    const placement = [...byClass.entries()].flatMap(([classId, ids]) => ids.map((id) => `${id}@${classId}`)).sort();
    const planHash = createHash('sha256').update(JSON.stringify({ nodeId, placement, moves, graduating })).digest('hex').slice(0, 32);
    const preview: PromotionPreview = {
      nodeId,
      planHash,
      moves,
      graduating,
      totals: {
        promoted: moves.reduce((n, m) => n + m.students, 0),
        graduated: graduating.reduce((n, g) => n + g.students, 0),
        classesCreated: newClasses.length,
      },
    };
    return { preview, newClasses, byClass, root: root! };
  }

  async function preview(scope: StaffScope, nodeId: string): Promise<PromotionPreview> {
    return (await plan(scope, nodeId)).preview;
  }

  /** Starts the reviewed plan as a job; refused when anything changed since the preview. */
  async function start(scope: StaffScope, nodeId: string, planHash: string) {
    const current = await plan(scope, nodeId);
    if (current.preview.planHash !== planHash) {
      throw new AppError('STATE_CONFLICT', '名册在预览后发生了变化，请重新预览后再确认');
    }
    if (current.preview.totals.promoted + current.preview.totals.graduated === 0) {
      throw new AppError('BUSINESS_RULE', '没有需要升级或毕业的学生');
    }
    return deps.jobs.enqueue(
      'academic-year.promote',
      { nodeId, planHash, principal: scope.principal as unknown as Record<string, unknown> },
      { id: `promotion:${nodeId}:${planHash}`, scopeNodeId: nodeId, createdBy: scope.principal.userId, maxAttempts: 3 },
    );
  }

  type FrozenPlan = {
    graduating: { classId: string; label: string; studentIds: string[] }[];
    moves: { fromClassId: string; fromLabel: string; toClassId: string | null; toLabel: string; newClass: { gradeId: string; name: string } | null; studentIds: string[] }[];
    totals: PromotionTotals;
  };

  /** The confirmed plan with its students: made and stored by the job's first run, read back by any retry. */
  async function frozenPlan(scope: StaffScope, nodeId: string, planHash: string): Promise<FrozenPlan> {
    const _id = `${nodeId}:${planHash}`;
    const stored = await plans.findById(_id).lean<FrozenPlan>();
    if (stored) return stored;
    const { preview: p, newClasses, byClass } = await plan(scope, nodeId);
    if (p.planHash !== planHash) throw new AppError('STATE_CONFLICT', '名册在预览后发生了变化，请重新预览后再确认');
    const frozen = {
      _id,
      nodeId,
      planHash,
      graduating: p.graduating.map((g) => ({ classId: g.classId, label: g.label, studentIds: byClass.get(g.classId) ?? [] })),
      moves: p.moves.map((m) => {
        const created = newClasses.find((c) => c.fromClassId === m.fromClassId);
        return { fromClassId: m.fromClassId, fromLabel: m.fromLabel, toClassId: m.toClassId, toLabel: m.toLabel, newClass: created ? { gradeId: created.gradeId, name: created.name } : null, studentIds: byClass.get(m.fromClassId) ?? [] };
      }),
      totals: p.totals,
    };
    await plans.create(frozen).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    return (await plans.findById(_id).lean<FrozenPlan>())!;
  }

  /** The class a move goes to, created on first need; a retry finds the one an earlier attempt created. */
  async function targetOf(move: FrozenPlan['moves'][number]): Promise<Node | null> {
    if (move.toClassId) return nodes.findById(move.toClassId).lean<Node>();
    if (!move.newClass) return null;
    const existing = await nodes.findOne({ parentId: move.newClass.gradeId, kind: 'class', name: move.newClass.name, archived: false }).lean<Node>();
    if (existing) return existing;
    const grade = await nodes.findById(move.newClass.gradeId).lean<Node>();
    if (!grade) return null;
    const _id = newNodeId('class');
    const doc = { _id, kind: 'class' as const, name: move.newClass.name, parentId: grade._id, path: [...grade.path, _id] };
    await nodes.create({ ...doc, ...nodeKeys(doc) });
    return doc;
  }

  /** The job: applies the confirmed plan; a retry after a crash finishes it without moving anyone twice. */
  async function apply(payload: { nodeId: string; planHash: string; principal: StaffPrincipal }, progress: (done: number, total: number, message: string) => Promise<void>): Promise<PromotionTotals> {
    const scope = new StaffScope(payload.principal);
    const p = await frozenPlan(scope, payload.nodeId, payload.planHash);
    const total = p.totals.promoted + p.totals.graduated;
    let done = 0;
    // The last grade leaves before anyone moves into its classes.
    for (const g of p.graduating) {
      await students.updateMany({ _id: { $in: g.studentIds }, classId: g.classId, status: 'enrolled' }, { $set: { status: 'graduated' } });
      done += g.studentIds.length;
      await progress(done, total, `${g.label} 毕业`);
    }
    for (const move of p.moves) {
      const target = await targetOf(move);
      if (!target) continue;
      // Only this class's students as planned: those who arrive from the grade below in this promotion stay put.
      await students.updateMany({ _id: { $in: move.studentIds }, classId: move.fromClassId, status: 'enrolled' }, { $set: { classId: target._id, orgPath: target.path } });
      done += move.studentIds.length;
      await progress(done, total, `${move.fromLabel} → ${move.toLabel}`);
    }
    await auditService(deps.db).append(payload.principal, {
      action: 'academic-year.promote',
      objectType: 'org_node',
      objectId: payload.nodeId,
      after: p.totals,
    });
    return p.totals;
  }

  return { preview, start, apply };
}

export function registerPromotionJob(deps: ServerDeps): void {
  const service = promotionService(deps);
  deps.jobs.register('academic-year.promote', (payload, run) =>
    service.apply(payload as unknown as Parameters<typeof service.apply>[0], (done, total, message) => run.progress(done, total, message)),
  );
}
