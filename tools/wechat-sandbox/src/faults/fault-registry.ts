import { randomUUID } from 'node:crypto';

export const PAY_API_NAMES = [
  'jsapi',
  'query',
  'close',
  'refund',
  'refund-query',
  'certificates',
  'tradebill',
  'fundflowbill',
  'billdownload',
] as const;
export const MINI_API_NAMES = ['jscode2session', 'token', 'stable_token', 'subscribe-send'] as const;

export type PayApiName = (typeof PAY_API_NAMES)[number];
export type MiniApiName = (typeof MINI_API_NAMES)[number];
export type ApiName = PayApiName | MiniApiName;

/** Which notifications a notification fault applies to. */
export interface NotificationFilter {
  outTradeNo?: string;
  /** TRANSACTION or REFUND: the prefix of event_type. */
  event?: 'TRANSACTION' | 'REFUND';
}

export type FaultSpec =
  /** The next `count` calls of `api` fail: v3 APIs with status/code/message, mini-program APIs with errcode/errmsg. */
  | {
      type: 'api-error';
      api: ApiName;
      count: number;
      status?: number;
      code?: string;
      message?: string;
      errcode?: number;
      errmsg?: string;
    }
  /** The next `count` calls hang `ms`, then the connection closes unanswered; `processed` decides whether WeChat acted on them first. */
  | { type: 'api-timeout'; api: ApiName; count: number; ms: number; processed: boolean }
  /** The next `count` calls are answered normally, `ms` late. */
  | { type: 'api-delay'; api: ApiName; count: number; ms: number }
  /** The next `count` notifications are never sent. */
  | ({ type: 'notify-drop'; count: number } & NotificationFilter)
  /** The first delivery of the next `count` notifications waits `ms`. */
  | ({ type: 'notify-delay'; count: number; ms: number } & NotificationFilter)
  /** The first delivery of the next `count` notifications goes out as `copies` concurrent requests. */
  | ({ type: 'notify-duplicate'; count: number; copies: number } & NotificationFilter)
  /** The next `count` notifications are held, then delivered one after another in reverse order. */
  | { type: 'notify-reorder'; count: number }
  /** The next `count` notifications are preceded by a WECHATPAY/SIGNTEST/ probe the merchant must reject. */
  | ({ type: 'notify-signtest'; count: number } & NotificationFilter)
  /** The next `count` refunds end ABNORMAL or CLOSED instead of SUCCESS. */
  | { type: 'refund-outcome'; count: number; status: 'ABNORMAL' | 'CLOSED'; outTradeNo?: string };

export type ActiveFault = FaultSpec & { id: string; remaining: number };

export type ApiFault = Extract<ActiveFault, { api: ApiName }>;
export type ReorderFault = Extract<ActiveFault, { type: 'notify-reorder' }>;

export interface NotificationFaults {
  drop?: ActiveFault;
  delayMs?: number;
  copies?: number;
  signTest?: boolean;
  reorder?: ReorderFault;
}

/**
 * The misbehaviour queued by tests and demos. Each fault applies to the next
 * `count` matching events, then disappears; faults live only in memory.
 */
export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    const fault = { ...spec, id: randomUUID(), remaining: spec.count } as ActiveFault;
    this.faults.push(fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  private consume<T extends ActiveFault>(fault: T): T {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  takeApiFault(api: ApiName): ApiFault | undefined {
    const fault = this.faults.find((f): f is ApiFault => 'api' in f && f.api === api);
    return fault ? this.consume(fault) : undefined;
  }

  takeNotificationFaults(outTradeNo: string, eventType: string): NotificationFaults {
    const matches = (f: NotificationFilter): boolean =>
      (f.outTradeNo === undefined || f.outTradeNo === outTradeNo) &&
      (f.event === undefined || eventType.startsWith(`${f.event}.`));
    const take = <K extends ActiveFault['type']>(type: K): Extract<ActiveFault, { type: K }> | undefined => {
      const fault = this.faults.find(
        (f): f is Extract<ActiveFault, { type: K }> => f.type === type && (f.type === 'notify-reorder' || matches(f as NotificationFilter)),
      );
      return fault ? this.consume(fault) : undefined;
    };
    const drop = take('notify-drop');
    if (drop) return { drop };
    const result: NotificationFaults = {};
    const delay = take('notify-delay');
    if (delay) result.delayMs = delay.ms;
    const duplicate = take('notify-duplicate');
    if (duplicate) result.copies = duplicate.copies;
    if (take('notify-signtest')) result.signTest = true;
    const reorder = take('notify-reorder');
    if (reorder) result.reorder = reorder;
    return result;
  }

  takeRefundOutcome(outTradeNo: string): 'ABNORMAL' | 'CLOSED' | undefined {
    const fault = this.faults.find(
      (f): f is Extract<ActiveFault, { type: 'refund-outcome' }> =>
        f.type === 'refund-outcome' && (f.outTradeNo === undefined || f.outTradeNo === outTradeNo),
    );
    return fault ? this.consume(fault).status : undefined;
  }
}
