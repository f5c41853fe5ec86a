/**
 * What the organisation page's forms send: pure, unit tested. The shared
 * schemas decide what is valid; only the fields that fit the node's kind are
 * sent (a school code for a campus, a level for a grade, the international
 * flag for a division).
 */
import {
  CHILD_KINDS,
  ORG_KIND_LABELS,
  createOrgNodeSchema,
  updateOrgNodeSchema,
  type CreateOrgNodeRequest,
  type OrgNode,
  type OrgNodeKind,
  type StaffRole,
  type UpdateOrgNodeRequest,
} from '@campuspay/shared';
import { canWriteOrgKind } from '../../org/org-tree.ts';

export interface NodeFormValues {
  kind?: OrgNodeKind | undefined;
  name?: string | undefined;
  schoolCode?: string | undefined;
  level?: number | null | undefined;
  international?: boolean | undefined;
  sortOrder?: number | null | undefined;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: { path: PropertyKey[]; message: string }[] };

/** Kinds the user may create under `parent`: the tree's shape and the role's reach. */
export function creatableChildKinds(parent: Pick<OrgNode, 'kind' | 'archived'>, role: StaffRole): OrgNodeKind[] {
  if (parent.archived) return [];
  return CHILD_KINDS[parent.kind].filter((kind) => canWriteOrgKind(role, kind));
}

/** Whether the node can be edited or archived by the role (scope is checked by the server). */
export function canEditNode(node: Pick<OrgNode, 'kind'>, role: StaffRole, inScope: boolean): boolean {
  return inScope && canWriteOrgKind(role, node.kind);
}

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function kindFields(kind: OrgNodeKind, values: NodeFormValues) {
  const fields: Pick<CreateOrgNodeRequest, 'schoolCode' | 'level' | 'international'> = {};
  const schoolCode = trimmed(values.schoolCode);
  if (kind === 'campus' && schoolCode !== undefined) fields.schoolCode = schoolCode.toUpperCase();
  if (kind === 'grade' && typeof values.level === 'number') fields.level = values.level;
  if (kind === 'division') fields.international = Boolean(values.international);
  return fields;
}

/** The body of `POST /admin/org-nodes` for a child of `parent`, or the problems. */
export function createRequestOf(parent: Pick<OrgNode, 'id' | 'kind'>, values: NodeFormValues): FormResult<CreateOrgNodeRequest> {
  const kind = values.kind;
  if (!kind) return { ok: false, issues: [{ path: ['kind'], message: '请选择类型' }] };
  if (!CHILD_KINDS[parent.kind].includes(kind)) {
    return { ok: false, issues: [{ path: ['kind'], message: `${ORG_KIND_LABELS[parent.kind]}下不能创建${ORG_KIND_LABELS[kind]}` }] };
  }
  const body: CreateOrgNodeRequest = {
    parentId: parent.id,
    kind,
    name: values.name?.trim() ?? '',
    ...kindFields(kind, values),
    ...(typeof values.sortOrder === 'number' ? { sortOrder: values.sortOrder } : {}),
  };
  if (kind === 'campus' && body.schoolCode === undefined) {
    return { ok: false, issues: [{ path: ['schoolCode'], message: '校区必须设置学校代码（家长绑定孩子时使用）' }] };
  }
  const parsed = createOrgNodeSchema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues };
}

/** The body of `PATCH /admin/org-nodes/:id`: only what changed, or the problems. */
export function updateRequestOf(node: OrgNode, values: NodeFormValues): FormResult<UpdateOrgNodeRequest> {
  const body: UpdateOrgNodeRequest = {};
  const name = values.name?.trim();
  if (name !== undefined && name !== node.name) body.name = name;
  const fields = kindFields(node.kind, values);
  if (fields.schoolCode !== undefined && fields.schoolCode !== node.schoolCode) body.schoolCode = fields.schoolCode;
  if (fields.level !== undefined && fields.level !== node.level) body.level = fields.level;
  if (fields.international !== undefined && fields.international !== node.international) body.international = fields.international;
  if (typeof values.sortOrder === 'number' && values.sortOrder !== node.sortOrder) body.sortOrder = values.sortOrder;
  if (name !== undefined && name === '') return { ok: false, issues: [{ path: ['name'], message: '请填写名称' }] };
  const parsed = updateOrgNodeSchema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues };
}

/** The form's starting values for editing `node`. */
export function formValuesOf(node: OrgNode): NodeFormValues {
  return {
    kind: node.kind,
    name: node.name,
    schoolCode: node.schoolCode ?? undefined,
    level: node.level,
    international: node.international,
    sortOrder: node.sortOrder,
  };
}

/** How many live nodes of each kind sit below `node` ("2 个学部，9 个年级"). */
export function descendantCounts(nodes: readonly OrgNode[], node: Pick<OrgNode, 'id'>): Partial<Record<OrgNodeKind, number>> {
  const counts: Partial<Record<OrgNodeKind, number>> = {};
  for (const other of nodes) {
    if (other.id === node.id || other.archived || !other.path.includes(node.id)) continue;
    counts[other.kind] = (counts[other.kind] ?? 0) + 1;
  }
  return counts;
}

/** "2 个学部、9 个年级、18 个班级", in tree order; empty string when none. */
export function describeCounts(counts: Partial<Record<OrgNodeKind, number>>): string {
  const order: OrgNodeKind[] = ['branch', 'school_group', 'campus', 'division', 'grade', 'class'];
  return order
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => `${counts[kind]} 个${ORG_KIND_LABELS[kind]}`)
    .join('、');
}
