import { sumFen, type Fen } from '@campuspay/shared';
import { canPayOrder, type OrderOutcome, type OrderView } from './order-model';

/**
 * Paying several orders one after another (bills of different payee
 * accounts: the school's tuition, the canteen's meals, …). The order list
 * lives in the checkout page's URL (`orderIds=a,b`), so the page can be left
 * for the H5 payer page and come back; every status comes from the server.
 * Pure (no @tarojs import): unit-tested.
 */

export type CheckoutOrderState = 'to_pay' | 'confirming' | 'paid' | 'refunded' | 'closed';

export const CHECKOUT_ORDER_STATE_LABELS: Record<CheckoutOrderState, string> = {
  to_pay: '待支付',
  confirming: '确认中',
  paid: '已支付',
  refunded: '已退款',
  closed: '已关闭',
};

export function checkoutOrderState(order: Pick<OrderView, 'status'>): CheckoutOrderState {
  switch (order.status) {
    case 'PAID':
      return 'paid';
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
      return 'refunded';
    case 'CLOSED':
      return 'closed';
    case 'CLOSING':
      return 'confirming';
    default:
      return 'to_pay';
  }
}

export interface CheckoutProgress {
  totalCount: number;
  paidCount: number;
  totalFen: Fen;
  paidFen: Fen;
  closedCount: number;
  /** The order to pay now: the first still payable in the sequence, or null. */
  next: OrderView | null;
  /** Its 0-based position, or -1. */
  nextIndex: number;
  /** Every order has been paid. */
  allPaid: boolean;
  /** Nothing is left to pay here (some orders may have closed: their bills are payable again from the bills page). */
  finished: boolean;
}

export function checkoutProgress(orders: readonly OrderView[], now: number = Date.now()): CheckoutProgress {
  const paid = orders.filter((o) => {
    const state = checkoutOrderState(o);
    return state === 'paid' || state === 'refunded';
  });
  const nextIndex = orders.findIndex((o) => canPayOrder(o, now));
  const waiting = orders.some((o) => checkoutOrderState(o) === 'confirming');
  return {
    totalCount: orders.length,
    paidCount: paid.length,
    totalFen: sumFen(orders.map((o) => o.totalFen)),
    paidFen: sumFen(paid.map((o) => o.totalFen)),
    closedCount: orders.filter((o) => checkoutOrderState(o) === 'closed').length,
    next: nextIndex >= 0 ? orders[nextIndex]! : null,
    nextIndex,
    allPaid: orders.length > 0 && paid.length === orders.length,
    finished: nextIndex < 0 && !waiting,
  };
}

/** The checkout's pay button: 去支付 to start, 支付下一笔 after a payment, 重新支付 after the payer cancelled or it failed. */
export function payButtonLabel(progress: CheckoutProgress, lastOutcome: { orderId: string; outcome: OrderOutcome } | null): string | null {
  if (!progress.next) return null;
  if (lastOutcome && lastOutcome.orderId === progress.next.orderId && (lastOutcome.outcome === 'cancelled' || lastOutcome.outcome === 'failed' || lastOutcome.outcome === 'pending')) {
    return '重新支付';
  }
  return progress.paidCount > 0 ? '支付下一笔' : '去支付';
}

/** Replaces one order in the list by its fresh view. */
export function withOrder(orders: readonly OrderView[], fresh: OrderView): OrderView[] {
  return orders.map((o) => (o.orderId === fresh.orderId ? fresh : o));
}

const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `orderIds` route parameter ⇄ ids, in paying order; anything malformed is dropped. */
export function encodeOrderIds(ids: readonly string[]): string {
  return ids.join(',');
}

export function parseOrderIds(text: string): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => ORDER_ID_PATTERN.test(s));
  return [...new Set(ids)];
}
