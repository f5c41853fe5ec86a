/**
 * The payment exception queue: everything about money that needs a person
 * (double payments, amount mismatches, abnormal refunds, rejected
 * notifications, reconciliation differences), one typed function each.
 */
import { api } from './request.ts';
import { arrayOf, nullableStringField, objectOf, oneOf, stringField } from './shape.ts';

export const EXCEPTION_KINDS = [
  'double_payment',
  'amount_mismatch',
  'pending_too_long',
  'abnormal_refund',
  'notification_rejected',
  'reconciliation_difference',
] as const;
/** A kind this client knows, or one a newer server added. */
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number] | (string & {});
export type ExceptionStatus = 'open' | 'resolved';

/** One step taken on an item: by the platform (`system`) or a person (their username). */
export interface ExceptionAction {
  at: string | null;
  by: string;
  action: string;
}

/** An item of `GET /admin/exceptions`; not in the shared contract yet. */
export interface PaymentException {
  id: string;
  kind: ExceptionKind;
  status: ExceptionStatus;
  summary: string;
  /** What the platform recorded when it raised the item (shown as JSON). */
  evidence: unknown;
  orderId: string | null;
  billId: string | null;
  refundId: string | null;
  actions: ExceptionAction[];
  resolution: string | null;
  createdAt: string;
}

function parseAction(value: unknown): ExceptionAction {
  const shape = objectOf(value, 'action');
  const at = shape['at'];
  return {
    at: typeof at === 'string' ? at : null,
    by: typeof shape['by'] === 'string' ? shape['by'] : '',
    action: typeof shape['action'] === 'string' ? shape['action'] : '',
  };
}

export function parseException(value: unknown): PaymentException {
  const shape = objectOf(value, 'exception');
  return {
    id: stringField(shape, 'id'),
    kind: stringField(shape, 'kind'),
    status: oneOf(shape['status'], ['open', 'resolved'] as const, 'status'),
    summary: stringField(shape, 'summary'),
    evidence: shape['evidence'] ?? null,
    orderId: nullableStringField(shape, 'orderId'),
    billId: nullableStringField(shape, 'billId'),
    refundId: nullableStringField(shape, 'refundId'),
    actions: Array.isArray(shape['actions']) ? arrayOf(shape['actions'], 'actions').map(parseAction) : [],
    resolution: nullableStringField(shape, 'resolution'),
    createdAt: stringField(shape, 'createdAt'),
  };
}

/** `GET /api/v1/admin/exceptions?status&kind`: newest first (at most 500). */
export function listExceptions(query: { status?: ExceptionStatus | undefined; kind?: string | undefined } = {}, signal?: AbortSignal): Promise<PaymentException[]> {
  return api.get('/admin/exceptions', {
    query: { status: query.status, kind: query.kind },
    parse: (value) => arrayOf(value, 'exceptions').map(parseException),
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/exceptions/:id/resolve {resolution}`: closes the item (audited). */
export function resolveException(id: string, resolution: string): Promise<void> {
  return api.post<void>(`/admin/exceptions/${encodeURIComponent(id)}/resolve`, { resolution });
}
