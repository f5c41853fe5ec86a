import type { ParentLoginResponse } from '@campuspay/shared';
import { obtainLoginCode, type LoginCodeRequest } from '../platform/wechat-login';
import { ApiError } from './api-error';
import { request } from './request';
import { clearParentSession, saveParentSession } from './session';

/**
 * The shape of ParentLoginResponse (shared's parentLoginResponseSchema),
 * checked by hand: the mini-program does not ship zod (bundle size, and zod 4
 * evaluates BigInt at load, which older WeChat iOS engines lack).
 */
function isParentLoginResponse(value: unknown): value is ParentLoginResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { token, parent } = value as { token?: unknown; parent?: unknown };
  return (
    typeof token === 'string' &&
    token !== '' &&
    typeof parent === 'object' &&
    parent !== null &&
    typeof (parent as { id?: unknown }).id === 'string'
  );
}

/**
 * Logs the parent in: a one-time WeChat login code (wx.login on weapp, the
 * WeChat sandbox on h5) exchanged by the server for a parent token.
 *   POST /parent/auth/wechat {code} → {token, parent:{id}}
 */
export async function loginWithWechat(codeRequest: LoginCodeRequest = {}): Promise<ParentLoginResponse> {
  const code = await obtainLoginCode(codeRequest);
  const raw = await request<unknown>('POST', '/parent/auth/wechat', { code });
  if (!isParentLoginResponse(raw)) {
    throw new ApiError({ status: 200, code: 'INVALID_RESPONSE', message: '登录失败：服务器返回的数据格式不正确' });
  }
  saveParentSession({ token: raw.token, parentId: raw.parent.id });
  return raw;
}

/** Forgets the parent's token on this device. (The contract has no parent logout endpoint.) */
export function logout(): void {
  clearParentSession();
}
