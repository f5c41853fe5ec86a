import test from 'ava';
import { sumFen, type CashReport } from '@campuspay/shared';
import { cashReportDayProblem, cashReportFallbackName, cashierSections, countsText, handoverRows } from './cash-report-view.ts';

type Cashier = CashReport['cashiers'][number];
type Line = Cashier['lines'][number];

const totals = (cashFen: number, posFen: number, transferFen: number) => ({ cashFen, posFen, transferFen, totalFen: cashFen + posFen + transferFen });

const line = (kind: Line['kind'], method: Line['method'], amountFen: number, offlinePaymentId: string | null, reversed = false): Line => ({
  kind,
  at: '2026-09-01T01:00:00.000Z',
  method,
  amountFen,
  offlinePaymentId,
  receiptNo: offlinePaymentId ? `R-${offlinePaymentId}` : null,
  studentName: '张三',
  feeItemName: '午餐费',
  reference: null,
  reversed,
});

/** 王芳 takes 300.00 cash (reversed) and 200.00 by POS; 陈静 hands back 100.00 cash. */
const report: CashReport = {
  day: '2026-09-01',
  scope: { nodeId: 'campus_east', label: '东校区' },
  generatedAt: '2026-09-01T10:00:00.000Z',
  cashiers: [
    {
      cashierId: 'u-wang',
      cashierName: '王芳',
      lines: [line('payment', 'cash', 30_000, 'op1', true), line('payment', 'pos', 20_000, 'op2'), line('reversal', 'cash', -30_000, 'op1')],
      payments: totals(30_000, 20_000, 0),
      reversals: totals(30_000, 0, 0),
      refunds: totals(0, 0, 0),
      net: totals(0, 20_000, 0),
    },
    {
      cashierId: 'u-chen',
      cashierName: '陈静',
      lines: [line('refund', 'cash', -10_000, null)],
      payments: totals(0, 0, 0),
      reversals: totals(0, 0, 0),
      refunds: totals(10_000, 0, 0),
      net: totals(-10_000, 0, 0),
    },
  ],
  totals: { payments: totals(30_000, 20_000, 0), reversals: totals(30_000, 0, 0), refunds: totals(10_000, 0, 0), net: totals(-10_000, 20_000, 0) },
};

test('any day up to today may be asked for', (t) => {
  t.is(cashReportDayProblem('2026-09-01', '2026-09-01'), null);
  t.is(cashReportDayProblem('2025-01-31', '2026-09-01'), null, 'old days too: the ledger keeps them');
  t.is(cashReportDayProblem('2026-09-02', '2026-09-01'), '不能查看今天之后的日期');
});

test('the handover table takes reversals and refunds off the payments, so every column adds up to 应交', (t) => {
  const rows = handoverRows(report.totals);
  t.deepEqual(
    rows.map((r) => [r.key, r.label, r.cashFen, r.posFen, r.transferFen, r.totalFen]),
    [
      ['payments', '收款', 30_000, 20_000, 0, 50_000],
      ['reversals', '冲正', -30_000, 0, 0, -30_000],
      ['refunds', '退款', -10_000, 0, 0, -10_000],
      ['net', '应交', -10_000, 20_000, 0, 10_000],
    ],
  );
  for (const column of ['cashFen', 'posFen', 'transferFen', 'totalFen'] as const) {
    t.is<number, number>(sumFen(rows.slice(0, 3).map((r) => r[column])), rows[3]![column], column);
  }
  t.true(rows.every((r) => !Object.is(r.posFen, -0) && !Object.is(r.transferFen, -0)), 'no −0 where nothing was reversed');
});

test('sections keep the report’s cashier order and time order, label reversed payments, and key every line uniquely', (t) => {
  const sections = cashierSections(report);
  t.deepEqual(
    sections.map((s) => s.cashierName),
    ['王芳', '陈静'],
  );
  const wang = sections[0]!;
  t.deepEqual(
    wang.lines.map((l) => [l.kindLabel, l.method, l.amountFen]),
    [
      ['收款（已冲正）', 'cash', 30_000],
      ['收款', 'pos', 20_000],
      ['冲正', 'cash', -30_000],
    ],
  );
  const keys = sections.flatMap((s) => s.lines.map((l) => l.key));
  t.is(new Set(keys).size, keys.length, 'a payment and its reversal share the payment id but not the key');
  t.deepEqual(wang.counts, { payment: 2, reversal: 1, refund: 0 });
  t.deepEqual(wang.net, totals(0, 20_000, 0));
  t.deepEqual(
    wang.handover.find((r) => r.key === 'net'),
    { key: 'net', label: '应交', cashFen: 0, posFen: 20_000, transferFen: 0, totalFen: 20_000 },
  );
  t.deepEqual(sections[1]!.counts, { payment: 0, reversal: 0, refund: 1 });
});

test('a section header counts payments always, reversals and refunds when there are any', (t) => {
  t.is(countsText({ payment: 2, reversal: 1, refund: 0 }), '收款 2 笔 · 冲正 1 笔');
  t.is(countsText({ payment: 0, reversal: 0, refund: 1 }), '收款 0 笔 · 退款 1 笔');
  t.is(countsText({ payment: 3, reversal: 0, refund: 0 }), '收款 3 笔');
});

test('files saved without a server name are named after the day', (t) => {
  t.is(cashReportFallbackName('2026-09-01', 'pdf'), '柜台收款交接单_2026-09-01.pdf');
  t.is(cashReportFallbackName('2026-09-01', 'xlsx'), '柜台收款交接单_2026-09-01.xlsx');
});
