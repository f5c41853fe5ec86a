import { createHash } from 'node:crypto';
import type { PromotionPreview, PromotionTotals } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';
import { StudentModel } from '../people/student.model.ts';
import { OrgNodeModel } from './org-node.model.ts';
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

  async function plan(scope: StaffScope, nodeId: string) {
    const root = await nodes.findById(nodeId).lean<Node>();
    scope.assert(root?.path, '组织节点');
    if (!['school_group', 'campus', 'division'].includes(root!.kind)) {
      throw new AppError('VALIDATION_FAILED', '请选择学校、校区或学部进行升级');
    }
    const all = (await nodes.find({ path: nodeId, archived: false }).lean<Node[]>()).filter((n) => n.kind === 'grade' || n.kind === 'class' || n.kind === 'division');
    const enrolled = await students.find({ orgPath: nodeId, status: 'enrolled' }).lean();
    const byClass = new Map<string, string[]>();
    for (const s of enrolled) byClass.set(s.classId, [...(byClass.get(s.classId) ?? []), `${s._id}@${s.classId}`]);
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
    const placement = [...byClass.values()].flat().sort();
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
    return { preview, newClasses, root: root! };
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

  /** The job: re-plans (the same hash proves the same plan) and applies it; safe to re-run after a crash. */
  async function apply(payload: { nodeId: string; planHash: string; principal: StaffPrincipal }, progress: (done: number, total: number, message: string) => Promise<void>): Promise<PromotionTotals> {
    const scope = new StaffScope(payload.principal);
    const { preview: p, newClasses } = await plan(scope, payload.nodeId);
    const createdClass = new Map<string, string>();
    for (const c of newClasses) {
      const grade = await nodes.findById(c.gradeId).lean<Node>();
      if (!grade) continue;
      const _id = newNodeId('class');
      const doc = { _id, kind: 'class' as const, name: c.name, parentId: grade._id, path: [...grade.path, _id] };
      await nodes.create({ ...doc, ...nodeKeys(doc) });
      createdClass.set(c.fromClassId, _id);
    }
    const total = p.totals.promoted + p.totals.graduated;
    let done = 0;
    // The last grade leaves before anyone moves into its classes.
    for (const g of p.graduating) {
      const leaving = await students.updateMany({ classId: g.classId, status: 'enrolled' }, { $set: { status: 'graduated' } });
      done += leaving.modifiedCount;
      await progress(done, total, `${g.label} 毕业`);
    }
    for (const move of p.moves) {
      const targetId = move.toClassId ?? createdClass.get(move.fromClassId);
      const target = targetId ? await nodes.findById(targetId).lean<Node>() : null;
      if (!target) continue;
      // One multi-document update per class: a single transaction on FerretDB, where each write commits on its own.
      const moving = await students.updateMany({ classId: move.fromClassId, status: 'enrolled' }, { $set: { classId: target._id, orgPath: target.path } });
      done += moving.modifiedCount;
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
