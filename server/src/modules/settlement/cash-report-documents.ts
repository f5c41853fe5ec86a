import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { displayYuan, PAYMENT_METHOD_LABELS, shanghai, type CashReport } from '@campuspay/shared';
import { attachmentHeader, reportWorkbook, type ReportColumn } from '../reports/report-workbook.ts';

const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const KIND_LABELS = { payment: '收款', reversal: '冲正', refund: '退款' } as const;

type Totals = CashReport['totals']['net'];

function totalsLine(label: string, t: Totals): string {
  return `${label}：现金 ${displayYuan(t.cashFen)}　POS ${displayYuan(t.posFen)}　转账 ${displayYuan(t.transferFen)}　合计 ${displayYuan(t.totalFen)}`;
}

/** The cash report as a printable A4 PDF: one section per cashier with signature lines for the handover. */
export async function cashReportPdf(report: CashReport): Promise<{ bytes: Buffer; disposition: string }> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `柜台收款交接单 ${report.day}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (existsSync(CJK_FONT)) doc.font(CJK_FONT, 'NotoSansCJKsc-Regular');
  const width = doc.page.width - 80;
  doc.fontSize(16).text('柜台收款交接单', { align: 'center', width });
  doc.moveDown(0.3).fontSize(9).fillColor('#555').text(`${report.scope.label}　营业日 ${report.day}（北京时间）　生成于 ${shanghai(report.generatedAt).format('YYYY-MM-DD HH:mm:ss')}`, { align: 'center', width });
  doc.fillColor('#000');
  const columns = [
    { title: '时间', width: 50 },
    { title: '类型', width: 34 },
    { title: '方式', width: 50 },
    { title: '收据号', width: 110 },
    { title: '学生', width: 60 },
    { title: '收费项目', width: 110 },
    { title: '金额', width: 80, right: true },
  ];
  const row = (values: string[], bold = false) => {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const y = doc.y;
    let x = 40;
    doc.fontSize(bold ? 9 : 8.5);
    values.forEach((v, i) => {
      const c = columns[i]!;
      doc.text(v, x, y, { width: c.width - 4, align: c.right ? 'right' : 'left', lineBreak: false, ellipsis: true });
      x += c.width;
    });
    doc.x = 40;
    doc.y = y + 14;
  };
  if (report.cashiers.length === 0) doc.moveDown(1).fontSize(11).text('当日无柜台收款、冲正或退款。');
  for (const cashier of report.cashiers) {
    doc.moveDown(1).fontSize(12).text(`收款人：${cashier.cashierName}`, 40);
    doc.moveDown(0.3);
    row(columns.map((c) => c.title), true);
    for (const l of cashier.lines) {
      row([
        shanghai(l.at).format('HH:mm'),
        KIND_LABELS[l.kind] + (l.reversed ? '（已冲正）' : ''),
        PAYMENT_METHOD_LABELS[l.method],
        l.receiptNo ?? '',
        l.studentName,
        l.feeItemName,
        displayYuan(l.amountFen),
      ]);
    }
    doc.moveDown(0.3).fontSize(9);
    doc.text(totalsLine('收款', cashier.payments), 40);
    doc.text(totalsLine('冲正', cashier.reversals), 40);
    doc.text(totalsLine('退款', cashier.refunds), 40);
    doc.fontSize(10).text(totalsLine('应交', cashier.net), 40);
    doc.moveDown(0.8).fontSize(10).text('交款人签字：________________　　接收人签字：________________　　日期：____________', 40);
  }
  doc.moveDown(1.2).fontSize(11).text('全部收款人合计', 40);
  doc.fontSize(9).text(totalsLine('收款', report.totals.payments), 40);
  doc.text(totalsLine('冲正', report.totals.reversals), 40);
  doc.text(totalsLine('退款', report.totals.refunds), 40);
  doc.fontSize(10).text(totalsLine('应交', report.totals.net), 40);
  doc.end();
  const bytes = await done;
  return { bytes, disposition: `inline; filename="cash-report-${report.day}.pdf"` };
}

const TOTAL_COLUMNS: ReportColumn[] = [
  { header: '现金（元）', kind: 'yuan', width: 14 },
  { header: 'POS（元）', kind: 'yuan', width: 14 },
  { header: '转账（元）', kind: 'yuan', width: 14 },
  { header: '合计（元）', kind: 'yuan', width: 14 },
];
const figures = (t: Totals) => [t.cashFen, t.posFen, t.transferFen, t.totalFen];

export async function cashReportWorkbook(report: CashReport): Promise<{ bytes: Buffer; disposition: string }> {
  const subtitle = [`范围：${report.scope.label}`, `营业日：${report.day}（北京时间）`, '金额单位：元；冲正、退款为负数'];
  const bytes = await reportWorkbook([
    {
      sheetName: '按收款人汇总',
      title: `柜台收款交接汇总 ${report.day}`,
      subtitle,
      columns: [{ header: '收款人', kind: 'text', width: 14 }, { header: '项目', kind: 'text', width: 8 }, ...TOTAL_COLUMNS],
      rows: report.cashiers.flatMap((c) => [
        [c.cashierName, '收款', ...figures(c.payments)],
        [c.cashierName, '冲正', ...figures(c.reversals)],
        [c.cashierName, '退款', ...figures(c.refunds)],
        [c.cashierName, '应交', ...figures(c.net)],
      ]),
      totals: ['合计', '应交', ...figures(report.totals.net)],
    },
    {
      sheetName: '明细',
      title: `柜台收款明细 ${report.day}`,
      subtitle,
      columns: [
        { header: '收款人', kind: 'text', width: 14 },
        { header: '时间', kind: 'text', width: 10 },
        { header: '类型', kind: 'text', width: 12 },
        { header: '方式', kind: 'text', width: 10 },
        { header: '收据号', kind: 'text', width: 22 },
        { header: '学生', kind: 'text', width: 10 },
        { header: '收费项目', kind: 'text', width: 18 },
        { header: '凭证号', kind: 'text', width: 16 },
        { header: '金额（元）', kind: 'yuan', width: 14 },
      ],
      rows: report.cashiers.flatMap((c) =>
        c.lines.map((l) => [
          c.cashierName,
          shanghai(l.at).format('HH:mm:ss'),
          KIND_LABELS[l.kind] + (l.reversed ? '（已冲正）' : ''),
          PAYMENT_METHOD_LABELS[l.method],
          l.receiptNo ?? '',
          l.studentName,
          l.feeItemName,
          l.reference ?? '',
          l.amountFen,
        ]),
      ),
      totals: ['合计', '', '', '', '', '', '', '', report.totals.net.totalFen],
    },
  ]);
  return { bytes, disposition: attachmentHeader(`柜台收款交接单_${report.day}.xlsx`, `cash-report-${report.day}.xlsx`) };
}
