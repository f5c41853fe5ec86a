import { Types } from 'mongoose';
import type { z } from 'zod';
import { STAFF_ROLE_LABELS, type Grant, type StaffAccount, type createStaffAccountSchema, type updateStaffAccountSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { GRANTABLE_ROLES } from '../auth/permissions.ts';
import type { StaffScope } from '../auth/principal.ts';
import { SessionModel } from '../auth/session.model.ts';
import { StaffUserModel } from '../auth/staff-user.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';

type UserDoc = {
  _id: Types.ObjectId;
  username: string;
  displayName: string;
  grants: Grant[];
  grantPaths: string[];
  disabled?: boolean | null;
  mustChangePassword?: boolean | null;
  lastLoginAt?: Date | null;
};

/** Which node kinds a role may be scoped to. */
const ROLE_NODE_KINDS: Record<Grant['role'], string[]> = {
  platform_admin: ['bank'],
  branch_manager: ['bank', 'branch'],
  group_admin: ['school_group', 'campus', 'division'],
  bursar: ['school_group', 'campus', 'division'],
  auditor: ['bank', 'branch', 'school_group', 'campus'],
};

export function usersService(deps: ServerDeps) {
  const users = StaffUserModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);

  /** Checks each grant against the grantor's own role and scope, and returns every node's ancestry. */
  async function checkGrants(scope: StaffScope, grants: Grant[]): Promise<string[]> {
    const paths = new Set<string>();
    for (const grant of grants) {
      if (!GRANTABLE_ROLES[scope.principal.role].includes(grant.role)) {
        throw new AppError('FORBIDDEN', `您不能授予「${STAFF_ROLE_LABELS[grant.role]}」角色`);
      }
      const node = await nodes.findById(grant.nodeId).lean();
      if (!node || !scope.contains(node.path)) throw new AppError('VALIDATION_FAILED', '授权范围不存在或超出您的管理范围');
      if (!ROLE_NODE_KINDS[grant.role].includes(node.kind)) {
        throw new AppError('VALIDATION_FAILED', `「${STAFF_ROLE_LABELS[grant.role]}」不能授权在「${node.name}」这一级`);
      }
      paths.add(grant.nodeId);
    }
    return [...paths];
  }

  async function describe(docs: UserDoc[]): Promise<StaffAccount[]> {
    const ids = [...new Set(docs.flatMap((d) => d.grants.map((g) => g.nodeId)))];
    const found = ids.length ? await nodes.find({ _id: { $in: ids } }).lean() : [];
    const byId = new Map(found.map((n) => [String(n._id), n]));
    return docs.map((d) => ({
      id: String(d._id),
      username: d.username,
      displayName: d.displayName,
      grants: d.grants.map((g) => ({ role: g.role, nodeId: g.nodeId, nodeName: byId.get(g.nodeId)?.name ?? '', nodeKind: byId.get(g.nodeId)?.kind ?? '' })),
      disabled: Boolean(d.disabled),
      mustChangePassword: Boolean(d.mustChangePassword),
      lastLoginAt: d.lastLoginAt ? d.lastLoginAt.toISOString() : null,
    }));
  }

  /** Users with at least one grant inside the caller's scope. */
  async function list(scope: StaffScope): Promise<StaffAccount[]> {
    const inScope = await nodes.find({ path: scope.nodeId }).lean();
    const ids = inScope.map((n) => String(n._id));
    const docs = await users.find({ grantPaths: { $in: ids } }).sort({ username: 1 }).lean<UserDoc[]>();
    return describe(docs);
  }

  async function getInScope(scope: StaffScope, id: string): Promise<UserDoc> {
    const doc = Types.ObjectId.isValid(id) ? await users.findById(id).lean<UserDoc>() : null;
    if (!doc) throw notFound('用户');
    const grantNodes = await nodes.find({ _id: { $in: doc.grantPaths } }).lean();
    // Managing a user needs every one of their grants inside your scope.
    if (grantNodes.length === 0 || !grantNodes.every((n) => scope.contains(n.path))) throw notFound('用户');
    return doc;
  }

  async function create(scope: StaffScope, input: z.output<typeof createStaffAccountSchema>): Promise<StaffAccount> {
    const grantPaths = await checkGrants(scope, input.grants);
    const doc = {
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.initialPassword),
      grants: input.grants,
      grantPaths,
      mustChangePassword: true,
      passwordChangedAt: new Date(),
    };
    let created;
    try {
      created = await users.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new AppError('DUPLICATE', `用户名 ${input.username} 已被使用`);
      throw error;
    }
    await audit.append(scope.principal, { action: 'user.create', objectType: 'staff_user', objectId: String(created._id), after: doc });
    const [view] = await describe([created.toObject() as unknown as UserDoc]);
    return view as StaffAccount;
  }

  async function update(scope: StaffScope, id: string, input: z.output<typeof updateStaffAccountSchema>): Promise<StaffAccount> {
    const before = await getInScope(scope, id);
    if (String(before._id) === scope.principal.userId && (input.disabled || input.grants)) {
      throw new AppError('BUSINESS_RULE', '不能停用自己或修改自己的授权');
    }
    const set: Record<string, unknown> = {};
    if (input.displayName !== undefined) set.displayName = input.displayName;
    if (input.grants) {
      set.grants = input.grants;
      set.grantPaths = await checkGrants(scope, input.grants);
    }
    if (input.disabled !== undefined) set.disabled = input.disabled;
    await users.updateOne({ _id: before._id }, { $set: set });
    if (input.disabled || input.grants) {
      await SessionModel(deps.db).updateMany({ subjectId: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
    }
    await audit.append(scope.principal, { action: 'user.update', objectType: 'staff_user', objectId: id, before, after: { ...before, ...set } });
    const [view] = await describe([{ ...before, ...set } as UserDoc]);
    return view as StaffAccount;
  }

  async function resetPassword(scope: StaffScope, id: string, password: string): Promise<void> {
    const before = await getInScope(scope, id);
    await users.updateOne(
      { _id: before._id },
      { $set: { passwordHash: await hashPassword(password), mustChangePassword: true, passwordChangedAt: new Date() } },
    );
    await SessionModel(deps.db).updateMany({ subjectId: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
    await audit.append(scope.principal, { action: 'user.password.reset', objectType: 'staff_user', objectId: id });
  }

  return { list, create, update, resetPassword };
}
