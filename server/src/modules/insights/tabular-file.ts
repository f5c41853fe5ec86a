import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';

/** One non-empty data row; `row` is the line or Excel row number (the header is row 1). */
export interface TableRow {
  row: number;
  cells: string[];
}

export interface Table {
  headers: string[];
  rows: TableRow[];
}

export const TABLE_EXTENSIONS = ['.xlsx', '.csv'] as const;

/** .xlsx files are ZIP archives; a CSV is text (no NUL bytes in its head). */
export function looksLikeTable(head: Buffer): boolean {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return true;
  return !head.includes(0);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('').trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  return '';
}

/**
 * Text of a CSV file: UTF-8 (with or without BOM), else GB18030, which is
 * what a bank's core system or Excel on a Chinese Windows usually writes.
 */
export function decodeCsv(bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new AppError('VALIDATION_FAILED', 'CSV 文件格式不正确：引号未闭合');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Reads the first sheet of an .xlsx or a CSV into trimmed text cells; at most `maxRows` data rows. */
export async function readTable(bytes: Buffer, filename: string, maxRows: number): Promise<Table> {
  let grid: { row: number; cells: string[] }[];
  if (filename.toLowerCase().endsWith('.csv')) {
    grid = parseCsv(decodeCsv(bytes)).map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.trim()) }));
  } else {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏', { cause: error });
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new AppError('VALIDATION_FAILED', '文件中没有工作表');
    grid = [];
    sheet.eachRow({ includeEmpty: false }, (r, n) => {
      const values = r.values as ExcelJS.CellValue[];
      grid.push({ row: n, cells: values.slice(1).map(cellText) });
    });
  }
  const nonEmpty = grid.filter((r) => r.cells.some((c) => c !== ''));
  const [header, ...rows] = nonEmpty;
  if (!header) throw new AppError('VALIDATION_FAILED', '文件是空的');
  if (rows.length > maxRows) throw new AppError('VALIDATION_FAILED', `文件行数超过上限 ${maxRows} 行，请分批导入`);
  return { headers: header.cells, rows };
}

/** Index of the first header matching one of `names` (case-insensitive, spaces ignored), or -1. */
export function column(headers: string[], names: string[]): number {
  const wanted = names.map((n) => n.replace(/\s+/g, '').toLowerCase());
  return headers.findIndex((h) => wanted.includes(h.replace(/\s+/g, '').toLowerCase()));
}

/** 2026-09-01, 2026/9/1, 20260901 or an Excel date → YYYY-MM-DD, or null. */
export function normaliseDay(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day ? day : null;
}
