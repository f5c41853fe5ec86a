/**
 * The organisation tree as the pages use it, built from the flat list of
 * `GET /admin/org-nodes` (the user's subtree plus its ancestors, each node
 * with `parentId` and `path`). Pure and unit tested: no React, no antd.
 */
import { ORG_KIND_LABELS, type OrgNode, type OrgNodeKind, type StaffRole } from '@campuspay/shared';

export interface OrgTreeNode {
  node: OrgNode;
  children: OrgTreeNode[];
}

/** Children in the server's order: sortOrder, then grade level, then name (zh-CN, numbers as numbers). */
function compareNodes(a: OrgNode, b: OrgNode): number {
  return a.sortOrder - b.sortOrder || (a.level ?? 0) - (b.level ?? 0) || a.name.localeCompare(b.name, 'zh-CN', { numeric: true });
}

/**
 * Links the flat list into trees. A node whose parent is not in the list
 * (the top of what the user may see) becomes a root.
 */
export function buildOrgTree(nodes: readonly OrgNode[]): OrgTreeNode[] {
  const byId = new Map<string, OrgTreeNode>();
  for (const node of nodes) byId.set(node.id, { node, children: [] });
  const roots: OrgTreeNode[] = [];
  for (const entry of byId.values()) {
    const parent = entry.node.parentId ? byId.get(entry.node.parentId) : undefined;
    if (parent) parent.children.push(entry);
    else roots.push(entry);
  }
  const sort = (list: OrgTreeNode[]) => {
    list.sort((a, b) => compareNodes(a.node, b.node));
    for (const entry of list) sort(entry.children);
  };
  sort(roots);
  return roots;
}

/** Is `node` the scope node or below it? (Ancestors are listed only for context.) */
export function isInScope(node: Pick<OrgNode, 'path'>, scopeNodeId: string): boolean {
  return node.path.includes(scopeNodeId);
}

/** The nodes of the list that lie inside the scope. */
export function nodesInScope(nodes: readonly OrgNode[], scopeNodeId: string): OrgNode[] {
  return nodes.filter((node) => isInScope(node, scopeNodeId));
}

/** Campuses inside the scope, in tree order; what the header's campus picker offers. */
export function campusesInScope(nodes: readonly OrgNode[], scopeNodeId: string): OrgNode[] {
  return nodesInScope(nodes, scopeNodeId)
    .filter((node) => node.kind === 'campus' && !node.archived)
    .sort((a, b) => a.path.length - b.path.length || compareNodes(a, b));
}

/** The campus a node belongs to (itself when it is one), if the list holds it. */
export function campusOf(nodes: readonly OrgNode[], node: Pick<OrgNode, 'path'>): OrgNode | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const id of node.path) {
    const candidate = byId.get(id);
    if (candidate?.kind === 'campus') return candidate;
  }
  return undefined;
}

/** "明德东校区 / 小学部 / 一年级 / 1班": the names from `fromKind` down to the node. */
export function pathLabel(nodes: readonly OrgNode[], node: Pick<OrgNode, 'path'>, fromKind: OrgNodeKind = 'campus'): string {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const names: string[] = [];
  let started = false;
  for (const id of node.path) {
    const n = byId.get(id);
    if (!n) continue;
    if (n.kind === fromKind) started = true;
    if (started) names.push(n.name);
  }
  if (names.length > 0) return names.join(' / ');
  return node.path.map((id) => byId.get(id)?.name).filter(Boolean).join(' / ');
}

/** A `TreeSelect` option (antd `treeData` shape). */
export interface OrgSelectOption {
  value: string;
  title: string;
  /** For search: the name plus the kind label. */
  label: string;
  /** The names from the top of the picker down to this node ("东校区 / 小学部 / 一年级 / 2班"), for the chosen value. */
  fullTitle: string;
  kind: OrgNodeKind;
  selectable: boolean;
  children?: OrgSelectOption[];
}

