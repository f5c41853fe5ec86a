/**
 * Staff account endpoints, one typed function each.
 */
import { staffAccountSchema, type Grant, type StaffAccount } from '@campuspay/shared';
import { api } from './request.ts';

const staffAccountListSchema = staffAccountSchema.array();

/** `GET /api/v1/admin/users`: accounts with at least one grant in the caller's scope. */
export function listUsers(signal?: AbortSignal): Promise<StaffAccount[]> {
  return api.get('/admin/users', { parse: (value) => staffAccountListSchema.parse(value), ...(signal ? { signal } : {}) });
}

/** The body of `POST /admin/users` (the shared `createStaffAccountSchema`). */
export interface CreateStaffAccountRequest {
  username: string;
  displayName: string;
  grants: Grant[];
  initialPassword: string;
}

/** `POST /api/v1/admin/users` → 201; the new user must change the password at first sign-in. */
export function createUser(body: CreateStaffAccountRequest): Promise<StaffAccount> {
  return api.post('/admin/users', body, { parse: (value) => staffAccountSchema.parse(value) });
}

/** The body of `PATCH /admin/users/:id` (the shared `updateStaffAccountSchema`). */
export interface UpdateStaffAccountRequest {
  displayName?: string;
  grants?: Grant[];
  disabled?: boolean;
}

/** `PATCH /api/v1/admin/users/:id`; changing grants or disabling signs the user out everywhere. */
export function updateUser(id: string, body: UpdateStaffAccountRequest): Promise<StaffAccount> {
  return api.patch(`/admin/users/${encodeURIComponent(id)}`, body, { parse: (value) => staffAccountSchema.parse(value) });
}

/** `POST /api/v1/admin/users/:id/reset-password {password}`: the user must change it at next sign-in. */
export function resetUserPassword(id: string, password: string): Promise<void> {
  return api.post<void>(`/admin/users/${encodeURIComponent(id)}/reset-password`, { password });
}
