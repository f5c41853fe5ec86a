import { randomBytes } from 'node:crypto';
import type { StateStore } from '../state/store.ts';
import type { LoginCodeRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import type { MerchantRegistry } from '../pay/merchant-registry.ts';
import type { UserDirectory } from './users.ts';
import { WechatApiError } from './wechat-api-error.ts';

/** A wx.login code works once, within five minutes. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface Code2SessionResult {
  session_key: string;
  openid: string;
  unionid?: string;
}

/** wx.login codes (issued by the controls) and their exchange at /sns/jscode2session. */
export class LoginService {
  constructor(
    private readonly store: StateStore,
    private readonly clock: SandboxClock,
    private readonly users: UserDirectory,
    private readonly merchants: MerchantRegistry,
  ) {}

  /** What wx.login would hand this user; creates the user if the openid is new. */
  issueCode(input: { appid: string; openid?: string; blocked?: boolean }): LoginCodeRecord {
    const user = this.users.create(input.openid ? { appid: input.appid, openid: input.openid } : { appid: input.appid });
    const now = this.clock.now();
    let code = '';
    for (const byte of randomBytes(32)) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    const record: LoginCodeRecord = {
      code,
      appid: input.appid,
      openid: user.openid,
      createdAt: now,
      expiresAt: now + LOGIN_CODE_TTL_MS,
      used: false,
      blocked: input.blocked ?? false,
    };
    // Spent and expired codes are of no further use; keep the saved state small.
    this.store.state.loginCodes = this.store.state.loginCodes.filter((c) => !c.used && c.expiresAt > now);
    this.store.state.loginCodes.push(record);
    this.store.changed();
    return record;
  }

  code2Session(query: URLSearchParams): Code2SessionResult {
    const appid = query.get('appid') ?? '';
    const secret = this.merchants.appSecret(appid);
    if (!secret) throw new WechatApiError(40013, 'invalid appid');
    if (query.get('secret') !== secret) throw new WechatApiError(40125, 'invalid appsecret');
    if (query.get('grant_type') !== 'authorization_code') throw new WechatApiError(40002, 'invalid grant_type');
    const jsCode = query.get('js_code');
    if (!jsCode) throw new WechatApiError(41008, 'missing code');
    const record = this.store.state.loginCodes.find((c) => c.code === jsCode && c.appid === appid);
    if (!record || record.used || this.clock.now() > record.expiresAt) throw new WechatApiError(40029, 'invalid code');
    record.used = true;
    this.store.changed();
    if (record.blocked) throw new WechatApiError(40226, 'code blocked');
    const user = this.users.find(appid, record.openid);
    const result: Code2SessionResult = { session_key: randomBytes(16).toString('base64'), openid: record.openid };
    if (user?.unionid) result.unionid = user.unionid;
    return result;
  }
}
