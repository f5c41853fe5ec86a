import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  CAMPAIGN_PRODUCT_LABELS,
  INSIGHT_GRANULARITY_LABELS,
  LEAD_STATUS_LABELS,
  shanghai,
  type CampaignProduct,
  type InsightExportQuery,
  type InsightFigures,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import { roleHas } from '../auth/permissions.ts';
import type { StaffScope } from '../auth/principal.ts';
import { leadsService } from '../leads/leads.service.ts';
import { attachmentHeader, yuanCell } from '../reports/report-workbook.ts';
import { balancesService } from './balances.service.ts';
import { dashboardService } from './dashboard.service.ts';
import { periodOf, resolveRoot } from './insight-root.ts';

type Kind = 'text' | 'count' | 'yuan' | 'rate';
interface Column {
  header: string;
  kind: Kind;
  width: number;
}
type Cell = string | number | null;
interface Sheet {
  name: string;
  title: string;
  lines: string[];
  columns: Column[];
  rows: Cell[][];
}

export interface InsightFile {
  filename: string;
  disposition: string;
  bytes: Buffer;
  exportId: string;
}

const FORMAT: Record<Kind, string | undefined> = { text: undefined, count: '#,##0', yuan: '#,##0.00', rate: '0.00%' };

function cellOf(kind: Kind, v: Cell): ExcelJS.CellValue {
  if (v === null) return kind === 'text' ? '' : '—';
  if (kind === 'yuan' && typeof v === 'number') return yuanCell(v);
  if (kind === 'rate' && typeof v === 'number') return v / 10000;
  return v;
}

/**
 * A workbook carrying its exporter: every sheet starts with a visible line
 * naming who exported it, when, and the export id (the audit entry's object),
 * and repeats it in the printed header and footer; the file properties
 * carry it too. Amounts are numeric yuan cells built from integer fen.
 */
