import type { ParentConsent } from '@campuspay/shared';

/**
 * What the consent page says about one bank's consent: the state in words,
 * the phone check before sending, and times in Beijing time. Pure and unit
 * tested.
 */

export type ConsentStatusTone = 'granted' | 'none' | 'withdrawn';

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An ISO instant as Beijing time, "2026-09-01 08:30". */
export function beijingTime(iso: string): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  return new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

export interface ConsentStatusView {
  tone: ConsentStatusTone;
  label: string;
  detail: string;
  /** Granted for an older text than the current one: the parent may read and agree to the new one. */
  newerText: boolean;
}

export function consentStatusView(consent: ParentConsent): ConsentStatusView {
  if (consent.status === 'granted') {
    const version = consent.grantedVersion ?? consent.version;
    return {
      tone: 'granted',
      label: '已同意',
      detail: `${consent.grantedAt ? `${beijingTime(consent.grantedAt)} ` : ''}同意第 ${version} 版说明，联系手机 ${consent.phoneMasked ?? '—'}`,
      newerText: version < consent.version,
    };
  }
  if (consent.status === 'withdrawn') {
    return {
      tone: 'withdrawn',
      label: '已撤回',
      detail: `${consent.withdrawnAt ? `${beijingTime(consent.withdrawnAt)} ` : ''}已撤回，${consent.bankName}不会再因此联系您`,
      newerText: false,
    };
  }
  return { tone: 'none', label: '未同意', detail: `${consent.bankName}看不到您的任何联系方式`, newerText: false };
}

/** The phone as typed, checked before sending: 11 digits starting with 1 (spaces and dashes ignored). */
export function readConsentPhone(input: string): { ok: true; phone: string } | { ok: false; message: string } {
  const phone = input.replace(/[\s-]/g, '');
  if (phone === '') return { ok: false, message: '请输入学校登记的监护人手机号' };
  if (!/^1\d{10}$/.test(phone)) return { ok: false, message: '请输入 11 位手机号' };
  return { ok: true, phone };
}
