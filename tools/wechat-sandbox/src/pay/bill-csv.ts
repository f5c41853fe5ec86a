import { createHash } from 'node:crypto';
import { formatFeeRate } from '../settings.ts';
import { shanghaiCompactDateTime, shanghaiDateTime } from '../time/shanghai-time.ts';

/**
 * WeChat's bill layout: comma-separated, a header line, detail lines whose
 * every value starts with a backtick, a summary header, and a summary line
 * (also backticked). Amounts are yuan with 2 decimals, fees with 5. Lines end
 * in CRLF.
 */

export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

export interface BillPayment {
  successTime: number;
  appid: string;
  mchid: string;
  deviceId: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  bankType: string;
  total: number;
  description: string;
  attach: string;
  feeFen: number;
  feeRateBasisPoints: number;
}

export interface BillRefund {
  payment: BillPayment;
  createdAt: number;
  successTime: number;
  refundId: string;
  outRefundNo: string;
  refund: number;
  feeFen: number;
}

const LINE_END = '\r\n';

/** fen → yuan with 2 decimals, exact for any integer. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** fen → yuan with 5 decimals, the 手续费 format. WeChat's fee is whole fen, so the last three are 0. */
export function fee(fen: number): string {
  return `${yuan(fen)}000`;
}

function line(values: string[]): string {
  return values.map((v) => `\`${v}`).join(',');
}

const ALL_HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
];
const SUCCESS_HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注',
];
const REFUND_HEADER = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '退款申请时间', '退款成功时间', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额',
  '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
];
const ALL_SUMMARY_HEADER = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];
const SUCCESS_SUMMARY_HEADER = ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额'];

/** The columns every row starts with: who, which order, which payer. */
function orderColumns(p: BillPayment, time: number, state: 'SUCCESS' | 'REFUND', settled: number): string[] {
  return [
    shanghaiDateTime(time), p.appid, p.mchid, '0', p.deviceId, p.transactionId, p.outTradeNo, p.openid, 'JSAPI', state,
    p.bankType, 'CNY', yuan(settled), '0.00',
  ];
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

/**
 * A trade bill from what happened on one day: payments on the day they
 * succeeded, refunds on the day they succeeded. In ALL a refund row is dated
 * by the refund, settles 0.00 and returns its share of the fee (negative).
 */
export function buildTradeBill(type: TradeBillType, payments: BillPayment[], refunds: BillRefund[]): string {
  const lines: string[] = [];
  const paid = sum(payments, (p) => p.total);
  const refunded = sum(refunds, (r) => r.refund);
  const fees = sum(payments, (p) => p.feeFen) - sum(refunds, (r) => r.feeFen);
  if (type === 'SUCCESS') {
    lines.push(SUCCESS_HEADER.join(','));
    for (const p of [...payments].sort((a, b) => a.successTime - b.successTime)) {
      lines.push(line([...orderColumns(p, p.successTime, 'SUCCESS', p.total), p.description, p.attach, fee(p.feeFen), formatFeeRate(p.feeRateBasisPoints), yuan(p.total), '']));
    }
    lines.push(SUCCESS_SUMMARY_HEADER.join(','));
    lines.push(line([String(payments.length), yuan(paid), fee(sum(payments, (p) => p.feeFen)), yuan(paid)]));
    return lines.join(LINE_END) + LINE_END;
  }
  if (type === 'REFUND') {
    lines.push(REFUND_HEADER.join(','));
    for (const r of [...refunds].sort((a, b) => a.successTime - b.successTime)) {
      const p = r.payment;
      lines.push(
        line([
          ...orderColumns(p, p.successTime, 'REFUND', 0),
          shanghaiDateTime(r.createdAt), shanghaiDateTime(r.successTime), r.refundId, r.outRefundNo, yuan(r.refund), '0.00', 'ORIGINAL', 'SUCCESS',
          p.description, p.attach, fee(-r.feeFen), formatFeeRate(p.feeRateBasisPoints), '0.00', yuan(r.refund), '',
        ]),
      );
    }
    lines.push(ALL_SUMMARY_HEADER.join(','));
    lines.push(line([String(refunds.length), '0.00', yuan(refunded), '0.00', fee(-sum(refunds, (r) => r.feeFen)), '0.00', yuan(refunded)]));
    return lines.join(LINE_END) + LINE_END;
  }
  lines.push(ALL_HEADER.join(','));
  const rows: { time: number; values: string[] }[] = [
    ...payments.map((p) => ({
      time: p.successTime,
      values: [
        ...orderColumns(p, p.successTime, 'SUCCESS', p.total),
        '0', '0', '0.00', '0.00', '', '', p.description, p.attach, fee(p.feeFen), formatFeeRate(p.feeRateBasisPoints), yuan(p.total), '0.00', '',
      ],
    })),
    ...refunds.map((r) => ({
      time: r.successTime,
      values: [
        ...orderColumns(r.payment, r.successTime, 'REFUND', 0),
        r.refundId, r.outRefundNo, yuan(r.refund), '0.00', 'ORIGINAL', 'SUCCESS', r.payment.description, r.payment.attach,
        fee(-r.feeFen), formatFeeRate(r.payment.feeRateBasisPoints), '0.00', yuan(r.refund), '',
      ],
    })),
  ].sort((a, b) => a.time - b.time);
  for (const row of rows) lines.push(line(row.values));
  lines.push(ALL_SUMMARY_HEADER.join(','));
  lines.push(line([String(rows.length), yuan(paid), yuan(refunded), '0.00', fee(fees), yuan(paid), yuan(refunded)]));
  return lines.join(LINE_END) + LINE_END;
}

export interface FundFlowEntry {
  time: number;
  businessNo: string;
  name: string;
  direction: '收入' | '支出';
  amount: number;
  applicant: string;
  voucherNo: string;
}

const FUND_FLOW_HEADER = ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额(元)', '账户结余(元)', '资金变更提交申请人', '备注', '业务凭证号'];
const FUND_FLOW_SUMMARY_HEADER = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'];

/** A stable 资金流水单号 per entry, so applying for the same bill twice gives the same file and hash. */
function fundFlowId(entry: FundFlowEntry): string {
  const hash = createHash('sha1').update(`${entry.businessNo}/${entry.name}`).digest('hex');
  return `${shanghaiCompactDateTime(entry.time)}${String(parseInt(hash.slice(0, 10), 16) % 1_000_000).padStart(6, '0')}`;
}

/** The basic account's fund flow for one day; `openingBalance` is the balance before the day's first entry. */
export function buildFundFlowBill(entries: FundFlowEntry[], openingBalance: number): string {
  const lines = [FUND_FLOW_HEADER.join(',')];
  let balance = openingBalance;
  for (const entry of entries) {
    balance += entry.direction === '收入' ? entry.amount : -entry.amount;
    lines.push(
      line([shanghaiDateTime(entry.time), entry.businessNo, fundFlowId(entry), entry.name, entry.name, entry.direction, yuan(entry.amount), yuan(balance), entry.applicant, '', entry.voucherNo]),
    );
  }
  const incomes = entries.filter((e) => e.direction === '收入');
  const expenses = entries.filter((e) => e.direction === '支出');
  lines.push(FUND_FLOW_SUMMARY_HEADER.join(','));
  lines.push(line([String(entries.length), String(incomes.length), yuan(sum(incomes, (e) => e.amount)), String(expenses.length), yuan(sum(expenses, (e) => e.amount))]));
  return lines.join(LINE_END) + LINE_END;
}
