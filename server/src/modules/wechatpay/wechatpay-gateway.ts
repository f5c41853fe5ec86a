import { randomBytes, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import WxPay from 'wechatpay-node-v3';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { Logger } from '../../logger.ts';
import { AppError } from '../../platform/errors.ts';
import type { MerchantCredentials, MerchantRegistry } from './merchants.ts';
import { decryptResource, isStale, publicKeyOf, signatureHeadersOf, verifyWechatSignature, type WechatSignatureHeaders } from './signature.ts';

const WECHAT_HOST = 'https://api.mch.weixin.qq.com';

export interface WechatTransaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
  trade_state_desc?: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid: string };
  amount?: { total: number; payer_total?: number; currency?: string };
}

export interface WechatRefund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  status: 'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL';
  success_time?: string;
  amount: { total: number; refund: number };
}

export interface JsapiPayParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** WeChat Pay as the platform uses it; the real implementation talks to WECHATPAY_BASE_URL. */
export interface WechatPayGateway {
  createJsapiOrder(
    mchid: string,
    order: { outTradeNo: string; description: string; totalFen: number; openid: string; notifyUrl: string; timeExpire: string; attach?: string },
  ): Promise<{ prepayId: string; payParams: JsapiPayParams }>;
  /** Null when WeChat has no such order. */
  queryOrder(mchid: string, outTradeNo: string): Promise<WechatTransaction | null>;
  closeOrder(mchid: string, outTradeNo: string): Promise<void>;
  createRefund(
    mchid: string,
    refund: { outTradeNo: string; outRefundNo: string; reason: string; refundFen: number; totalFen: number; notifyUrl: string },
  ): Promise<WechatRefund>;
  queryRefund(mchid: string, outRefundNo: string): Promise<WechatRefund | null>;
  /** Verifies a notification's signature over the raw body and returns the decrypted resource. */
  openNotification(headers: (name: string) => string | undefined, rawBody: Buffer): Promise<OpenedNotification>;
  merchants: MerchantRegistry;
  /**
   * For a notification that failed verification: what its resource says, if
   * it decrypts with one of our APIv3 keys. Never trusted for money, only to
   * route the exception to the school it concerns.
   */
  peekNotification(rawBody: Buffer): Record<string, unknown> | null;
  /** Downloads a bill: the API answer, then the file (checked against the hash by the caller). */
  downloadBill(mchid: string, kind: 'tradebill' | 'fundflowbill', day: string): Promise<{ hashType: string; hashValue: string; content: Buffer } | null>;
  /**
   * Applies for a day's bill (the ALL trade bill, or the basic account's fund
   * flow) and opens its download as a stream, gunzipped, so a bill of any size
   * is never held in memory; the caller checks it against the hash. Null when
   * WeChat says there is no bill for that day (NO_STATEMENT_EXIST).
   */
  streamBill(mchid: string, kind: 'tradebill' | 'fundflowbill', day: string): Promise<BillStream | null>;
}

export interface BillStream {
  hashType: string;
  hashValue: string;
  /** The bill as WeChat wrote it (decompressed); its SHA1 must be hashValue. */
  body: Readable;
}

/** A download_url lives 30 s to 5 min, but a large bill takes longer to arrive: the whole transfer gets this long. */
const BILL_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface OpenedNotification {
  id: string;
  eventType: string;
  mchid: string;
  resource: Record<string, unknown>;
}

export class NotificationRejected extends Error {
  override name = 'NotificationRejected';
}

/** WeChat's error answer, kept typed so callers can branch on the code. */
export class WechatPayApiError extends AppError {
  constructor(
    readonly httpStatus: number,
    readonly wechatCode: string,
    wechatMessage: string,
  ) {
    const busy = wechatCode === 'SYSTEM_ERROR' || wechatCode === 'FREQUENCY_LIMITED' || wechatCode === 'BANK_ERROR' || httpStatus >= 500;
    super(busy ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR', busy ? `微信支付繁忙，请稍后重试（${wechatCode}）` : `微信支付返回错误：${wechatMessage}（${wechatCode}）`, {
      details: { wechatCode, httpStatus },
    });
  }
}

