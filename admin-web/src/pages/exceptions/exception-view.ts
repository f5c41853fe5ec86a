/**
 * How the payment exception queue reads: kind labels, the evidence as
 * indented JSON (with amounts also shown in yuan), and the resolution note.
 * Pure and unit tested.
 */
import { displayYuan } from '@campuspay/shared';
import { EXCEPTION_KINDS, type ExceptionKind } from '../../services/exceptions.ts';

export const EXCEPTION_KIND_LABELS: Readonly<Record<(typeof EXCEPTION_KINDS)[number], string>> = {
  double_payment: '重复支付',
  amount_mismatch: '金额不符',
  pending_too_long: '支付长时间未确认',
  abnormal_refund: '退款异常',
  notification_rejected: '支付通知验签失败',
  reconciliation_difference: '对账差异',
};

export const EXCEPTION_KIND_COLORS: Readonly<Record<(typeof EXCEPTION_KINDS)[number], string>> = {
  double_payment: 'volcano',
  amount_mismatch: 'red',
  pending_too_long: 'gold',
  abnormal_refund: 'magenta',
  notification_rejected: 'purple',
  reconciliation_difference: 'blue',
};

export function exceptionKindLabel(kind: ExceptionKind): string {
  return (EXCEPTION_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

export function exceptionKindColor(kind: ExceptionKind): string {
  return (EXCEPTION_KIND_COLORS as Record<string, string>)[kind] ?? 'default';
}

/**
 * The evidence as indented JSON; integer fields named `…Fen` get their
 * yuan value alongside (`"amountFen": 120000  // ¥1,200.00`) so nobody has
 * to divide by 100 in their head.
 */
export function evidenceText(evidence: unknown): string {
  if (evidence === null || evidence === undefined) return '（无）';
  const json = JSON.stringify(evidence, null, 2) ?? String(evidence);
  return json.replace(/^(\s*"[^"]*Fen"\s*:\s*)(-?\d+)(,?)$/gm, (_m, head: string, digits: string, comma: string) => {
    const value = Number(digits);
    return Number.isSafeInteger(value) ? `${head}${digits}${comma}  // ${displayYuan(value)}` : `${head}${digits}${comma}`;
  });
}

/** The resolution note (2–300 characters), or what is wrong with it. */
export function resolutionOf(text: string | undefined): { ok: true; value: string } | { ok: false; message: string } {
  const value = text?.trim() ?? '';
  if (value.length < 2) return { ok: false, message: '请填写处理说明' };
  if (value.length > 300) return { ok: false, message: '处理说明最多 300 个字' };
  return { ok: true, value };
}
