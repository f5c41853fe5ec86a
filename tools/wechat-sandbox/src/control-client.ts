import type { SandboxStateView } from './controls/state-view.ts';
import type { FaultInput } from './controls/fault-body.ts';
import type { ActiveFault } from './faults/fault-registry.ts';
import type { SandboxSettings } from './settings.ts';
import type {
  MerchantRuntimeRecord,
  NotificationRecord,
  NotificationSignerSetting,
  PayerResult,
  SandboxUser,
  SubscriptionRecord,
} from './state/types.ts';

export type { FaultInput };

export interface LoginCodeAnswer {
  code: string;
  openid: string;
  appid: string;
  expires_at: string;
}

export interface PayOptions {
  result?: PayerResult;
  bankType?: string;
  openid?: string;
  /** The object the mini-program passed to wx.requestPayment, checked like WeChat's payment sheet would. */
  requestPayment?: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string };
}

export interface PayAnswer {
  /** What wx.requestPayment reports: requestPayment:ok, requestPayment:fail cancel, ... */
  errMsg: string;
  /** The order as a query would show it right after the payer's action. */
  transaction: Record<string, unknown>;
}

export class SandboxControlError extends Error {
  override name = 'SandboxControlError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Typed calls to the sandbox's /sandbox controls, for tests and scripts (see README for each endpoint). */
export class SandboxControl {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T & { code?: string; message?: string };
    if (!response.ok) throw new SandboxControlError(response.status, answer.code ?? 'UNKNOWN', answer.message ?? response.statusText);
    return answer;
  }

  createUser(input: { openid?: string; nickname?: string; appid?: string; unionid?: string } = {}): Promise<SandboxUser> {
    return this.call('POST', '/sandbox/users', input);
  }

  /** The code wx.login would give this user (created if new); `blocked` makes jscode2session answer 40226. */
  loginCode(openid?: string, options: { appid?: string; blocked?: boolean } = {}): Promise<LoginCodeAnswer> {
    return this.call('POST', '/sandbox/login-code', { ...options, ...(openid ? { openid } : {}) });
  }

  /** The payer acts in WeChat's payment sheet (SUCCESS by default). */
  pay(prepayId: string, options: PayOptions = {}): Promise<PayAnswer> {
    return this.call('POST', '/sandbox/pay', {
      prepay_id: prepayId,
      result: options.result ?? 'SUCCESS',
      ...(options.bankType ? { bank_type: options.bankType } : {}),
      ...(options.openid ? { openid: options.openid } : {}),
      ...(options.requestPayment ? { request_payment: options.requestPayment } : {}),
    });
  }

  grantSubscription(openid: string, templateId: string, count = 1, appid?: string): Promise<SubscriptionRecord> {
    return this.call('POST', '/sandbox/subscriptions', { openid, template_id: templateId, count, ...(appid ? { appid } : {}) });
  }

  async faults(faults: FaultInput | FaultInput[]): Promise<ActiveFault[]> {
    const answer = await this.call<{ faults: ActiveFault[] }>('POST', '/sandbox/faults', Array.isArray(faults) ? { faults } : faults);
    return answer.faults;
  }

  async listFaults(): Promise<ActiveFault[]> {
    return (await this.call<{ faults: ActiveFault[] }>('GET', '/sandbox/faults')).faults;
  }

  /** Clears every fault; notifications held for reordering are delivered. */
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/sandbox/faults');
  }

  clock(input: { skewSeconds: number } | { now: string }): Promise<{ now: string; skewSeconds: number }> {
    return this.call('POST', '/sandbox/clock', input);
  }

  settings(patch: { timeScale?: number; feeRate?: string; billsReadyImmediately?: boolean; refundProcessingSeconds?: number }): Promise<SandboxSettings> {
    return this.call('POST', '/sandbox/settings', patch);
  }

  setNotificationSigner(mchid: string, notificationSigner: NotificationSignerSetting): Promise<MerchantRuntimeRecord> {
    return this.call('POST', `/sandbox/merchants/${encodeURIComponent(mchid)}`, { notificationSigner });
  }

  redeliver(notificationId: string): Promise<NotificationRecord> {
    return this.call('POST', `/sandbox/notifications/${encodeURIComponent(notificationId)}/redeliver`);
  }

  state(): Promise<SandboxStateView> {
    return this.call('GET', '/sandbox/state');
  }

  /** Polls the state until `predicate` holds; rejects after `timeoutMs`. */
  async waitForState(predicate: (state: SandboxStateView) => boolean, timeoutMs = 5000): Promise<SandboxStateView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (predicate(state)) return state;
      if (Date.now() > deadline) throw new Error(`sandbox state did not reach the expected condition within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
