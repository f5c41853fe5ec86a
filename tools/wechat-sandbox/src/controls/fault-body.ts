import { MINI_API_NAMES, PAY_API_NAMES, type ApiName, type FaultSpec, type NotificationFilter } from '../faults/fault-registry.ts';
import { ControlError } from './control-error.ts';

/**
 * A fault as POST /sandbox/faults takes it. `count` defaults to 1 (2 for
 * notify-reorder), an api-timeout's `ms` to 10000 and `processed` to false,
 * a duplicate's `copies` to 2.
 */
export type FaultInput =
  | { type: 'api-error'; api: ApiName; count?: number; status?: number; code?: string; message?: string; errcode?: number; errmsg?: string }
  | { type: 'api-timeout'; api: ApiName; count?: number; ms?: number; processed?: boolean }
  | { type: 'api-delay'; api: ApiName; count?: number; ms: number }
  | ({ type: 'notify-drop'; count?: number } & NotificationFilter)
  | ({ type: 'notify-delay'; count?: number; ms: number } & NotificationFilter)
  | ({ type: 'notify-duplicate'; count?: number; copies?: number } & NotificationFilter)
  | { type: 'notify-reorder'; count?: number }
  | ({ type: 'notify-signtest'; count?: number } & NotificationFilter)
  | { type: 'refund-outcome'; count?: number; status: 'ABNORMAL' | 'CLOSED'; outTradeNo?: string };

const API_NAMES = new Set<string>([...PAY_API_NAMES, ...MINI_API_NAMES]);

function bad(message: string): ControlError {
  return new ControlError(400, 'INVALID_FAULT', message);
}

function positiveInteger(value: unknown, name: string, fallback: number | undefined, max = 1_000_000): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw bad(`${name} must be an integer between 0 and ${max}`);
  }
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw bad(`${name} must be a non-empty string`);
  return value;
}

function api(value: unknown): ApiName {
  if (typeof value !== 'string' || !API_NAMES.has(value)) throw bad(`api must be one of ${[...API_NAMES].join(', ')}`);
  return value as ApiName;
}

function filter(body: Record<string, unknown>): NotificationFilter {
  const result: NotificationFilter = {};
  const outTradeNo = optionalString(body['outTradeNo'], 'outTradeNo');
  if (outTradeNo) result.outTradeNo = outTradeNo;
  const event = body['event'];
  if (event !== undefined) {
    if (event !== 'TRANSACTION' && event !== 'REFUND') throw bad('event must be TRANSACTION or REFUND');
    result.event = event;
  }
  return result;
}

/** One fault from a POST /sandbox/faults body; the shapes are listed in the README. */
function parseFault(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('a fault is a JSON object');
  const b = body as Record<string, unknown>;
  const count = positiveInteger(b['count'], 'count', 1);
  if (count < 1) throw bad('count must be at least 1');
  switch (b['type']) {
    case 'api-error': {
      const spec: FaultSpec = { type: 'api-error', api: api(b['api']), count };
      if (b['status'] !== undefined) spec.status = positiveInteger(b['status'], 'status', undefined, 599);
      const code = optionalString(b['code'], 'code');
      if (code) spec.code = code;
      const message = optionalString(b['message'], 'message');
      if (message) spec.message = message;
      if (b['errcode'] !== undefined) {
        if (typeof b['errcode'] !== 'number' || !Number.isInteger(b['errcode'])) throw bad('errcode must be an integer');
        spec.errcode = b['errcode'];
      }
      const errmsg = optionalString(b['errmsg'], 'errmsg');
      if (errmsg) spec.errmsg = errmsg;
      return spec;
    }
    case 'api-timeout':
      if (b['processed'] !== undefined && typeof b['processed'] !== 'boolean') throw bad('processed must be a boolean');
      return { type: 'api-timeout', api: api(b['api']), count, ms: positiveInteger(b['ms'], 'ms', 10_000), processed: b['processed'] === true };
    case 'api-delay':
      return { type: 'api-delay', api: api(b['api']), count, ms: positiveInteger(b['ms'], 'ms', undefined) };
    case 'notify-drop':
      return { type: 'notify-drop', count, ...filter(b) };
    case 'notify-delay':
      return { type: 'notify-delay', count, ms: positiveInteger(b['ms'], 'ms', undefined), ...filter(b) };
    case 'notify-duplicate': {
      const copies = positiveInteger(b['copies'], 'copies', 2, 50);
      if (copies < 2) throw bad('copies must be at least 2');
      return { type: 'notify-duplicate', count, copies, ...filter(b) };
    }
    case 'notify-reorder': {
      const held = positiveInteger(b['count'], 'count', 2, 1000);
      if (held < 2) throw bad('reordering needs count of at least 2');
      return { type: 'notify-reorder', count: held };
    }
    case 'notify-signtest':
      return { type: 'notify-signtest', count, ...filter(b) };
    case 'refund-outcome': {
      if (b['status'] !== 'ABNORMAL' && b['status'] !== 'CLOSED') throw bad('status must be ABNORMAL or CLOSED');
      const spec: FaultSpec = { type: 'refund-outcome', count, status: b['status'] };
      const outTradeNo = optionalString(b['outTradeNo'], 'outTradeNo');
      if (outTradeNo) spec.outTradeNo = outTradeNo;
      return spec;
    }
    default:
      throw bad(
        'type must be one of api-error, api-timeout, api-delay, notify-drop, notify-delay, notify-duplicate, notify-reorder, notify-signtest, refund-outcome',
      );
  }
}

/** A body is one fault or `{faults: [...]}`. */
export function parseFaults(body: unknown): FaultSpec[] {
  if (typeof body === 'object' && body !== null && Array.isArray((body as { faults?: unknown }).faults)) {
    return ((body as { faults: unknown[] }).faults).map(parseFault);
  }
  return [parseFault(body)];
}
