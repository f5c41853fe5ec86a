import type { Connection } from 'mongoose';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { classAncestry } from './people.service.ts';

type NodeDoc = { _id: string; kind: string; name: string; path: string[]; sortOrder?: number | null; archived?: boolean | null };

export interface RosterClass {
  id: string;
  path: string[];
  campusId: string;
  groupId: string;
  /** Campus, division, grade and class names, as a roster row names them. */
  names: [string, string, string, string];
}

export interface RosterClassIndex {
  /** Live classes in the scope, in tree order. */
  classes: RosterClass[];
  /** The classes a row's four names denote (more than one only if names repeat across school groups). */
  find(campus: string, division: string, grade: string, klass: string): RosterClass[];
  byId: Map<string, RosterClass>;
  /** Name of any node in the scope or above it. */
  nameOf(id: string): string;
}

/** Names compare as the organisation's unique name keys do: trimmed, case-insensitive. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

const pathKey = (names: readonly string[]) => names.map(nameKey).join('\u0000');

/**
 * The classes a staff user may place students in (optionally only those
 * under `within`, a node of the scope), with their ancestors' names: two
 * queries (the scope's subtree and its ancestors) however many rows a roster has.
 */
export async function rosterClassIndex(db: Connection, scope: StaffScope, { within }: { within?: string | undefined } = {}): Promise<RosterClassIndex> {
  const nodes = OrgNodeModel(db);
  const ancestors = scope.principal.nodePath.filter((id) => id !== scope.nodeId);
  const [below, above] = await Promise.all([
    nodes.find({ path: scope.nodeId }, { kind: 1, name: 1, path: 1, sortOrder: 1, archived: 1 }).lean<NodeDoc[]>(),
    ancestors.length ? nodes.find({ _id: { $in: ancestors } }, { kind: 1, name: 1, path: 1, archived: 1 }).lean<NodeDoc[]>() : [],
  ]);
  const byNodeId = new Map<string, NodeDoc>();
  for (const n of [...above, ...below]) byNodeId.set(n._id, n);
  const nameOf = (id: string) => byNodeId.get(id)?.name ?? '';
  // Narrowing to one campus (or any node) of the scope; one outside it is reported missing.
  if (within) scope.assert(byNodeId.get(within)?.path, '组织节点');

  const classes: RosterClass[] = [];
  for (const node of below) {
    if (node.kind !== 'class' || node.path.length < 5) continue;
    if (node.path.some((id) => byNodeId.get(id)?.archived)) continue;
    if (within && !node.path.includes(within)) continue;
    const [campusId, divisionId, gradeId] = node.path.slice(-4);
    const { groupId } = classAncestry(node.path);
    classes.push({
      id: node._id,
      path: node.path,
      campusId: campusId ?? '',
      groupId,
      names: [nameOf(campusId ?? ''), nameOf(divisionId ?? ''), nameOf(gradeId ?? ''), node.name],
    });
  }
  const order = (id: string) => byNodeId.get(id)?.sortOrder ?? 0;
  classes.sort((a, b) => {
    for (let i = 0; i < a.path.length && i < b.path.length; i++) {
      const x = a.path[i] ?? '';
      const y = b.path[i] ?? '';
      if (x !== y) return order(x) - order(y) || nameOf(x).localeCompare(nameOf(y), 'zh-CN');
    }
    return a.path.length - b.path.length;
  });

  const byPath = new Map<string, RosterClass[]>();
  for (const c of classes) {
    const key = pathKey(c.names);
    const list = byPath.get(key);
    if (list) list.push(c);
    else byPath.set(key, [c]);
  }
  return {
    classes,
    find: (campus, division, grade, klass) => byPath.get(pathKey([campus, division, grade, klass])) ?? [],
    byId: new Map(classes.map((c) => [c.id, c])),
    nameOf,
  };
}
