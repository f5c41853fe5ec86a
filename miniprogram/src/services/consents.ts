import type { ParentConsent } from '@campuspay/shared';
import { request } from './request';

export type { ParentConsent };

/** GET /parent/consents → one entry per bank whose schools the parent's children attend, with the exact text and version. */
export async function listConsents(): Promise<ParentConsent[]> {
  return (await request<{ items: ParentConsent[] }>('GET', '/parent/consents')).items;
}

/**
 * POST /parent/consents {action: 'grant', bankId, version, phone}: consent to
 * the text of `version` (a newer text is refused with 409 until read); the
 * phone must be the guardian phone the school holds for one of the children.
 */
export function grantConsent(input: { bankId: string; version: number; phone: string }): Promise<ParentConsent> {
  return request<ParentConsent>('POST', '/parent/consents', { action: 'grant', ...input });
}

/** POST /parent/consents {action: 'withdraw', bankId}: takes effect at once; the phone is erased. */
export function withdrawConsent(bankId: string): Promise<ParentConsent> {
  return request<ParentConsent>('POST', '/parent/consents', { action: 'withdraw', bankId });
}