/** WeChat did not answer in time: the request may or may not have taken effect. */
export class WechatPayTimeout extends AppError {
  constructor(cause: unknown) {
    super('UPSTREAM_UNAVAILABLE', '微信支付暂时无法连接，请稍后重试', { cause });
  }
}

type KeyResolver = (mchid: string, serial: string) => Promise<KeyObject | null>;

/**
 * The library's HTTP seam: sends to the configured base URL (the library
 * hard-codes WeChat's host), returns WeChat's answer as the library expects,
 * and verifies WeChat's signature on every 2xx answer, which the library
 * itself never does.
 */
class VerifiedHttp implements IPayRequest {
  constructor(
    private readonly baseUrl: string,
    private readonly mchid: string,
    private readonly keyFor: KeyResolver,
  ) {}

  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    return this.send('POST', url, JSON.stringify(params), headers);
  }

  get(url: string, headers: Record<string, string>): Promise<Output> {
    return this.send('GET', url, undefined, headers);
  }

  upload(): Promise<Output> {
    throw new Error('uploads are not used');
  }

  private async send(method: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<Output> {
    const target = url.startsWith(WECHAT_HOST) ? this.baseUrl.replace(/\/$/, '') + url.slice(WECHAT_HOST.length) : url;
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new WechatPayTimeout(error);
    }
    const raw = Buffer.from(await res.arrayBuffer());
    const path = new URL(target).pathname;
    if (res.ok && !path.startsWith('/v3/certificates') && !path.startsWith('/v3/billdownload/')) {
      const signed = signatureHeadersOf((n) => res.headers.get(n));
      const key = signed ? await this.keyFor(this.mchid, signed.serial) : null;
      if (!signed || !key || isStale(signed.timestamp) || !verifyWechatSignature(key, signed, raw)) {
        throw new AppError('UPSTREAM_ERROR', '微信支付应答签名校验失败，已拒绝该应答', { details: { path } });
      }
    }
    const text = raw.toString('utf8');
    let data: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) data = JSON.parse(text);
    return res.ok ? ({ status: res.status, data } as Output) : ({ status: res.status, error: text } as Output);
  }
}

function errorOf(out: Output): WechatPayApiError {
  let code = 'UNKNOWN';
  let message = String(out.error ?? '');
  try {
    const body = JSON.parse(String(out.error ?? '{}')) as { code?: string; message?: string };
    code = body.code ?? code;
    message = body.message ?? message;
  } catch {
    // A non-JSON error body keeps its text as the message.
  }
  return new WechatPayApiError(out.status, code, message);
}

/**
 * GETs a bill's download_url with a signed request. The library signs the URL
 * with WeChat's host stripped, which breaks for any other host (the sandbox,
 * a proxy), and reads the body as text, which breaks gzip: so the request is
 * signed here over path and query exactly as sent, and the answer streamed,
 * gunzipped when it is a gzip file (by its magic bytes, whatever the
 * content type says). The download itself is not signed by WeChat.
 */
async function openBillDownload(c: WxPay, downloadUrl: string, baseUrl?: string): Promise<Readable> {
  const target = baseUrl && downloadUrl.startsWith(WECHAT_HOST) ? baseUrl.replace(/\/$/, '') + downloadUrl.slice(WECHAT_HOST.length) : downloadUrl;
  const signed = new URL(downloadUrl);
  const nonce = randomBytes(16).toString('hex');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const authorization = c.getAuthorization(nonce, timestamp, c.getSignature('GET', nonce, timestamp, signed.pathname + signed.search));
  let res: Response;
  try {
    res = await fetch(target, {
      headers: { Authorization: authorization, Accept: '*/*', 'User-Agent': 'campuspay-server' },
      signal: AbortSignal.timeout(BILL_DOWNLOAD_TIMEOUT_MS),
    });
  } catch (error) {
    throw new WechatPayTimeout(error);
  }
  if (!res.ok || !res.body) throw errorOf({ status: res.status, error: await res.text() } as Output);
  const raw = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  const iterator = raw[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return Readable.from([]);
  const head = Buffer.from(first.value as Uint8Array);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield Buffer.from(next.value as Uint8Array);
    })(),
  );
  if (head[0] !== 0x1f || head[1] !== 0x8b) return rest;
  const gunzip = createGunzip();
  rest.on('error', (error) => gunzip.destroy(error));
  return rest.pipe(gunzip);
}

