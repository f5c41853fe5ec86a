import {
  BILL_STATUS_LABELS,
  COLLECTION_GROUP_BY_LABELS,
  RELATIONSHIP_LABELS,
  businessDay,
  daysBetween,
  defaultTakingsPeriod,
  fen,
  shanghai,
  type CollectionGroupBy,
  type CollectionReport,
  type CollectionReportQuery,
  type CollectionRow,
  type DailyTakingsReport,
  type DailyTakingsRow,
  type GuardianRelationship,
  type UnpaidBillRow,
  type UnpaidReport,
  type dailyTakingsQuerySchema,
  type unpaidReportQuerySchema,
} from '@campuspay/shared';
import type { z } from 'zod';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { roleHas } from '../auth/permissions.ts';
import { BillModel } from '../billing/billing.models.ts';
import { FeeItemModel } from '../billing/billing.models.ts';
import type { BillDoc } from '../billing/bill-view.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { StudentModel } from '../people/student.model.ts';
import { pathLabel, reportRoot, type ReportRoot } from './report-scope.ts';
import { attachmentHeader, reportWorkbook, type ReportColumn, type ReportRow } from './report-workbook.ts';

/** The fields of a bill a report reads; projections keep large scans light. */
type BillFigureDoc = Pick<
  BillDoc,
  '_id' | 'orgPath' | 'campusId' | 'feeItemId' | 'feeItemName' | 'periodLabel' | 'amountDueFen' | 'concessionFen' | 'paidFen' | 'refundedFen' | 'outstandingFen' | 'status' | 'published'
>;
type LedgerFigureDoc = { kind: 'payment' | 'refund' | 'reversal'; method: 'wechat' | 'cash' | 'pos' | 'transfer'; amountFen: number; day: string; orgPath: string[]; campusId: string; feeItemId: string; billId: string };

const BILL_FIGURES = { orgPath: 1, campusId: 1, feeItemId: 1, feeItemName: 1, periodLabel: 1, amountDueFen: 1, concessionFen: 1, paidFen: 1, refundedFen: 1, outstandingFen: 1, status: 1, published: 1 } as const;
const LEDGER_FIGURES = { kind: 1, method: 1, amountFen: 1, day: 1, orgPath: 1, campusId: 1, feeItemId: 1, billId: 1 } as const;
const BATCH = 2000;

/** A sum that refuses to leave the safe-integer range instead of silently losing fen. */
function add(a: number, b: number): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new AppError('INTERNAL', '金额合计超出安全整数范围');
  return total;
}

/** (collected − refunded) ÷ payable in basis points, rounded toward zero, in integers only. */
export function collectionRateBp(netCollectedFen: number, payableFen: number): number | null {
  if (payableFen <= 0) return null;
  return Number((BigInt(netCollectedFen) * 10000n) / BigInt(payableFen));
}

function emptyRow(key: string, label: string): CollectionRow {
  return { key, label, bills: 0, billedFen: fen(0), concessionFen: fen(0), collectedOnlineFen: fen(0), collectedOfflineFen: fen(0), refundedFen: fen(0), outstandingFen: fen(0), rateBp: null };
}

function withRate(row: CollectionRow): CollectionRow {
  const net = row.collectedOnlineFen + row.collectedOfflineFen - row.refundedFen;
  return { ...row, rateBp: collectionRateBp(net, row.billedFen - row.concessionFen) };
}

/** Position of the grouping level on a class path (… campus, division, grade, class). */
const LEVEL_FROM_END: Record<Exclude<CollectionGroupBy, 'feeItem'>, number> = { campus: 4, division: 3, grade: 2, class: 1 };

/** Sorts labels as people read them: 2班 before 10班. */
const byLabel = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true });

function periodText(from: string | null, to: string | null): string {
  if (!from && !to) return '全部';
  return `${from ?? '最早'} 至 ${to ?? '今天'}`;
}

