import { isApiError } from './api-error';

/**
 * Orders as the server shows them to a parent (POST /parent/orders,
 * GET /parent/orders/:id), and what the pages make of their status. No
 * @tarojs import here: unit-tested.
 */

/** What wx.requestPayment needs, signed by the server. */
export interface PayParams {
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=...` */
  package: string;
  signType: string;
  paySign: string;
}

export type OrderStatus = 'PENDING' | 'PAID' | 'CLOSING' | 'CLOSED' | 'REFUNDED' | 'PARTIALLY_REFUNDED';

export interface OrderBillLine {
  billId: string;
  feeItemName: string;
  studentName: string;
  amountFen: number;
}

/** One order: the bills of one payee account (school, canteen, …) paid in one WeChat payment. */
export interface OrderView {
  orderId: string;
  outTradeNo: string;
  status: OrderStatus;
  totalFen: number;
  refundedFen: number;
  payeeAccountId: string;
  payeeName: string;
  bills: OrderBillLine[];
  /** Present while the order is PENDING. */
  payParams: PayParams | null;
  expiresAt: string;
  paidAt: string | null;
  transactionId: string | null;
  receiptNo: string | null;
}

/**
 * POST /parent/orders answers with the first order's fields (the contract's
 * single-order shape) and `orders`: every payee's order, in paying order.
 */
export type CreateOrdersResponse = OrderView & { orders?: OrderView[] };

/** The orders of a create answer, in paying order (a server without `orders` had one). */
export function ordersOf(response: CreateOrdersResponse): OrderView[] {
  if (Array.isArray(response.orders) && response.orders.length > 0) return response.orders;
  return [response];
}

/** The payment sheet's (or sandbox payer page's) word, which is never trusted on its own. */
export type ReportedOutcome = 'SUCCESS' | 'CANCEL' | 'FAIL';

/**
 * What an order's server status means for the parent, given what the payment
 * sheet reported:
 *   paid      PAID (money received; a receipt exists or is being issued)
 *   refunded  REFUNDED / PARTIALLY_REFUNDED
 *   closed    CLOSED: the order is dead; its bills are payable again with a new order
 *   cancelled / failed   still unpaid after the sheet said CANCEL / FAIL: payable again
 *   pending   still unpaid (or closing) after the sheet said SUCCESS or nothing: WeChat's word may not have reached the server yet
 */
export type OrderOutcome = 'paid' | 'refunded' | 'closed' | 'cancelled' | 'failed' | 'pending';

export function outcomeOf(status: OrderStatus | (string & {}), reported: ReportedOutcome | null): OrderOutcome {
  switch (status) {
    case 'PAID':
      return 'paid';
    case 'REFUNDED':
    case 'PARTIALLY_REFUNDED':
      return 'refunded';
    case 'CLOSED':
      return 'closed';
    default:
      // PENDING, CLOSING, or a status this build does not know: not paid (yet).
      if (reported === 'CANCEL') return 'cancelled';
      if (reported === 'FAIL') return 'failed';
      return 'pending';
  }
}

/** The sheet's report an unpaid outcome came from, to read a fresh status in the same light. */
export function reportBehind(outcome: OrderOutcome): ReportedOutcome | null {
  if (outcome === 'cancelled') return 'CANCEL';
  if (outcome === 'failed') return 'FAIL';
  if (outcome === 'pending') return 'SUCCESS';
  return null;
}

/** Whether asking the server again may change the answer: only while a reported (or unknown) success has not landed. */
export function isSettled(outcome: OrderOutcome): boolean {
  return outcome !== 'pending';
}

/** Money has reached the school for this order (a refund later does not undo the payment). */
export function isPaidOutcome(outcome: OrderOutcome): boolean {
  return outcome === 'paid' || outcome === 'refunded';
}

/**
 * Whether an answer is worth asking the server again about: a reported (or
 * unknown) success it has not seen yet, or a paid order whose receipt is not
 * there yet. The server marks an order paid first, then applies it to the
 * bills and issues the receipt, so an answer may come in between; the parent
 * should see the receipt number, not an order that looks paid without one.
 */
export function awaitsServer(order: Pick<OrderView, 'receiptNo'>, outcome: OrderOutcome): boolean {
  return !isSettled(outcome) || (isPaidOutcome(outcome) && !order.receiptNo);
}

/** The order can still be paid with its own payParams. */
export function canPayOrder(order: Pick<OrderView, 'status' | 'payParams' | 'expiresAt'>, now: number = Date.now()): boolean {
  if (order.status !== 'PENDING' || !order.payParams) return false;
  const expires = Date.parse(order.expiresAt);
  return Number.isNaN(expires) || expires > now;
}

export interface ConfirmOptions {
  /** How long to keep asking while the order is still PENDING after a reported success. */
  maxWaitMs?: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Stop early (e.g. the page was closed); the last answer is returned. */
  isCancelled?: () => boolean;
}

export interface Confirmation {
  order: OrderView;
  outcome: OrderOutcome;
  /** Times the server was asked. */
  attempts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A failure of GET /parent/orders/:id that asking again may cure: a timeout
 * or lost connection, the server busy (5xx), or 409 STATE_CONFLICT, which the
 * server answers while the same order is being settled by WeChat's
 * notification (its document lock).
 */
export function isTransientOrderError(err: unknown): boolean {
  if (!isApiError(err)) return false;
  return err.code === 'NETWORK_ERROR' || err.code === 'STATE_CONFLICT' || err.status >= 500;
}

/** Reads an order, asking again (up to `attempts` times in all) after a transient failure. */
export async function fetchOrderPatiently(
  fetchOrder: (orderId: string) => Promise<OrderView>,
  orderId: string,
  { attempts = 3, intervalMs = 1_500, sleep = defaultSleep }: { attempts?: number; intervalMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<OrderView> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOrder(orderId);
    } catch (err) {
      if (attempt >= attempts || !isTransientOrderError(err)) throw err;
      await sleep(intervalMs);
    }
  }
}

/**
 * Asks the server for an order's status (the server itself asks WeChat while
 * the order is PENDING) until it is settled, with its receipt if paid
 * (awaitsServer), or `maxWaitMs` (default 10 s) has passed. A sheet that
 * reported CANCEL or FAIL is taken at its word after one unpaid answer, since
 * the payer is back and nothing is on its way. Transient
 * failures are asked again while time remains; the last one is thrown when
 * no answer came at all.
 */
export async function confirmOrder(
  fetchOrder: (orderId: string) => Promise<OrderView>,
  orderId: string,
  reported: ReportedOutcome | null,
  options: ConfirmOptions = {},
): Promise<Confirmation> {
  const { maxWaitMs = 10_000, intervalMs = 1_500, sleep = defaultSleep, now = Date.now, isCancelled = () => false } = options;
  const deadline = now() + maxWaitMs;
  let last: Confirmation | null = null;
  for (let attempts = 1; ; attempts++) {
    try {
      const order = await fetchOrder(orderId);
      last = { order, outcome: outcomeOf(order.status, reported), attempts };
      if (!awaitsServer(order, last.outcome)) return last;
    } catch (err) {
      if (!isTransientOrderError(err)) throw err;
      if (!last && (isCancelled() || now() + intervalMs > deadline)) throw err;
    }
    // Stop with the last answer when time is up or the page went away.
    if (last && (isCancelled() || now() + intervalMs > deadline)) return { ...last, attempts };
    await sleep(intervalMs);
    if (last && isCancelled()) return last;
  }
}

/** A receipt of an online payment, as listed on a bill's detail page. */
export interface BillReceipt {
  receiptNo: string;
  orderId: string;
  /** What this order paid towards the bill (the receipt may cover other bills too). */
  amountFen: number;
  totalFen: number;
  payeeName: string;
  paidAt: string | null;
  /** Money of this order returned to the payer: none, part or all of it. */
  refund: 'none' | 'partial' | 'full';
}

/** The receipts of the paid orders among `orders` that include `billId`, newest payment first. */
export function billReceipts(orders: readonly OrderView[], billId: string): BillReceipt[] {
  const byReceipt = new Map<string, BillReceipt>();
  for (const order of orders) {
    const outcome = outcomeOf(order.status, null);
    if (!isPaidOutcome(outcome) || !order.receiptNo || byReceipt.has(order.receiptNo)) continue;
    const line = order.bills.find((b) => b.billId === billId);
    if (!line) continue;
    byReceipt.set(order.receiptNo, {
      receiptNo: order.receiptNo,
      orderId: order.orderId,
      amountFen: line.amountFen,
      totalFen: order.totalFen,
      payeeName: order.payeeName,
      paidAt: order.paidAt,
      refund: order.status === 'REFUNDED' ? 'full' : order.status === 'PARTIALLY_REFUNDED' ? 'partial' : 'none',
    });
  }
  return [...byReceipt.values()].sort((a, b) => (b.paidAt ?? '').localeCompare(a.paidAt ?? ''));
}