export async function watermarkedWorkbook(sheets: Sheet[], watermark: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = watermark;
  wb.lastModifiedBy = watermark;
  wb.subject = watermark;
  wb.description = watermark;
  wb.created = new Date();
  for (const spec of sheets) {
    const sheet = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: spec.lines.length + 3 }] });
    sheet.headerFooter.oddHeader = `&L${watermark.replace(/&/g, '&&')}`;
    sheet.headerFooter.oddFooter = `&L${watermark.replace(/&/g, '&&')}&R&P / &N`;
    const width = Math.max(spec.columns.length, 1);
    sheet.columns = spec.columns.map((c) => ({ width: c.width }));
    const mark = sheet.addRow([watermark]);
    sheet.mergeCells(mark.number, 1, mark.number, width);
    mark.font = { size: 9, italic: true, color: { argb: 'FFB00020' } };
    const title = sheet.addRow([spec.title]);
    sheet.mergeCells(title.number, 1, title.number, width);
    title.font = { bold: true, size: 14 };
    for (const line of spec.lines) {
      const row = sheet.addRow([line]);
      sheet.mergeCells(row.number, 1, row.number, width);
      row.font = { size: 10, color: { argb: 'FF555555' } };
    }
    const header = sheet.addRow(spec.columns.map((c) => c.header));
    header.font = { bold: true };
    for (const values of spec.rows) {
      const row = sheet.addRow(spec.columns.map((c, i) => cellOf(c.kind, values[i] ?? null)));
      spec.columns.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        const fmt = FORMAT[c.kind];
        if (fmt && typeof cell.value === 'number') cell.numFmt = fmt;
      });
    }
    const end = sheet.addRow([watermark]);
    sheet.mergeCells(end.number, 1, end.number, width);
    end.font = { size: 9, italic: true, color: { argb: 'FFB00020' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FIGURE_COLUMNS: Column[] = [
  { header: '线上收款（元）', kind: 'yuan', width: 16 },
  { header: '线上笔数', kind: 'count', width: 10 },
  { header: '柜台收款（元）', kind: 'yuan', width: 16 },
  { header: '柜台笔数', kind: 'count', width: 10 },
  { header: '冲正（元）', kind: 'yuan', width: 12 },
  { header: '退款（元）', kind: 'yuan', width: 12 },
  { header: '净流入（元）', kind: 'yuan', width: 16 },
  { header: '结算净流入（元，估算）', kind: 'yuan', width: 20 },
  { header: '新增缴费家长', kind: 'count', width: 12 },
];

const figureCells = (f: InsightFigures): Cell[] => [f.onlineFen, f.onlineCount, f.counterFen, f.counterCount, f.reversalFen, f.refundFen, f.netInflowFen, f.settledNetFen, f.newPayingParents];

const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40);

/** Builds an insights export, audits it, and returns the watermarked file. Leads also need `leads.read` and contain masked contacts only. */
export function insightsExportService(deps: ServerDeps) {
  const dashboard = dashboardService(deps);
  const balances = balancesService(deps);
  const leads = leadsService(deps);
  const audit = auditService(deps.db);

  async function build(scope: StaffScope, query: InsightExportQuery): Promise<InsightFile> {
    if (query.report === 'leads' && !roleHas(scope.principal.role, 'leads.read')) throw new AppError('FORBIDDEN', '当前角色无权导出线索');
    const root = await resolveRoot(deps.db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const q = { ...query, nodeId: root._id, from, to };
    const scopeLine = `范围：${root.label}　　期间：${from} 至 ${to}（北京时间）　　金额单位：元`;
    let sheets: Sheet[];
    let title: string;
    let rowsCount = 0;
    switch (query.report) {
      case 'overview': {
        const o = await dashboard.overview(scope, q);
        title = '存款拉动概览';
        sheets = [
          {
            name: '概览',
            title,
            lines: [scopeLine, `学校 ${o.reach.schoolsOnboarded} 所（已上线 ${o.reach.schoolsLive}）　学生 ${o.reach.students}　触达家长 ${o.reach.parentsReached}　已缴费家长 ${o.reach.parentsPaid}`],
            columns: [{ header: '范围', kind: 'text', width: 28 }, ...FIGURE_COLUMNS],
            rows: [[o.node.name, ...figureCells(o.figures)], ...o.children.map((c) => [c.node.name, ...figureCells(c.figures)])],
          },
          {
            name: '卡类占比',
            title: '付款卡类占比',
            lines: [scopeLine, `本行代码：${o.ownBankCodes.join('、') || '未设置'}`],
            columns: [
              { header: '卡类', kind: 'text', width: 18 },
              { header: '笔数', kind: 'count', width: 10 },
              { header: '金额（元）', kind: 'yuan', width: 16 },
              { header: '笔数占比', kind: 'rate', width: 10 },
              { header: '金额占比', kind: 'rate', width: 10 },
            ],
            rows: o.cardShare.map((r) => [r.label, r.count, r.amountFen, r.countShareBp, r.amountShareBp]),
          },
          {
            name: '开卡转化',
            title: '活动开卡/开户',
            lines: [scopeLine],
            columns: [
              { header: '产品', kind: 'text', width: 16 },
              { header: '数量', kind: 'count', width: 10 },
            ],
            rows: o.campaigns.opened.map((p) => [CAMPAIGN_PRODUCT_LABELS[p.product as CampaignProduct] ?? p.product, p.count]),
          },
        ];
        rowsCount = 1 + o.children.length;
        break;
      }
      case 'trend': {
        const t = await dashboard.trend(scope, q);
        title = `收款与结算趋势（${INSIGHT_GRANULARITY_LABELS[t.granularity]}）`;
        sheets = [{ name: '趋势', title, lines: [scopeLine], columns: [{ header: '期间', kind: 'text', width: 24 }, ...FIGURE_COLUMNS], rows: t.points.map((p) => [p.label, ...figureCells(p.figures)]) }];
        rowsCount = t.points.length;
        break;
      }
      case 'card-share': {
        const c = await dashboard.cardShare(scope, q);
        title = '付款银行与卡类';
        sheets = [
          {
            name: '银行卡类型',
            title,
            lines: [scopeLine, `本行代码：${c.ownBankCodes.join('、') || '未设置'}`],
            columns: [
              { header: '微信 bank_type', kind: 'text', width: 20 },
              { header: '卡类', kind: 'text', width: 16 },
              { header: '笔数', kind: 'count', width: 10 },
              { header: '金额（元）', kind: 'yuan', width: 16 },
            ],
            rows: c.byBankType.map((r) => [r.bankType, c.rows.find((x) => x.cardClass === r.cardClass)?.label ?? r.cardClass, r.count, r.amountFen]),
          },
        ];
        rowsCount = c.byBankType.length;
        break;
      }
      case 'schools': {
        const s = await dashboard.schools(scope, { ...q, sort: 'net', limit: 500 });
        title = '学校排名（按净流入）';
        sheets = [
          {
            name: '学校排名',
            title,
            lines: [scopeLine],
            columns: [{ header: '名次', kind: 'count', width: 6 }, { header: '学校', kind: 'text', width: 20 }, { header: '校区', kind: 'text', width: 20 }, ...FIGURE_COLUMNS],
            rows: s.items.map((i) => [i.rank, i.groupName, i.campus.name, ...figureCells(i.figures)]),
          },
        ];
        rowsCount = s.items.length;
        break;
      }
      case 'balances': {
        const b = await balances.report(scope, q);
        title = '结算账户日均余额与基准';
        sheets = [
          {
            name: '日均余额',
            title,
            lines: [scopeLine],
            columns: [
              { header: '学校', kind: 'text', width: 24 },
              { header: '账户数', kind: 'count', width: 8 },
              { header: '期间日均余额（元）', kind: 'yuan', width: 18 },
              { header: '基准期', kind: 'text', width: 24 },
              { header: '基准日均余额（元）', kind: 'yuan', width: 18 },
              { header: '拉动（元）', kind: 'yuan', width: 16 },
            ],
            rows: b.schools.map((r) => [r.node.name, r.accounts, r.averageBalanceFen, r.baseline ? `${r.baseline.from} 至 ${r.baseline.to}` : '未设置', r.baseline?.averageBalanceFen ?? null, r.upliftFen]),
          },
        ];
        rowsCount = b.schools.length;
        break;
      }
      case 'leads': {
        const list = await leads.consentedLeads(root);
        title = '已授权家长线索';
        sheets = [
          {
            name: '线索',
            title,
            lines: [`范围：${root.label}　　仅含已授权联系的家长；联系方式已脱敏`],
            columns: [
              { header: '线索编号', kind: 'text', width: 30 },
              { header: '联系人', kind: 'text', width: 10 },
              { header: '手机号（脱敏）', kind: 'text', width: 16 },
              { header: '标签与依据', kind: 'text', width: 60 },
              { header: '学校与学部', kind: 'text', width: 36 },
              { header: '状态', kind: 'text', width: 10 },
              { header: '授权时间', kind: 'text', width: 22 },
            ],
            rows: list.map((l) => [
              l.id,
              l.contact.nameMasked,
              l.contact.phoneMasked,
              l.tags.map((t) => `${t.label}：${t.evidence.map((e) => e.summary).join('；')}`).join('\n'),
              l.schools.map((s) => `${s.groupName} ${s.campusName} ${s.divisionName}`).join('\n'),
              LEAD_STATUS_LABELS[l.status],
              shanghai(l.consentedAt).format('YYYY-MM-DD HH:mm'),
            ]),
          },
        ];
        rowsCount = list.length;
        break;
      }
    }
    const exportId = randomUUID();
    const at = shanghai(new Date()).format('YYYY-MM-DD HH:mm:ss');
    const watermark = `导出人：${scope.principal.displayName}（${scope.principal.username}）　导出时间：${at}（北京时间）　导出编号：${exportId}　仅限本行内部使用，请勿外传`;
    const bytes = await watermarkedWorkbook(sheets, watermark);
    await audit.append(scope.principal, {
      action: 'insights.export',
      objectType: 'insights_export',
      objectId: exportId,
      orgPath: root.path,
      after: { report: query.report, format: 'xlsx', nodeId: root._id, from, to, rows: rowsCount, watermark },
    });
    const filename = `${title}-${safe(root.name)}-${from}至${to}.xlsx`;
    return { filename, disposition: attachmentHeader(filename, `insights-${query.report}-${from}-${to}.xlsx`), bytes, exportId };
  }

  return { build };
}
