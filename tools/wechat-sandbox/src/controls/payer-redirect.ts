import type { PayerResult } from '../state/types.ts';

/**
 * Where the payer page sends the browser afterwards: `redirect` with
 * `payResult=` appended. An H5 app with hash routing keeps its route in the
 * hash, so the parameter goes inside the hash when there is one:
 * `http://host/h5/#/pages/pay/result?orderId=x` → `...?orderId=x&payResult=SUCCESS`.
 */
export function withPayResult(redirect: string, result: PayerResult): string {
  const parameter = `payResult=${result}`;
  const hashAt = redirect.indexOf('#');
  if (hashAt >= 0) {
    const hash = redirect.slice(hashAt + 1);
    return `${redirect.slice(0, hashAt)}#${hash}${hash.includes('?') ? '&' : '?'}${parameter}`;
  }
  return `${redirect}${redirect.includes('?') ? '&' : '?'}${parameter}`;
}

/** Only http(s) targets: a redirect must not become a javascript: URL. */
export function isSafeRedirect(redirect: string): boolean {
  try {
    const url = new URL(redirect);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