export interface OrgSelectOptions {
  /** Keep only the subtree under this node (e.g. the user's scope or one campus). */
  rootId?: string | undefined;
  /** Kinds that may be picked; other nodes only group them. Default: all. */
  selectableKinds?: readonly OrgNodeKind[];
  /** Kinds to show at all (the deepest shown kind ends each branch). Default: all. */
  visibleKinds?: readonly OrgNodeKind[];
  /** Drop branches that contain nothing selectable (default true). */
  pruneEmpty?: boolean;
  /** Suffix names with the kind ("东校区（校区）"); default false. */
  withKindLabel?: boolean;
}

/**
 * Tree data for a `TreeSelect` over the organisation: what a filter or a
 * picker offers (e.g. only classes of one campus, or campus→class for the
 * roster filter). Archived nodes never appear.
 */
export function orgSelectTree(nodes: readonly OrgNode[], options: OrgSelectOptions = {}): OrgSelectOption[] {
  const { rootId, selectableKinds, visibleKinds, pruneEmpty = true, withKindLabel = false } = options;
  const live = nodes.filter((node) => !node.archived);
  let roots = buildOrgTree(live);
  if (rootId) {
    const find = (list: OrgTreeNode[]): OrgTreeNode | undefined => {
      for (const entry of list) {
        if (entry.node.id === rootId) return entry;
        const below = find(entry.children);
        if (below) return below;
      }
      return undefined;
    };
    const root = find(roots);
    roots = root ? [root] : [];
  }
  const visible = (kind: OrgNodeKind) => !visibleKinds || visibleKinds.includes(kind);
  const selectable = (kind: OrgNodeKind) => !selectableKinds || selectableKinds.includes(kind);

  const convert = (entry: OrgTreeNode, above: readonly string[]): OrgSelectOption[] => {
    const shown = visible(entry.node.kind);
    const trail = shown ? [...above, entry.node.name] : above;
    const children = entry.children.flatMap((child) => convert(child, trail));
    if (!shown) return children; // hoist what is below a hidden level
    const canPick = selectable(entry.node.kind);
    if (pruneEmpty && !canPick && children.length === 0) return [];
    const kindLabel = ORG_KIND_LABELS[entry.node.kind];
    const option: OrgSelectOption = {
      value: entry.node.id,
      title: withKindLabel ? `${entry.node.name}（${kindLabel}）` : entry.node.name,
      label: `${entry.node.name} ${kindLabel}`,
      fullTitle: trail.join(' / '),
      kind: entry.node.kind,
      selectable: canPick,
    };
    if (children.length > 0) option.children = children;
    return [option];
  };
  return roots.flatMap((root) => convert(root, []));
}

/** Ids of every option in a tree (e.g. to expand all). */
export function optionIds(options: readonly OrgSelectOption[]): string[] {
  return options.flatMap((option) => [option.value, ...optionIds(option.children ?? [])]);
}

/**
 * Node kinds each role may create, edit or archive (mirrors the server's
 * org service; not in the shared contract yet). The server decides.
 */
export const WRITABLE_ORG_KINDS: Readonly<Partial<Record<StaffRole, readonly OrgNodeKind[]>>> = {
  platform_admin: ['branch', 'school_group', 'campus', 'division', 'grade', 'class'],
  group_admin: ['campus', 'division', 'grade', 'class'],
};

export function canWriteOrgKind(role: StaffRole, kind: OrgNodeKind): boolean {
  return (WRITABLE_ORG_KINDS[role] ?? []).includes(kind);
}

/**
 * Ids to expand when a tree first shows: every node except those of
 * `foldedKinds` (by default grades and classes stay folded, so the tree opens
 * down to the grades).
 */
export function defaultExpandedIds(nodes: readonly OrgNode[], foldedKinds: readonly OrgNodeKind[] = ['grade', 'class']): string[] {
  return nodes.filter((node) => !foldedKinds.includes(node.kind)).map((node) => node.id);
}

/** Nodes whose name matches `query`, plus all their ancestors (to keep them visible when searching). */
export function matchingWithAncestors(nodes: readonly OrgNode[], query: string): Set<string> {
  const q = query.trim().toLowerCase();
  const keep = new Set<string>();
  if (!q) return keep;
  for (const node of nodes) {
    if (node.name.toLowerCase().includes(q) || (node.schoolCode ?? '').toLowerCase().includes(q)) {
      for (const id of node.path) keep.add(id);
    }
  }
  return keep;
}
