import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { BILL_IMPORT_SHEET } from '@campuspay/shared';
import { AppError } from '../../platform/errors.ts';

/** One non-empty row below the header, every cell as trimmed text. */
export interface BillSheetRow {
  /** Row number as Excel shows it (the header is row 1). */
  row: number;
  cells: string[];
}

export interface BillSheet {
  headers: string[];
  rows: BillSheetRow[];
}

const MAX_COLUMNS = 20;

/**
 * Text of a cell as the user sees it; formulas give their cached result.
 * Numbers use `Number#toString`, the shortest text that reads back as the
 * same value, so 1234.5 typed in Excel reads "1234.5" and a float artefact
 * such as 0.30000000000000004 stays visible (and is refused as an amount).
 */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('').trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('error' in value) return String(value.error);
  return '';
}

/** An .xlsx file is a ZIP archive: it starts with PK\x03\x04. */
export function looksLikeXlsx(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

interface ReaderWorksheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

/**
 * Reads the sheet named 账单导入 (else the first sheet), streaming, and
 * stops once it holds more than `maxRows` data rows, so an oversized file
 * costs little.
 */
export async function readBillSheet(bytes: Buffer, { maxRows }: { maxRows: number }): Promise<BillSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let chosen: (BillSheet & { name: string }) | undefined;
  try {
    for await (const worksheet of reader as AsyncIterable<ReaderWorksheet>) {
      const name = worksheet.name ?? '';
      if (chosen && !(name === BILL_IMPORT_SHEET && chosen.name !== BILL_IMPORT_SHEET)) {
        let seen = 0;
        for await (const _row of worksheet) if (++seen > maxRows) break;
        continue;
      }
      chosen = { name, ...(await readRows(worksheet, maxRows)) };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏', { cause: error });
  }
  if (!chosen) throw new AppError('VALIDATION_FAILED', '文件中没有工作表');
  return { headers: chosen.headers, rows: chosen.rows };
}

async function readRows(worksheet: ReaderWorksheet, maxRows: number): Promise<BillSheet> {
  let headers: string[] = [];
  const rows: BillSheetRow[] = [];
  for await (const row of worksheet) {
    const values = row.values as ExcelJS.CellValue[];
    const width = Math.min(values.length - 1, MAX_COLUMNS);
    const cells = Array.from({ length: Math.max(width, 0) }, (_, c) => cellText(values[c + 1] ?? null));
    if (row.number === 1) {
      headers = cells;
      continue;
    }
    if (!cells.some(Boolean)) continue;
    if (rows.length >= maxRows) {
      throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${maxRows} 行账单数据，请拆分成多个文件分批导入`, { details: { maxRows } });
    }
    rows.push({ row: row.number, cells });
  }
  return { headers, rows };
}

/** Header text as compared: no spaces, no required-mark star, half-width brackets, lower case. */
export function headerKey(text: string): string {
  return text
    .replace(/\s+/g, '')
    .replace(/[*＊]+$/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();
}
