import Taro from '@tarojs/taro';

/**
 * The logged-in parent's session, kept in the platform's storage
 * (wx storage on weapp, localStorage on h5).
 */

const TOKEN_KEY = 'campuspay.parent.token';
const PARENT_ID_KEY = 'campuspay.parent.id';

export interface ParentSession {
  token: string;
  parentId: string;
}

function readString(key: string): string | null {
  try {
    const value: unknown = Taro.getStorageSync(key);
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    return null;
  }
}

export function getParentToken(): string | null {
  return readString(TOKEN_KEY);
}

export function getParentSession(): ParentSession | null {
  const token = readString(TOKEN_KEY);
  if (!token) return null;
  return { token, parentId: readString(PARENT_ID_KEY) ?? '' };
}

export function isLoggedIn(): boolean {
  return getParentToken() !== null;
}

export function saveParentSession(session: ParentSession): void {
  Taro.setStorageSync(TOKEN_KEY, session.token);
  Taro.setStorageSync(PARENT_ID_KEY, session.parentId);
}

export function clearParentSession(): void {
  try {
    Taro.removeStorageSync(TOKEN_KEY);
    Taro.removeStorageSync(PARENT_ID_KEY);
  } catch {
    // Storage failures must not hide the original error (e.g. a 401).
  }
}
