import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import {
  BILL_IMPORT_COLUMNS,
  BILL_IMPORT_SHEET,
  MAX_BILL_IMPORT_ROWS,
  MoneyError,
  displayYuan,
  parseYuan,
  periodLabel,
  type BillImportError,
  type BillImportResult,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/multipart.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { StudentModel } from '../people/student.model.ts';
import { BillModel, FeeItemModel } from './billing.models.ts';
import { settle } from './bill-figures.ts';
import { BillImportModel } from './bill-import.model.ts';
import { headerKey, readBillSheet, type BillSheet } from './bill-import-sheet.ts';
import type { BillDoc } from './bill-view.ts';
import { billIdFor } from './bills.service.ts';
import type { FeeItemDoc } from './fee-items.service.ts';

type StudentLite = { _id: string; studentNo: string; name: string; orgPath: string[]; campusId: string; groupId: string; status: string };

/** The 422 answer lists this many problems at most; the count of all of them is in `errorCount`. */
const ERRORS_IN_RESPONSE = 2000;
const CHUNK = 5000;

type Column = keyof typeof BILL_IMPORT_COLUMNS;

interface PlannedRow {
  row: number;
  doc: BillDoc;
}

export interface BillImportPlan {
  rows: number;
  planned: PlannedRow[];
  unchanged: number;
  errors: BillImportError[];
}

function findColumns(headers: string[]): { index: Partial<Record<Column, number>>; errors: BillImportError[] } {
  const index: Partial<Record<Column, number>> = {};
  const wanted = Object.entries(BILL_IMPORT_COLUMNS) as [Column, string][];
  headers.forEach((text, i) => {
    const key = headerKey(text);
    for (const [column, header] of wanted) {
      // 金额（元） may also be headed 金额 or 金额(元).
      if (key === headerKey(header) || (column === 'amount' && key === '金额')) index[column] ??= i;
    }
  });
  const errors: BillImportError[] = [];
  if (index.studentNo === undefined) errors.push({ row: 1, column: BILL_IMPORT_COLUMNS.studentNo, message: `缺少「${BILL_IMPORT_COLUMNS.studentNo}」列` });
  if (index.feeItemName === undefined && index.feeItemId === undefined) {
    errors.push({ row: 1, column: BILL_IMPORT_COLUMNS.feeItemName, message: `缺少「${BILL_IMPORT_COLUMNS.feeItemName}」或「${BILL_IMPORT_COLUMNS.feeItemId}」列` });
  }
  if (index.amount === undefined) errors.push({ row: 1, column: BILL_IMPORT_COLUMNS.amount, message: `缺少「${BILL_IMPORT_COLUMNS.amount}」列` });
  return { index, errors };
}

/** True when a bulk insert failed only because some ids exist already. */
export function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((w) => w.code === 11000 || w.code === 11001);
  return isDuplicateKeyError(error);
}

function invalid(errors: BillImportError[], headerOnly: boolean): AppError {
  const badRows = new Set(errors.map((e) => e.row)).size;
  const message = headerOnly ? `表头有误（${errors.map((e) => e.column).join('、')}），未导入任何账单` : `有 ${badRows} 行数据有误，未导入任何账单`;
  return new AppError('IMPORT_INVALID', message, {
    details: { errors: errors.slice(0, ERRORS_IN_RESPONSE), badRows, errorCount: errors.length, truncated: errors.length > ERRORS_IN_RESPONSE },
  });
}

/**
 * Issuing bills from a spreadsheet (学号, 收费项目 or 收费项目ID, 金额（元）).
 * Every row is checked before anything is written: one bad row and the whole
 * file is refused with every problem listed. Bills get the same
 * deterministic ids as targeted issuance, so re-importing a file issues
 * nothing new; a row whose bill already exists with the same amount counts
 * as unchanged, with another amount it is an error (adjust that bill
 * instead). Imported bills are published at once and carry no automatic
 * concessions: the amount in the file is the amount due.
 */
