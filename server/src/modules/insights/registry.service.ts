import type { ServerDeps } from '../../deps.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ParentChildModel } from '../parents/parent.model.ts';
import { StudentModel } from '../people/student.model.ts';
import { InsightNodeModel, type InsightNodeDoc } from './insight-settings.model.ts';

export const INSIGHT_KINDS = ['bank', 'branch', 'school_group', 'campus'] as const;
type Kind = (typeof INSIGHT_KINDS)[number];

type NodeRow = { _id: string; kind: Kind; name: string; parentId: string | null; path: string[] };

/**
 * Keeps `insight_nodes`: the bank-side organisation with names and roster
 * counts (students enrolled, parents who bound a child), rebuilt in one pass
 * by a background job (hourly, and by the rebuild command). Parents are
 * counted once per campus and once per school group; above a group the
 * groups' counts add up.
 */
export function registryService(deps: Pick<ServerDeps, 'db' | 'log'>) {
  const { db } = deps;
  const registry = InsightNodeModel(db);

  async function refresh(): Promise<{ nodes: number; students: number; parents: number }> {
    const rows = await OrgNodeModel(db)
      .find({ kind: { $in: [...INSIGHT_KINDS] }, archived: { $ne: true } }, { kind: 1, name: 1, parentId: 1, path: 1 })
      .lean<NodeRow[]>();
    const byId = new Map(rows.map((r) => [r._id, r]));
    const children = new Map<string, NodeRow[]>();
    for (const r of rows) if (r.parentId && byId.has(r.parentId)) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);

    const students = new Map<string, number>();
    const campusOf = new Map<string, { campusId: string; groupId: string }>();
    const linked = new Set((await ParentChildModel(db).collection.find({}, { projection: { studentId: 1 } }).toArray()).map((l) => String(l.studentId)));
    for await (const s of StudentModel(db).collection.find({ status: 'enrolled' }, { projection: { campusId: 1, groupId: 1 } })) {
      const campusId = String(s.campusId);
      students.set(campusId, (students.get(campusId) ?? 0) + 1);
      if (linked.has(String(s._id))) campusOf.set(String(s._id), { campusId, groupId: String(s.groupId) });
    }
    const parentsOf = new Map<string, Set<string>>();
    for await (const l of ParentChildModel(db).collection.find({}, { projection: { parentId: 1, studentId: 1 } })) {
      const where = campusOf.get(String(l.studentId));
      if (!where) continue;
      for (const key of [where.campusId, where.groupId]) {
        let set = parentsOf.get(key);
        if (!set) parentsOf.set(key, (set = new Set()));
        set.add(String(l.parentId));
      }
    }

    const totals = new Map<string, { campuses: number; students: number; parents: number }>();
    const total = (node: NodeRow): { campuses: number; students: number; parents: number } => {
      const known = totals.get(node._id);
      if (known) return known;
      let t: { campuses: number; students: number; parents: number };
      if (node.kind === 'campus') t = { campuses: 1, students: students.get(node._id) ?? 0, parents: parentsOf.get(node._id)?.size ?? 0 };
      else {
        t = { campuses: 0, students: 0, parents: 0 };
        for (const c of children.get(node._id) ?? []) {
          const ct = total(c);
          t.campuses += ct.campuses;
          t.students += ct.students;
          t.parents += ct.parents;
        }
        if (node.kind === 'school_group') t.parents = parentsOf.get(node._id)?.size ?? 0;
      }
      totals.set(node._id, t);
      return t;
    };
    const countedAt = new Date();
    const docs: InsightNodeDoc[] = rows.map((r) => ({
      _id: r._id,
      kind: r.kind,
      name: r.name,
      parentId: r.parentId,
      path: r.path,
      pathNames: r.path.map((id) => byId.get(id)?.name ?? id),
      children: (children.get(r._id) ?? []).map((c) => ({ id: c._id, name: c.name, kind: c.kind })),
      ...total(r),
      countedAt,
    }));
    for (let i = 0; i < docs.length; i += 500) {
      await registry.collection.bulkWrite(
        docs.slice(i, i + 500).map((d) => ({ replaceOne: { filter: { _id: d._id as never }, replacement: d as never, upsert: true } })),
        { ordered: false },
      );
    }
    const live = new Set(docs.map((d) => d._id));
    const gone = (await registry.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id).filter((id) => !live.has(id));
    if (gone.length > 0) await registry.deleteMany({ _id: { $in: gone } });
    return { nodes: docs.length, students: [...students.values()].reduce((a, b) => a + b, 0), parents: new Set(campusOf.size ? [...parentsOf.values()].flatMap((s) => [...s]) : []).size };
  }

  return { refresh };
}

export type RegistryService = ReturnType<typeof registryService>;
