import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { MerchantIdentity } from '../identity/merchants.ts';
import type { SandboxSettings } from '../settings.ts';
import type { StateStore } from '../state/store.ts';
import type { OrderRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import { DAY_MS, shanghaiDate, shanghaiDayStart } from '../time/shanghai-time.ts';
import {
  buildFundFlowBill,
  buildTradeBill,
  type BillPayment,
  type BillRefund,
  type FundFlowEntry,
  type TradeBillType,
} from './bill-csv.ts';
import type { OrderService } from './orders.ts';
import { paramError, WechatPayError } from './wechat-pay-error.ts';

/** One of WeChat's two documented lifetimes for a download_url (30 s and 5 min); the stricter one catches stored URLs. */
const DOWNLOAD_URL_TTL_MS = 30 * 1000;
/** Bills of a day are produced from 10:00 the next day. */
const READY_HOUR_MS = 10 * 60 * 60 * 1000;
const RETENTION_MS = 92 * DAY_MS;

export interface BillApplication {
  download_url: string;
  hash_type: 'SHA1';
  hash_value: string;
}

interface DownloadToken {
  mchid: string;
  content: Buffer;
  gzip: boolean;
  expiresAt: number;
}

export interface BillDownload {
  content: Buffer;
  contentType: string;
}

export interface BillServiceDeps {
  store: StateStore;
  clock: SandboxClock;
  settings: SandboxSettings;
  orders: OrderService;
  baseUrl(): string;
}

function billPayment(order: OrderRecord): BillPayment {
  return {
    successTime: order.successTime ?? 0,
    appid: order.appid,
    mchid: order.mchid,
    deviceId: order.deviceId ?? '',
    transactionId: order.transactionId ?? '',
    outTradeNo: order.outTradeNo,
    openid: order.payerOpenid,
    bankType: order.bankType ?? 'OTHERS',
    total: order.total,
    description: order.description,
    attach: order.attach ?? '',
    feeFen: order.feeFen ?? 0,
    feeRateBasisPoints: order.feeRateBasisPoints ?? 0,
  };
}

/** GET /v3/bill/tradebill, /v3/bill/fundflowbill and the signed download behind their download_url. */
export class BillService {
  private readonly tokens = new Map<string, DownloadToken>();

  constructor(private readonly deps: BillServiceDeps) {}

  /** Checks bill_date and returns the [start, end) of that Asia/Shanghai day. */
  private billDay(query: URLSearchParams): { start: number; end: number } {
    const date = query.get('bill_date');
    if (!date) throw paramError('query', 'bill_date', '缺少必填参数');
    const start = shanghaiDayStart(date);
    if (start === undefined) throw paramError('query', 'bill_date', '日期格式错误，应为YYYY-MM-DD', date);
    const now = this.deps.clock.now();
    const today = shanghaiDayStart(shanghaiDate(now)) ?? now;
    if (start > today) throw paramError('query', 'bill_date', '账单日期不能晚于今天', date);
    if (today - start > RETENTION_MS) throw new WechatPayError(400, 'INVALID_REQUEST', '仅支持申请三个月内的账单');
    if (!this.deps.settings.billsReadyImmediately && now < start + DAY_MS + READY_HOUR_MS) {
      throw new WechatPayError(400, 'STATEMENT_CREATING', '账单生成中，请在次日10点后再申请');
    }
    return { start, end: start + DAY_MS };
  }

  private tarType(query: URLSearchParams): boolean {
    const tarType = query.get('tar_type');
    if (tarType !== null && tarType !== 'GZIP') throw paramError('query', 'tar_type', '取值不在枚举范围内', tarType);
    return tarType === 'GZIP';
  }

  private dayEvents(mchid: string, start: number, end: number): { payments: BillPayment[]; refunds: BillRefund[] } {
    const { store } = this.deps;
    this.deps.orders.refreshAllExpiries();
    const orders = store.state.orders.filter((o) => o.mchid === mchid && o.successTime !== undefined);
    const payments = orders.filter((o) => (o.successTime ?? 0) >= start && (o.successTime ?? 0) < end).map(billPayment);
    const refunds: BillRefund[] = [];
    for (const refund of store.state.refunds) {
      if (refund.mchid !== mchid || refund.status !== 'SUCCESS' || refund.successTime === undefined) continue;
      if (refund.successTime < start || refund.successTime >= end) continue;
      const order = orders.find((o) => o.outTradeNo === refund.outTradeNo);
      if (!order) continue;
      refunds.push({
        payment: billPayment(order),
        createdAt: refund.createdAt,
        successTime: refund.successTime,
        refundId: refund.refundId,
        outRefundNo: refund.outRefundNo,
        refund: refund.refund,
        feeFen: refund.feeFen,
      });
    }
    return { payments, refunds };
  }

  private publish(mchid: string, csv: string, gzip: boolean): BillApplication {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, {
      mchid,
      content: gzip ? gzipSync(Buffer.from(csv, 'utf8')) : Buffer.from(csv, 'utf8'),
      gzip,
      expiresAt: this.deps.clock.now() + DOWNLOAD_URL_TTL_MS,
    });
    return {
      download_url: `${this.deps.baseUrl()}/v3/billdownload/file?token=${token}`,
      hash_type: 'SHA1',
      // The hash is over the bill itself, not the gzip wrapper.
      hash_value: createHash('sha1').update(csv, 'utf8').digest('hex'),
    };
  }

  applyTradeBill(merchant: MerchantIdentity, query: URLSearchParams): BillApplication {
    const { start, end } = this.billDay(query);
    const type = (query.get('bill_type') ?? 'ALL') as TradeBillType;
    if (!['ALL', 'SUCCESS', 'REFUND'].includes(type)) throw paramError('query', 'bill_type', '取值不在枚举范围内', type);
    const gzip = this.tarType(query);
    const { payments, refunds } = this.dayEvents(merchant.mchid, start, end);
    const rows = type === 'SUCCESS' ? payments.length : type === 'REFUND' ? refunds.length : payments.length + refunds.length;
    if (rows === 0) throw new WechatPayError(400, 'NO_STATEMENT_EXIST', '当日无交易，账单不存在');
    return this.publish(merchant.mchid, buildTradeBill(type, payments, refunds), gzip);
  }

  /** Every money movement of the basic account, from the first payment on, for opening balances. */
  private fundFlowEntries(mchid: string, before: number): FundFlowEntry[] {
    const { store } = this.deps;
    const entries: FundFlowEntry[] = [];
    for (const order of store.state.orders) {
      if (order.mchid !== mchid || order.successTime === undefined || order.successTime >= before) continue;
      const base = { time: order.successTime, businessNo: order.transactionId ?? '', applicant: 'system', voucherNo: order.outTradeNo };
      entries.push({ ...base, name: '交易', direction: '收入', amount: order.total });
      if (order.feeFen) entries.push({ ...base, name: '扣除交易手续费', direction: '支出', amount: order.feeFen });
    }
    for (const refund of store.state.refunds) {
      if (refund.mchid !== mchid || refund.status !== 'SUCCESS' || refund.successTime === undefined || refund.successTime >= before) continue;
      const base = { time: refund.successTime, businessNo: refund.refundId, applicant: refund.mchid, voucherNo: refund.outRefundNo };
      entries.push({ ...base, name: '退款', direction: '支出', amount: refund.refund });
      if (refund.feeFen) entries.push({ ...base, name: '退还交易手续费', direction: '收入', amount: refund.feeFen });
    }
    return entries.sort((a, b) => a.time - b.time);
  }

  applyFundFlowBill(merchant: MerchantIdentity, query: URLSearchParams): BillApplication {
    const { start, end } = this.billDay(query);
    const accountType = query.get('account_type') ?? 'BASIC';
    if (!['BASIC', 'OPERATION', 'FEES'].includes(accountType)) {
      throw paramError('query', 'account_type', '取值不在枚举范围内', accountType);
    }
    const gzip = this.tarType(query);
    const all = this.fundFlowEntries(merchant.mchid, end);
    const day = all.filter((e) => e.time >= start);
    // Sandbox merchants have only a basic account: operation and fee accounts never move.
    if (accountType !== 'BASIC' || day.length === 0) {
      throw new WechatPayError(400, 'NO_STATEMENT_EXIST', '当日无资金流水，账单不存在');
    }
    const opening = all.filter((e) => e.time < start).reduce((sum, e) => sum + (e.direction === '收入' ? e.amount : -e.amount), 0);
    return this.publish(merchant.mchid, buildFundFlowBill(day, opening), gzip);
  }

  download(merchant: MerchantIdentity, query: URLSearchParams): BillDownload {
    const token = query.get('token');
    const entry = token ? this.tokens.get(token) : undefined;
    if (!token || !entry) throw paramError('query', 'token', '下载链接无效', token ?? undefined);
    if (this.deps.clock.now() > entry.expiresAt) {
      this.tokens.delete(token);
      throw new WechatPayError(400, 'INVALID_REQUEST', '下载链接已过期，请重新申请账单');
    }
    if (entry.mchid !== merchant.mchid) throw new WechatPayError(403, 'NO_AUTH', '下载账单的商户和申请账单的商户不一致');
    return { content: entry.content, contentType: entry.gzip ? 'application/x-gzip' : 'text/plain;charset=utf-8' };
  }
}
