import type { MerchantIdentity } from '../identity/merchants.ts';
import type { UserDirectory } from '../mini/users.ts';
import type { SandboxSettings } from '../settings.ts';
import type { StateStore } from '../state/store.ts';
import type { OrderRecord, PayerResult, PrepayRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import { DAY_MS } from '../time/shanghai-time.ts';
import { ControlError } from '../controls/control-error.ts';
import { newPrepayId, newTransactionId } from './ids.ts';
import type { MerchantRegistry } from './merchant-registry.ts';
import type { NotificationDispatcher } from './notifications.ts';
import type { JsapiOrderRequest } from './order-validation.ts';
import { checkRequestPayment, type RequestPaymentParams } from './pay-sign.ts';
import { WechatPayError } from './wechat-pay-error.ts';

/** A prepay_id opens the payment sheet for two hours, whatever time_expire says. */
export const PREPAY_TTL_MS = 2 * 60 * 60 * 1000;
const MIN_EXPIRE_MS = 60 * 1000;
const MAX_EXPIRE_MS = 90 * DAY_MS;
const DEFAULT_EXPIRE_MS = 7 * DAY_MS;

export interface OrderServiceDeps {
  store: StateStore;
  clock: SandboxClock;
  users: UserDirectory;
  merchants: MerchantRegistry;
  settings: SandboxSettings;
  notifications: NotificationDispatcher;
}

export interface PayerActionInput {
  prepayId: string;
  openid?: string;
  result: PayerResult;
  bankType?: string;
  /** When given, checked like the real payment sheet checks wx.requestPayment's parameters. */
  requestPayment?: RequestPaymentParams;
}

export interface PayerActionOutcome {
  /** What wx.requestPayment reports to the mini-program. */
  errMsg: string;
  order: OrderRecord;
}

/** WeChat's fee, rounded half up to the fen (the bill shows it with five decimals, all fen). */
export function feeFor(amountFen: number, basisPoints: number): number {
  return Math.floor((amountFen * basisPoints + 5000) / 10000);
}

/** JSAPI orders: create (idempotent per out_trade_no), query, close, expiry, and the payer's action. */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  createJsapi(merchant: MerchantIdentity, request: JsapiOrderRequest): { prepay_id: string } {
    const { store, clock, users } = this.deps;
    if (request.mchid !== merchant.mchid) {
      throw new WechatPayError(400, 'PARAM_ERROR', 'http header中的mchid与post payload中的mchid不匹配');
    }
    if (request.appid !== merchant.appid) throw new WechatPayError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    if (!users.find(request.appid, request.openid)) {
      const issue = users.knownInAnotherApp(request.appid, request.openid) ? 'appid和openid不匹配' : '无效的openid';
      throw new WechatPayError(400, 'PARAM_ERROR', issue, { field: '/payer/openid', value: request.openid, issue, location: 'body' });
    }
    const now = clock.now();
    const existing = this.find(merchant.mchid, request.outTradeNo);
    if (existing) {
      this.refreshExpiry(existing);
      if (existing.tradeState === 'CLOSED') throw new WechatPayError(400, 'ORDER_CLOSED', '订单已关闭');
      if (existing.tradeState !== 'NOTPAY') throw new WechatPayError(400, 'INVALID_REQUEST', '该订单已支付');
      if (existing.fingerprint !== request.fingerprint) {
        throw new WechatPayError(403, 'OUT_TRADE_NO_USED', '商户订单号重复，请核实商户订单号是否重复提交');
      }
      const latest = existing.prepays[existing.prepays.length - 1];
      if (latest && now - latest.createdAt < PREPAY_TTL_MS) return { prepay_id: latest.prepayId };
      const renewed: PrepayRecord = { prepayId: newPrepayId(now), createdAt: now };
      existing.prepays.push(renewed);
      store.changed();
      return { prepay_id: renewed.prepayId };
    }
    const wanted = request.timeExpire ?? now + DEFAULT_EXPIRE_MS;
    const order: OrderRecord = {
      mchid: merchant.mchid,
      appid: request.appid,
      outTradeNo: request.outTradeNo,
      description: request.description,
      notifyUrl: request.notifyUrl,
      total: request.total,
      currency: request.currency,
      payerOpenid: request.openid,
      fingerprint: request.fingerprint,
      createdAt: now,
      timeExpire: Math.min(Math.max(wanted, now + MIN_EXPIRE_MS), now + MAX_EXPIRE_MS),
      prepays: [{ prepayId: newPrepayId(now), createdAt: now }],
      tradeState: 'NOTPAY',
      payerActions: [],
    };
    if (request.attach !== undefined) order.attach = request.attach;
    if (request.deviceId !== undefined) order.deviceId = request.deviceId;
    store.state.orders.push(order);
    store.changed();
    return { prepay_id: order.prepays[0]?.prepayId ?? '' };
  }

  find(mchid: string, outTradeNo: string): OrderRecord | undefined {
    return this.deps.store.state.orders.find((o) => o.mchid === mchid && o.outTradeNo === outTradeNo);
  }

  /** An unpaid order past time_expire can no longer be paid: WeChat reports it closed. */
  refreshExpiry(order: OrderRecord): OrderRecord {
    if (order.tradeState === 'NOTPAY' && this.deps.clock.now() >= order.timeExpire) {
      order.tradeState = 'CLOSED';
      order.closeReason = 'EXPIRED';
      order.closedAt = order.timeExpire;
      this.deps.store.changed();
    }
    return order;
  }

  refreshAllExpiries(): void {
    for (const order of this.deps.store.state.orders) this.refreshExpiry(order);
  }

  queryByOutTradeNo(mchid: string, outTradeNo: string): OrderRecord {
    const order = this.find(mchid, outTradeNo);
    if (!order) throw new WechatPayError(404, 'ORDER_NOT_EXIST', '订单不存在');
    return this.refreshExpiry(order);
  }

  /** By transaction_id: only paid orders have one. */
  queryByTransactionId(mchid: string, transactionId: string): OrderRecord {
    const order = this.deps.store.state.orders.find((o) => o.mchid === mchid && o.transactionId === transactionId);
    if (!order) throw new WechatPayError(404, 'ORDER_NOT_EXIST', '订单不存在');
    return order;
  }

  /** 204 on success and again on an already closed order; a paid order cannot be closed. */
  close(mchid: string, outTradeNo: string): void {
    const order = this.queryByOutTradeNo(mchid, outTradeNo);
    if (order.tradeState === 'CLOSED') return;
    if (order.tradeState !== 'NOTPAY') throw new WechatPayError(400, 'INVALID_REQUEST', '订单已支付，不能关闭');
    order.tradeState = 'CLOSED';
    order.closeReason = 'MERCHANT';
    order.closedAt = this.deps.clock.now();
    this.deps.store.changed();
  }

  findByPrepayId(prepayId: string): OrderRecord | undefined {
    return this.deps.store.state.orders.find((o) => o.prepays.some((p) => p.prepayId === prepayId));
  }

  /** The payer in WeChat's payment sheet: confirm (SUCCESS), back out (CANCEL) or fail at the bank (FAIL). */
  payerAction(input: PayerActionInput): PayerActionOutcome {
    const { clock, store, merchants, settings, notifications } = this.deps;
    const order = this.findByPrepayId(input.prepayId);
    if (!order) throw new ControlError(404, 'PREPAY_NOT_FOUND', 'prepay_id不存在');
    const now = clock.now();
    const prepay = order.prepays.find((p) => p.prepayId === input.prepayId);
    if (!prepay || now - prepay.createdAt >= PREPAY_TTL_MS) {
      throw new ControlError(400, 'PREPAY_EXPIRED', 'prepay_id已过期（有效期2小时），请重新下单');
    }
    this.refreshExpiry(order);
    if (order.tradeState === 'CLOSED') throw new ControlError(400, 'ORDER_CLOSED', '订单已关闭');
    if (order.tradeState !== 'NOTPAY') throw new ControlError(400, 'ORDER_PAID', '订单已支付');
    if (input.openid !== undefined && input.openid !== order.payerOpenid) {
      throw new ControlError(400, 'PAYER_MISMATCH', '下单账号与支付账号不一致');
    }
    if (input.requestPayment) {
      const merchant = merchants.find(order.mchid);
      const failure = merchant
        ? checkRequestPayment(input.requestPayment, {
            appId: order.appid,
            prepayId: input.prepayId,
            merchantPublicKey: merchant.merchantPublicKey,
          })
        : 'merchant missing';
      if (failure) throw new ControlError(400, 'REQUEST_PAYMENT_FAIL', `requestPayment:fail ${failure}`);
    }
    order.payerActions.push({ at: now, prepayId: input.prepayId, result: input.result, ...(input.bankType ? { bankType: input.bankType } : {}) });
    store.changed();
    if (input.result === 'CANCEL') return { errMsg: 'requestPayment:fail cancel', order };
    if (input.result === 'FAIL') return { errMsg: 'requestPayment:fail 支付失败，请稍后再试', order };

    order.tradeState = 'SUCCESS';
    order.transactionId = newTransactionId(now);
    order.bankType = input.bankType ?? 'OTHERS';
    order.successTime = now;
    order.feeRateBasisPoints = settings.feeRateBasisPoints;
    order.feeFen = feeFor(order.total, settings.feeRateBasisPoints);
    store.changed();
    notifications.enqueueTransaction(order);
    return { errMsg: 'requestPayment:ok', order };
  }
}
