import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { StaffLoginResponse, StaffUser } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { auditService } from '../audit/audit.service.ts';
import { StaffUserModel } from './staff-user.model.ts';
import { LoginAttemptModel, SessionModel } from './session.model.ts';
import type { StaffPrincipal } from './principal.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** A hash of a random password, verified when the username is unknown so timing does not reveal which usernames exist. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

type StaffUserDoc = {
  _id: unknown;
  username: string;
  displayName: string;
  passwordHash: string;
  grants: { role: StaffUser['role']; nodeId: string }[];
  mustChangePassword?: boolean | null;
  passwordChangedAt: Date;
  disabled?: boolean | null;
};

export function authService(deps: ServerDeps) {
  const { db, config } = deps;
  const users = StaffUserModel(db);
  const sessions = SessionModel(db);
  const attempts = LoginAttemptModel(db);
  const nodes = OrgNodeModel(db);

  async function describeUser(user: StaffUserDoc, grantIndex: number): Promise<StaffUser> {
    const grant = user.grants[grantIndex] ?? user.grants[0];
    if (!grant) throw new AppError('FORBIDDEN', '该账号没有任何角色授权');
    const node = await nodes.findById(grant.nodeId).lean();
    return {
      id: String(user._id),
      username: user.username,
      displayName: user.displayName,
      role: grant.role,
      scope: { nodeId: grant.nodeId, kind: node?.kind ?? 'bank', name: node?.name ?? '（已删除的节点）' },
      mustChangePassword: Boolean(user.mustChangePassword),
    };
  }

  async function openSession(kind: 'staff' | 'parent', subjectId: string, ip: string | null, grantIndex = 0): Promise<string> {
    const token = newToken();
    await sessions.create({
      _id: hashToken(token),
      kind,
      subjectId,
      grantIndex,
      ip,
      expiresAt: new Date(Date.now() + config.sessionTtlHours * 3600_000),
    });
    return token;
  }

  async function login(username: string, password: string, ip: string | null): Promise<StaffLoginResponse> {
    const name = username.trim().toLowerCase();
    const windowStart = new Date(Date.now() - config.loginLockMinutes * 60_000);
    const recent = await attempts.find({ username: name, at: { $gte: windowStart } }).sort({ at: -1 }).lean();
    let failures = 0;
    for (const a of recent) {
      if (a.success) break;
      failures += 1;
    }
    if (failures >= config.loginMaxFailures) {
      const oldestCounted = recent[config.loginMaxFailures - 1]?.at ?? new Date();
      const retryAfter = Math.max(1, Math.ceil((oldestCounted.getTime() + config.loginLockMinutes * 60_000 - Date.now()) / 1000));
      throw new AppError('TOO_MANY_ATTEMPTS', `登录失败次数过多，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`, {
        details: { retryAfterSeconds: retryAfter },
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    const user = await users.findOne({ username: name }).lean<StaffUserDoc>();
    const ok = user ? await argon2.verify(user.passwordHash, password) : await argon2.verify(await DUMMY_HASH, password).then(() => false);
    await attempts.create({ username: name, success: ok && !user?.disabled, at: new Date(), ip });
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', '用户名或密码错误');
    if (user.disabled) throw new AppError('INVALID_CREDENTIALS', '该账号已停用，请联系管理员');
    await users.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
    const token = await openSession('staff', String(user._id), ip);
    return { token, user: await describeUser(user, 0) };
  }

  async function logout(sessionId: string): Promise<void> {
    await sessions.updateOne({ _id: sessionId }, { $set: { revokedAt: new Date() } });
  }

  async function me(principal: StaffPrincipal): Promise<StaffUser> {
    const user = await users.findById(principal.userId).lean<StaffUserDoc>();
    if (!user) throw new AppError('UNAUTHENTICATED', '请先登录');
    return describeUser(user, principal.grantIndex);
  }

  async function grantsOf(principal: StaffPrincipal) {
    const user = await users.findById(principal.userId).lean<StaffUserDoc>();
    if (!user) throw new AppError('UNAUTHENTICATED', '请先登录');
    const found = await nodes.find({ _id: { $in: user.grants.map((g) => g.nodeId) } }).lean();
    const byId = new Map(found.map((n) => [String(n._id), n]));
    return user.grants.map((g, index) => ({
      index,
      role: g.role,
      nodeId: g.nodeId,
      nodeName: byId.get(g.nodeId)?.name ?? '',
      nodeKind: byId.get(g.nodeId)?.kind ?? '',
      active: index === principal.grantIndex,
    }));
  }

  async function switchGrant(principal: StaffPrincipal, grantIndex: number): Promise<StaffUser> {
    const user = await users.findById(principal.userId).lean<StaffUserDoc>();
    if (!user?.grants[grantIndex]) throw new AppError('VALIDATION_FAILED', '没有这个角色授权');
    await sessions.updateOne({ _id: principal.sessionId }, { $set: { grantIndex } });
    return describeUser(user, grantIndex);
  }

  /** Changing the password ends every session of the user, this one included; the answer carries a fresh token. */
  async function changePassword(principal: StaffPrincipal, currentPassword: string, newPassword: string): Promise<StaffLoginResponse> {
    const user = await users.findById(principal.userId).lean<StaffUserDoc>();
    if (!user) throw new AppError('UNAUTHENTICATED', '请先登录');
    if (!(await argon2.verify(user.passwordHash, currentPassword))) {
      throw new AppError('INVALID_CREDENTIALS', '当前密码不正确');
    }
    if (currentPassword === newPassword) throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同');
    const now = new Date();
    await users.updateOne(
      { _id: user._id },
      { $set: { passwordHash: await hashPassword(newPassword), mustChangePassword: false, passwordChangedAt: now } },
    );
    await sessions.updateMany({ subjectId: principal.userId, revokedAt: null }, { $set: { revokedAt: now } });
    await auditService(db).append(principal, { action: 'user.password.change', objectType: 'staff_user', objectId: principal.userId });
    const token = await openSession('staff', principal.userId, principal.ip, principal.grantIndex);
    return { token, user: await describeUser({ ...user, mustChangePassword: false }, principal.grantIndex) };
  }

  return { login, logout, me, grantsOf, switchGrant, changePassword, openSession };
}
