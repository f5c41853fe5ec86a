import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { StaffLoginResponse, StaffUser } from '@campuspay/shared';
import { access, type AccessFlags } from '../access.ts';
import * as authService from '../services/auth.ts';
import { isApiError } from '../services/request.ts';
import { SESSION_STORAGE_KEY, sessionStore, type Session, type SignOutReason } from './session-store.ts';

export interface SessionContextValue {
  session: Session | null;
  user: StaffUser | null;
  access: AccessFlags;
  signOutReason: SignOutReason | null;
  /** Stores the answer of `login()`. */
  signIn(response: StaffLoginResponse): void;
  /** Revokes the token on the server (best effort) and forgets it here. */
  signOut(reason?: SignOutReason): Promise<void>;
  /** Re-reads the user from `GET /admin/me`. */
  refreshUser(): Promise<StaffUser | null>;
  /** Replaces the stored user (e.g. after a password change). */
  updateUser(user: StaffUser): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const state = useSyncExternalStore(sessionStore.subscribe, sessionStore.getState, sessionStore.getState);
  const user = state.session?.user ?? null;
  const flags = useMemo(() => access(user), [user]);

  const refreshUser = useCallback(async (signal?: AbortSignal) => {
    if (!sessionStore.getToken()) return null;
    const fresh = await authService.me(signal);
    sessionStore.updateUser(fresh);
    return fresh;
  }, []);

  // On start, confirm the stored token and pick up role/scope changes made
  // since it was stored. A rejected token ends the session through the
  // request wrapper; a fresh login already carries a fresh user.
  useEffect(() => {
    const controller = new AbortController();
    refreshUser(controller.signal).catch(() => {
      // Offline or server down: keep the stored user; the next call retries.
    });
    return () => controller.abort();
  }, [refreshUser]);

  // Another tab signed in or out.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === SESSION_STORAGE_KEY) sessionStore.reload();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      session: state.session,
      user,
      access: flags,
      signOutReason: state.signOutReason,
      signIn: (response) => sessionStore.start({ token: response.token, user: response.user }),
      signOut: async (reason = 'logout') => {
        try {
          if (sessionStore.getToken()) await authService.logout();
        } catch (error) {
          // The token may already be invalid; signing out locally is what matters.
          if (!isApiError(error)) console.warn('注销请求失败', error);
        } finally {
          sessionStore.end(reason);
        }
      },
      refreshUser: () => refreshUser(),
      updateUser: (next) => sessionStore.updateUser(next),
    }),
    [state, user, flags, refreshUser],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

export function useAccess(): AccessFlags {
  return useSession().access;
}
