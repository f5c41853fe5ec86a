import type { Connection } from 'mongoose';
import { notFound } from '../../platform/errors.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';

type NodeDoc = { _id: string; kind: string; name: string; path: string[] };

/** The node a report covers: the user's scope node, or a node inside it that the query narrowed to. */
export interface ReportRoot {
  nodeId: string;
  path: string[];
  kind: string;
  /** Names from the school group (or the scope node, if higher) down to the root: 明德教育集团 / 明德东校区. */
  label: string;
  /** Name of any node under the root or on its path. */
  nameOf(id: string): string;
}

/**
 * Resolves the report root and loads the names of every node under it with
 * two queries, however many rows the report has. A node outside the scope
 * is reported as missing (404), like any other object.
 */
export async function reportRoot(db: Connection, scope: StaffScope, nodeId?: string): Promise<ReportRoot> {
  const nodes = OrgNodeModel(db);
  const rootId = nodeId ?? scope.nodeId;
  const root = await nodes.findById(rootId, { kind: 1, name: 1, path: 1 }).lean<NodeDoc>();
  if (!root || !scope.contains(root.path)) throw notFound('组织节点');
  const [below, above] = await Promise.all([
    nodes.find({ path: root._id }, { name: 1 }).lean<NodeDoc[]>(),
    nodes.find({ _id: { $in: root.path } }, { kind: 1, name: 1 }).lean<NodeDoc[]>(),
  ]);
  const names = new Map<string, string>();
  const kinds = new Map<string, string>();
  for (const n of [...above, ...below]) {
    names.set(n._id, n.name);
    if (n.kind) kinds.set(n._id, n.kind);
  }
  // Staff below a bank see their path from the school group down; bank staff from their own node.
  const groupIndex = root.path.findIndex((id) => kinds.get(id) === 'school_group');
  const scopeIndex = root.path.indexOf(scope.nodeId);
  const start = groupIndex >= 0 ? Math.min(groupIndex, Math.max(scopeIndex, 0)) : Math.max(scopeIndex, 0);
  const label = root.path
    .slice(start)
    .map((id) => names.get(id) ?? id)
    .join(' / ');
  return { nodeId: root._id, path: root.path, kind: root.kind, label, nameOf: (id) => names.get(id) ?? id };
}

/**
 * Names of a class path from just below the report root down to `index`
 * (inclusive): a campus report labels classes 小学部 / 一年级 / 1班; a key
 * at or above the root is labelled by its own name.
 */
export function pathLabel(root: ReportRoot, path: string[], index: number): string {
  const rootIndex = path.indexOf(root.nodeId);
  const from = rootIndex >= 0 && rootIndex < index ? rootIndex + 1 : index;
  return path
    .slice(from, index + 1)
    .map((id) => root.nameOf(id))
    .join(' / ');
}
