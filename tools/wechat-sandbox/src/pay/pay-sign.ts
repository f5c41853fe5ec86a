import type { KeyObject } from 'node:crypto';
import { buildPaySignMessage, verifySha256WithRsa } from '../crypto/signing.ts';

/** What the mini-program passes to wx.requestPayment (appId is implied by the mini-program). */
export interface RequestPaymentParams {
  timeStamp?: unknown;
  nonceStr?: unknown;
  package?: unknown;
  signType?: unknown;
  paySign?: unknown;
}

/**
 * The checks WeChat's payment sheet makes before showing anything. Returns the
 * failure text WeChat shows (after "requestPayment:fail "), or undefined when
 * the parameters are right.
 */
export function checkRequestPayment(
  params: RequestPaymentParams,
  expected: { appId: string; prepayId: string; merchantPublicKey: KeyObject },
): string | undefined {
  // A number timeStamp is the classic mistake: WeChat reports it as missing.
  if (typeof params.timeStamp !== 'string' || !/^\d{1,12}$/.test(params.timeStamp)) return '缺少参数:timeStamp';
  if (typeof params.nonceStr !== 'string' || params.nonceStr.length === 0 || params.nonceStr.length > 32) {
    return '缺少参数:nonceStr';
  }
  if (typeof params.package !== 'string' || params.package !== `prepay_id=${expected.prepayId}`) return 'package参数错误';
  if (params.signType !== 'RSA') return 'signType参数错误';
  if (typeof params.paySign !== 'string') return '缺少参数:paySign';
  const message = buildPaySignMessage(expected.appId, params.timeStamp, params.nonceStr, params.package);
  return verifySha256WithRsa(message, params.paySign, expected.merchantPublicKey) ? undefined : '支付验证签名失败';
}
