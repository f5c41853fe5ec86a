import { createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';

/** The only scheme WeChat Pay v3 accepts in Authorization and uses for its own signatures. */
export const SIGNATURE_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/**
 * The merchant's request message: five lines, each ending in `\n` (the last
 * too). `urlPath` is the path plus `?query` exactly as sent; `body` the exact
 * bytes sent (empty for GET).
 */
export function buildRequestSignMessage(
  method: string,
  urlPath: string,
  timestamp: string,
  nonce: string,
  body: Buffer | string,
): Buffer {
  return Buffer.concat([
    Buffer.from(`${method}\n${urlPath}\n${timestamp}\n${nonce}\n`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    Buffer.from('\n'),
  ]);
}

/** WeChat's response and notification message: `timestamp\nnonce\nbody\n` over the raw body. */
export function buildResponseSignMessage(timestamp: string, nonce: string, body: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    Buffer.from('\n'),
  ]);
}

/** The `wx.requestPayment` paySign message: `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function buildPaySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): Buffer {
  return Buffer.from(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`, 'utf8');
}

export function signSha256WithRsa(message: Buffer, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

/** Never throws: a malformed signature or key is simply not a valid signature. */
export function verifySha256WithRsa(message: Buffer, signatureBase64: string, publicKey: KeyObject | string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signatureBase64, 'base64');
  } catch {
    return false;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random `[A-Za-z0-9]` string, as WeChat's nonces and resource nonces look. */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

/** Random uppercase hex, as WeChat's Wechatpay-Nonce and Request-ID look. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex').toUpperCase();
}
