import { createDecipheriv, createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/** The Wechatpay-* headers that sign a response or a notification. */
export interface WechatSignatureHeaders {
  serial: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export const MAX_CLOCK_SKEW_SECONDS = 300;

export function signatureHeadersOf(get: (name: string) => string | null | undefined): WechatSignatureHeaders | null {
  const serial = get('wechatpay-serial');
  const timestamp = get('wechatpay-timestamp');
  const nonce = get('wechatpay-nonce');
  const signature = get('wechatpay-signature');
  if (!serial || !timestamp || !nonce || !signature) return null;
  return { serial, timestamp, nonce, signature };
}

/** RSA-SHA256 over `timestamp\nnonce\nbody\n`, the body exactly as received. */
export function verifyWechatSignature(key: KeyObject, headers: WechatSignatureHeaders, rawBody: string | Buffer): boolean {
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${headers.timestamp}\n${headers.nonce}\n`);
  verifier.update(rawBody);
  verifier.update('\n');
  try {
    return verifier.verify(key, headers.signature, 'base64');
  } catch {
    return false;
  }
}

export function isStale(timestamp: string, now = Date.now()): boolean {
  const ts = Number(timestamp);
  return !Number.isFinite(ts) || Math.abs(now / 1000 - ts) >= MAX_CLOCK_SKEW_SECONDS;
}

/** AEAD_AES_256_GCM with the APIv3 key; the last 16 bytes of the ciphertext are the tag. */
export function decryptResource(apiV3Key: string, resource: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}
