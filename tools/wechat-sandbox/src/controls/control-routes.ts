import type { FaultRegistry } from '../faults/fault-registry.ts';
import { Router } from '../http/router.ts';
import { jsonReply, textReply, type IncomingCall, type Reply } from '../http/types.ts';
import type { LoginService } from '../mini/login.ts';
import type { SubscribeMessageService } from '../mini/subscribe-messages.ts';
import type { UserDirectory } from '../mini/users.ts';
import type { MerchantRegistry } from '../pay/merchant-registry.ts';
import type { NotificationDispatcher } from '../pay/notifications.ts';
import type { OrderService } from '../pay/orders.ts';
import type { RequestPaymentParams } from '../pay/pay-sign.ts';
import { transactionQueryJson } from '../pay/transaction-view.ts';
import { parseFeeRate, type SandboxSettings } from '../settings.ts';
import type { StateStore } from '../state/store.ts';
import type { PayerResult } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import { formatRfc3339, parseRfc3339 } from '../time/shanghai-time.ts';
import { ControlError } from './control-error.ts';
import { renderDashboard } from './dashboard-page.ts';
import { parseFaults } from './fault-body.ts';
import { renderPayerPage } from './payer-page.ts';
import { isSafeRedirect } from './payer-redirect.ts';
import type { SandboxStateView } from './state-view.ts';

export interface ControlDeps {
  store: StateStore;
  clock: SandboxClock;
  settings: SandboxSettings;
  faults: FaultRegistry;
  merchants: MerchantRegistry;
  users: UserDirectory;
  login: LoginService;
  messages: SubscribeMessageService;
  orders: OrderService;
  notifications: NotificationDispatcher;
  onError(error: unknown): void;
}

type Body = Record<string, unknown>;
type ControlHandler = (input: { call: IncomingCall; body: Body; params: Record<string, string> }) => Reply | Promise<Reply>;

/** The H5 build calls some controls from the browser, so every origin may. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

function parseBody(call: IncomingCall): Body {
  if (call.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString('utf8'));
  } catch {
    throw new ControlError(400, 'INVALID_JSON', 'the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ControlError(400, 'INVALID_JSON', 'the body must be a JSON object');
  return parsed as Body;
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw new ControlError(400, 'INVALID_FIELD', `${name} must be a non-empty string`);
  return value;
}

function requiredString(body: Body, name: string): string {
  const value = optionalString(body, name);
  if (value === undefined) throw new ControlError(400, 'INVALID_FIELD', `${name} is required`);
  return value;
}

const PAYER_RESULTS = new Set<PayerResult>(['SUCCESS', 'CANCEL', 'FAIL']);

/** The /sandbox/... controls: test users, the payer, subscriptions, faults, clock, settings, state and the two pages. */
export class ControlRoutes {
  private readonly router = new Router<ControlHandler>();

  constructor(private readonly deps: ControlDeps) {
    const r = this.router;
    r.add('GET', '/sandbox', () => this.dashboard());
    r.add('GET', '/sandbox/', () => this.dashboard());
    r.add('GET', '/sandbox/state', () => jsonReply(200, this.stateView()));
    r.add('POST', '/sandbox/users', ({ body }) => jsonReply(200, this.createUser(body)));
    r.add('POST', '/sandbox/login-code', ({ body }) => jsonReply(200, this.loginCode(body)));
    r.add('POST', '/sandbox/pay', ({ body }) => jsonReply(200, this.pay(body)));
    r.add('POST', '/sandbox/subscriptions', ({ body }) => jsonReply(200, this.subscribe(body)));
    r.add('GET', '/sandbox/faults', () => jsonReply(200, { faults: deps.faults.list() }));
    r.add('POST', '/sandbox/faults', ({ body }) => jsonReply(200, { faults: parseFaults(body).map((spec) => deps.faults.add(spec)) }));
    r.add('DELETE', '/sandbox/faults', async () => {
      deps.faults.clear();
      await deps.notifications.releaseHeld();
      return jsonReply(200, { faults: [] });
    });
    r.add('GET', '/sandbox/clock', () => jsonReply(200, this.clockView()));
    r.add('POST', '/sandbox/clock', ({ body }) => jsonReply(200, this.setClock(body)));
    r.add('GET', '/sandbox/settings', () => jsonReply(200, deps.settings));
    r.add('POST', '/sandbox/settings', ({ body }) => jsonReply(200, this.updateSettings(body)));
    r.add('POST', '/sandbox/notifications/:id/redeliver', async ({ params }) => {
      const record = await deps.notifications.redeliver(params['id'] ?? '');
      if (!record) throw new ControlError(404, 'NOTIFICATION_NOT_FOUND', 'no such notification');
      return jsonReply(200, record);
    });
    r.add('POST', '/sandbox/merchants/:mchid', ({ body, params }) => jsonReply(200, this.updateMerchant(params['mchid'] ?? '', body)));
    r.add('GET', '/sandbox/payer', ({ call }) => this.payerPage(call));
  }