export function createWechatPayGateway(options: { baseUrl: string; merchants: MerchantRegistry; log: Logger }): WechatPayGateway {
  const { baseUrl, merchants, log } = options;
  const platformKeys = new Map<string, Map<string, KeyObject>>();
  const clients = new Map<string, WxPay>();

  async function loadPlatformKeys(m: MerchantCredentials): Promise<Map<string, KeyObject>> {
    const keys = new Map<string, KeyObject>();
    if (m.publicKeyId && m.publicKeyPem) keys.set(m.publicKeyId, publicKeyOf(m.publicKeyPem));
    try {
      const certs = (await client(m.mchid).get_certificates(m.apiV3Key)) as { serial_no: string; publicKey: string }[];
      for (const c of certs) keys.set(c.serial_no.toUpperCase(), publicKeyOf(c.publicKey));
    } catch (error) {
      log.warn({ err: error, mchid: m.mchid }, 'could not download WeChat Pay platform certificates');
    }
    platformKeys.set(m.mchid, keys);
    return keys;
  }

  /** A key by serial; an unknown serial refreshes the certificates once (WeChat rotates them). */
  const keyFor: KeyResolver = async (mchid, serial) => {
    const wanted = serial.toUpperCase().startsWith('PUB_KEY_ID_') ? serial : serial.toUpperCase();
    let keys = platformKeys.get(mchid);
    if (keys?.has(wanted)) return keys.get(wanted)!;
    keys = await loadPlatformKeys(merchants.get(mchid));
    return keys.get(wanted) ?? null;
  };

  function client(mchid: string): WxPay {
    let c = clients.get(mchid);
    if (!c) {
      const m = merchants.get(mchid);
      c = new WxPay({
        appid: m.appid,
        mchid: m.mchid,
        serial_no: m.serialNo,
        publicKey: Buffer.from(m.certificatePem),
        privateKey: Buffer.from(m.privateKeyPem),
        key: m.apiV3Key,
      });
      c.createHttp(new VerifiedHttp(baseUrl, mchid, keyFor));
      clients.set(mchid, c);
    }
    return c;
  }

  const streamBill: WechatPayGateway['streamBill'] = async (mchid, kind, day) => {
    const c = client(mchid);
    // GZIP: a large bill travels compressed; the hash is over the decompressed bill (reference §7).
    const out =
      kind === 'tradebill'
        ? await c.tradebill({ bill_date: day, bill_type: 'ALL', tar_type: 'GZIP' })
        : await c.fundflowbill({ bill_date: day, account_type: 'BASIC', tar_type: 'GZIP' });
    if (out.status === 400 && String(out.error ?? '').includes('NO_STATEMENT_EXIST')) return null;
    if (out.status !== 200) throw errorOf(out);
    const answer = out.data as { hash_type: string; hash_value: string; download_url: string };
    return { hashType: answer.hash_type, hashValue: answer.hash_value, body: await openBillDownload(c, answer.download_url, baseUrl) };
  };

  return {
    merchants,

    async createJsapiOrder(mchid, order) {
      const out = await client(mchid).transactions_jsapi({
        description: order.description,
        out_trade_no: order.outTradeNo,
        notify_url: order.notifyUrl,
        time_expire: order.timeExpire,
        attach: order.attach,
        amount: { total: order.totalFen, currency: 'CNY' },
        payer: { openid: order.openid },
      });
      if (out.status !== 200) throw errorOf(out);
      const params = out.data as JsapiPayParams & { appId: string };
      return {
        prepayId: params.package.replace(/^prepay_id=/, ''),
        payParams: { timeStamp: params.timeStamp, nonceStr: params.nonceStr, package: params.package, signType: 'RSA', paySign: params.paySign },
      };
    },

    async queryOrder(mchid, outTradeNo) {
      const out = await client(mchid).query({ out_trade_no: outTradeNo });
      if (out.status === 404) return null;
      if (out.status !== 200) throw errorOf(out);
      return out.data as WechatTransaction;
    },

    async closeOrder(mchid, outTradeNo) {
      const out = await client(mchid).close(outTradeNo);
      if (out.status !== 204 && out.status !== 200) throw errorOf(out);
    },

    async createRefund(mchid, refund) {
      const out = await client(mchid).refunds({
        out_trade_no: refund.outTradeNo,
        out_refund_no: refund.outRefundNo,
        reason: refund.reason.slice(0, 80),
        notify_url: refund.notifyUrl,
        amount: { refund: refund.refundFen, total: refund.totalFen, currency: 'CNY' },
      });
      if (out.status !== 200) throw errorOf(out);
      return out.data as WechatRefund;
    },

    async queryRefund(mchid, outRefundNo) {
      const out = await client(mchid).find_refunds(outRefundNo);
      if (out.status === 404) return null;
      if (out.status !== 200) throw errorOf(out);
      return out.data as WechatRefund;
    },

    async openNotification(header, rawBody) {
      const signed: WechatSignatureHeaders | null = signatureHeadersOf(header);
      if (!signed) throw new NotificationRejected('missing Wechatpay-* headers');
      if (signed.signature.startsWith('WECHATPAY/SIGNTEST/')) throw new NotificationRejected('signature probe');
      if (isStale(signed.timestamp)) throw new NotificationRejected('stale timestamp');
      let event: { id?: string; event_type?: string; resource?: { ciphertext: string; nonce: string; associated_data?: string } };
      try {
        event = JSON.parse(rawBody.toString('utf8')) as typeof event;
      } catch {
        throw new NotificationRejected('body is not JSON');
      }
      // The merchant is not in the clear: try each configured merchant's keys, then its APIv3 key.
      for (const m of merchants.all()) {
        const key = await keyFor(m.mchid, signed.serial);
        if (!key || !verifyWechatSignature(key, signed, rawBody)) continue;
        if (!event.resource) throw new NotificationRejected('no resource');
        let plain: string;
        try {
          plain = decryptResource(m.apiV3Key, event.resource);
        } catch {
          throw new NotificationRejected('resource does not decrypt');
        }
        return { id: event.id ?? '', eventType: event.event_type ?? '', mchid: m.mchid, resource: JSON.parse(plain) as Record<string, unknown> };
      }
      throw new NotificationRejected('signature does not verify with any platform key');
    },

    peekNotification(rawBody) {
      try {
        const event = JSON.parse(rawBody.toString('utf8')) as { resource?: { ciphertext: string; nonce: string; associated_data?: string } };
        if (!event.resource) return null;
        for (const m of merchants.all()) {
          try {
            return JSON.parse(decryptResource(m.apiV3Key, event.resource)) as Record<string, unknown>;
          } catch {
            // Not this merchant's key.
          }
        }
      } catch {
        // Not JSON: nothing to peek at.
      }
      return null;
    },

    async downloadBill(mchid, kind, day) {
      const bill = await streamBill(mchid, kind, day);
      if (!bill) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of bill.body) chunks.push(chunk as Buffer);
      return { hashType: bill.hashType, hashValue: bill.hashValue, content: Buffer.concat(chunks) };
    },

    streamBill,
  };
}
