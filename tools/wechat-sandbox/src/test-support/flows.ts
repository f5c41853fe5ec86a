import { randomBytes } from 'node:crypto';
import type { SandboxControl } from '../control-client.ts';
import type { SandboxPay } from './sandbox-pay-client.ts';

/** A fresh out_trade_no within WeChat's 6-32 characters. */
export function newOutTradeNo(prefix = 'CP'): string {
  return `${prefix}${Date.now()}${randomBytes(4).toString('hex')}`;
}

export interface JsapiOrderInput {
  openid: string;
  notifyUrl: string;
  total?: number;
  outTradeNo?: string;
  description?: string;
  attach?: string;
  timeExpire?: string;
}

/** The body wechatpay-node-v3's transactions_jsapi takes (it adds appid and mchid itself). */
export function jsapiParams(input: JsapiOrderInput) {
  return {
    description: input.description ?? '2025秋季学期学费',
    out_trade_no: input.outTradeNo ?? newOutTradeNo(),
    notify_url: input.notifyUrl,
    amount: { total: input.total ?? 100, currency: 'CNY' },
    payer: { openid: input.openid },
    ...(input.attach ? { attach: input.attach } : {}),
    ...(input.timeExpire ? { time_expire: input.timeExpire } : {}),
  };
}

export interface RequestPaymentData {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

/** Places an order with the real client and returns what wx.requestPayment would get. */
export async function placeOrder(pay: SandboxPay, input: JsapiOrderInput): Promise<{ outTradeNo: string; prepayId: string; payment: RequestPaymentData }> {
  const params = jsapiParams(input);
  const result = await pay.transactions_jsapi(params);
  if (result.status !== 200) throw new Error(`order failed: ${result.status} ${String(result.error)}`);
  const payment = result.data as RequestPaymentData;
  return { outTradeNo: params.out_trade_no, prepayId: payment.package.replace('prepay_id=', ''), payment };
}

/** Places an order and has the payer pay it. */
export async function placePaidOrder(
  pay: SandboxPay,
  control: SandboxControl,
  input: JsapiOrderInput & { bankType?: string },
): Promise<{ outTradeNo: string; prepayId: string; transactionId: string }> {
  const order = await placeOrder(pay, input);
  const answer = await control.pay(order.prepayId, input.bankType ? { bankType: input.bankType } : {});
  return { ...order, transactionId: String(answer.transaction['transaction_id']) };
}
