import test from 'ava';
import { CARD_CLASSES, CARD_CLASS_LABELS, type BalanceSummary, type CardShareRow, type InsightFigures } from '@campuspay/shared';
import { cardSharePieOption, collectedFen, evidenceFigureText, formatShareBp, ownCardShareBp, trendChartOption, upliftView } from './insight-view.ts';

const figures = (online: number, counter: number, extra: Partial<InsightFigures> = {}): InsightFigures => ({
  onlineFen: online,
  onlineCount: 1,
  counterFen: counter,
  counterCount: 1,
  reversalFen: 0,
  reversalCount: 0,
  refundOnlineFen: 0,
  refundCounterFen: 0,
  refundFen: 0,
  refundCount: 0,
  netInflowFen: online + counter,
  settledNetFen: online + counter,
  estimatedFeeFen: 0,
  newPayingParents: 0,
  newLiveSchools: 0,
  ...extra,
});

const rows = (amounts: Partial<Record<(typeof CARD_CLASSES)[number], [number, number]>>): CardShareRow[] =>
  CARD_CLASSES.map((cardClass) => ({ cardClass, label: CARD_CLASS_LABELS[cardClass], count: 1, amountFen: amounts[cardClass]?.[0] ?? 0, countShareBp: 0, amountShareBp: amounts[cardClass]?.[1] ?? 0 }));

test('collected money is online plus counter, in fen', (t) => {
  t.is(collectedFen(figures(2_400_000, 50_001)), 2_450_001);
  t.throws(() => collectedFen(figures(0.5, 1)), undefined, 'a fraction of a fen is refused, not rounded');
});

test('shares in basis points read as percentages', (t) => {
  t.is(formatShareBp(10000), '100.00%');
  t.is(formatShareBp(3333), '33.33%');
  t.is(formatShareBp(5), '0.05%');
  t.is(formatShareBp(-120), '-1.20%');
});

test('deposit uplift against the baseline when the bank has uploaded balances, the settled estimate otherwise', (t) => {
  const none: BalanceSummary = { averageBalanceFen: null, baselineAverageFen: null, upliftFen: null, daysWithData: 0, accounts: 0, schoolsWithBaseline: 0 };
  const missing = upliftView(none, 2_437_000);
  t.is(missing.fen, null);
  t.is(missing.text, '暂无余额数据');
  t.regex(missing.note, /结算净流入（估算）¥24,370.00/);
  const known = upliftView({ averageBalanceFen: 150_000_000, baselineAverageFen: 100_000_000, upliftFen: 50_000_000, daysWithData: 30, accounts: 2, schoolsWithBaseline: 2 }, 0);
  t.is(known.fen, 50_000_000);
  t.is(known.text, '¥500,000.00');
  t.regex(known.note, /日均余额 ¥1,500,000.00，基准 ¥1,000,000.00/);
});

test('the trend plots fen per bucket and labels the axis and tooltip in yuan', (t) => {
  const option = trendChartOption({
    points: [
      { label: '09-01', from: '2026-09-01', to: '2026-09-01', figures: figures(100, 200, { netInflowFen: 250, settledNetFen: 0 }) },
      { label: '09-02', from: '2026-09-02', to: '2026-09-02', figures: figures(0, 0, { netInflowFen: 0, settledNetFen: 99 }) },
    ],
  });
  const series = option.series as { name: string; data: number[] }[];
  t.deepEqual(series.map((s) => s.name), ['收款', '净流入', '结算净流入（估算）']);
  t.deepEqual(series.map((s) => s.data), [[300, 0], [250, 0], [0, 99]]);
  t.deepEqual((option.xAxis as { data: string[] }).data, ['09-01', '09-02']);
  const yAxis = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
  t.is(yAxis.axisLabel.formatter(2_000_000), '¥2万');
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };
  t.is(tooltip.formatter([{ axisValueLabel: '09-01', seriesName: '收款', value: 300, marker: '' }]), '09-01<br/>收款　¥3.00');
});

test('the card share pie leaves out classes nobody paid with; own cards add up', (t) => {
  const share = rows({ own_debit: [2_400_000, 9796], other_credit: [50_000, 204] });
  const option = cardSharePieOption(share);
  const pie = (option.series as { data: { name: string; value: number }[] }[])[0]!;
  t.deepEqual(pie.data, [
    { name: '本行借记卡', value: 2_400_000 },
    { name: '他行信用卡', value: 50_000 },
  ]);
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };
  t.is(tooltip.formatter({ name: '他行信用卡' }), '他行信用卡<br/>¥500.00（2.04%，1 笔）');
  t.is(ownCardShareBp(share), 9796);
  t.is(ownCardShareBp(rows({ own_debit: [1, 5000], own_credit: [1, 2500], balance: [1, 2500] })), 7500);
});

test('evidence figures read as yuan, lists and labels', (t) => {
  t.is(evidenceFigureText('netFeesFen', 2_400_000), '近 12 个月缴费：¥24,000.00');
  t.is(evidenceFigureText('bankTypes', ['CMB_CREDIT', 'ABC_DEBIT']), '付款银行卡：CMB_CREDIT、ABC_DEBIT');
  t.is(evidenceFigureText('payments', 2), '笔数：2');
  t.is(evidenceFigureText('somethingNew', true), 'somethingNew：是');
});
