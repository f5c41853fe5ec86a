import type ExcelJS from 'exceljs';
import type { ImportRowError } from '@campuspay/shared';
import { ERROR_COLUMN, ROSTER_COLUMNS, ROSTER_SHEET, headerKey } from './roster-layout.ts';
import { writeWorkbook, yieldToEventLoop, type UploadedSheet } from './roster-sheet.ts';

const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const ERROR_HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };

/**
 * The uploaded sheet as it came, row for row (so row numbers in the error
 * list match), with a 错误说明 column giving each bad row's reasons and every
 * bad cell filled red. With `onlyBadRows` it keeps just the header and the bad
 * rows, each still carrying its original row number in 错误说明.
 */
export async function annotatedRoster(sheet: UploadedSheet, errors: readonly ImportRowError[], { onlyBadRows = false } = {}): Promise<Buffer> {
  const width = Math.max(sheet.headers.length, ...sheet.rows.map((r) => r.cells.length), 1);
  const headers = Array.from({ length: width }, (_, i) => sheet.headers[i] ?? '');
  const errorColumn = width + 1;
  const columnIndex = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = headerKey(h);
    if (key && !columnIndex.has(key)) columnIndex.set(key, i + 1);
  });
  const byRow = new Map<number, ImportRowError[]>();
  for (const error of errors) {
    const list = byRow.get(error.row);
    if (list) list.push(error);
    else byRow.set(error.row, [error]);
  }
  const explain = (list: ImportRowError[], row: number) =>
    (onlyBadRows ? `第 ${row} 行：` : '') + list.map((e) => (e.column ? `${e.column.replace(/\*$/, '')}：${e.message}` : e.message)).join('；');
  // Long digit strings (student, phone and identity numbers) stay text, as uploaded.
  const textColumns = ROSTER_COLUMNS.filter((c) => c.text)
    .map((c) => columnIndex.get(headerKey(c.header)))
    .filter((i): i is number => i !== undefined);
  const widthOf = (header: string) => ROSTER_COLUMNS.find((c) => headerKey(c.header) === headerKey(header))?.width ?? 14;

  return writeWorkbook(async (workbook) => {
    const ws = workbook.addWorksheet(sheet.name || ROSTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = [...headers.map((h) => ({ width: widthOf(h) })), { width: 60 }];
    const headerRow = ws.addRow([...headers, ERROR_COLUMN]);
    headerRow.eachCell((cell) => {
      cell.font = HEADER_FONT;
      cell.fill = HEADER_FILL;
    });
    const errorHeader = headerRow.getCell(errorColumn);
    errorHeader.fill = ERROR_HEADER_FILL;
    errorHeader.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    for (const error of byRow.get(1) ?? []) {
      const known = error.column ? columnIndex.get(headerKey(error.column)) : undefined;
      if (known) headerRow.getCell(known).fill = BAD_FILL;
    }
    if (byRow.has(1)) headerRow.getCell(errorColumn).value = `${ERROR_COLUMN}（表头：${explain(byRow.get(1) ?? [], 1)}）`;
    headerRow.commit();

    let next = 2;
    let written = 0;
    for (const sheetRow of sheet.rows) {
      const rowErrors = byRow.get(sheetRow.row);
      if (onlyBadRows && !rowErrors) continue;
      // Keep Excel's row numbers: blank rows the reader skipped are written back as blank.
      for (; !onlyBadRows && next < sheetRow.row; next += 1) ws.addRow([]).commit();
      const row = ws.addRow([...Array.from({ length: width }, (_, i) => sheetRow.cells[i] ?? ''), rowErrors ? explain(rowErrors, sheetRow.row) : '']);
      if (rowErrors) {
        const reason = row.getCell(errorColumn);
        reason.font = BAD_FONT;
        reason.alignment = { wrapText: true, vertical: 'top' };
        for (const error of rowErrors) {
          const index = error.column ? columnIndex.get(headerKey(error.column)) : undefined;
          if (!index) continue;
          const cell = row.getCell(index);
          cell.fill = BAD_FILL;
          cell.font = BAD_FONT;
        }
      }
      for (const index of textColumns) row.getCell(index).numFmt = '@';
      row.commit();
      next = sheetRow.row + 1;
      if (++written % 2000 === 0) await yieldToEventLoop();
    }
    ws.commit();
  });
}
