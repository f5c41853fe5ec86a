import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { AnyRouteSpec, Authenticator, RouteAuth } from '../../platform/http/route.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ParentModel } from '../parents/parent.model.ts';
import { hashToken } from './auth.service.ts';
import { isPermission, roleHas } from './permissions.ts';
import type { ParentPrincipal, StaffPrincipal } from './principal.ts';
import { SessionModel } from './session.model.ts';
import { StaffUserModel } from './staff-user.model.ts';

function bearer(ctx: AppContext): string {
  const header = ctx.get('authorization');
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,})$/.exec(header);
  if (!m?.[1]) throw new AppError('UNAUTHENTICATED', '请先登录');
  return m[1];
}

async function liveSession(deps: ServerDeps, ctx: AppContext, kind: 'staff' | 'parent') {
  const session = await SessionModel(deps.db).findById(hashToken(bearer(ctx))).lean();
  if (!session || session.kind !== kind) throw new AppError('UNAUTHENTICATED', '请先登录');
  if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) {
    throw new AppError('SESSION_EXPIRED', '登录已失效，请重新登录');
  }
  return session;
}

/**
 * Staff routes: a live session, a user still enabled whose password has not
 * changed since sign-in, then the route's declared permission for the
 * active grant's role. Routes without a declared permission never mount.
 */
export function staffAuthenticator(deps: ServerDeps): Authenticator {
  return async (ctx, spec: AnyRouteSpec) => {
    if (!spec.permission || !isPermission(spec.permission)) {
      throw new Error(`Staff route ${spec.method.toUpperCase()} ${spec.path} declares no known permission`);
    }
    const session = await liveSession(deps, ctx, 'staff');
    const user = await StaffUserModel(deps.db).findById(session.subjectId).lean();
    if (!user || user.disabled || user.passwordChangedAt.getTime() > session.createdAt.getTime()) {
      throw new AppError('SESSION_EXPIRED', '登录已失效，请重新登录');
    }
    const grant = user.grants[session.grantIndex] ?? user.grants[0];
    if (!grant) throw new AppError('FORBIDDEN', '该账号没有任何角色授权');
    const node = await OrgNodeModel(deps.db).findById(grant.nodeId).lean();
    const principal: StaffPrincipal = {
      kind: 'staff',
      userId: String(user._id),
      username: user.username,
      displayName: user.displayName,
      role: grant.role,
      nodeId: grant.nodeId,
      nodePath: node?.path ?? [grant.nodeId],
      grantIndex: session.grantIndex,
      sessionId: session._id,
      requestId: ctx.state.requestId,
      ip: ctx.ip || null,
    };
    ctx.state.staff = principal;
    if (user.mustChangePassword && spec.permission !== 'self') {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', '首次登录请先修改密码');
    }
    if (!roleHas(grant.role, spec.permission)) throw new AppError('FORBIDDEN', '当前角色无权执行此操作');
  };
}

export function parentAuthenticator(deps: ServerDeps): Authenticator {
  return async (ctx) => {
    const session = await liveSession(deps, ctx, 'parent');
    const parent = await ParentModel(deps.db).findById(session.subjectId).lean();
    if (!parent) throw new AppError('SESSION_EXPIRED', '登录已失效，请重新登录');
    const principal: ParentPrincipal = {
      kind: 'parent',
      parentId: String(parent._id),
      openid: parent.openid,
      sessionId: session._id,
      requestId: ctx.state.requestId,
    };
    ctx.state.parent = principal;
  };
}

export function authenticators(deps: ServerDeps): Partial<Record<RouteAuth, Authenticator>> {
  // WeChat Pay's calls carry no token: their handlers verify WeChat's signature over the raw body.
  return { staff: staffAuthenticator(deps), parent: parentAuthenticator(deps), wechatpay: async () => undefined };
}
