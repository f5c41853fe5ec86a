import type { StaffRole } from '@campuspay/shared';
import { notFound } from '../../platform/errors.ts';
import type { AppContext } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  /** The organisation node the active grant is scoped to, and its ancestry. */
  nodeId: string;
  nodePath: string[];
  grantIndex: number;
  sessionId: string;
  requestId: string;
  ip: string | null;
}

export interface ParentPrincipal {
  kind: 'parent';
  parentId: string;
  openid: string;
  sessionId: string;
  requestId: string;
}

/**
 * The scoped data-access helper: every staff query is built through it, so
 * filtering by the user's node of the tree happens by construction. Objects
 * outside the scope are reported as missing (404), never as forbidden.
 */
export class StaffScope {
  constructor(readonly principal: StaffPrincipal) {}

  get nodeId(): string {
    return this.principal.nodeId;
  }

  /** A filter for documents that carry their organisation ancestry in `field`. */
  filter<T extends Record<string, unknown>>(extra: T = {} as T, field = 'orgPath'): T & Record<string, string> {
    return { ...extra, [field]: this.principal.nodeId };
  }

  contains(path: readonly string[]): boolean {
    return path.includes(this.principal.nodeId);
  }

  /** Throws NOT_FOUND unless the object's ancestry includes the scope node. */
  assert(path: readonly string[] | undefined | null, what: string): void {
    if (!path || !this.contains(path)) throw notFound(what);
  }
}

export function staffOf(ctx: AppContext): StaffPrincipal {
  const principal = ctx.state.staff as StaffPrincipal | undefined;
  if (!principal) throw new AppError('UNAUTHENTICATED', '请先登录');
  return principal;
}

export function scopeOf(ctx: AppContext): StaffScope {
  return new StaffScope(staffOf(ctx));
}

export function parentOf(ctx: AppContext): ParentPrincipal {
  const principal = ctx.state.parent as ParentPrincipal | undefined;
  if (!principal) throw new AppError('UNAUTHENTICATED', '请先登录');
  return principal;
}
