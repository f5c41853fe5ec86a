/**
 * The signed-in staff session: token + user, kept in localStorage so a reload
 * stays signed in. A tiny external store (subscribe/getState) that both the
 * request wrapper and React (`useSyncExternalStore`, ./session-context.tsx)
 * read. No DOM imports: the storage is passed in, so it is unit tested in Node.
 */
import { staffUserSchema, type StaffUser } from '@campuspay/shared';

export const SESSION_STORAGE_KEY = 'campuspay.admin.session';

export interface Session {
  token: string;
  user: StaffUser;
}

/** Why the last session ended; the login page explains it. */
export type SignOutReason = 'logout' | 'expired';

export interface SessionState {
  session: Session | null;
  signOutReason: SignOutReason | null;
}

/** The part of `Storage` the store uses. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionStore {
  getState(): SessionState;
  getToken(): string | null;
  subscribe(listener: () => void): () => void;
  /** After a successful login. */
  start(session: Session): void;
  /** After `me()` or a password change returned a fresher user. */
  updateUser(user: StaffUser): void;
  /** Ends the session. */
  end(reason: SignOutReason): void;
  /**
   * The server rejected `token` (401). Ends the session only if it is still
   * the current one, so a late answer to an old request cannot sign out a
   * user who has just signed in again.
   */
  expire(token: string | null): void;
  /** The server answered PASSWORD_CHANGE_REQUIRED. */
  requirePasswordChange(): void;
  /** Re-reads storage (another tab signed in or out). */
  reload(): void;
}

/** Parses what is in storage; anything malformed counts as signed out. */
export function parseStoredSession(raw: string | null): Session | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { token, user } = value as { token?: unknown; user?: unknown };
  if (typeof token !== 'string' || token === '') return null;
  const parsed = staffUserSchema.safeParse(user);
  return parsed.success ? { token, user: parsed.data } : null;
}

export function createSessionStore(storage: KeyValueStorage | null): SessionStore {
  const listeners = new Set<() => void>();

  function read(): Session | null {
    try {
      return parseStoredSession(storage?.getItem(SESSION_STORAGE_KEY) ?? null);
    } catch {
      return null; // storage disabled (privacy mode, policy)
    }
  }

  function write(session: Session | null): void {
    try {
      if (session) storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
      else storage?.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // Keep working in memory when storage is full or disabled.
    }
  }

  let state: SessionState = { session: read(), signOutReason: null };

  function set(next: SessionState, persist: boolean): void {
    state = next;
    if (persist) write(next.session);
    for (const listener of [...listeners]) listener();
  }

  return {
    getState: () => state,
    getToken: () => state.session?.token ?? null,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    start(session) {
      set({ session, signOutReason: null }, true);
    },
    updateUser(user) {
      if (!state.session) return;
      set({ session: { ...state.session, user }, signOutReason: null }, true);
    },
    end(reason) {
      if (!state.session) return;
      set({ session: null, signOutReason: reason }, true);
    },
    expire(token) {
      if (!state.session || state.session.token !== token) return;
      set({ session: null, signOutReason: 'expired' }, true);
    },
    requirePasswordChange() {
      const session = state.session;
      if (!session || session.user.mustChangePassword) return;
      set({ session: { ...session, user: { ...session.user, mustChangePassword: true } }, signOutReason: null }, true);
    },
    reload() {
      const stored = read();
      const current = state.session;
      if (stored?.token === current?.token && JSON.stringify(stored?.user) === JSON.stringify(current?.user)) return;
      set({ session: stored, signOutReason: stored ? null : current ? 'logout' : state.signOutReason }, false);
    },
  };
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof globalThis.localStorage === 'undefined' ? null : globalThis.localStorage;
  } catch {
    return null;
  }
}

/** The app's session. */
export const sessionStore: SessionStore = createSessionStore(browserStorage());
