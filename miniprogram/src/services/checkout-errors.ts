import { isApiError } from './api-error';

/**
 * What the bills page does when POST /parent/orders fails. Pure (no @tarojs
 * import): unit-tested.
 */
export interface CheckoutErrorAction {
  title: string;
  message: string;
  /** Offer 重试 (the same request, with the same Idempotency-Key unless `forgetKey`). */
  retry: boolean;
  /** The bills have changed under the parent (paid by someone else, amounts adjusted): reload them. */
  reloadBills: boolean;
  /** Drop the Idempotency-Key of this selection: the next attempt is a new request. */
  forgetKey: boolean;
}

export interface CheckoutAttempt {
  /** The Idempotency-Key had been sent before (a retry of the same intent). */
  keyReused?: boolean;
}

export function checkoutErrorAction(err: unknown, attempt: CheckoutAttempt = {}): CheckoutErrorAction {
  const message = err instanceof Error && err.message ? err.message : '发起支付失败，请稍后重试';
  if (!isApiError(err)) return { title: '发起支付失败', message, retry: true, reloadBills: false, forgetKey: false };
  switch (err.code) {
    case 'NETWORK_ERROR':
      // The order may or may not exist: retrying with the same key is safe and gets the same answer.
      return { title: '网络异常', message, retry: true, reloadBills: false, forgetKey: false };
    case 'STATE_CONFLICT':
      // The server uses this code both for "another guardian is paying one of
      // these bills" and for "the first request with this key is still being
      // processed". After a retry (key reused) it is most likely the latter:
      // keep the key and let the parent try again shortly.
      if (attempt.keyReused) {
        return { title: '正在处理', message: message || '支付请求正在处理中，请稍后重试', retry: true, reloadBills: false, forgetKey: false };
      }
      return { title: '账单正在支付中', message, retry: false, reloadBills: true, forgetKey: true };
    case 'IDEMPOTENCY_KEY_REUSED':
      return { title: '请重新发起支付', message: '支付信息已变化，请重新发起支付', retry: true, reloadBills: false, forgetKey: true };
    case 'UPSTREAM_UNAVAILABLE':
      return { title: '微信支付繁忙', message: message || '微信支付繁忙，请稍后重试', retry: true, reloadBills: false, forgetKey: false };
    case 'UPSTREAM_ERROR':
      return { title: '暂时无法支付', message, retry: true, reloadBills: false, forgetKey: true };
    case 'NOT_FOUND':
      return { title: '账单已变化', message, retry: false, reloadBills: true, forgetKey: true };
    default:
      break;
  }
  if (err.status === 422 || err.code === 'BUSINESS_RULE') {
    // Partial-payment rules, a cancelled bill, an amount above what is now owed: the message says which.
    return { title: '无法按此金额缴费', message, retry: false, reloadBills: true, forgetKey: true };
  }
  if (err.status === 503 || err.status >= 500) {
    return { title: '服务繁忙', message, retry: true, reloadBills: false, forgetKey: false };
  }
  return { title: '发起支付失败', message, retry: false, reloadBills: false, forgetKey: true };
}
