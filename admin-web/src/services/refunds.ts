/**
 * Refund endpoints, one typed function each. Refunds go back the way the
 * money came (the WeChat order, or cash at the counter); above the
 * threshold a bursar's WeChat refund waits for a group admin.
 */
import { api } from './request.ts';
import { booleanField, nullableStringField, numberField, objectOf, arrayOf, oneOf, stringField } from './shape.ts';

export const REFUND_STATUSES = ['PENDING_APPROVAL', 'SUBMITTING', 'PROCESSING', 'SUCCESS', 'ABNORMAL', 'CLOSED', 'REJECTED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A refund as `GET /admin/refunds` lists it; not in the shared contract yet (the server's `RefundView`). */
export interface Refund {
  id: string;
  outRefundNo: string;
  billId: string;
  orderId: string | null;
  channel: 'wechat' | 'counter';
  amountFen: number;
  reason: string;
  status: RefundStatus;
  /** Raised by the platform itself (e.g. a double payment), not by staff. */
  automatic: boolean;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
}

export function parseRefund(value: unknown): Refund {
  const shape = objectOf(value, 'refund');
  return {
    id: stringField(shape, 'id'),
    outRefundNo: stringField(shape, 'outRefundNo'),
    billId: stringField(shape, 'billId'),
    orderId: nullableStringField(shape, 'orderId'),
    channel: oneOf(shape['channel'], ['wechat', 'counter'] as const, 'channel'),
    amountFen: numberField(shape, 'amountFen'),
    reason: stringField(shape, 'reason'),
    status: oneOf(shape['status'], REFUND_STATUSES, 'status'),
    automatic: booleanField(shape, 'automatic'),
    lastError: nullableStringField(shape, 'lastError'),
    createdAt: stringField(shape, 'createdAt'),
    completedAt: nullableStringField(shape, 'completedAt'),
  };
}

const parseRefundList = (value: unknown): Refund[] => arrayOf(value, 'refunds').map(parseRefund);

/** The body of `POST /admin/refunds`. */
export interface RefundRequest {
  billId: string;
  amountFen: number;
  reason: string;
  /** A particular WeChat order to refund; by default the server picks the route. */
  orderId?: string;
}

/** `POST /api/v1/admin/refunds` with `Idempotency-Key` → 201 the refund (SUCCESS at once for counter money). */
export function requestRefund(body: RefundRequest, idempotencyKey: string): Promise<Refund> {
  return api.post('/admin/refunds', body, { idempotencyKey, parse: parseRefund });
}

/** `GET /api/v1/admin/refunds?billId&status`: newest first (at most 500). */
export function listRefunds(query: { billId?: string | undefined; status?: RefundStatus | undefined } = {}, signal?: AbortSignal): Promise<Refund[]> {
  return api.get('/admin/refunds', {
    query: { billId: query.billId, status: query.status },
    parse: parseRefundList,
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/refunds/:id/approve {approve, reason}` (group admins; not one's own request). */
export function decideRefund(id: string, body: { approve: boolean; reason: string }): Promise<Refund> {
  return api.post(`/admin/refunds/${encodeURIComponent(id)}/approve`, body, { parse: parseRefund });
}
