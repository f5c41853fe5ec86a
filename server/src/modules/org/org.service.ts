import { randomUUID } from 'node:crypto';
import {
  CHILD_KINDS,
  ORG_KIND_LABELS,
  type CreateOrgNodeRequest,
  type OrgNode,
  type OrgNodeKind,
  type UpdateOrgNodeRequest,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from './org-node.model.ts';
import { StudentModel } from '../people/student.model.ts';

type OrgNodeDoc = {
  _id: string;
  kind: OrgNodeKind;
  name: string;
  parentId?: string | null;
  path: string[];
  schoolCode?: string | null;
  level?: number | null;
  international?: boolean | null;
  sortOrder?: number | null;
  archived?: boolean | null;
};

export function toOrgNode(doc: OrgNodeDoc): OrgNode {
  return {
    id: doc._id,
    kind: doc.kind,
    name: doc.name,
    parentId: doc.parentId ?? null,
    path: doc.path,
    schoolCode: doc.schoolCode ?? null,
    level: doc.level ?? null,
    international: Boolean(doc.international),
    sortOrder: doc.sortOrder ?? 0,
    archived: Boolean(doc.archived),
  };
}

/** Kinds each role may create or edit; everything else about a node is governed by scope. */
const WRITABLE_KINDS: Record<string, OrgNodeKind[]> = {
  platform_admin: ['branch', 'school_group', 'campus', 'division', 'grade', 'class'],
  group_admin: ['campus', 'division', 'grade', 'class'],
};

export function newNodeId(kind: OrgNodeKind): string {
  return `${kind.replace('_', '')}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export function nodeKeys(node: { _id: string; name: string; schoolCode?: string | null }) {
  return { nameKey: node.name.trim().toLowerCase(), schoolCodeKey: node.schoolCode ? `code:${node.schoolCode.toUpperCase()}` : `none:${node._id}` };
}

export function orgService(deps: ServerDeps) {
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);

  /** A node inside the scope (the scope node itself, or below it); 404 otherwise. */
  async function getInScope(scope: StaffScope, id: string): Promise<OrgNodeDoc> {
    const node = await nodes.findById(id).lean<OrgNodeDoc>();
    scope.assert(node?.path, '组织节点');
    return node as OrgNodeDoc;
  }

  /** The scope node's subtree plus its ancestors (read-only context for breadcrumbs). */
  async function tree(scope: StaffScope, { includeArchived = false }: { includeArchived?: boolean } = {}): Promise<OrgNode[]> {
    const below = await nodes.find({ path: scope.nodeId }).lean<OrgNodeDoc[]>();
    const ancestors = scope.principal.nodePath.filter((id) => id !== scope.nodeId);
    const above = ancestors.length ? await nodes.find({ _id: { $in: ancestors } }).lean<OrgNodeDoc[]>() : [];
    return [...above, ...below]
      .filter((n) => includeArchived || !n.archived)
      .map(toOrgNode)
      .sort((a, b) => a.path.length - b.path.length || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'));
  }

  function assertWritable(scope: StaffScope, kind: OrgNodeKind): void {
    if (!(WRITABLE_KINDS[scope.principal.role] ?? []).includes(kind)) {
      throw new AppError('FORBIDDEN', `当前角色不能维护${ORG_KIND_LABELS[kind]}`);
    }
  }

  async function create(scope: StaffScope, input: CreateOrgNodeRequest): Promise<OrgNode> {
    const parent = await getInScope(scope, input.parentId);
    if (!CHILD_KINDS[parent.kind].includes(input.kind)) {
      throw new AppError('VALIDATION_FAILED', `${ORG_KIND_LABELS[parent.kind]}下不能创建${ORG_KIND_LABELS[input.kind]}`);
    }
    assertWritable(scope, input.kind);
    if (input.kind === 'campus' && !input.schoolCode) throw new AppError('VALIDATION_FAILED', '校区必须设置学校代码（家长绑定孩子时使用）');
    const _id = newNodeId(input.kind);
    const doc = {
      _id,
      kind: input.kind,
      name: input.name,
      parentId: parent._id,
      path: [...parent.path, _id],
      schoolCode: input.kind === 'campus' ? (input.schoolCode ?? null)?.toUpperCase() ?? null : null,
      level: input.kind === 'grade' ? (input.level ?? null) : null,
      international: input.kind === 'division' ? Boolean(input.international) : false,
      sortOrder: input.sortOrder ?? 0,
    };
    try {
      await nodes.create({ ...doc, ...nodeKeys(doc) });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw duplicateNode(input.name, doc.schoolCode);
      throw error;
    }
    await audit.append(scope.principal, { action: 'org.create', objectType: 'org_node', objectId: _id, orgPath: doc.path, after: doc });
    return toOrgNode(doc);
  }

  async function update(scope: StaffScope, id: string, input: UpdateOrgNodeRequest): Promise<OrgNode> {
    const node = await getInScope(scope, id);
    assertWritable(scope, node.kind);
    const next: OrgNodeDoc = {
      ...node,
      name: input.name ?? node.name,
      schoolCode: node.kind === 'campus' && input.schoolCode ? input.schoolCode.toUpperCase() : (node.schoolCode ?? null),
      level: node.kind === 'grade' && input.level !== undefined ? input.level : (node.level ?? null),
      international: node.kind === 'division' && input.international !== undefined ? input.international : Boolean(node.international),
      sortOrder: input.sortOrder ?? node.sortOrder ?? 0,
    };
    try {
      await nodes.updateOne(
        { _id: id },
        { $set: { name: next.name, schoolCode: next.schoolCode, level: next.level, international: next.international, sortOrder: next.sortOrder, ...nodeKeys(next) } },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) throw duplicateNode(next.name, next.schoolCode ?? null);
      throw error;
    }
    await audit.append(scope.principal, { action: 'org.update', objectType: 'org_node', objectId: id, orgPath: node.path, before: node, after: next });
    return toOrgNode(next);
  }

  /** Archiving hides a node from pickers; it is refused while the node still has live children. */
  async function archive(scope: StaffScope, id: string): Promise<void> {
    const node = await getInScope(scope, id);
    assertWritable(scope, node.kind);
    if (id === scope.nodeId) throw new AppError('BUSINESS_RULE', '不能归档自己的授权节点');
    const liveChildren = await nodes.countDocuments({ parentId: id, archived: false });
    if (liveChildren > 0) throw new AppError('BUSINESS_RULE', `该${ORG_KIND_LABELS[node.kind]}下还有 ${liveChildren} 个下级节点，请先处理`);
    const enrolled = await StudentModel(deps.db).countDocuments({ orgPath: id, status: 'enrolled' });
    if (enrolled > 0) throw new AppError('BUSINESS_RULE', `该${ORG_KIND_LABELS[node.kind]}下还有 ${enrolled} 名在读学生，请先调班`);
    await nodes.updateOne({ _id: id }, { $set: { archived: true } });
    await audit.append(scope.principal, { action: 'org.archive', objectType: 'org_node', objectId: id, orgPath: node.path, before: { archived: false }, after: { archived: true } });
  }

  return { tree, getInScope, create, update, archive };
}

function duplicateNode(name: string, schoolCode: string | null): AppError {
  return new AppError('DUPLICATE', schoolCode ? `学校代码 ${schoolCode} 或名称「${name}」已被使用` : `同一上级下已有名为「${name}」的节点`);
}

export type OrgService = ReturnType<typeof orgService>;
