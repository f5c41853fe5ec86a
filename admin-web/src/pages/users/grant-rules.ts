/**
 * Who may grant which role where, and what the account forms send. Pure and
 * unit tested. The role/node rules mirror the server's users service (not in
 * the shared contract yet); the server decides in the end.
 */
import {
  ORG_KIND_LABELS,
  STAFF_ROLE_LABELS,
  STAFF_ROLES,
  createStaffAccountSchema,
  updateStaffAccountSchema,
  type Grant,
  type OrgNode,
  type OrgNodeKind,
  type StaffAccount,
  type StaffRole,
} from '@campuspay/shared';
import { orgSelectTree, type OrgSelectOption } from '../../org/org-tree.ts';
import type { CreateStaffAccountRequest, UpdateStaffAccountRequest } from '../../services/users.ts';

/** Roles a grantor may hand out: nobody grants more than they hold. */
export const GRANTABLE_ROLES: Readonly<Record<StaffRole, readonly StaffRole[]>> = {
  platform_admin: STAFF_ROLES,
  group_admin: ['group_admin', 'bursar', 'auditor'],
  branch_manager: [],
  bursar: [],
  auditor: [],
};

/** The levels of the tree each role may be scoped to. */
export const ROLE_NODE_KINDS: Readonly<Record<StaffRole, readonly OrgNodeKind[]>> = {
  platform_admin: ['bank'],
  branch_manager: ['bank', 'branch'],
  group_admin: ['school_group', 'campus', 'division'],
  bursar: ['school_group', 'campus', 'division'],
  auditor: ['bank', 'branch', 'school_group', 'campus'],
};

const KIND_DEPTH: readonly OrgNodeKind[] = ['bank', 'branch', 'school_group', 'campus', 'division', 'grade', 'class'];

/** "集团、校区或学部" for the form's hint. */
export function roleNodeKindsText(role: StaffRole): string {
  const labels = ROLE_NODE_KINDS[role].map((kind) => ORG_KIND_LABELS[kind]);
  if (labels.length <= 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join('、')}或${labels[labels.length - 1]}`;
}

/**
 * The nodes a grant of `role` may sit on, inside the grantor's scope: only
 * the allowed levels are selectable, and the tree stops at the deepest of them.
 */
export function grantNodeTree(nodes: readonly OrgNode[], scopeNodeId: string, role: StaffRole | undefined): OrgSelectOption[] {
  const kinds = role ? ROLE_NODE_KINDS[role] : [];
  const deepest = Math.max(-1, ...kinds.map((kind) => KIND_DEPTH.indexOf(kind)));
  return orgSelectTree(nodes, {
    rootId: scopeNodeId,
    selectableKinds: kinds,
    visibleKinds: KIND_DEPTH.slice(0, deepest + 1),
    withKindLabel: true,
  });
}

/** "集团管理员 · 明德教育集团". */
export function grantLabel(grant: Pick<StaffAccount['grants'][number], 'role' | 'nodeName'>): string {
  return `${STAFF_ROLE_LABELS[grant.role]} · ${grant.nodeName || '已删除的节点'}`;
}

export type AccountState = 'active' | 'disabled' | 'must-change-password';

export function accountState(account: Pick<StaffAccount, 'disabled' | 'mustChangePassword'>): AccountState {
  if (account.disabled) return 'disabled';
  if (account.mustChangePassword) return 'must-change-password';
  return 'active';
}

export const ACCOUNT_STATE_LABELS: Readonly<Record<AccountState, { text: string; color: string }>> = {
  active: { text: '正常', color: 'green' },
  'must-change-password': { text: '待首次改密', color: 'orange' },
  disabled: { text: '已停用', color: 'default' },
};

/** Whether the grantor may manage this account at all: every grant of it must be inside the grantor's scope. */
export function canManageAccount(account: StaffAccount, nodesInScope: ReadonlySet<string>): boolean {
  return account.grants.length > 0 && account.grants.every((grant) => nodesInScope.has(grant.nodeId));
}

export interface GrantFormValue {
  role?: StaffRole | undefined;
  nodeId?: string | undefined;
}

export interface AccountFormValues {
  username?: string | undefined;
  displayName?: string | undefined;
  initialPassword?: string | undefined;
  grants?: GrantFormValue[] | undefined;
}

export type Issues = { path: PropertyKey[]; message: string }[];
export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: Issues };

function grantIssues(grants: readonly GrantFormValue[]): { grants: Grant[]; issues: Issues } {
  const issues: Issues = [];
  const seen = new Map<string, number>();
  const complete: Grant[] = [];
  grants.forEach((grant, index) => {
    if (!grant.role) issues.push({ path: ['grants', index, 'role'], message: '请选择角色' });
    if (!grant.nodeId) issues.push({ path: ['grants', index, 'nodeId'], message: '请选择授权范围' });
    if (!grant.role || !grant.nodeId) return;
    const key = `${grant.role}@${grant.nodeId}`;
    if (seen.has(key)) issues.push({ path: ['grants', index, 'nodeId'], message: '与上面的授权重复' });
    seen.set(key, index);
    complete.push({ role: grant.role, nodeId: grant.nodeId });
  });
  if (grants.length === 0) issues.push({ path: ['grants'], message: '至少授予一个角色' });
  return { grants: complete, issues };
}

/** The body of `POST /admin/users`, or the problems. */
export function createAccountRequestOf(values: AccountFormValues): FormResult<CreateStaffAccountRequest> {
  const { grants, issues } = grantIssues(values.grants ?? []);
  const body: CreateStaffAccountRequest = {
    username: values.username?.trim() ?? '',
    displayName: values.displayName?.trim() ?? '',
    initialPassword: values.initialPassword ?? '',
    grants,
  };
  const parsed = createStaffAccountSchema.safeParse(body);
  if (!parsed.success) issues.push(...parsed.error.issues.filter((issue) => issue.path[0] !== 'grants'));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: body };
}

function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  return a.length === b.length && a.every((grant, index) => grant.role === b[index]?.role && grant.nodeId === b[index]?.nodeId);
}

/** The body of `PATCH /admin/users/:id`: only what changed, or the problems. */
export function updateAccountRequestOf(account: StaffAccount, values: AccountFormValues): FormResult<UpdateStaffAccountRequest> {
  const { grants, issues } = grantIssues(values.grants ?? []);
  const body: UpdateStaffAccountRequest = {};
  const displayName = values.displayName?.trim();
  if (displayName !== undefined && displayName !== account.displayName) body.displayName = displayName;
  const before = account.grants.map(({ role, nodeId }) => ({ role, nodeId }));
  if (!sameGrants(before, grants)) body.grants = grants;
  const parsed = updateStaffAccountSchema.safeParse(body);
  if (!parsed.success) issues.push(...parsed.error.issues.filter((issue) => issue.path[0] !== 'grants'));
  if (displayName === '') issues.push({ path: ['displayName'], message: '请填写姓名' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: body };
}

/** Local search over the account list (username, name, node names). */
export function matchesAccount(account: StaffAccount, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return (
    account.username.toLowerCase().includes(q) ||
    account.displayName.toLowerCase().includes(q) ||
    account.grants.some((grant) => grant.nodeName.toLowerCase().includes(q) || STAFF_ROLE_LABELS[grant.role].includes(q))
  );
}