  async handle(call: IncomingCall): Promise<Reply> {
    if (call.method === 'OPTIONS') return { kind: 'response', status: 204, headers: CORS_HEADERS, body: '' };
    let reply: Reply;
    try {
      const match = this.router.match(call.method, call.url.pathname);
      if (match === undefined) throw new ControlError(404, 'NOT_FOUND', `no control at ${call.url.pathname}`);
      if (match === 'method-not-allowed') throw new ControlError(405, 'METHOD_NOT_ALLOWED', `${call.method} is not allowed here`);
      reply = await match.value({ call, body: call.method === 'GET' ? {} : parseBody(call), params: match.params });
    } catch (error) {
      if (error instanceof ControlError) reply = jsonReply(error.status, { code: error.code, message: error.message });
      else {
        this.deps.onError(error);
        reply = jsonReply(500, { code: 'INTERNAL', message: 'the sandbox failed; see its log' });
      }
    }
    return reply.kind === 'response' ? { ...reply, headers: { ...reply.headers, ...CORS_HEADERS } } : reply;
  }

  private defaultAppid(body: Body): string {
    const appid = optionalString(body, 'appid') ?? this.deps.merchants.merchants[0]?.appid ?? '';
    if (!this.deps.merchants.appSecret(appid)) throw new ControlError(400, 'UNKNOWN_APPID', `no merchant is bound to appid ${appid}`);
    return appid;
  }

  private createUser(body: Body) {
    const input: Parameters<UserDirectory['create']>[0] = { appid: this.defaultAppid(body) };
    const openid = optionalString(body, 'openid');
    if (openid) input.openid = openid;
    const nickname = optionalString(body, 'nickname');
    if (nickname) input.nickname = nickname;
    const unionid = optionalString(body, 'unionid');
    if (unionid) input.unionid = unionid;
    return this.deps.users.create(input);
  }

  private loginCode(body: Body) {
    if (body['blocked'] !== undefined && typeof body['blocked'] !== 'boolean') throw new ControlError(400, 'INVALID_FIELD', 'blocked must be a boolean');
    const openid = optionalString(body, 'openid');
    const record = this.deps.login.issueCode({ appid: this.defaultAppid(body), ...(openid ? { openid } : {}), blocked: body['blocked'] === true });
    return { code: record.code, openid: record.openid, appid: record.appid, expires_at: formatRfc3339(record.expiresAt) };
  }

  private pay(body: Body) {
    const prepayId = requiredString(body, 'prepay_id');
    const result = body['result'] ?? 'SUCCESS';
    if (typeof result !== 'string' || !PAYER_RESULTS.has(result as PayerResult)) {
      throw new ControlError(400, 'INVALID_FIELD', 'result must be SUCCESS, CANCEL or FAIL');
    }
    const bankType = optionalString(body, 'bank_type');
    if (bankType !== undefined && !/^[A-Z0-9_]{2,32}$/.test(bankType)) throw new ControlError(400, 'INVALID_FIELD', 'bank_type looks like ICBC_DEBIT, CMB_CREDIT or OTHERS');
    const requestPayment = body['request_payment'];
    if (requestPayment !== undefined && (typeof requestPayment !== 'object' || requestPayment === null)) {
      throw new ControlError(400, 'INVALID_FIELD', 'request_payment must be the object passed to wx.requestPayment');
    }
    const openid = optionalString(body, 'openid');
    const outcome = this.deps.orders.payerAction({
      prepayId,
      result: result as PayerResult,
      ...(openid ? { openid } : {}),
      ...(bankType ? { bankType } : {}),
      ...(requestPayment ? { requestPayment: requestPayment as RequestPaymentParams } : {}),
    });
    return { errMsg: outcome.errMsg, transaction: transactionQueryJson(outcome.order) };
  }

  private subscribe(body: Body) {
    const count = body['count'] ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new ControlError(400, 'INVALID_FIELD', 'count must be a positive integer');
    return this.deps.messages.grant({
      appid: this.defaultAppid(body),
      openid: requiredString(body, 'openid'),
      templateId: requiredString(body, 'template_id'),
      count,
    });
  }

  private clockView() {
    return { now: formatRfc3339(this.deps.clock.now()), skewSeconds: this.deps.clock.skewSeconds };
  }

