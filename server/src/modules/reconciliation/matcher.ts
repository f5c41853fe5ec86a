import { compareKeys } from './external-sort.ts';
import type { TradeBillRow } from './trade-bill-parser.ts';

/**
 * The matching key of a payment is WeChat's transaction id (P:…), of a
 * refund the merchant's out_refund_no (R:…). Both sides are reduced to these
 * keys: the bill's rows, and the platform's books, whose WeChat Pay ledger
 * entries carry them in their deterministic ids (wxpay:<transaction>:<bill>,
 * wxrefund:<out_refund_no>).
 */
export const paymentKey = (transactionId: string) => `P:${transactionId}`;
export const refundKey = (outRefundNo: string) => `R:${outRefundNo}`;

/** A bill row as the matcher needs it: small, so sorted runs of it stay small. */
export interface BillRecord {
  k: string;
  t: 'p' | 'r';
  line: number;
  time: string;
  outTradeNo: string;
  txid: string;
  outRefundNo: string | null;
  refundId: string | null;
  /** 交易状态 of a payment row, 退款状态 of a refund row. */
  status: string;
  /** 订单金额 of a payment, 申请退款金额 of a refund: what the platform asked WeChat for. */
  amountFen: number;
  /** 应结订单金额 of a payment, 退款金额 of a refund. */
  settledFen: number;
  feeMilliFen: number;
  bankType: string;
}

export function billRecordOf(row: TradeBillRow): BillRecord {
  const refund = row.kind === 'refund';
  return {
    k: refund ? refundKey(row.outRefundNo) : paymentKey(row.transactionId),
    t: refund ? 'r' : 'p',
    line: row.line,
    time: row.time,
    outTradeNo: row.outTradeNo,
    txid: row.transactionId,
    outRefundNo: refund ? row.outRefundNo : null,
    refundId: refund ? row.refundId : null,
    status: refund ? row.refundStatus : row.tradeState,
    amountFen: refund ? row.requestedRefundFen : row.totalFen,
    settledFen: refund ? row.refundFen : row.settledFen,
    feeMilliFen: row.feeMilliFen,
    bankType: row.bankType,
  };
}

/** The platform's booked payment or refund (one or more ledger entries of one key). */
export interface PlatformRecord {
  k: string;
  t: 'p' | 'r';
  amountFen: number;
  orderId: string | null;
  refundId: string | null;
  billId: string | null;
  orgPath: string[];
  day: string;
}

export interface LedgerEntryView {
  _id: string;
  kind: 'payment' | 'refund' | 'reversal';
  amountFen: number;
  orderId?: string | null;
  refundId?: string | null;
  billId?: string | null;
  transactionId?: string | null;
  orgPath?: string[];
  day: string;
}

/** A WeChat Pay ledger entry as a platform record; null for entries that are not a WeChat payment or refund. */
export function platformRecordOf(entry: LedgerEntryView): PlatformRecord | null {
  const base = { amountFen: entry.amountFen, orderId: entry.orderId ?? null, refundId: entry.refundId ?? null, billId: entry.billId ?? null, orgPath: entry.orgPath ?? [], day: entry.day };
  if (entry.kind === 'payment') {
    const txid = entry.transactionId ?? (entry._id.startsWith('wxpay:') ? entry._id.split(':')[1] : undefined);
    return txid ? { ...base, k: paymentKey(txid), t: 'p' } : null;
  }
  if (entry.kind === 'refund' && entry._id.startsWith('wxrefund:')) return { ...base, k: refundKey(entry._id.slice('wxrefund:'.length)), t: 'r' };
  return null;
}

/** Sums consecutive records of the same key (an order paying several bills has one ledger entry per bill). */
export async function* groupByKey(source: AsyncIterable<PlatformRecord>): AsyncGenerator<PlatformRecord> {
  let current: PlatformRecord | null = null;
  for await (const r of source) {
    if (current && current.k === r.k) {
      current.amountFen += r.amountFen;
      continue;
    }
    if (current) yield current;
    current = { ...r };
  }
  if (current) yield current;
}

export interface JoinHandlers {
  matched(bill: BillRecord, platform: PlatformRecord): void | Promise<void>;
  billOnly(bill: BillRecord): void | Promise<void>;
  platformOnly(platform: PlatformRecord): void | Promise<void>;
}

/**
 * A merge join of two sequences sorted by key: each key goes to exactly one
 * handler. It holds one record of each side at a time.
 */
export async function mergeJoin(bill: AsyncIterable<BillRecord>, platform: AsyncIterable<PlatformRecord>, handlers: JoinHandlers): Promise<void> {
  const b = bill[Symbol.asyncIterator]();
  const p = platform[Symbol.asyncIterator]();
  let nb = await b.next();
  let np = await p.next();
  while (!nb.done || !np.done) {
    if (np.done || (!nb.done && compareKeys(nb.value.k, np.value.k) < 0)) {
      await handlers.billOnly(nb.value as BillRecord);
      nb = await b.next();
    } else if (nb.done || compareKeys(nb.value.k, np.value.k) > 0) {
      await handlers.platformOnly(np.value);
      np = await p.next();
    } else {
      await handlers.matched(nb.value, np.value);
      nb = await b.next();
      np = await p.next();
    }
  }
}
