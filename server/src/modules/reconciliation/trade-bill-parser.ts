import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { addExact, billFeeToMilliFen, billYuanToFen, BillRejected } from './bill-amounts.ts';

/**
 * WeChat Pay's trade bill (交易账单, bill_type=ALL), read line by line as
 * WeChat documents it (reference §7): a header line of 27 column names, detail
 * lines in which every value starts with a backtick, a summary header of 7
 * names and one backticked summary line. Amounts are yuan with 2 decimals,
 * 手续费 with 5; both become integers (fen, thousandths of a fen) without
 * floating point. The summary is checked against the detail lines.
 *
 * The parser keeps only running totals, so a bill of any size is read in
 * constant memory; callers stream rows out of it.
 */

export const TRADE_BILL_COLUMNS = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;
export const TRADE_BILL_SUMMARY_COLUMNS = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'] as const;

export interface TradeBillRow {
  /** 1-based line number in the file. */
  line: number;
  kind: 'payment' | 'refund';
  /** 交易时间, Asia/Shanghai, "YYYY-MM-DD HH:mm:ss". */
  time: string;
  appid: string;
  mchid: string;
  deviceInfo: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  tradeType: string;
  /** 交易状态: SUCCESS for payments, REFUND for refund rows (REVOKED, … otherwise). */
  tradeState: string;
  bankType: string;
  currency: string;
  /** 应结订单金额: what WeChat settles for a payment (0 on refund rows). */
  settledFen: number;
  couponFen: number;
  refundId: string;
  outRefundNo: string;
  /** 退款金额: what was refunded (settled part). */
  refundFen: number;
  couponRefundFen: number;
  refundType: string;
  refundStatus: string;
  goodsName: string;
  attach: string;
  /** 手续费 in thousandths of a fen; negative on refund rows (the fee returned). */
  feeMilliFen: number;
  feeRate: string;
  /** 订单金额. */
  totalFen: number;
  /** 申请退款金额. */
  requestedRefundFen: number;
  feeRemark: string;
}

export interface TradeBillSummary {
  count: number;
  settledFen: number;
  refundFen: number;
  couponRefundFen: number;
  feeMilliFen: number;
  totalFen: number;
  requestedRefundFen: number;
}

export interface TradeBillTotals extends TradeBillSummary {
  payments: number;
  refunds: number;
  /** 订单金额 of payment rows. */
  paymentTotalFen: number;
  /** 应结订单金额 of payment rows. */
  paymentSettledFen: number;
}

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const BOM = '\uFEFF';

/** Splits a backticked line (`` `a,`b,` ``) into its values; every value must start with the backtick. */
export function splitBackticked(text: string, expected: number, lineNo: number, what: string): string[] {
  if (!text.startsWith('`')) throw new BillRejected(`第 ${lineNo} 行${what}的值没有以反引号开头`, { line: lineNo });
  // Values are separated by ",`": a comma inside a value (e.g. in 商品名称) is not followed by a backtick.
  const values = text.slice(1).split(',`');
  if (values.length !== expected) {
    throw new BillRejected(`第 ${lineNo} 行${what}应有 ${expected} 列，实际 ${values.length} 列`, { line: lineNo, expected, actual: values.length });
  }
  return values;
}

function sameColumns(line: string, columns: readonly string[]): boolean {
  const names = line.split(',').map((n) => n.trim());
  return names.length === columns.length && names.every((n, i) => n === columns[i]);
}

/** The empty-ish values WeChat writes for "no refund" on payment rows. */
function blank(value: string): boolean {
  return value === '' || value === '0';
}

export class TradeBillParser {
  private lineNo = 0;
  private state: 'header' | 'details' | 'summary' | 'done' = 'header';
  private summary: TradeBillSummary | null = null;
  private readonly totals: TradeBillTotals = {
    count: 0,
    settledFen: 0,
    refundFen: 0,
    couponRefundFen: 0,
    feeMilliFen: 0,
    totalFen: 0,
    requestedRefundFen: 0,
    payments: 0,
    refunds: 0,
    paymentTotalFen: 0,
    paymentSettledFen: 0,
  };

