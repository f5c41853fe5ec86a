/**
 * Where to go after signing in. Paths are relative to the router's basename
 * (`/admin`), e.g. `/bills?status=PAID`. Only same-app paths are accepted so
 * a crafted `?redirect=` cannot send a user to another site.
 */
import type { SignOutReason } from './session-store.ts';

export const LOGIN_PATH = '/login';
export const CHANGE_PASSWORD_PATH = '/change-password';
export const HOME_PATH = '/';

export function safeRedirect(raw: string | null | undefined): string {
  if (!raw) return HOME_PATH;
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return HOME_PATH;
  // Control characters could smuggle a scheme past the checks above.
  if (/[\u0000-\u001f\u007f]/.test(raw)) return HOME_PATH;
  const pathname = raw.split(/[?#]/, 1)[0] ?? '';
  if (pathname === LOGIN_PATH || pathname === CHANGE_PASSWORD_PATH) return HOME_PATH;
  return raw;
}

/** The login URL for a signed-out visit to `path` (pathname + search). */
export function loginPathFor(path: string, reason: SignOutReason | null): string {
  if (reason === 'logout' || path === HOME_PATH || safeRedirect(path) === HOME_PATH) return LOGIN_PATH;
  return `${LOGIN_PATH}?redirect=${encodeURIComponent(path)}`;
}
