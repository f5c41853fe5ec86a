import type { PaymentOutcome } from './payment';

/**
 * wx.requestPayment reports `requestPayment:ok`, `requestPayment:fail cancel`
 * when the payer closes the sheet, or `requestPayment:fail <detail>`.
 */
export function outcomeFromErrMsg(errMsg: string): PaymentOutcome {
  if (/^requestPayment:ok/.test(errMsg)) return 'SUCCESS';
  if (/^requestPayment:fail\s*cancel/i.test(errMsg)) return 'CANCEL';
  return 'FAIL';
}

/** Reads the `payResult` the h5 sandbox payer page appends to the result page URL. */
export function parsePayResult(value: string | undefined): PaymentOutcome | null {
  return value === 'SUCCESS' || value === 'CANCEL' || value === 'FAIL' ? value : null;
}

/** `prepay_id=wx…` → `wx…` */
export function prepayIdFromPackage(pkg: string): string | null {
  const match = /^prepay_id=(.+)$/.exec(pkg.trim());
  return match?.[1] ?? null;
}
