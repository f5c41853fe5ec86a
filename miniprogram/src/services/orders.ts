import { request } from './request';

/** What wx.requestPayment needs, signed by the server. */
export interface PayParams {
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=...` */
  package: string;
  signType: string;
  paySign: string;
}

export interface CreatedOrder {
  orderId: string;
  outTradeNo: string;
  totalFen: number;
  payParams: PayParams;
}

export type OrderStatus = 'PENDING' | 'PAID' | 'CLOSED' | 'REFUNDED' | 'PARTIALLY_REFUNDED';

/** The fields of GET /parent/orders/:id the mini-program reads. */
export interface ParentOrder {
  id?: string;
  outTradeNo?: string;
  totalFen: number;
  status: OrderStatus;
}

/**
 * POST /parent/orders {billIds} with Idempotency-Key → {orderId, outTradeNo, totalFen, payParams}.
 * Each bill is paid in full (its outstanding amount); the optional
 * `amountsFen` of the contract (instalments) is not used yet.
 */
export function createOrder(billIds: readonly string[], idempotencyKey: string): Promise<CreatedOrder> {
  return request<CreatedOrder>('POST', '/parent/orders', { billIds }, { idempotencyKey });
}

/** GET /parent/orders/:id; while PENDING the server may ask WeChat before answering. */
export function getOrder(orderId: string): Promise<ParentOrder> {
  return request<ParentOrder>('GET', `/parent/orders/${encodeURIComponent(orderId)}`);
}
