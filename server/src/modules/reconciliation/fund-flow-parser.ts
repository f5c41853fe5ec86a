import { createReadStream } from 'node:fs';
import { addExact, billYuanToFen, BillRejected } from './bill-amounts.ts';
import { linesOf, splitBackticked } from './trade-bill-parser.ts';

/**
 * WeChat Pay's fund-flow bill (资金账单) of one account, as documented
 * (reference §7): 11 columns, backticked values, a 5-column summary. Only the
 * day's totals are kept; the summary is checked against the lines.
 */

export const FUND_FLOW_COLUMNS = ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额(元)', '账户结余(元)', '资金变更提交申请人', '备注', '业务凭证号'] as const;
export const FUND_FLOW_SUMMARY_COLUMNS = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'] as const;

export interface FundFlowTotals {
  entries: number;
  incomeCount: number;
  incomeFen: number;
  expenseCount: number;
  expenseFen: number;
}

function sameColumns(line: string, columns: readonly string[]): boolean {
  const names = line.split(',').map((n) => n.trim());
  return names.length === columns.length && names.every((n, i) => n === columns[i]);
}

export class FundFlowParser {
  private lineNo = 0;
  private state: 'header' | 'details' | 'summary' | 'done' = 'header';
  private summary: FundFlowTotals | null = null;
  private readonly totals: FundFlowTotals = { entries: 0, incomeCount: 0, incomeFen: 0, expenseCount: 0, expenseFen: 0 };

  push(raw: string): void {
    this.lineNo += 1;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.lineNo === 1 && line.startsWith('\uFEFF')) line = line.slice(1);
    const n = this.lineNo;
    if (this.state === 'done') {
      if (line.trim() !== '') throw new BillRejected(`资金账单第 ${n} 行：汇总行之后还有内容`, { line: n });
      return;
    }
    if (this.state === 'header') {
      if (!sameColumns(line, FUND_FLOW_COLUMNS)) throw new BillRejected('资金账单第 1 行不是资金账单的表头', { line: 1 });
      this.state = 'details';
      return;
    }
    if (this.state === 'summary') {
      const v = splitBackticked(line, FUND_FLOW_SUMMARY_COLUMNS.length, n, '资金账单汇总');
      if (![v[0], v[1], v[3]].every((c) => /^\d+$/.test(c ?? ''))) throw new BillRejected(`资金账单第 ${n} 行：笔数不是整数`, { line: n });
      this.summary = {
        entries: Number(v[0]),
        incomeCount: Number(v[1]),
        incomeFen: billYuanToFen(v[2]!, `资金账单第 ${n} 行“收入金额”`),
        expenseCount: Number(v[3]),
        expenseFen: billYuanToFen(v[4]!, `资金账单第 ${n} 行“支出金额”`),
      };
      this.state = 'done';
      return;
    }
    if (sameColumns(line, FUND_FLOW_SUMMARY_COLUMNS)) {
      this.state = 'summary';
      return;
    }
    const v = splitBackticked(line, FUND_FLOW_COLUMNS.length, n, '资金账单明细');
    const amount = billYuanToFen(v[6]!, `资金账单第 ${n} 行“收支金额(元)”`);
    billYuanToFen(v[7]!, `资金账单第 ${n} 行“账户结余(元)”`);
    const t = this.totals;
    t.entries += 1;
    if (v[5] === '收入') {
      t.incomeCount += 1;
      t.incomeFen = addExact(t.incomeFen, amount);
    } else if (v[5] === '支出') {
      t.expenseCount += 1;
      t.expenseFen = addExact(t.expenseFen, amount);
    } else {
      throw new BillRejected(`资金账单第 ${n} 行“收支类型”：“${v[5]}”应为收入或支出`, { line: n });
    }
  }

  finish(): FundFlowTotals {
    if (this.state !== 'done' || !this.summary) throw new BillRejected('资金账单不完整：缺少汇总行');
    const s = this.summary;
    const t = this.totals;
    for (const key of Object.keys(t) as (keyof FundFlowTotals)[]) {
      if (s[key] !== t[key]) throw new BillRejected(`资金账单汇总与明细不符：${key} 汇总为 ${s[key]}，明细合计为 ${t[key]}`, { field: key, stated: s[key], summed: t[key] });
    }
    return { ...t };
  }
}

export async function parseFundFlowFile(file: string): Promise<FundFlowTotals> {
  const parser = new FundFlowParser();
  const input = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of linesOf(input)) parser.push(line);
  } finally {
    input.destroy();
  }
  return parser.finish();
}
