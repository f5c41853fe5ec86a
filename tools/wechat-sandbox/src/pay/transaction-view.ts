import { formatRfc3339 } from '../time/shanghai-time.ts';
import type { OrderRecord, TradeState } from '../state/types.ts';

const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
};

function isPaid(order: OrderRecord): boolean {
  return order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND';
}

/**
 * The order as GET /v3/pay/transactions/... returns it. Keys come in
 * alphabetical order like WeChat's responses; an unpaid order has no
 * transaction_id, payer, success_time, bank_type, attach or payer amounts.
 */
export function transactionQueryJson(order: OrderRecord): Record<string, unknown> {
  if (!isPaid(order)) {
    return {
      amount: { payer_currency: order.currency, total: order.total },
      appid: order.appid,
      mchid: order.mchid,
      out_trade_no: order.outTradeNo,
      promotion_detail: [],
      scene_info: { device_id: order.deviceId ?? '' },
      trade_state: order.tradeState,
      trade_state_desc: TRADE_STATE_DESC[order.tradeState],
    };
  }
  return {
    amount: { currency: order.currency, payer_currency: order.currency, payer_total: order.total, total: order.total },
    appid: order.appid,
    attach: order.attach ?? '',
    bank_type: order.bankType,
    mchid: order.mchid,
    out_trade_no: order.outTradeNo,
    payer: { openid: order.payerOpenid },
    promotion_detail: [],
    scene_info: { device_id: order.deviceId ?? '' },
    success_time: formatRfc3339(order.successTime ?? 0),
    trade_state: order.tradeState,
    trade_state_desc: TRADE_STATE_DESC[order.tradeState],
    trade_type: 'JSAPI',
    transaction_id: order.transactionId,
  };
}

/** The decrypted resource of a TRANSACTION.SUCCESS notification, in the order WeChat's documented example uses. */
export function transactionNotificationPlaintext(order: OrderRecord): Record<string, unknown> {
  return {
    mchid: order.mchid,
    appid: order.appid,
    out_trade_no: order.outTradeNo,
    transaction_id: order.transactionId,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: TRADE_STATE_DESC.SUCCESS,
    bank_type: order.bankType,
    attach: order.attach ?? '',
    success_time: formatRfc3339(order.successTime ?? 0),
    payer: { openid: order.payerOpenid },
    amount: { total: order.total, payer_total: order.total, currency: order.currency, payer_currency: order.currency },
  };
}
