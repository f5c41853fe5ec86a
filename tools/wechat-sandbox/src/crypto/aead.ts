import { createCipheriv } from 'node:crypto';
import { randomAlphanumeric } from './signing.ts';

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

/**
 * AEAD_AES_256_GCM as WeChat uses it for notification resources and
 * /v3/certificates: key = the 32 ASCII bytes of the APIv3 key, IV = a
 * 12-character nonce string, AAD = associated_data, ciphertext = Base64 of
 * encrypted bytes followed by the 16-byte tag.
 */
export function encryptWithApiV3Key(plaintext: string, apiV3Key: string, associatedData: string): EncryptedResource {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be exactly 32 bytes');
  const nonce = randomAlphanumeric(12);
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypted.toString('base64'), associated_data: associatedData, nonce };
}
