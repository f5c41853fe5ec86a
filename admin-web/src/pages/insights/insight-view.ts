/**
 * What the bank dashboard shows: headline figures, the trend as lines, card
 * share as a pie, and the figures behind a lead's tag as text. Money stays
 * integer fen (charts plot fen, labels go through the shared yuan helpers);
 * shares are basis points. Pure and unit tested.
 */
import { addFen, displayYuan, type BalanceSummary, type CardShareRow, type InsightFigures, type InsightTrend } from '@campuspay/shared';
import type { LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { compactYuan, fixedPercentBp } from '../../billing/amounts.ts';

export type InsightChartOption = ComposeOption<LineSeriesOption | PieSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption>;

/** Money taken in the period, online and at the counter, before refunds. */
export function collectedFen(figures: Pick<InsightFigures, 'onlineFen' | 'counterFen'>): number {
  return addFen(figures.onlineFen, figures.counterFen);
}

/** 2150 → "21.50%". */
export const formatShareBp = fixedPercentBp;

export interface UpliftView {
  /** Fen, or null when the bank has not uploaded balances or set a baseline. */
  fen: number | null;
  text: string;
  note: string;
}

/**
 * Deposit uplift: the average settlement balance against the schools'
 * pre-onboarding baseline when the bank has uploaded both; otherwise the
 * estimated net settled inflow stands in, and the note says so.
 */
export function upliftView(balances: BalanceSummary, settledNetFen: number): UpliftView {
  if (balances.upliftFen !== null && balances.baselineAverageFen !== null) {
    return {
      fen: balances.upliftFen,
      text: displayYuan(balances.upliftFen),
      note: `日均余额 ${displayYuan(balances.averageBalanceFen ?? 0)}，基准 ${displayYuan(balances.baselineAverageFen)}（${balances.schoolsWithBaseline} 所学校设有基准期）`,
    };
  }
  return {
    fen: null,
    text: '暂无余额数据',
    note: `尚未导入结算账户余额或设置基准期；期间结算净流入（估算）${displayYuan(settledNetFen)}`,
  };
}

interface TooltipParam {
  marker?: string;
  seriesName?: string;
  value?: unknown;
  axisValueLabel?: string;
  name?: string;
  percent?: number;
}

function moneyTooltip(params: unknown): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
  const title = list[0]?.axisValueLabel ?? '';
  const lines = list.map((p) => `${p.marker ?? ''}${p.seriesName ?? ''}　${typeof p.value === 'number' ? displayYuan(p.value) : '—'}`);
  return [title, ...lines].filter(Boolean).join('<br/>');
}

/** Lines per period bucket: money collected, net inflow after refunds, and the settled estimate (T+1, net of fees). */
export function trendChartOption(trend: Pick<InsightTrend, 'points'>): InsightChartOption {
  const points = trend.points;
  const line = (name: string, pick: (f: InsightFigures) => number, extra: Partial<LineSeriesOption> = {}): LineSeriesOption => ({
    name,
    type: 'line',
    showSymbol: points.length <= 31,
    data: points.map((p) => pick(p.figures)),
    ...extra,
  });
  return {
    color: ['#1d5bd8', '#2f9e44', '#f08c00'],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', formatter: moneyTooltip },
    xAxis: { type: 'category', data: points.map((p) => p.label), boundaryGap: false },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => compactYuan(value) } },
    series: [
      line('收款', collectedFen, { lineStyle: { width: 3 } }),
      line('净流入', (f) => f.netInflowFen),
      line('结算净流入（估算）', (f) => f.settledNetFen, { lineStyle: { type: 'dashed' } }),
    ],
  };
}

/** The share of money by card class; classes nobody paid with are left out. */
export function cardSharePieOption(rows: readonly CardShareRow[]): InsightChartOption {
  const shown = rows.filter((row) => row.amountFen > 0);
  return {
    color: ['#c92a2a', '#e8590c', '#1d5bd8', '#7048e8', '#2f9e44', '#868e96'],
    legend: { bottom: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const p = params as TooltipParam;
        const row = shown.find((r) => r.label === p.name);
        return row ? `${row.label}<br/>${displayYuan(row.amountFen)}（${formatShareBp(row.amountShareBp)}，${row.count} 笔）` : '';
      },
    },
    series: [
      {
        name: '支付卡类',
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '45%'],
        label: { formatter: (p: { name?: string }) => `${p.name ?? ''} ${formatShareBp(shown.find((r) => r.label === p.name)?.amountShareBp ?? 0)}` },
        data: shown.map((row) => ({ name: row.label, value: row.amountFen })),
      },
    ],
  };
}

/** The share of money paid with the bank's own cards (debit and credit). */
export function ownCardShareBp(rows: readonly CardShareRow[]): number {
  return rows.filter((row) => row.cardClass === 'own_debit' || row.cardClass === 'own_credit').reduce((sum, row) => sum + row.amountShareBp, 0);
}

const FIGURE_LABELS: Readonly<Record<string, string>> = {
  netFeesFen: '近 12 个月缴费',
  thresholdFen: '门槛',
  largestBillFen: '最大单笔账单',
  amountFen: '金额',
  payments: '笔数',
  bankTypes: '付款银行卡',
  feeItems: '相关收费项目',
  keywords: '关键词',
  children: '子女数',
  threshold: '门槛',
  schools: '学校',
  from: '统计起始',
  to: '统计截止',
};

/** One figure of a tag's evidence as a person reads it: fen as yuan, lists joined. */
export function evidenceFigureText(key: string, value: number | string | boolean | readonly string[]): string {
  const label = FIGURE_LABELS[key] ?? key;
  let text: string;
  if (Array.isArray(value)) text = value.join('、');
  else if (typeof value === 'boolean') text = value ? '是' : '否';
  else if (typeof value === 'number' && key.endsWith('Fen')) text = displayYuan(value);
  else if (typeof value === 'number' && key.endsWith('Bp')) text = formatShareBp(value);
  else text = String(value);
  return `${label}：${text}`;
}
