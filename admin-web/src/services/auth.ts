/**
 * Staff authentication endpoints, one typed function each.
 */
import {
  staffLoginResponseSchema,
  staffUserSchema,
  type StaffLoginRequest,
  type StaffLoginResponse,
  type StaffUser,
} from '@campuspay/shared';
import { api } from './request.ts';

/**
 * Not in the shared contract yet (asked for): the body of
 * `POST /admin/auth/change-password`.
 */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
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
 * `POST /api/v1/admin/auth/change-password`. The server may answer 204, or a
 * fresh `{token, user}` when it rotates the session; the latter is returned.
 */
export function changePassword(body: ChangePasswordRequest): Promise<StaffLoginResponse | null> {
  return api.post('/admin/auth/change-password', body, {
    parse: (value) => {
      if (value === undefined || value === null) return null;
      const rotated = staffLoginResponseSchema.safeParse(value);
      return rotated.success ? rotated.data : null;
    },
  });
}