export function billImportService(deps: ServerDeps) {
  const students = StudentModel(deps.db);
  const feeItems = FeeItemModel(deps.db);
  const bills = BillModel(deps.db);
  const imports = BillImportModel(deps.db);
  const audit = auditService(deps.db);

  async function plan(scope: StaffScope, sheet: BillSheet, importId: string): Promise<BillImportPlan> {
    const { index, errors } = findColumns(sheet.headers);
    if (errors.length) throw invalid(errors, true);
    if (sheet.rows.length === 0) throw new AppError('VALIDATION_FAILED', '文件中没有账单数据（表头在第 1 行，数据从第 2 行开始）');
    const cell = (cells: string[], column: Column) => (index[column] === undefined ? '' : (cells[index[column]!] ?? '').trim());

    // Everything the rows refer to, in three queries however long the file is.
    const numbers = [...new Set(sheet.rows.map((r) => cell(r.cells, 'studentNo')).filter(Boolean))];
    const byNo = new Map<string, StudentLite[]>();
    for (let i = 0; i < numbers.length; i += CHUNK) {
      const found = await students
        .find({ orgPath: scope.nodeId, studentNo: { $in: numbers.slice(i, i + CHUNK) } }, { studentNo: 1, name: 1, orgPath: 1, campusId: 1, groupId: 1, status: 1 })
        .lean<StudentLite[]>();
      for (const s of found) byNo.set(s.studentNo, [...(byNo.get(s.studentNo) ?? []), s]);
    }
    const items = await feeItems.find({ orgPath: scope.nodeId }).lean<FeeItemDoc[]>();
    const itemById = new Map(items.map((f) => [f._id, f]));
    const itemsByName = new Map<string, FeeItemDoc[]>();
    for (const f of items) itemsByName.set(f.name.trim(), [...(itemsByName.get(f.name.trim()) ?? []), f]);

    type Candidate = { row: number; student: StudentLite; item: FeeItemDoc; amountFen: number; billId: string };
    const candidates: Candidate[] = [];
    const firstRow = new Map<string, number>();
    const col = (c: Column) => BILL_IMPORT_COLUMNS[c];
    for (const { row, cells } of sheet.rows) {
      const problems: BillImportError[] = [];
      const no = cell(cells, 'studentNo');
      let student: StudentLite | undefined;
      if (!no) problems.push({ row, column: col('studentNo'), message: '请填写学号' });
      else {
        const found = byNo.get(no) ?? [];
        if (found.length === 0) problems.push({ row, column: col('studentNo'), message: `学号 ${no} 不存在或不在您的管理范围内` });
        else if (found.length > 1) problems.push({ row, column: col('studentNo'), message: `学号 ${no} 在多个校区都有，请由校区账号分别导入` });
        else if (found[0]!.status !== 'enrolled') problems.push({ row, column: col('studentNo'), message: `学号 ${no} 的学生已不在读` });
        else student = found[0];
      }

      let item: FeeItemDoc | undefined;
      const itemId = cell(cells, 'feeItemId');
      const itemName = cell(cells, 'feeItemName');
      if (itemId) {
        item = itemById.get(itemId);
        if (!item) problems.push({ row, column: col('feeItemId'), message: `收费项目ID ${itemId} 不存在或不在您的管理范围内` });
        else if (itemName && itemName !== item.name.trim()) {
          problems.push({ row, column: col('feeItemName'), message: `收费项目名称「${itemName}」与收费项目ID ${itemId}（${item.name}）不符` });
          item = undefined;
        }
      } else if (!itemName) {
        problems.push({ row, column: index.feeItemName !== undefined ? col('feeItemName') : col('feeItemId'), message: '请填写收费项目' });
      } else {
        const named = (itemsByName.get(itemName) ?? []).filter((f) => !f.archived);
        // Same-named items of different campuses or periods: the one that applies to this student, if only one does.
        const applicable = student ? named.filter((f) => student!.orgPath.includes(f.nodeId)) : named;
        const choices = applicable.length > 0 ? applicable : named;
        if (choices.length === 0) problems.push({ row, column: col('feeItemName'), message: `收费项目「${itemName}」不存在或不在您的管理范围内` });
        else if (choices.length > 1) {
          problems.push({ row, column: col('feeItemName'), message: `有 ${choices.length} 个名为「${itemName}」的收费项目（${choices.map((f) => periodLabel(f.period)).join('、')}），请改填收费项目ID` });
        } else item = choices[0];
      }
      if (item?.archived) {
        problems.push({ row, column: itemId ? col('feeItemId') : col('feeItemName'), message: `收费项目「${item.name}」已停用` });
        item = undefined;
      }
      if (student && item && !student.orgPath.includes(item.nodeId)) {
        problems.push({ row, column: col('studentNo'), message: `学号 ${student.studentNo} 的学生不在收费项目「${item.name}」的适用范围内` });
      }

      const amountText = cell(cells, 'amount');
      let amountFen: number | undefined;
      if (!amountText) problems.push({ row, column: col('amount'), message: '请填写金额' });
      else {
        try {
          amountFen = parseYuan(amountText.replace(/^[¥￥]/, '').replace(/,/g, ''));
          if (amountFen <= 0) {
            problems.push({ row, column: col('amount'), message: '金额必须大于 0' });
            amountFen = undefined;
          }
        } catch (error) {
          if (!(error instanceof MoneyError)) throw error;
          problems.push({ row, column: col('amount'), message: `金额「${amountText}」无效：应为以元为单位、最多两位小数的数字` });
        }
      }

      if (student && item && problems.length === 0) {
        const key = `${student._id}\n${item._id}`;
        const earlier = firstRow.get(key);
        if (earlier !== undefined) problems.push({ row, column: col('studentNo'), message: `与第 ${earlier} 行重复：同一学生同一收费项目只能有一张账单` });
        else firstRow.set(key, row);
      }
      if (problems.length) errors.push(...problems);
      else candidates.push({ row, student: student!, item: item!, amountFen: amountFen!, billId: billIdFor(student!._id, item!._id, item!.periodKey) });
    }

    // Bills that exist already: the same amount is a re-import (nothing to do), another amount is a conflict.
    const existing = new Map<string, { amountDueFen: number; status: string }>();
    const ids = candidates.map((c) => c.billId);
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const b of await bills.find({ _id: { $in: ids.slice(i, i + CHUNK) } }, { amountDueFen: 1, status: 1 }).lean<{ _id: string; amountDueFen: number; status: string }[]>()) {
        existing.set(b._id, b);
      }
    }
    const planned: PlannedRow[] = [];
    let unchanged = 0;
    for (const c of candidates) {
      const found = existing.get(c.billId);
      if (found) {
        if (found.amountDueFen === c.amountFen && found.status !== 'cancelled') unchanged += 1;
        else {
          const what = found.status === 'cancelled' ? '已取消的账单' : `账单（应缴 ${displayYuan(found.amountDueFen)}）`;
          errors.push({ row: c.row, column: col('amount'), message: `该学生已有「${c.item.name}」${periodLabel(c.item.period)}的${what}；如需改金额请在账单中调整` });
        }
        continue;
      }
      const figures = settle({ amountDueFen: c.amountFen, concessionFen: 0, paidFen: 0, refundedFen: 0 });
      planned.push({
        row: c.row,
        doc: {
          _id: c.billId,
          studentId: c.student._id,
          studentNo: c.student.studentNo,
          studentName: c.student.name,
          orgPath: c.student.orgPath,
          campusId: c.student.campusId,
          groupId: c.student.groupId,
          feeItemId: c.item._id,
          feeItemName: c.item.name,
          category: c.item.category,
          period: c.item.periodKey,
          periodLabel: periodLabel(c.item.period),
          payeeAccountId: c.item.payeeAccountId,
          dueDate: c.item.dueDate,
          mandatory: c.item.mandatory,
          allowPartial: c.item.allowPartial,
          minPaymentFen: c.item.minPaymentFen ?? null,
          refundable: c.item.refundable,
          ...figures,
          concessions: [],
          published: true,
          batchId: importId,
          version: 1,
          ledgerIds: [],
          pendingLedger: [],
          openOrderId: null,
        },
      });
    }
    errors.sort((a, b) => a.row - b.row);
    return { rows: sheet.rows.length, planned, unchanged, errors };
  }

  async function importFile(scope: StaffScope, file: UploadedFile): Promise<BillImportResult> {
    const fileSha256 = createHash('sha256').update(file.bytes).digest('hex');
    const importId = `bimp_${fileSha256.slice(0, 24)}`;
    const sheet = await readBillSheet(file.bytes, { maxRows: MAX_BILL_IMPORT_ROWS });
    const result = await plan(scope, sheet, importId);
    if (result.errors.length) throw invalid(result.errors, false);

    let issued = 0;
    for (let i = 0; i < result.planned.length; i += CHUNK) {
      const slice = result.planned.slice(i, i + CHUNK).map((p) => p.doc);
      try {
        const res = await bills.insertMany(slice, { ordered: false, rawResult: true });
        issued += res.insertedCount;
      } catch (error) {
        // A concurrent upload of the same rows: the ids make its bills duplicates, which is the point.
        if (!onlyDuplicates(error)) throw error;
        const e = error as { insertedDocs?: unknown[]; result?: { insertedCount?: number } };
        issued += e.result?.insertedCount ?? e.insertedDocs?.length ?? 0;
      }
    }
    const issuedFen = result.planned.reduce((n, p) => n + p.doc.amountDueFen, 0);
    const summary = { importId, rows: result.rows, issued, unchanged: result.unchanged + (result.planned.length - issued), issuedFen };
    try {
      await imports.create({ _id: importId, filename: file.filename, fileSha256, rows: result.rows, issued, unchanged: summary.unchanged, issuedFen, orgPath: scope.principal.nodePath, createdBy: scope.principal.userId });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await imports.updateOne({ _id: importId }, { $inc: { uploads: 1 } });
    }
    await audit.append(scope.principal, {
      action: 'bill.import',
      objectType: 'bill_import',
      objectId: importId,
      orgPath: scope.principal.nodePath,
      after: { filename: file.filename, fileSha256, ...summary },
    });
    return summary;
  }

  /** The import template: the three columns, and the fee items in scope with their ids. */
  async function template(scope: StaffScope): Promise<Buffer> {
    const items = (await feeItems.find({ orgPath: scope.nodeId, archived: { $ne: true } }).lean<FeeItemDoc[]>()).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(BILL_IMPORT_SHEET);
    sheet.columns = [
      { header: BILL_IMPORT_COLUMNS.studentNo, width: 14, style: { numFmt: '@' } },
      { header: BILL_IMPORT_COLUMNS.feeItemName, width: 20 },
      { header: BILL_IMPORT_COLUMNS.feeItemId, width: 28 },
      { header: BILL_IMPORT_COLUMNS.amount, width: 14, style: { numFmt: '0.00' } },
    ];
    sheet.getRow(1).font = { bold: true };
    const list = workbook.addWorksheet('收费项目');
    list.columns = [
      { header: '收费项目', width: 20 },
      { header: '收费项目ID', width: 28 },
      { header: '期间', width: 24 },
      { header: '截止日期', width: 12 },
    ];
    list.getRow(1).font = { bold: true };
    for (const f of items) list.addRow([f.name, f._id, periodLabel(f.period), f.dueDate]);
    const notes = workbook.addWorksheet('说明');
    notes.getColumn(1).width = 90;
    for (const line of [
      '1. 每行一张账单：学号、收费项目（名称或收费项目ID，二选一即可）、金额（元，最多两位小数）。',
      '2. 同名收费项目有多个时请填写收费项目ID（见「收费项目」工作表）。',
      '3. 所有行都校验通过才会导入；有任何一行有误，将列出全部错误且不导入任何账单。',
      '4. 同一学生同一收费项目只能有一张账单；重复导入同一文件不会重复出账。',
      '5. 导入的账单立即发布，家长可在小程序中看到并缴费；导入不自动计算优惠。',
    ]) {
      notes.addRow([line]);
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  return { plan, importFile, template };
}

export type BillImportService = ReturnType<typeof billImportService>;
