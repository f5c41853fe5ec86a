import type { Connection } from 'mongoose';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';
import { WechatAccessTokenModel } from './access-token.model.ts';

/** A subscribe message (订阅消息) as /cgi-bin/message/subscribe/send takes it. */
export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** Mini-program page the message opens, with its query. */
  page?: string;
  /** Template fields: `thing1`, `amount2`, ... each `{value}` within WeChat's per-type limits. */
  data: Record<string, { value: string }>;
  miniprogramState?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

/**
 * A refusal or failure from WeChat's server APIs. `errcode` is WeChat's
 * (43101: the user has no subscription left for the template; 47003: bad
 * template data; -1: WeChat busy), or null when WeChat could not be reached.
 */
export class WechatApiError extends AppError {
  override name = 'WechatApiError';
  readonly errcode: number | null;
  readonly errmsg: string;

  constructor(errcode: number | null, errmsg: string, options: { cause?: unknown } = {}) {
    super(errcode === null ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR', errcode === null ? `无法连接微信服务：${errmsg}` : `微信接口返回错误（${errcode}：${errmsg}）`, {
      details: { errcode, errmsg },
      cause: options.cause,
    });
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}

export interface SubscribeMessageApi {
  /** Sends one message; throws WechatApiError when WeChat refuses it or cannot be reached. */
  send(message: SubscribeMessage): Promise<{ msgid: string }>;
}

interface WechatBody {
  errcode?: number;
  errmsg?: string;
}

/** Access token errors after which a fresh token is worth one retry. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** A token is renewed this long before WeChat says it expires. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const TIMEOUT_MS = 5000;

async function postJson<T extends WechatBody>(url: URL, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new WechatApiError(null, error instanceof Error ? error.message : String(error), { cause: error });
  }
  if (!res.ok) throw new WechatApiError(null, `HTTP ${res.status}`);
  try {
    return (await res.json()) as T;
  } catch (error) {
    throw new WechatApiError(null, '微信返回的内容不是 JSON', { cause: error });
  }
}

/**
 * WeChat's subscribe-message API with the access token it needs. The token
 * comes from /cgi-bin/stable_token (the same token for every caller until it
 * nears expiry, so several instances do not invalidate each other's) and is
 * cached in the database and in memory; a token error refreshes it once.
 */
export function subscribeMessageClient(config: Pick<Config, 'wechatAppId' | 'wechatAppSecret' | 'wechatApiBaseUrl'>, db: Connection): SubscribeMessageApi {
  const tokens = WechatAccessTokenModel(db);
  let memo: { token: string; expiresAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  function credentials(): { appid: string; secret: string } {
    if (!config.wechatAppId || !config.wechatAppSecret) {
      throw new AppError('UPSTREAM_UNAVAILABLE', '未配置小程序 AppID/AppSecret（WECHAT_APPID、WECHAT_APP_SECRET），无法发送订阅消息');
    }
    return { appid: config.wechatAppId, secret: config.wechatAppSecret };
  }

  async function fetchToken(force: boolean): Promise<string> {
    const { appid, secret } = credentials();
    const body = await postJson<WechatBody & { access_token?: string; expires_in?: number }>(new URL('/cgi-bin/stable_token', config.wechatApiBaseUrl), {
      grant_type: 'client_credential',
      appid,
      secret,
      force_refresh: force,
    });
    if (body.errcode || !body.access_token) throw new WechatApiError(body.errcode ?? -1, body.errmsg ?? 'no access_token');
    const expiresAt = Date.now() + (body.expires_in ?? 7200) * 1000;
    await tokens.updateOne({ _id: appid }, { $set: { token: body.access_token, expiresAt: new Date(expiresAt) } }, { upsert: true });
    memo = { token: body.access_token, expiresAt };
    return body.access_token;
  }

  async function accessToken(force = false): Promise<string> {
    const now = Date.now();
    if (!force && memo && memo.expiresAt - RENEW_BEFORE_MS > now) return memo.token;
    if (!force) {
      const stored = await tokens.findById(credentials().appid).lean();
      if (stored && stored.expiresAt.getTime() - RENEW_BEFORE_MS > now) {
        memo = { token: stored.token, expiresAt: stored.expiresAt.getTime() };
        return stored.token;
      }
    }
    // Concurrent senders share one refresh.
    refreshing ??= fetchToken(force).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function sendWith(token: string, message: SubscribeMessage): Promise<WechatBody & { msgid?: number | string }> {
    const url = new URL('/cgi-bin/message/subscribe/send', config.wechatApiBaseUrl);
    url.searchParams.set('access_token', token);
    return postJson(url, {
      touser: message.touser,
      template_id: message.templateId,
      ...(message.page ? { page: message.page } : {}),
      data: message.data,
      ...(message.miniprogramState ? { miniprogram_state: message.miniprogramState } : {}),
      lang: message.lang ?? 'zh_CN',
    });
  }

  return {
    async send(message) {
      let body = await sendWith(await accessToken(), message);
      if (body.errcode && TOKEN_ERRORS.has(body.errcode)) {
        memo = null;
        body = await sendWith(await accessToken(true), message);
      }
      if (body.errcode) throw new WechatApiError(body.errcode, body.errmsg ?? '');
      return { msgid: String(body.msgid ?? '') };
    },
  };
}
