import type { PayParams, ReportedOutcome } from '../services/order-model';

/**
 * Handing the payer to WeChat Pay: the shared type of the platform variants,
 * resolved by Taro at build time like wechat-login.ts:
 *   - payment.weapp.ts: Taro.requestPayment (wx.requestPayment) → the sheet's outcome;
 *   - payment.h5.ts: the browser goes to the WeChat sandbox's payer page, which
 *     comes back to `resultPage` with `payResult=SUCCESS|CANCEL|FAIL` appended.
 * The outcome the client sees is never authoritative: the result page asks the
 * server for the order's status.
 */

/** What the payment sheet (or the sandbox payer page) reported. */
export type PaymentOutcome = ReportedOutcome;

export interface PaymentRequest {
  orderId: string;
  payParams: PayParams;
  /**
   * In-app path to come back to after paying (h5): the result page of this
   * order, or the checkout page when several orders are paid in sequence.
   */
  resultPage: string;
}

/**
 * Resolves with the payment sheet's outcome (weapp), or with 'REDIRECTED'
 * once the browser is on its way to the sandbox payer page (h5): the current
 * page is being left and the caller should do nothing more.
 */
export type RequestPayment = (payment: PaymentRequest) => Promise<PaymentOutcome | 'REDIRECTED'>;

/** Fallback for targets without a variant. */
export const requestPayment: RequestPayment = () => Promise.reject(new Error('当前平台暂不支持微信支付'));