function stamp(at: Date): string {
  return shanghai(at).format('YYYY-MM-DD HH:mm');
}

function safeName(text: string): string {
  return text.replace(/[\\/:*?"<>|\s]+/g, '_');
}

export interface ReportFile {
  filename: string;
  disposition: string;
  bytes: Buffer;
}

export function reportsService(deps: ServerDeps) {
  const bills = BillModel(deps.db);
  const ledger = LedgerEntryModel(deps.db);
  const feeItems = FeeItemModel(deps.db);
  const students = StudentModel(deps.db);
  const guardians = GuardianModel(deps.db);
  const audit = auditService(deps.db);

  async function feeItemInScope(scope: StaffScope, feeItemId: string | undefined): Promise<{ _id: string; name: string } | null> {
    if (!feeItemId) return null;
    const item = await feeItems.findById(feeItemId, { name: 1, orgPath: 1 }).lean<{ _id: string; name: string; orgPath: string[] }>();
    scope.assert(item?.orgPath, '收费项目');
    return item;
  }

  function assertMayExport(scope: StaffScope): void {
    if (!roleHas(scope.principal.role, 'reports.export')) throw new AppError('FORBIDDEN', '您没有导出报表的权限');
  }

  async function auditExport(scope: StaffScope, root: ReportRoot, report: string, query: Record<string, unknown>, rows: number): Promise<void> {
    await audit.append(scope.principal, { action: 'report.export', objectType: 'report', objectId: report, orgPath: root.path, after: { report, format: 'xlsx', ...query, rows } });
  }

  // ---- collection summary ----

  /**
   * The collection summary, from two scans (bills and ledger entries under
   * the root) aggregated in memory, which works the same on FerretDB and
   * MongoDB. Bill figures (billed, concessions, outstanding) are the bills as
   * they stand, published and not cancelled; collected and refunded money
   * comes from the ledger, by the business day of each entry when a period is
   * given. Without a period the books tie out for every row:
   *   billed − concessions = collected online + offline − refunded + outstanding.
   */
  async function collection(scope: StaffScope, query: CollectionReportQuery): Promise<CollectionReport & { root: ReportRoot }> {
    const root = await reportRoot(deps.db, scope, query.nodeId);
    await feeItemInScope(scope, query.feeItemId);
    const groupBy = query.groupBy;
    const rows = new Map<string, CollectionRow>();

    const keyOf = (path: string[], campusId: string, feeItemId: string): { key: string; index: number } => {
      if (groupBy === 'feeItem') return { key: feeItemId, index: -1 };
      if (groupBy === 'campus') return { key: campusId, index: path.indexOf(campusId) };
      const index = path.length - LEVEL_FROM_END[groupBy];
      return { key: path[index] ?? '', index };
    };
    const feeItemLabels = new Map<string, string>();
    const rowFor = (path: string[], campusId: string, feeItemId: string): CollectionRow => {
      const { key, index } = keyOf(path, campusId, feeItemId);
      let row = rows.get(key);
      if (!row) {
        const label = groupBy === 'feeItem' ? (feeItemLabels.get(key) ?? key) : index >= 0 ? pathLabel(root, path, index) : root.nameOf(key);
        row = emptyRow(key, label);
        rows.set(key, row);
      }
      return row;
    };

    const billFilter: Record<string, unknown> = { orgPath: root.nodeId };
    if (query.feeItemId) billFilter.feeItemId = query.feeItemId;
    for await (const b of bills.find(billFilter, BILL_FIGURES).lean<BillFigureDoc[]>().cursor({ batchSize: BATCH })) {
      const bill = b as unknown as BillFigureDoc;
      if (groupBy === 'feeItem' && !feeItemLabels.has(bill.feeItemId)) feeItemLabels.set(bill.feeItemId, `${bill.feeItemName}（${bill.periodLabel}）`);
      if (bill.status === 'cancelled' || bill.published === false) continue;
      const row = rowFor(bill.orgPath, bill.campusId, bill.feeItemId);
      row.bills += 1;
      row.billedFen = fen(add(row.billedFen, bill.amountDueFen));
      row.concessionFen = fen(add(row.concessionFen, bill.concessionFen));
      row.outstandingFen = fen(add(row.outstandingFen, bill.outstandingFen));
    }

    const ledgerFilter: Record<string, unknown> = { orgPath: root.nodeId };
    if (query.feeItemId) ledgerFilter.feeItemId = query.feeItemId;
    if (query.from || query.to) ledgerFilter.day = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    for await (const e of ledger.find(ledgerFilter, LEDGER_FIGURES).lean<LedgerFigureDoc[]>().cursor({ batchSize: BATCH })) {
      const entry = e as unknown as LedgerFigureDoc;
      const row = rowFor(entry.orgPath, entry.campusId, entry.feeItemId);
      if (entry.kind === 'refund') {
        row.refundedFen = fen(add(row.refundedFen, entry.amountFen));
        continue;
      }
      const signed = entry.kind === 'payment' ? entry.amountFen : -entry.amountFen;
      if (entry.method === 'wechat') row.collectedOnlineFen = fen(add(row.collectedOnlineFen, signed));
      else row.collectedOfflineFen = fen(add(row.collectedOfflineFen, signed));
    }
    if (groupBy === 'feeItem') {
      // Rows first seen through a ledger entry whose bills the filter left out.
      const missing = [...rows.values()].filter((r) => r.label === r.key).map((r) => r.key);
      if (missing.length) {
        for (const item of await feeItems.find({ _id: { $in: missing } }, { name: 1 }).lean<{ _id: string; name: string }[]>()) {
          const row = rows.get(item._id);
          if (row) row.label = item.name;
        }
      }
    }

    const list = [...rows.values()].map(withRate).sort(byLabel);
    const totals = withRate(
      list.reduce<CollectionRow>(
        (t, r) => ({
          ...t,
          bills: t.bills + r.bills,
          billedFen: fen(add(t.billedFen, r.billedFen)),
          concessionFen: fen(add(t.concessionFen, r.concessionFen)),
          collectedOnlineFen: fen(add(t.collectedOnlineFen, r.collectedOnlineFen)),
          collectedOfflineFen: fen(add(t.collectedOfflineFen, r.collectedOfflineFen)),
          refundedFen: fen(add(t.refundedFen, r.refundedFen)),
          outstandingFen: fen(add(t.outstandingFen, r.outstandingFen)),
        }),
        emptyRow('total', '合计'),
      ),
    );
    return {
      root,
      groupBy,
      scope: { nodeId: root.nodeId, label: root.label },
      feeItemId: query.feeItemId ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      generatedAt: new Date().toISOString(),
      rows: list,
      totals,
    };
  }

  async function collectionReport(scope: StaffScope, query: CollectionReportQuery): Promise<CollectionReport> {
    const { root: _root, ...report } = await collection(scope, query);
    return report;
  }

  async function collectionWorkbook(scope: StaffScope, query: CollectionReportQuery): Promise<ReportFile> {
    assertMayExport(scope);
    const report = await collection(scope, query);
    const feeItem = await feeItemInScope(scope, query.feeItemId);
    const groupLabel = COLLECTION_GROUP_BY_LABELS[report.groupBy];
    const columns: ReportColumn[] = [
      { header: groupLabel, kind: 'text', width: report.groupBy === 'class' || report.groupBy === 'feeItem' ? 34 : 22 },
      { header: '账单数', kind: 'count', width: 10 },
      { header: '应收金额（元）', kind: 'yuan', width: 16 },
      { header: '优惠减免（元）', kind: 'yuan', width: 16 },
      { header: '应缴净额（元）', kind: 'yuan', width: 16 },
      { header: '线上实收（元）', kind: 'yuan', width: 16 },
      { header: '线下实收（元）', kind: 'yuan', width: 16 },
      { header: '退款（元）', kind: 'yuan', width: 14 },
      { header: '实收净额（元）', kind: 'yuan', width: 16 },
      { header: '未缴金额（元）', kind: 'yuan', width: 16 },
      { header: '收缴率', kind: 'rate', width: 10 },
    ];
    const line = (r: CollectionRow): ReportRow => [
      r.label,
      r.bills,
      r.billedFen,
      r.concessionFen,
      r.billedFen - r.concessionFen,
      r.collectedOnlineFen,
      r.collectedOfflineFen,
      r.refundedFen,
      r.collectedOnlineFen + r.collectedOfflineFen - r.refundedFen,
      r.outstandingFen,
      r.rateBp,
    ];
    const generatedAt = new Date(report.generatedAt);
    const bytes = await reportWorkbook([
      {
        sheetName: '收费汇总',
        title: `收费汇总表（按${groupLabel}）`,
        subtitle: [
          `范围：${report.root.label}　　收费项目：${feeItem ? feeItem.name : '全部'}　　实收统计期间：${periodText(report.from, report.to)}`,
          `金额单位：元　　应收、优惠、未缴为截至 ${stamp(generatedAt)} 的账单数据；实收、退款按北京时间营业日统计　　收缴率 = 实收净额 ÷ 应缴净额`,
        ],
        columns,
        rows: report.rows.map(line),
        totals: line(report.totals),
      },
    ]);
    await auditExport(scope, report.root, 'collection', { groupBy: report.groupBy, nodeId: report.root.nodeId, feeItemId: report.feeItemId, from: report.from, to: report.to }, report.rows.length);
    const filename = `收费汇总表-${safeName(report.root.nameOf(report.root.nodeId))}-${businessDay(generatedAt)}.xlsx`;
    return { filename, disposition: attachmentHeader(filename, `collection-report-${businessDay(generatedAt)}.xlsx`), bytes };
  }

  // ---- unpaid bills with guardians ----

  async function unpaid(scope: StaffScope, query: z.output<typeof unpaidReportQuerySchema>, all: boolean): Promise<UnpaidReport & { root: ReportRoot }> {
    const root = await reportRoot(deps.db, scope, query.nodeId);
    await feeItemInScope(scope, query.feeItemId);
    const today = businessDay();
    const filter: Record<string, unknown> = { orgPath: root.nodeId, status: { $in: ['unpaid', 'partially_paid'] } };
    if (query.feeItemId) filter.feeItemId = query.feeItemId;
    const found = await bills
      .find(filter, { studentId: 1, studentNo: 1, studentName: 1, orgPath: 1, campusId: 1, feeItemId: 1, feeItemName: 1, periodLabel: 1, dueDate: 1, status: 1, amountDueFen: 1, concessionFen: 1, paidFen: 1, refundedFen: 1, outstandingFen: 1, published: 1 })
      .lean<BillDoc[]>();
    const open = found.filter((b) => b.published !== false && b.outstandingFen > 0 && (!query.overdueOnly || b.dueDate < today));
    const classLabel = (b: BillDoc) => pathLabel(root, b.orgPath, b.orgPath.length - 1);
    const sortKey = new Map(open.map((b) => [b._id, `${root.nameOf(b.campusId)}\u0000${classLabel(b)}`]));
    open.sort(
      (a, b) =>
        (sortKey.get(a._id) ?? '').localeCompare(sortKey.get(b._id) ?? '', 'zh-CN', { numeric: true }) ||
        a.studentNo.localeCompare(b.studentNo, 'zh-CN', { numeric: true }) ||
        a.feeItemName.localeCompare(b.feeItemName, 'zh-CN'),
    );
    const outstandingFen = open.reduce((n, b) => add(n, b.outstandingFen), 0);
    const page = all ? open : open.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);

    // Guardians of the students on the page: two queries, however many rows.
    const studentIds = [...new Set(page.map((b) => b.studentId))];
    const links = new Map<string, { guardianId: string; relationship: GuardianRelationship; primary?: boolean | null }[]>();
    for (let i = 0; i < studentIds.length; i += BATCH) {
      const chunk = await students.find({ _id: { $in: studentIds.slice(i, i + BATCH) } }, { guardians: 1 }).lean<{ _id: string; guardians: { guardianId: string; relationship: GuardianRelationship; primary?: boolean | null }[] }[]>();
      for (const s of chunk) links.set(s._id, s.guardians ?? []);
    }
    const guardianIds = [...new Set([...links.values()].flat().map((l) => l.guardianId))];
    const people = new Map<string, { name: string; phoneMasked: string }>();
    for (let i = 0; i < guardianIds.length; i += BATCH) {
      const chunk = await guardians.find({ _id: { $in: guardianIds.slice(i, i + BATCH) } }, { name: 1, phoneMasked: 1 }).lean<{ _id: string; name: string; phoneMasked: string }[]>();
      for (const g of chunk) people.set(g._id, { name: g.name, phoneMasked: g.phoneMasked });
    }

    const items: UnpaidBillRow[] = page.map((b) => ({
      billId: b._id,
      studentId: b.studentId,
      studentNo: b.studentNo,
      studentName: b.studentName,
      campusName: root.nameOf(b.campusId),
      className: pathLabel(root, b.orgPath, b.orgPath.length - 1),
      feeItemId: b.feeItemId,
      feeItemName: b.feeItemName,
      periodLabel: b.periodLabel,
      dueDate: b.dueDate,
      overdue: b.dueDate < today,
      status: b.status,
      amountDueFen: fen(b.amountDueFen),
      concessionFen: fen(b.concessionFen),
      netPaidFen: fen(b.paidFen - b.refundedFen),
      outstandingFen: fen(b.outstandingFen),
      guardians: [...(links.get(b.studentId) ?? [])]
        .sort((x, y) => Number(Boolean(y.primary)) - Number(Boolean(x.primary)))
        .flatMap((l) => {
          const person = people.get(l.guardianId);
          return person ? [{ name: person.name, relationship: RELATIONSHIP_LABELS[l.relationship] ?? l.relationship, phoneMasked: person.phoneMasked, primary: Boolean(l.primary) }] : [];
        }),
    }));
    return {
      root,
      scope: { nodeId: root.nodeId, label: root.label },
      items,
      total: open.length,
      page: all ? 1 : query.page,
      pageSize: all ? open.length : query.pageSize,
      totals: { bills: open.length, students: new Set(open.map((b) => b.studentId)).size, outstandingFen: fen(outstandingFen) },
      generatedAt: new Date().toISOString(),
    };
  }

  async function unpaidReport(scope: StaffScope, query: z.output<typeof unpaidReportQuerySchema>): Promise<UnpaidReport> {
    const { root: _root, ...report } = await unpaid(scope, query, false);
    return report;
  }

  async function unpaidWorkbook(scope: StaffScope, query: z.output<typeof unpaidReportQuerySchema>): Promise<ReportFile> {
    assertMayExport(scope);
    const report = await unpaid(scope, query, true);
    const feeItem = await feeItemInScope(scope, query.feeItemId);
    const guardianText = (r: UnpaidBillRow) => r.guardians.map((g) => `${g.name}（${g.relationship}）${g.phoneMasked}`).join('；');
    const columns: ReportColumn[] = [
      { header: '学号', kind: 'text', width: 12 },
      { header: '姓名', kind: 'text', width: 10 },
      { header: '校区', kind: 'text', width: 14 },
      { header: '班级', kind: 'text', width: 24 },
      { header: '收费项目', kind: 'text', width: 16 },
      { header: '期间', kind: 'text', width: 22 },
      { header: '截止日期', kind: 'text', width: 12 },
      { header: '状态', kind: 'text', width: 10 },
      { header: '应收金额（元）', kind: 'yuan', width: 15 },
      { header: '优惠减免（元）', kind: 'yuan', width: 15 },
      { header: '已缴金额（元）', kind: 'yuan', width: 15 },
      { header: '未缴金额（元）', kind: 'yuan', width: 15 },
      { header: '监护人（手机号已脱敏）', kind: 'text', width: 44 },
    ];
    const generatedAt = new Date(report.generatedAt);
    const bytes = await reportWorkbook([
      {
        sheetName: '欠费明细',
        title: query.overdueOnly ? '逾期欠费明细表' : '欠费明细表',
        subtitle: [
          `范围：${report.root.label}　　收费项目：${feeItem ? feeItem.name : '全部'}　　截至：${stamp(generatedAt)}`,
          `金额单位：元　　共 ${report.totals.students} 名学生、${report.totals.bills} 张账单；监护人手机号已脱敏`,
        ],
        columns,
        rows: report.items.map((r) => [
          r.studentNo,
          r.studentName,
          r.campusName,
          r.className,
          r.feeItemName,
          r.periodLabel,
          r.dueDate,
          r.overdue ? `${BILL_STATUS_LABELS[r.status]}（逾期）` : BILL_STATUS_LABELS[r.status],
          r.amountDueFen,
          r.concessionFen,
          r.netPaidFen,
          r.outstandingFen,
          guardianText(r),
        ]),
        totals: [
          '合计',
          `${report.totals.students} 人`,
          '',
          '',
          '',
          '',
          '',
          `${report.totals.bills} 张`,
          report.items.reduce((n, r) => add(n, r.amountDueFen), 0),
          report.items.reduce((n, r) => add(n, r.concessionFen), 0),
          report.items.reduce((n, r) => add(n, r.netPaidFen), 0),
          report.totals.outstandingFen,
          '',
        ],
      },
    ]);
    await auditExport(scope, report.root, 'unpaid', { nodeId: report.root.nodeId, feeItemId: query.feeItemId ?? null, overdueOnly: query.overdueOnly }, report.items.length);
    const filename = `欠费明细表-${safeName(report.root.nameOf(report.root.nodeId))}-${businessDay(generatedAt)}.xlsx`;
    return { filename, disposition: attachmentHeader(filename, `unpaid-bills-${businessDay(generatedAt)}.xlsx`), bytes };
  }

  // ---- daily takings ----

  /**
   * Takings per Asia/Shanghai business day from the ledger: each method's
   * payments less reversals booked that day (a reversal counts on the day it
   * was made, as on the cash report), refunds, and the net. Every day of the
   * period has a row, zero or not.
   */
  async function takings(scope: StaffScope, query: z.output<typeof dailyTakingsQuerySchema>): Promise<DailyTakingsReport & { root: ReportRoot }> {
    const root = await reportRoot(deps.db, scope, query.nodeId);
    const fallback = defaultTakingsPeriod();
    const to = query.to ?? (query.from && query.from > fallback.to ? query.from : fallback.to);
    const from = query.from ?? (to < fallback.from ? to : fallback.from);
    if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
    const days = daysBetween(from, to);
    if (days.length > 366) throw new AppError('VALIDATION_FAILED', '报表期间最长 366 天');
    const rows = new Map<string, DailyTakingsRow>(days.map((day) => [day, { day, onlineFen: fen(0), cashFen: fen(0), posFen: fen(0), transferFen: fen(0), refundFen: fen(0), netFen: fen(0), entries: 0 }]));
    const field = { wechat: 'onlineFen', cash: 'cashFen', pos: 'posFen', transfer: 'transferFen' } as const;
    const cursor = ledger.find({ orgPath: root.nodeId, day: { $gte: from, $lte: to } }, LEDGER_FIGURES).lean<LedgerFigureDoc[]>().cursor({ batchSize: BATCH });
    for await (const e of cursor) {
      const entry = e as unknown as LedgerFigureDoc;
      const row = rows.get(entry.day);
      if (!row) continue;
      row.entries += 1;
      if (entry.kind === 'refund') {
        row.refundFen = fen(add(row.refundFen, entry.amountFen));
        row.netFen = fen(add(row.netFen, -entry.amountFen));
        continue;
      }
      const signed = entry.kind === 'payment' ? entry.amountFen : -entry.amountFen;
      row[field[entry.method]] = fen(add(row[field[entry.method]], signed));
      row.netFen = fen(add(row.netFen, signed));
    }
    const list = [...rows.values()];
    const totals = list.reduce<DailyTakingsRow>(
      (t, r) => ({
        day: 'total',
        onlineFen: fen(add(t.onlineFen, r.onlineFen)),
        cashFen: fen(add(t.cashFen, r.cashFen)),
        posFen: fen(add(t.posFen, r.posFen)),
        transferFen: fen(add(t.transferFen, r.transferFen)),
        refundFen: fen(add(t.refundFen, r.refundFen)),
        netFen: fen(add(t.netFen, r.netFen)),
        entries: t.entries + r.entries,
      }),
      { day: 'total', onlineFen: fen(0), cashFen: fen(0), posFen: fen(0), transferFen: fen(0), refundFen: fen(0), netFen: fen(0), entries: 0 },
    );
    return { root, scope: { nodeId: root.nodeId, label: root.label }, from, to, generatedAt: new Date().toISOString(), rows: list, totals };
  }

  async function dailyTakings(scope: StaffScope, query: z.output<typeof dailyTakingsQuerySchema>): Promise<DailyTakingsReport> {
    const { root: _root, ...report } = await takings(scope, query);
    return report;
  }

  async function dailyTakingsWorkbook(scope: StaffScope, query: z.output<typeof dailyTakingsQuerySchema>): Promise<ReportFile> {
    assertMayExport(scope);
    const report = await takings(scope, query);
    const columns: ReportColumn[] = [
      { header: '日期', kind: 'text', width: 12 },
      { header: '微信支付（元）', kind: 'yuan', width: 16 },
      { header: '现金（元）', kind: 'yuan', width: 14 },
      { header: 'POS 刷卡（元）', kind: 'yuan', width: 15 },
      { header: '银行转账（元）', kind: 'yuan', width: 15 },
      { header: '退款（元）', kind: 'yuan', width: 14 },
      { header: '净收入（元）', kind: 'yuan', width: 16 },
      { header: '笔数', kind: 'count', width: 8 },
    ];
    const line = (r: DailyTakingsRow, label = r.day): ReportRow => [label, r.onlineFen, r.cashFen, r.posFen, r.transferFen, r.refundFen, r.netFen, r.entries];
    const generatedAt = new Date(report.generatedAt);
    const bytes = await reportWorkbook([
      {
        sheetName: '每日收款',
        title: '每日收款汇总表',
        subtitle: [
          `范围：${report.root.label}　　期间：${report.from} 至 ${report.to}（北京时间营业日）`,
          `金额单位：元　　各收款方式为当日收款减当日冲正；净收入 = 各方式合计 − 退款　　生成时间：${stamp(generatedAt)}`,
        ],
        columns,
        rows: report.rows.map((r) => line(r)),
        totals: line(report.totals, '合计'),
      },
    ]);
    await auditExport(scope, report.root, 'daily-takings', { nodeId: report.root.nodeId, from: report.from, to: report.to }, report.rows.length);
    const filename = `每日收款汇总表-${safeName(report.root.nameOf(report.root.nodeId))}-${report.from}至${report.to}.xlsx`;
    return { filename, disposition: attachmentHeader(filename, `daily-takings-${report.from}-${report.to}.xlsx`), bytes };
  }

  return { collectionReport, collectionWorkbook, unpaidReport, unpaidWorkbook, dailyTakings, dailyTakingsWorkbook };
}

export type ReportsService = ReturnType<typeof reportsService>;
