import { createHash } from 'node:crypto';
import type { FaultRegistry } from '../faults/fault-registry.ts';
import type { MerchantIdentity } from '../identity/merchants.ts';
import type { SandboxSettings } from '../settings.ts';
import type { StateStore } from '../state/store.ts';
import type { OrderRecord, RefundRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import type { Scheduler } from '../time/scheduler.ts';
import { DAY_MS, formatRfc3339 } from '../time/shanghai-time.ts';
import {
  checkNotifyUrl,
  checkPattern,
  optionalString,
  requiredInteger,
  requiredObject,
  requiredString,
  type JsonObject,
} from './field-validation.ts';
import { newRefundId } from './ids.ts';
import type { NotificationDispatcher } from './notifications.ts';
import { feeFor } from './orders.ts';
import { paramError, WechatPayError } from './wechat-pay-error.ts';

const OUT_REFUND_NO_PATTERN = /^[0-9A-Za-z_\-|*@]{1,64}$/;
/** WeChat allows at most 50 partial refunds of one payment. */
export const MAX_REFUNDS_PER_ORDER = 50;
const REFUND_WINDOW_MS = 365 * DAY_MS;

const BANKS: Record<string, string> = {
  ICBC: '工商银行',
  CMB: '招商银行',
  CCB: '建设银行',
  ABC: '农业银行',
  BOC: '中国银行',
  COMM: '交通银行',
  PSBC: '邮储银行',
  SPDB: '浦发银行',
};

/** Where the money goes back: change (零钱) for OTHERS, else the card the payer used. */
function receivedAccount(order: OrderRecord): string {
  const bankType = order.bankType ?? 'OTHERS';
  const match = /^([A-Z]+)_(DEBIT|CREDIT)$/.exec(bankType);
  if (!match || !match[1]) return '支付用户零钱';
  const last4 = String(parseInt(createHash('sha1').update(`${order.payerOpenid}${bankType}`).digest('hex').slice(0, 8), 16) % 10000).padStart(4, '0');
  return `${BANKS[match[1]] ?? match[1]}${match[2] === 'DEBIT' ? '借记卡' : '信用卡'}${last4}`;
}

interface RefundRequest {
  transactionId?: string;
  outTradeNo?: string;
  outRefundNo: string;
  reason?: string;
  notifyUrl?: string;
  fundsAccount?: string;
  refund: number;
  total: number;
  currency: string;
}

function validateRefundRequest(body: JsonObject): RefundRequest {
  const transactionId = optionalString(body, 'transaction_id', 32);
  const outTradeNo = optionalString(body, 'out_trade_no', 32);
  if (!transactionId && !outTradeNo) throw paramError('body', '/out_trade_no', 'transaction_id和out_trade_no必须二选一');
  const outRefundNo = checkPattern(
    requiredString(body, 'out_refund_no', 64),
    OUT_REFUND_NO_PATTERN,
    '/out_refund_no',
    '商户退款单号只能是数字、大小写字母或_-|*@',
  );
  const reason = optionalString(body, 'reason', 80);
  const notifyUrlText = optionalString(body, 'notify_url', 256);
  const fundsAccount = optionalString(body, 'funds_account', 32);
  if (fundsAccount !== undefined && fundsAccount !== 'AVAILABLE') {
    throw paramError('body', '/funds_account', '取值不在枚举范围内，仅支持AVAILABLE', fundsAccount);
  }
  const amount = requiredObject(body, 'amount');
  const refund = requiredInteger(amount, 'refund', '/amount/refund', 1);
  const total = requiredInteger(amount, 'total', '/amount/total', 1);
  const currency = requiredString(amount, 'currency', 16, '/amount/currency');
  if (currency !== 'CNY') throw paramError('body', '/amount/currency', '境内商户号仅支持人民币CNY', currency);
  const request: RefundRequest = { outRefundNo, refund, total, currency };
  if (transactionId !== undefined) request.transactionId = transactionId;
  if (outTradeNo !== undefined) request.outTradeNo = outTradeNo;
  if (reason !== undefined) request.reason = reason;
  if (notifyUrlText !== undefined) request.notifyUrl = checkNotifyUrl(notifyUrlText, '/notify_url');
  if (fundsAccount !== undefined) request.fundsAccount = fundsAccount;
  return request;
}

/** The refund as POST /v3/refund/domestic/refunds and the refund query return it. */
export function refundJson(refund: RefundRecord): Record<string, unknown> {
  return {
    amount: {
      currency: refund.currency,
      discount_refund: 0,
      from: [],
      payer_refund: refund.refund,
      payer_total: refund.total,
      refund: refund.refund,
      refund_fee: refund.feeFen,
      settlement_refund: refund.refund,
      settlement_total: refund.total,
      total: refund.total,
    },
    channel: 'ORIGINAL',
    create_time: formatRfc3339(refund.createdAt),
    funds_account: refund.fundsAccount ?? 'UNSETTLED',
    out_refund_no: refund.outRefundNo,
    out_trade_no: refund.outTradeNo,
    promotion_detail: [],
    refund_id: refund.refundId,
    status: refund.status,
    ...(refund.successTime !== undefined ? { success_time: formatRfc3339(refund.successTime) } : {}),
    transaction_id: refund.transactionId,
    user_received_account: refund.userReceivedAccount,
  };
}

export interface RefundServiceDeps {
  store: StateStore;
  clock: SandboxClock;
  scheduler: Scheduler;
  faults: FaultRegistry;
  settings: SandboxSettings;
  notifications: NotificationDispatcher;
}

/**
 * Domestic refunds: accepted as PROCESSING, finished after WeChat's
 * processing time (SUCCESS, or ABNORMAL/CLOSED when a fault says so), with a
 * REFUND.* notification when the request named a notify_url.
 */
export class RefundService {
  constructor(private readonly deps: RefundServiceDeps) {}

  create(merchant: MerchantIdentity, body: JsonObject): RefundRecord {
    const { store, clock, settings, faults, scheduler } = this.deps;
    const request = validateRefundRequest(body);
    const order = store.state.orders.find(
      (o) =>
        o.mchid === merchant.mchid &&
        (request.transactionId !== undefined ? o.transactionId === request.transactionId : o.outTradeNo === request.outTradeNo),
    );
    if (!order || !order.transactionId || !order.successTime) {
      throw new WechatPayError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    }
    if (request.outTradeNo !== undefined && request.outTradeNo !== order.outTradeNo) {
      throw new WechatPayError(400, 'INVALID_REQUEST', '您的请求参数与订单信息不一致');
    }
    const existing = store.state.refunds.find((r) => r.mchid === merchant.mchid && r.outRefundNo === request.outRefundNo);
    if (existing) {
      // The same out_refund_no refunds once: a retry with the same parameters gets the refund already made.
      if (existing.outTradeNo === order.outTradeNo && existing.refund === request.refund && existing.total === request.total) {
        return existing;
      }
      throw new WechatPayError(400, 'INVALID_REQUEST', '订单金额或退款金额与之前请求不一致，请核实后再试');
    }
    if (request.total !== order.total) throw new WechatPayError(400, 'INVALID_REQUEST', '您的请求参数与订单信息不一致');
    const now = clock.now();
    if (now - order.successTime > REFUND_WINDOW_MS) {
      throw new WechatPayError(400, 'INVALID_REQUEST', '订单已超过退款期限（支付后一年内可退款）');
    }
    const previous = store.state.refunds.filter((r) => r.mchid === merchant.mchid && r.outTradeNo === order.outTradeNo);
    if (previous.length >= MAX_REFUNDS_PER_ORDER) {
      throw new WechatPayError(403, 'RULE_LIMIT', `部分退款次数超过上限（${MAX_REFUNDS_PER_ORDER}次）`);
    }
    const committed = previous.filter((r) => r.status === 'PROCESSING' || r.status === 'SUCCESS').reduce((sum, r) => sum + r.refund, 0);
    if (request.refund > order.total - committed) {
      throw new WechatPayError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    }
    const processingMs = settings.refundProcessingSeconds * 1000 * settings.timeScale;
    const refund: RefundRecord = {
      mchid: merchant.mchid,
      refundId: newRefundId(now),
      outRefundNo: request.outRefundNo,
      outTradeNo: order.outTradeNo,
      transactionId: order.transactionId,
      refund: request.refund,
      total: order.total,
      currency: request.currency,
      status: 'PROCESSING',
      outcome: faults.takeRefundOutcome(order.outTradeNo) ?? 'SUCCESS',
      createdAt: now,
      completesAt: now + processingMs,
      userReceivedAccount: receivedAccount(order),
      feeFen: feeFor(request.refund, order.feeRateBasisPoints ?? settings.feeRateBasisPoints),
    };
    if (request.reason !== undefined) refund.reason = request.reason;
    if (request.notifyUrl !== undefined) refund.notifyUrl = request.notifyUrl;
    if (request.fundsAccount !== undefined) refund.fundsAccount = request.fundsAccount;
    store.state.refunds.push(refund);
    store.changed();
    scheduler.after(processingMs, () => this.complete(refund));
    return refund;
  }

  query(mchid: string, outRefundNo: string): RefundRecord {
    const refund = this.deps.store.state.refunds.find((r) => r.mchid === mchid && r.outRefundNo === outRefundNo);
    if (!refund) throw new WechatPayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return refund;
  }

  private complete(refund: RefundRecord): void {
    if (refund.status !== 'PROCESSING') return;
    const { store, clock, notifications } = this.deps;
    refund.status = refund.outcome;
    if (refund.status === 'SUCCESS') {
      refund.successTime = clock.now();
      const order = store.state.orders.find((o) => o.mchid === refund.mchid && o.outTradeNo === refund.outTradeNo);
      if (order) order.tradeState = 'REFUND';
    }
    store.changed();
    // Without a notify_url in the request WeChat falls back to one configured in the merchant platform; the sandbox has none.
    if (refund.notifyUrl) notifications.enqueueRefund(refund, refund.notifyUrl);
  }

  /** After a restart: finish refunds whose processing time has passed, schedule the rest. */
  resume(): void {
    const now = this.deps.clock.now();
    for (const refund of this.deps.store.state.refunds) {
      if (refund.status === 'PROCESSING') this.deps.scheduler.after(Math.max(0, refund.completesAt - now), () => this.complete(refund));
    }
  }
}
