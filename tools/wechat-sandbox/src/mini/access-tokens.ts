import { randomBytes } from 'node:crypto';
import type { MerchantRegistry } from '../pay/merchant-registry.ts';
import type { StateStore } from '../state/store.ts';
import type { AccessTokenRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import { WechatApiError } from './wechat-api-error.ts';

const TOKEN_TTL_MS = 7200 * 1000;
/** After a new token is issued the previous one keeps working for five minutes. */
const OVERLAP_MS = 5 * 60 * 1000;

export interface AccessTokenAnswer {
  access_token: string;
  expires_in: number;
}

/** /cgi-bin/token and /cgi-bin/stable_token, and the check every access_token-protected API makes. */
export class AccessTokenService {
  constructor(
    private readonly store: StateStore,
    private readonly clock: SandboxClock,
    private readonly merchants: MerchantRegistry,
  ) {}

  private checkCredentials(grantType: unknown, appid: unknown, secret: unknown): string {
    if (grantType !== 'client_credential') throw new WechatApiError(40002, 'invalid grant_type');
    if (typeof appid !== 'string' || appid === '') throw new WechatApiError(41002, 'appid missing');
    if (typeof secret !== 'string' || secret === '') throw new WechatApiError(41004, 'appsecret missing');
    const expected = this.merchants.appSecret(appid);
    if (!expected) throw new WechatApiError(40013, 'invalid appid');
    if (secret !== expected) throw new WechatApiError(40125, 'invalid appsecret');
    return appid;
  }

  private issue(appid: string, kind: AccessTokenRecord['kind']): AccessTokenRecord {
    const now = this.clock.now();
    for (const old of this.store.state.accessTokens) {
      if (old.appid === appid && old.kind === kind) old.expiresAt = Math.min(old.expiresAt, now + OVERLAP_MS);
    }
    const record: AccessTokenRecord = {
      token: `${randomBytes(60).toString('base64url')}${randomBytes(40).toString('base64url')}`,
      appid,
      kind,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
    };
    this.store.state.accessTokens = this.store.state.accessTokens.filter((t) => t.expiresAt > now);
    this.store.state.accessTokens.push(record);
    this.store.changed();
    return record;
  }

  private answer(record: AccessTokenRecord): AccessTokenAnswer {
    return { access_token: record.token, expires_in: Math.ceil((record.expiresAt - this.clock.now()) / 1000) };
  }

  /** Every call issues a fresh token (the old one lingers five minutes). */
  token(query: URLSearchParams): AccessTokenAnswer {
    const appid = this.checkCredentials(query.get('grant_type'), query.get('appid'), query.get('secret'));
    return this.answer(this.issue(appid, 'token'));
  }

  /** The stable token stays the same until it expires, unless force_refresh asks for a new one. */
  stableToken(body: Record<string, unknown>): AccessTokenAnswer {
    const appid = this.checkCredentials(body['grant_type'], body['appid'], body['secret']);
    const now = this.clock.now();
    const current = this.store.state.accessTokens
      .filter((t) => t.appid === appid && t.kind === 'stable' && t.expiresAt - now > OVERLAP_MS)
      .sort((a, b) => b.issuedAt - a.issuedAt)[0];
    if (current && body['force_refresh'] !== true) return this.answer(current);
    return this.answer(this.issue(appid, 'stable'));
  }

  /** The app an access_token belongs to, or WeChat's errcode for a missing, unknown or expired token. */
  appFor(token: string | null): string {
    if (!token) throw new WechatApiError(41001, 'access_token missing');
    const record = this.store.state.accessTokens.find((t) => t.token === token);
    if (!record) throw new WechatApiError(40001, 'invalid credential, access_token is invalid or not latest');
    if (this.clock.now() >= record.expiresAt) throw new WechatApiError(42001, 'access_token expired');
    return record.appid;
  }
}
