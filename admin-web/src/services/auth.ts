/**
 * Staff authentication endpoints, one typed function each.
 */
import {
  ORG_NODE_KINDS,
  STAFF_ROLES,
  staffLoginResponseSchema,
  staffUserSchema,
  type OrgNodeKind,
  type StaffLoginRequest,
  type StaffLoginResponse,
  type StaffRole,
  type StaffUser,
} from '@campuspay/shared';
import { api } from './request.ts';
import { arrayOf, booleanField, numberField, objectOf, oneOf, stringField } from './shape.ts';

/** The body of `POST /admin/auth/change-password` (the shared `changePasswordSchema`). */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/**
 * One role grant of the signed-in user, from `GET /admin/me/grants`. Not in
 * the shared contract yet (the route declares no response schema).
 */
export interface MyGrant {
  index: number;
  role: StaffRole;
  nodeId: string;
  nodeName: string;
  /** Empty when the node no longer exists. */
  nodeKind: OrgNodeKind | '';
  /** The grant this session currently acts under. */
  active: boolean;
}

export function parseMyGrants(value: unknown): MyGrant[] {
  return arrayOf(value, 'grants').map((item) => {
    const shape = objectOf(item, 'grant');
    const nodeKind = shape['nodeKind'];
    return {
      index: numberField(shape, 'index'),
      role: oneOf(shape['role'], STAFF_ROLES, 'role'),
      nodeId: stringField(shape, 'nodeId'),
      nodeName: stringField(shape, 'nodeName'),
      nodeKind: nodeKind === '' ? '' : oneOf(nodeKind, ORG_NODE_KINDS, 'nodeKind'),
      active: booleanField(shape, 'active'),
    };
  });
}

/** `POST /api/v1/admin/auth/login` → `{token, user}`; 401 INVALID_CREDENTIALS, 429 TOO_MANY_ATTEMPTS. */
export function login(body: StaffLoginRequest, signal?: AbortSignal): Promise<StaffLoginResponse> {
  return api.post('/admin/auth/login', body, {
    auth: false,
    parse: (value) => staffLoginResponseSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/auth/logout`: revokes the current token. */
export function logout(): Promise<void> {
  return api.post<void>('/admin/auth/logout');
}

/** `GET /api/v1/admin/me` → the signed-in `StaffUser`. */
export function me(signal?: AbortSignal): Promise<StaffUser> {
  return api.get('/admin/me', {
    // The contract returns the user itself; tolerate a `{user}` envelope too.
    parse: (value) => {
      const envelope = value as { user?: unknown; id?: unknown } | null;
      const user = envelope && envelope.id === undefined && envelope.user !== undefined ? envelope.user : value;
      return staffUserSchema.parse(user);
    },
    ...(signal ? { signal } : {}),
  });
}

/**
 * `POST /api/v1/admin/auth/change-password` → a fresh `{token, user}`: the
 * server revokes every session of the user, this one included, so the new
 * token must replace the stored one.
 */
export function changePassword(body: ChangePasswordRequest): Promise<StaffLoginResponse> {
  return api.post('/admin/auth/change-password', body, {
    parse: (value) => staffLoginResponseSchema.parse(value),
  });
}

/** `GET /api/v1/admin/me/grants`: every role grant of the user, the active one flagged. */
export function myGrants(signal?: AbortSignal): Promise<MyGrant[]> {
  return api.get('/admin/me/grants', { parse: parseMyGrants, ...(signal ? { signal } : {}) });
}

/** `POST /api/v1/admin/auth/switch-grant {grantIndex}` → the user as seen under that grant (same token). */
export function switchGrant(grantIndex: number): Promise<StaffUser> {
  return api.post('/admin/auth/switch-grant', { grantIndex }, { parse: (value) => staffUserSchema.parse(value) });
}
