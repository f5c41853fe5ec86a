import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for identity and phone numbers (AES-256-GCM, a fresh
 * 12-byte IV per value), and keyed lookup hashes so an exact search works
 * without decrypting. The format carries a version so keys can rotate.
 */
export interface PersonalDataCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Deterministic HMAC of the normalised value, for equality lookups. */
  lookupHash(plain: string): string;
}

const VERSION = 'v1';

export function createPersonalDataCipher(keyBase64: string, hashKeyBase64: string): PersonalDataCipher {
  const key = Buffer.from(keyBase64, 'base64');
  const hashKey = Buffer.from(hashKeyBase64, 'base64');
  if (key.length !== 32 || hashKey.length !== 32) throw new Error('personal data keys must be 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unrecognised sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    lookupHash(plain) {
      return createHmac('sha256', hashKey).update(plain).digest('base64url');
    },
  };
}