  /** @param mchid when given, every row must be this merchant's. */
  constructor(private readonly options: { mchid?: string } = {}) {}

  /** Reads one line (its line ending already removed); returns the detail row it holds, if any. */
  push(raw: string): TradeBillRow | null {
    this.lineNo += 1;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && line.startsWith(BOM)) line = line.slice(1);
    if (this.state === 'done') {
      if (line.trim() !== '') throw new BillRejected(`第 ${this.lineNo} 行：汇总行之后还有内容`, { line: this.lineNo });
      return null;
    }
    if (this.state === 'header') {
      if (!sameColumns(line, TRADE_BILL_COLUMNS)) {
        throw new BillRejected(`第 1 行不是交易账单（ALL）的表头：应为 ${TRADE_BILL_COLUMNS.length} 列“${TRADE_BILL_COLUMNS[0]}…${TRADE_BILL_COLUMNS[TRADE_BILL_COLUMNS.length - 1]}”`, { line: 1 });
      }
      this.state = 'details';
      return null;
    }
    if (this.state === 'summary') {
      this.summary = this.readSummary(line);
      this.state = 'done';
      return null;
    }
    if (sameColumns(line, TRADE_BILL_SUMMARY_COLUMNS)) {
      this.state = 'summary';
      return null;
    }
    if (line.trim() === '') throw new BillRejected(`第 ${this.lineNo} 行是空行，明细与汇总之间不应有空行`, { line: this.lineNo });
    const row = this.readRow(line);
    const t = this.totals;
    t.count += 1;
    t.settledFen = addExact(t.settledFen, row.settledFen);
    t.refundFen = addExact(t.refundFen, row.refundFen);
    t.couponRefundFen = addExact(t.couponRefundFen, row.couponRefundFen);
    t.feeMilliFen = addExact(t.feeMilliFen, row.feeMilliFen);
    t.totalFen = addExact(t.totalFen, row.totalFen);
    t.requestedRefundFen = addExact(t.requestedRefundFen, row.requestedRefundFen);
    if (row.kind === 'payment') {
      t.payments += 1;
      t.paymentTotalFen = addExact(t.paymentTotalFen, row.totalFen);
      t.paymentSettledFen = addExact(t.paymentSettledFen, row.settledFen);
    } else {
      t.refunds += 1;
    }
    return row;
  }

  private readRow(line: string): TradeBillRow {
    const n = this.lineNo;
    const v = splitBackticked(line, TRADE_BILL_COLUMNS.length, n, '明细');
    const at = (i: number) => `第 ${n} 行“${TRADE_BILL_COLUMNS[i]}”`;
    const [time, appid, mchid, , deviceInfo, transactionId, outTradeNo, openid, tradeType, tradeState, bankType, currency] = v;
    if (!TIME.test(time!)) throw new BillRejected(`${at(0)}：“${time}”不是 YYYY-MM-DD HH:mm:ss`, { line: n });
    if (this.options.mchid && mchid !== this.options.mchid) throw new BillRejected(`${at(2)}：账单属于商户 ${mchid}，不是 ${this.options.mchid}`, { line: n });
    if (!transactionId) throw new BillRejected(`${at(5)}为空`, { line: n });
    if (!outTradeNo) throw new BillRejected(`${at(6)}为空`, { line: n });
    if (!tradeState) throw new BillRejected(`${at(9)}为空`, { line: n });
    if (currency !== 'CNY') throw new BillRejected(`${at(11)}：不支持的币种“${currency}”`, { line: n });
    const refundId = v[14]!;
    const outRefundNo = v[15]!;
    const kind = blank(outRefundNo) && blank(refundId) ? 'payment' : 'refund';
    if (kind === 'refund' && (blank(outRefundNo) || blank(refundId) || !v[19])) {
      throw new BillRejected(`第 ${n} 行：退款行缺少微信退款单号、商户退款单号或退款状态`, { line: n });
    }
    return {
      line: n,
      kind,
      time: time!,
      appid: appid!,
      mchid: mchid!,
      deviceInfo: deviceInfo!,
      transactionId: transactionId!,
      outTradeNo: outTradeNo!,
      openid: openid!,
      tradeType: tradeType!,
      tradeState: tradeState!,
      bankType: bankType!,
      currency: currency!,
      settledFen: billYuanToFen(v[12]!, at(12)),
      couponFen: billYuanToFen(v[13]!, at(13)),
      refundId: kind === 'refund' ? refundId : '',
      outRefundNo: kind === 'refund' ? outRefundNo : '',
      refundFen: billYuanToFen(v[16]!, at(16)),
      couponRefundFen: billYuanToFen(v[17]!, at(17)),
      refundType: v[18]!,
      refundStatus: v[19]!,
      goodsName: v[20]!,
      attach: v[21]!,
      feeMilliFen: billFeeToMilliFen(v[22]!, at(22)),
      feeRate: v[23]!,
      totalFen: billYuanToFen(v[24]!, at(24)),
      requestedRefundFen: billYuanToFen(v[25]!, at(25)),
      feeRemark: v[26]!,
    };
  }

  private readSummary(line: string): TradeBillSummary {
    const n = this.lineNo;
    const v = splitBackticked(line, TRADE_BILL_SUMMARY_COLUMNS.length, n, '汇总');
    const at = (i: number) => `第 ${n} 行“${TRADE_BILL_SUMMARY_COLUMNS[i]}”`;
    if (!/^\d+$/.test(v[0]!)) throw new BillRejected(`${at(0)}：“${v[0]}”不是笔数`, { line: n });
    return {
      count: Number(v[0]),
      settledFen: billYuanToFen(v[1]!, at(1)),
      refundFen: billYuanToFen(v[2]!, at(2)),
      couponRefundFen: billYuanToFen(v[3]!, at(3)),
      feeMilliFen: billFeeToMilliFen(v[4]!, at(4)),
      totalFen: billYuanToFen(v[5]!, at(5)),
      requestedRefundFen: billYuanToFen(v[6]!, at(6)),
    };
  }

  /** After the last line: the summary must be there and agree with the detail lines, field by field. */
  finish(): { summary: TradeBillSummary; totals: TradeBillTotals; lines: number } {
    if (this.state === 'header') throw new BillRejected('账单为空（没有表头）');
    if (this.state !== 'done' || !this.summary) throw new BillRejected('账单不完整：缺少汇总表头或汇总行', { lines: this.lineNo });
    const s = this.summary;
    const t = this.totals;
    const checks: [string, number, number][] = [
      ['总交易单数', s.count, t.count],
      ['应结订单总金额', s.settledFen, t.settledFen],
      ['退款总金额', s.refundFen, t.refundFen],
      ['充值券退款总金额', s.couponRefundFen, t.couponRefundFen],
      ['手续费总金额', s.feeMilliFen, t.feeMilliFen],
      ['订单总金额', s.totalFen, t.totalFen],
      ['申请退款总金额', s.requestedRefundFen, t.requestedRefundFen],
    ];
    for (const [name, stated, summed] of checks) {
      if (stated !== summed) {
        throw new BillRejected(`账单汇总与明细不符：${name} 汇总为 ${stated}，明细合计为 ${summed}（${name === '总交易单数' ? '笔' : name === '手续费总金额' ? '千分之一分' : '分'}）`, { field: name, stated, summed });
      }
    }
    return { summary: s, totals: { ...t }, lines: this.lineNo };
  }
}

/** Lines of a text stream, one at a time (LF or CRLF), without holding the stream in memory. */
export function linesOf(input: Readable): AsyncIterable<string> {
  return createInterface({ input, crlfDelay: Infinity });
}

/** Parses a trade bill file, handing each detail row to `onRow`; throws BillRejected on any deviation from the layout. */
export async function parseTradeBillFile(
  file: string,
  options: { mchid?: string; onRow?: (row: TradeBillRow) => void | Promise<void> } = {},
): Promise<ReturnType<TradeBillParser['finish']>> {
  const parser = new TradeBillParser({ mchid: options.mchid });
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    for await (const line of linesOf(input)) {
      const row = parser.push(line);
      if (row && options.onRow) await options.onRow(row);
    }
  } finally {
    input.destroy();
  }
  return parser.finish();
}
