import { request } from './request';
import type { CreateOrdersResponse, OrderView } from './order-model';

export * from './order-model';

/**
 * Both calls may wait on WeChat Pay (the server allows it 10 s a call): creating
 * places one WeChat order per payee account (and may close stale ones first),
 * reading a PENDING order queries WeChat. A timeout is still safe: retrying the
 * create with the same Idempotency-Key gets the same orders.
 */
const ORDER_TIMEOUT_MS = 30_000;

export interface CreateOrdersInput {
  billIds: readonly string[];
  /** Per bill, in the order of billIds: what to pay now (the outstanding amount, or part of it where the bill allows). */
  amountsFen?: readonly number[];
}

/**
 * POST /parent/orders {billIds, amountsFen?} with Idempotency-Key → 201
 * {...firstOrder, orders}. Bills of different payee accounts get one order each,
 * to be paid one after another. 409 STATE_CONFLICT when another guardian is
 * paying one of the bills, 422 when an amount breaks the bill's rules, 503 when
 * WeChat Pay is busy.
 */
export function createOrders(input: CreateOrdersInput, idempotencyKey: string): Promise<CreateOrdersResponse> {
  const body: { billIds: string[]; amountsFen?: number[] } = { billIds: [...input.billIds] };
  if (input.amountsFen) body.amountsFen = [...input.amountsFen];
  return request<CreateOrdersResponse>('POST', '/parent/orders', body, { idempotencyKey, timeoutMs: ORDER_TIMEOUT_MS });
}

/** GET /parent/orders/:id; while the order is PENDING the server asks WeChat before answering. */
export function getOrder(orderId: string): Promise<OrderView> {
  return request<OrderView>('GET', `/parent/orders/${encodeURIComponent(orderId)}`, undefined, { timeoutMs: ORDER_TIMEOUT_MS });
}
