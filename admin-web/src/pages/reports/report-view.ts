/**
 * What the report page shows: rates, the rows of the collection summary as
 * a chart (collected vs outstanding), daily takings as lines, period presets
 * and guardian text. Money stays in fen: the charts plot fen and format
 * labels with the shared yuan helpers. Pure and unit tested.
 */
import {
  RELATIONSHIP_LABELS,
  addDays,
  displayYuan,
  type CollectionRow,
  type DailyTakingsRow,
  type GuardianRelationship,
  type UnpaidBillRow,
} from '@campuspay/shared';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { compactYuan, fixedPercentBp } from '../../billing/amounts.ts';

export type ReportChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** 9523 → "95.23%"; null (nothing payable) → "—". */
export function formatRateBp(bp: number | null): string {
  return bp === null ? '—' : fixedPercentBp(bp);
}

/** Collected online + offline, less refunds (实收净额). */
export function netCollectedFen(row: Pick<CollectionRow, 'collectedOnlineFen' | 'collectedOfflineFen' | 'refundedFen'>): number {
  return row.collectedOnlineFen + row.collectedOfflineFen - row.refundedFen;
}

/** Payable after concessions (应收净额). */
export function payableFen(row: Pick<CollectionRow, 'billedFen' | 'concessionFen'>): number {
  return row.billedFen - row.concessionFen;
}

interface TooltipParam {
  marker?: string;
  seriesName?: string;
  value?: unknown;
  axisValueLabel?: string;
  name?: string;
}

function moneyTooltip(params: unknown): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const title = list[0]?.axisValueLabel ?? list[0]?.name ?? '';
  const lines = list.map((p) => `${p.marker ?? ''}${p.seriesName ?? ''}　${typeof p.value === 'number' ? displayYuan(p.value) : '—'}`);
  return [title, ...lines].join('<br/>');
}

/** Bars per row: 实收（净额）and 未缴, stacked to the payable amount. */
export function collectionChartOption(rows: readonly CollectionRow[]): ReportChartOption {
  const labels = rows.map((row) => row.label);
  return {
    color: ['#2f9e44', '#f08c00'],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, data: ['实收（净额）', '未缴'] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: moneyTooltip },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 8 ? 30 : 0, width: 120, overflow: 'truncate' } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => compactYuan(value) } },
    series: [
      { name: '实收（净额）', type: 'bar', stack: 'payable', barMaxWidth: 48, data: rows.map(netCollectedFen) },
      { name: '未缴', type: 'bar', stack: 'payable', barMaxWidth: 48, data: rows.map((row) => Math.max(0, row.outstandingFen)) },
    ],
  };
}

/** Lines per day: 净额 and each method, refunds as their own line. */
export function takingsChartOption(rows: readonly DailyTakingsRow[]): ReportChartOption {
  const days = rows.map((row) => row.day.slice(5));
  const line = (name: string, pick: (row: DailyTakingsRow) => number, extra: Partial<LineSeriesOption> = {}): LineSeriesOption => ({
    name,
    type: 'line',
    smooth: false,
    showSymbol: rows.length <= 31,
    data: rows.map(pick),
    ...extra,
  });
  return {
    color: ['#1d5bd8', '#2f9e44', '#f08c00', '#7048e8', '#0c8599', '#e03131'],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', formatter: moneyTooltip },
    xAxis: { type: 'category', data: days, boundaryGap: false },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => compactYuan(value) } },
    series: [
      line('净额', (r) => r.netFen, { lineStyle: { width: 3 } }),
      line('微信支付', (r) => r.onlineFen),
      line('现金', (r) => r.cashFen),
      line('POS', (r) => r.posFen),
      line('转账', (r) => r.transferFen),
      line('退款', (r) => r.refundFen, { lineStyle: { type: 'dashed' } }),
    ],
  };
}

export interface PeriodPreset {
  key: string;
  label: string;
  from: string;
  to: string;
}

/** Quick periods, in business days (Asia/Shanghai), relative to `today`. */
export function periodPresets(today: string): PeriodPreset[] {
  const month = today.slice(0, 7);
  const year = Number(today.slice(0, 4));
  const termStart = Number(today.slice(5, 7)) >= 8 ? `${year}-08-01` : Number(today.slice(5, 7)) >= 2 ? `${year}-02-01` : `${year - 1}-08-01`;
  return [
    { key: 'today', label: '今天', from: today, to: today },
    { key: '7d', label: '近 7 天', from: addDays(today, -6), to: today },
    { key: '30d', label: '近 30 天', from: addDays(today, -29), to: today },
    { key: 'month', label: '本月', from: `${month}-01`, to: today },
    { key: 'term', label: '本学期', from: termStart, to: today },
  ];
}

/** 母亲 王芳 138****0001（主要联系人） */
export function guardianText(guardian: UnpaidBillRow['guardians'][number]): string {
  const relationship = (RELATIONSHIP_LABELS as Record<string, string>)[guardian.relationship as GuardianRelationship] ?? guardian.relationship;
  return `${relationship} ${guardian.name} ${guardian.phoneMasked}${guardian.primary ? '（主）' : ''}`.replace(/\s+/g, ' ').trim();
}

/** The period as the report header says it. */
export function periodText(from: string | null | undefined, to: string | null | undefined): string {
  if (!from && !to) return '全部期间';
  return `${from ?? '最早'} 至 ${to ?? '今天'}`;
}
