import test from 'ava';
import type { CollectionRow, DailyTakingsRow } from '@campuspay/shared';
import { collectionChartOption, formatRateBp, guardianText, netCollectedFen, payableFen, periodPresets, periodText, takingsChartOption } from './report-view.ts';

const row: CollectionRow = {
  key: 'east',
  label: '明德东校区',
  bills: 10,
  billedFen: 4800000,
  concessionFen: 100000,
  collectedOnlineFen: 2000000,
  collectedOfflineFen: 1000000,
  refundedFen: 50000,
  outstandingFen: 1750000,
  rateBp: 6276,
};

test('rates in basis points read as percentages', (t) => {
  t.is(formatRateBp(6276), '62.76%');
  t.is(formatRateBp(10000), '100.00%');
  t.is(formatRateBp(5), '0.05%');
  t.is(formatRateBp(null), '—');
});

test('net collected and payable', (t) => {
  t.is(netCollectedFen(row), 2950000);
  t.is(payableFen(row), 4700000);
  // The books tie out: payable = net collected + outstanding.
  t.is(payableFen(row), netCollectedFen(row) + row.outstandingFen);
});

test('the collection chart stacks collected and outstanding in fen', (t) => {
  const option = collectionChartOption([row, { ...row, key: 'west', label: '明德西校区', outstandingFen: -100 }]);
  const series = option.series as { name: string; data: number[] }[];
  t.deepEqual(series.map((s) => s.name), ['实收（净额）', '未缴']);
  t.deepEqual(series[0]?.data, [2950000, 2950000]);
  t.deepEqual(series[1]?.data, [1750000, 0], 'overpaid rows draw no negative bar');
  const yAxis = option.yAxis as { axisLabel: { formatter: (v: number) => string } };
  t.is(yAxis.axisLabel.formatter(2_000_000), '¥2万');
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };
  t.regex(tooltip.formatter([{ axisValueLabel: '明德东校区', seriesName: '未缴', value: 1750000, marker: '' }]), /明德东校区<br\/>未缴　¥17,500.00/);
});

test('the takings chart has a line per method', (t) => {
  const day: DailyTakingsRow = { day: '2026-09-01', onlineFen: 100, cashFen: 200, posFen: 0, transferFen: 0, refundFen: 50, netFen: 250, entries: 3 };
  const option = takingsChartOption([day]);
  const series = option.series as { name: string; data: number[] }[];
  t.deepEqual(series.map((s) => s.name), ['净额', '微信支付', '现金', 'POS', '转账', '退款']);
  t.deepEqual(series[0]?.data, [250]);
  t.deepEqual((option.xAxis as { data: string[] }).data, ['09-01']);
});

test('period presets in business days', (t) => {
  const presets = Object.fromEntries(periodPresets('2026-11-22').map((p) => [p.key, [p.from, p.to]]));
  t.deepEqual(presets['today'], ['2026-11-22', '2026-11-22']);
  t.deepEqual(presets['7d'], ['2026-11-16', '2026-11-22']);
  t.deepEqual(presets['30d'], ['2026-10-24', '2026-11-22']);
  t.deepEqual(presets['month'], ['2026-11-01', '2026-11-22']);
  t.deepEqual(presets['term'], ['2026-08-01', '2026-11-22']);
  t.deepEqual(Object.fromEntries(periodPresets('2027-01-05').map((p) => [p.key, p.from]))['term'], '2026-08-01');
  t.deepEqual(Object.fromEntries(periodPresets('2027-03-05').map((p) => [p.key, p.from]))['term'], '2027-02-01');
  t.is(periodText(null, null), '全部期间');
  t.is(periodText('2026-09-01', null), '2026-09-01 至 今天');
});

test('guardians stay masked', (t) => {
  t.is(guardianText({ name: '王芳', relationship: 'mother', phoneMasked: '138****0001', primary: true }), '母亲 王芳 138****0001（主）');
  t.is(guardianText({ name: '', relationship: 'other_kin', phoneMasked: '139****0002', primary: false }).includes('139****0002'), true);
});