  /** `{skewSeconds}` or `{now: RFC3339}` (which sets the skew that makes the sandbox clock read that). */
  private setClock(body: Body) {
    if (typeof body['skewSeconds'] === 'number' && Number.isFinite(body['skewSeconds'])) {
      this.deps.clock.setSkewSeconds(body['skewSeconds']);
    } else if (typeof body['now'] === 'string') {
      const target = parseRfc3339(body['now']);
      if (target === undefined) throw new ControlError(400, 'INVALID_FIELD', 'now must be RFC3339, e.g. 2025-03-01T10:30:00+08:00');
      this.deps.clock.setSkewSeconds((target - Date.now()) / 1000);
    } else {
      throw new ControlError(400, 'INVALID_FIELD', 'give skewSeconds (a number) or now (RFC3339)');
    }
    return this.clockView();
  }

  private updateSettings(body: Body): SandboxSettings {
    const { settings } = this.deps;
    const number = (name: string, min: number): number | undefined => {
      const value = body[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new ControlError(400, 'INVALID_FIELD', `${name} must be a number ≥ ${min}`);
      return value;
    };
    const timeScale = number('timeScale', 0);
    const refundProcessingSeconds = number('refundProcessingSeconds', 0);
    let feeRate: number | undefined;
    if (body['feeRate'] !== undefined) {
      feeRate = typeof body['feeRate'] === 'string' ? parseFeeRate(body['feeRate']) : undefined;
      if (feeRate === undefined) throw new ControlError(400, 'INVALID_FIELD', 'feeRate looks like "0.60%"');
    }
    if (body['billsReadyImmediately'] !== undefined && typeof body['billsReadyImmediately'] !== 'boolean') {
      throw new ControlError(400, 'INVALID_FIELD', 'billsReadyImmediately must be a boolean');
    }
    if (timeScale !== undefined) settings.timeScale = timeScale;
    if (refundProcessingSeconds !== undefined) settings.refundProcessingSeconds = refundProcessingSeconds;
    if (feeRate !== undefined) settings.feeRateBasisPoints = feeRate;
    if (typeof body['billsReadyImmediately'] === 'boolean') settings.billsReadyImmediately = body['billsReadyImmediately'];
    return settings;
  }

  private updateMerchant(mchid: string, body: Body) {
    if (!this.deps.merchants.find(mchid)) throw new ControlError(404, 'MERCHANT_NOT_FOUND', `no merchant ${mchid}`);
    const signer = body['notificationSigner'];
    if (signer !== 'auto' && signer !== 'platform' && signer !== 'public_key') {
      throw new ControlError(400, 'INVALID_FIELD', 'notificationSigner must be auto, platform or public_key');
    }
    return this.deps.merchants.setNotificationSigner(mchid, signer);
  }

  stateView(): SandboxStateView {
    const { store, clock, settings, faults, merchants, orders } = this.deps;
    orders.refreshAllExpiries();
    return {
      now: formatRfc3339(clock.now()),
      clock: { skewSeconds: clock.skewSeconds },
      settings,
      merchants: merchants.merchants.map((m) => {
        const runtime = merchants.runtime(m.mchid);
        return {
          mchid: m.mchid,
          name: m.name,
          appid: m.appid,
          serialNo: m.serialNo,
          publicKeyId: m.publicKeyId,
          platformCertificateSerial: m.platformCertificateSerial,
          notificationSigner: runtime.notificationSigner,
          usesPublicKey: runtime.usesPublicKey,
        };
      }),
      users: store.state.users,
      orders: store.state.orders,
      refunds: store.state.refunds,
      notifications: store.state.notifications,
      subscriptions: store.state.subscriptions,
      messages: store.state.messages,
      faults: faults.list(),
    };
  }

  private dashboard(): Reply {
    return textReply(200, renderDashboard(this.stateView()), 'text/html; charset=utf-8');
  }

  private payerPage(call: IncomingCall): Reply {
    const query = call.url.searchParams;
    const prepayId = query.get('prepay_id') ?? '';
    const order = this.deps.orders.findByPrepayId(prepayId);
    if (!order) return textReply(404, '<!doctype html><meta charset="utf-8"><p>prepay_id不存在</p>', 'text/html; charset=utf-8');
    this.deps.orders.refreshExpiry(order);
    const redirect = query.get('redirect') ?? undefined;
    if (redirect !== undefined && !isSafeRedirect(redirect)) throw new ControlError(400, 'INVALID_REDIRECT', 'redirect must be an http(s) URL');
    const requestPaymentKeys = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'];
    const requestPayment = query.has('paySign')
      ? Object.fromEntries(requestPaymentKeys.map((key) => [key, query.get(key) ?? '']))
      : undefined;
    const page = renderPayerPage({
      order,
      prepayId,
      merchantName: this.deps.merchants.find(order.mchid)?.name ?? order.mchid,
      ...(redirect ? { redirect } : {}),
      ...(requestPayment ? { requestPayment } : {}),
    });
    return textReply(200, page, 'text/html; charset=utf-8', { 'Cache-Control': 'no-store' });
  }
}
