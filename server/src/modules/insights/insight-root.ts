import type { Connection } from 'mongoose';
import { addDays, businessDay, type InsightNodeRef } from '@campuspay/shared';
import { AppError, notFound } from '../../platform/errors.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { InsightNodeModel, type InsightNodeDoc } from './insight-settings.model.ts';
import { INSIGHT_KINDS } from './registry.service.ts';

/** The node a dashboard covers: the user's scope node or one below it (bank, branch, school group or campus). */
export interface InsightRoot extends InsightNodeDoc {
  bankId: string;
  label: string;
}

export function nodeRef(n: { _id?: string; id?: string; name: string; kind: string }): InsightNodeRef {
  return { id: n._id ?? n.id ?? '', name: n.name, kind: n.kind as InsightNodeRef['kind'] };
}

/**
 * Resolves the node from the registry (one lookup by id); before the
 * registry's first run it falls back to the organisation tree. A node
 * outside the scope is missing (404), like any other object.
 */
export async function resolveRoot(db: Connection, scope: StaffScope, nodeId?: string): Promise<InsightRoot> {
  const id = nodeId ?? scope.nodeId;
  let doc = await InsightNodeModel(db).findById(id).lean<InsightNodeDoc>();
  if (!doc) {
    const node = await OrgNodeModel(db).findById(id, { kind: 1, name: 1, parentId: 1, path: 1 }).lean<{ _id: string; kind: string; name: string; parentId: string | null; path: string[] }>();
    if (!node || !scope.contains(node.path)) throw notFound('组织节点');
    if (!(INSIGHT_KINDS as readonly string[]).includes(node.kind)) throw new AppError('VALIDATION_FAILED', '银行看板只能按银行、分行、学校或校区查看');
    const [above, below] = await Promise.all([
      OrgNodeModel(db).find({ _id: { $in: node.path } }, { name: 1 }).lean<{ _id: string; name: string }[]>(),
      OrgNodeModel(db).find({ parentId: node._id, kind: { $in: [...INSIGHT_KINDS] } }, { name: 1, kind: 1 }).lean<{ _id: string; name: string; kind: string }[]>(),
    ]);
    const names = new Map(above.map((n) => [n._id, n.name]));
    doc = {
      _id: node._id,
      kind: node.kind as InsightNodeDoc['kind'],
      name: node.name,
      parentId: node.parentId,
      path: node.path,
      pathNames: node.path.map((p) => names.get(p) ?? p),
      children: below.map((c) => ({ id: c._id, name: c.name, kind: c.kind as InsightNodeDoc['kind'] })),
      campuses: 0,
      students: 0,
      parents: 0,
      countedAt: null,
    };
  }
  if (!scope.contains(doc.path)) throw notFound('组织节点');
  const from = Math.max(0, doc.path.indexOf(scope.nodeId));
  return { ...doc, bankId: doc.path[0]!, label: doc.pathNames.slice(from).join(' / ') };
}

/** The period asked for, or the last 30 days up to today (Asia/Shanghai). */
export function periodOf(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
  const to = query.to ?? (query.from && query.from > businessDay() ? query.from : businessDay());
  const from = query.from ?? addDays(to, -29);
  if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
  if (addDays(from, 365) < to) throw new AppError('VALIDATION_FAILED', '统计期间最长 366 天');
  return { from, to };
}
