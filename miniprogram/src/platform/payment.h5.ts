import { getClientConfig } from '../services/client-config';
import type { RequestPayment } from './payment';
import { prepayIdFromPackage } from './payment-outcome';

/**
 * No payment sheet in a browser: go to the WeChat sandbox's payer page
 *   {sandbox}/sandbox/payer?prepay_id=…&redirect=<result page URL>&timeStamp&nonceStr&package&signType&paySign
 * which acts as the payer and navigates back to the redirect with
 * `payResult=SUCCESS|CANCEL|FAIL` appended to its hash query. The
 * wx.requestPayment parameters ride along so the sandbox can check the
 * server's paySign the way WeChat would.
 */
export const requestPayment: RequestPayment = async ({ payParams, resultPage }) => {
  const { wechatSandboxUrl } = await getClientConfig();
  if (!wechatSandboxUrl) {
    throw new Error('网页版暂不支持支付，请在微信小程序中缴费');
  }
  const prepayId = prepayIdFromPackage(payParams.package);
  if (!prepayId) throw new Error('支付参数有误，请稍后重试');

  const { origin, pathname, search } = window.location;
  const redirect = `${origin}${pathname}${search}#${resultPage}`;
  const query = [
    ['prepay_id', prepayId],
    ['redirect', redirect],
    ['timeStamp', payParams.timeStamp],
    ['nonceStr', payParams.nonceStr],
    ['package', payParams.package],
    ['signType', payParams.signType],
    ['paySign', payParams.paySign],
  ]
    .map(([key, value]) => `${key}=${encodeURIComponent(value ?? '')}`)
    .join('&');
  const payerUrl = `${wechatSandboxUrl.replace(/\/+$/, '')}/sandbox/payer?${query}`;
  window.location.assign(payerUrl);
  return 'REDIRECTED';
};
