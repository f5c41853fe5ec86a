import { buildRequestSignMessage, SIGNATURE_SCHEME, verifySha256WithRsa } from '../crypto/signing.ts';
import type { MerchantIdentity } from '../identity/merchants.ts';
import { header, type IncomingCall } from '../http/types.ts';
import { WechatPayError } from './wechat-pay-error.ts';

/** WeChat's permitted difference between the request timestamp and its own clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const FORMAT_MESSAGE = 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》';
/** What /v3/pay/transactions/* answers instead when the header is missing or foreign (observed on the real API). */
const TRANSACTIONS_FORMAT_MESSAGE = '签名信息错误，验签失败';

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

const REQUIRED_FIELDS: (keyof AuthorizationFields)[] = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'];

export type ParsedAuthorization =
  | { ok: true; fields: AuthorizationFields }
  | { ok: false; reason: 'format' | 'scheme' };

/**
 * `WECHATPAY2-SHA256-RSA2048 k="v",k="v",...`: one space after the scheme,
 * then the five items in any order, comma-separated without spaces, values in
 * double quotes.
 */
export function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (!value) return { ok: false, reason: 'format' };
  const space = value.indexOf(' ');
  if (space <= 0) return { ok: false, reason: 'format' };
  const scheme = value.slice(0, space);
  if (scheme !== SIGNATURE_SCHEME) return { ok: false, reason: scheme.startsWith('WECHATPAY2-') ? 'scheme' : 'format' };
  const fields: Partial<Record<string, string>> = {};
  for (const item of value.slice(space + 1).split(',')) {
    const match = /^([a-z_]+)="([^"]*)"$/.exec(item);
    if (!match || match[1] === undefined || match[1] in fields) return { ok: false, reason: 'format' };
    fields[match[1]] = match[2] ?? '';
  }
  for (const key of REQUIRED_FIELDS) if (!fields[key]) return { ok: false, reason: 'format' };
  if (Object.keys(fields).length !== REQUIRED_FIELDS.length) return { ok: false, reason: 'format' };
  return { ok: true, fields: fields as unknown as AuthorizationFields };
}

function signError(message: string, detail?: Record<string, unknown>): WechatPayError {
  return new WechatPayError(401, 'SIGN_ERROR', message, detail);
}

/**
 * Checks a merchant request the way api.mch.weixin.qq.com does, in the same
 * order: header format, scheme, timestamp window (before the signature),
 * merchant, certificate serial, then the RSA signature over
 * `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` with the exact URL and body bytes.
 */
export function authenticateMerchantRequest(
  call: IncomingCall,
  options: { nowSeconds: number; transactionsPath: boolean; findMerchant(mchid: string): MerchantIdentity | undefined },
): MerchantIdentity {
  const parsed = parseAuthorization(header(call, 'authorization'));
  if (!parsed.ok) {
    if (parsed.reason === 'scheme') throw signError('HTTP头Authorization认证类型不正确');
    throw signError(options.transactionsPath ? TRANSACTIONS_FORMAT_MESSAGE : FORMAT_MESSAGE);
  }
  const { fields } = parsed;
  if (!/^\d{1,12}$/.test(fields.timestamp)) throw signError(FORMAT_MESSAGE);
  if (Math.abs(options.nowSeconds - Number(fields.timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw signError('Http头Authorization中的timestamp与发起请求的时间不得超过5分钟');
  }
  const merchant = options.findMerchant(fields.mchid);
  if (!merchant) throw signError('商户未申请过证书。');
  // Serials are hex; clients that read them with their own parser (wechatpay-node-v3 uses @fidm/x509) send lowercase.
  if (fields.serial_no.toUpperCase() !== merchant.serialNo.toUpperCase()) {
    throw signError('商户证书序列号有误。请使用签名私钥匹配的证书序列号');
  }
  const message = buildRequestSignMessage(call.method, call.rawUrl, fields.timestamp, fields.nonce_str, call.body);
  if (!verifySha256WithRsa(message, fields.signature, merchant.merchantPublicKey)) {
    const text = message.toString('utf8');
    throw signError('签名错误，请检查后再试', {
      detail: { issue: 'sign not match' },
      field: 'signature',
      location: 'authorization',
      sign_information: {
        method: call.method,
        sign_message_length: message.length,
        truncated_sign_message: text.length > 300 ? `${text.slice(0, 300)}...` : text,
        url: call.rawUrl,
      },
    });
  }
  return merchant;
}
