import { RECONCILIATION_OUTCOME_LABELS, RECONCILIATION_STATUS_LABELS, type ReconciliationLine, type ReconciliationPeriod } from '@campuspay/shared';
import { attachmentHeader, reportWorkbook, type ReportColumn, type ReportRow } from '../reports/report-workbook.ts';
import { formatMilliFen } from './bill-amounts.ts';

const RESOLUTION_LABELS = { open: '待处理', auto_fixed: '已自动处理', resolved: '已处理' } as const;

const FIGURE_COLUMNS: ReportColumn[] = [
  { header: '账单笔数', kind: 'count', width: 10 },
  { header: '一致', kind: 'count', width: 8 },
  { header: '跨日一致', kind: 'count', width: 9 },
  { header: '微信有平台无', kind: 'count', width: 12 },
  { header: '平台有微信无', kind: 'count', width: 12 },
  { header: '金额不符', kind: 'count', width: 9 },
  { header: '状态不符', kind: 'count', width: 9 },
  { header: '自动处理', kind: 'count', width: 9 },
  { header: '已处理', kind: 'count', width: 8 },
  { header: '待处理', kind: 'count', width: 8 },
  { header: '微信收款（元）', kind: 'yuan', width: 15 },
  { header: '微信退款（元）', kind: 'yuan', width: 15 },
  { header: '手续费（元）', kind: 'yuan', width: 12 },
  { header: '手续费（5位小数）', kind: 'text', width: 15 },
  { header: '平台收款（元）', kind: 'yuan', width: 15 },
  { header: '平台退款（元）', kind: 'yuan', width: 15 },
  { header: '差额（元）', kind: 'yuan', width: 12 },
  { header: '应结算净额（元）', kind: 'yuan', width: 16 },
];

type Figures = Pick<ReconciliationPeriod['days'][number], 'counts' | 'amounts'>;

function figures({ counts: c, amounts: a }: Figures): ReportRow {
  return [
    c.billLines, c.matched, c.crossDay, c.wechatOnly, c.platformOnly, c.amountDiffers, c.statusDiffers, c.autoFixed, c.resolved, c.open,
    a.wechatPaymentsFen, a.wechatRefundsFen, a.wechatFeeFen, formatMilliFen(a.wechatFeeMilliFen), a.platformPaymentsFen, a.platformRefundsFen, a.differenceFen, a.netSettlementFen,
  ];
}

/** The period's reconciliation as a workbook: per day, per merchant and day, and every difference with what each side says. */
export async function reconciliationWorkbook(report: ReconciliationPeriod, scopeLabel: string, lines: (ReconciliationLine & { day: string; mchid: string })[]): Promise<{ bytes: Buffer; disposition: string }> {
  const subtitle = [`范围：${scopeLabel}`, `期间：${report.from} 至 ${report.to}（北京时间）`, `金额单位：元；生成时间 ${new Date().toISOString()}`];
  const bytes = await reportWorkbook([
    {
      sheetName: '按日汇总',
      title: '微信支付对账汇总（按日）',
      subtitle,
      columns: [{ header: '日期', kind: 'text', width: 12 }, { header: '商户数', kind: 'count', width: 8 }, { header: '状态', kind: 'text', width: 10 }, ...FIGURE_COLUMNS],
      rows: report.days.map((d) => [d.day, d.merchants, d.status ? RECONCILIATION_STATUS_LABELS[d.status] : '未对账', ...figures(d)]),
      totals: ['合计', report.items.length, `待对账 ${report.totals.pendingDays} 天，失败 ${report.totals.failedDays} 天`, ...figures(report.totals)],
    },
    {
      sheetName: '按商户',
      title: '微信支付对账（按商户、日期）',
      subtitle,
      columns: [
        { header: '日期', kind: 'text', width: 12 },
        { header: '商户号', kind: 'text', width: 13 },
        { header: '收款账户', kind: 'text', width: 18 },
        { header: '状态', kind: 'text', width: 10 },
        { header: '说明', kind: 'text', width: 30 },
        ...FIGURE_COLUMNS,
      ],
      rows: report.items.map((i) => [
        i.day,
        i.mchid,
        i.payeeNames.join('、'),
        RECONCILIATION_STATUS_LABELS[i.status],
        i.lastError ?? '',
        ...(i.counts && i.amounts ? figures({ counts: i.counts, amounts: i.amounts }) : FIGURE_COLUMNS.map(() => null)),
      ]),
    },
    {
      sheetName: '差异明细',
      title: '对账差异明细',
      subtitle,
      columns: [
        { header: '日期', kind: 'text', width: 12 },
        { header: '商户号', kind: 'text', width: 13 },
        { header: '类型', kind: 'text', width: 6 },
        { header: '差异', kind: 'text', width: 14 },
        { header: '处理状态', kind: 'text', width: 11 },
        { header: '商户订单号', kind: 'text', width: 30 },
        { header: '微信支付单号', kind: 'text', width: 30 },
        { header: '商户退款单号', kind: 'text', width: 30 },
        { header: '微信金额（元）', kind: 'yuan', width: 14 },
        { header: '平台金额（元）', kind: 'yuan', width: 14 },
        { header: '处理说明', kind: 'text', width: 40 },
      ],
      rows: lines.map((l) => [
        l.day,
        l.mchid,
        l.kind === 'payment' ? '支付' : '退款',
        RECONCILIATION_OUTCOME_LABELS[l.outcome],
        RESOLUTION_LABELS[l.resolution],
        l.outTradeNo ?? '',
        l.transactionId ?? '',
        l.outRefundNo ?? '',
        l.wechat?.amountFen ?? null,
        l.platform?.amountFen ?? null,
        l.action ?? '',
      ]),
    },
  ]);
  const name = `微信对账_${report.from}_${report.to}.xlsx`;
  return { bytes, disposition: attachmentHeader(name, `reconciliation_${report.from}_${report.to}.xlsx`) };
}
