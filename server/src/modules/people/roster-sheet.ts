import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';
import { ROSTER_SHEET } from './roster-layout.ts';

/** One non-empty row below the header, with every cell as trimmed text. */
export interface SheetRow {
  /** Row number as Excel shows it (the header is row 1). */
  row: number;
  cells: string[];
  /** Columns holding a number too long for Excel to keep exactly (an identity number typed as a number). */
  lossy?: number[];
}

export interface UploadedSheet {
  name: string;
  /** The header row as uploaded, every column. */
  headers: string[];
  rows: SheetRow[];
}

/** Columns beyond this are ignored: a roster has 16. */
const MAX_COLUMNS = 40;

/** Text of a cell as the user sees it; formulas give their cached result. */
export function cellText(value: ExcelJS.CellValue): { text: string; lossy: boolean } {
  if (value === null || value === undefined) return { text: '', lossy: false };
  if (typeof value === 'string') return { text: value.trim(), lossy: false };
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return { text: String(value), lossy: false };
    // 18-digit identity numbers typed as numbers are already rounded by Excel.
    return { text: Number.isInteger(value) ? value.toFixed(0) : String(value), lossy: Math.abs(value) >= 1e15 };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', lossy: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), lossy: false };
  if ('richText' in value && Array.isArray(value.richText)) return { text: value.richText.map((r) => r.text).join('').trim(), lossy: false };
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value && typeof value.text === 'string') return { text: value.text.trim(), lossy: false };
  if ('error' in value) return { text: String(value.error), lossy: false };
  return { text: '', lossy: false };
}

interface ReaderWorksheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

/**
 * Reads the roster sheet (the one named 学生名册, else the first sheet) of an
 * .xlsx file, streaming, and stops with a clear error once it holds more than
 * `maxRows` data rows, so an oversized file costs little.
 */
export async function readRosterSheet(bytes: Buffer, { maxRows }: { maxRows: number }): Promise<UploadedSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let chosen: UploadedSheet | undefined;
  try {
    let index = 0;
    for await (const worksheet of reader as AsyncIterable<ReaderWorksheet>) {
      const name = worksheet.name ?? `Sheet${index + 1}`;
      const wanted = !chosen || (name === ROSTER_SHEET && chosen.name !== ROSTER_SHEET);
      index += 1;
      if (!wanted) {
        // Other sheets (the template's 说明) are skipped, but never read without bound.
        let seen = 0;
        for await (const _row of worksheet) if (++seen > maxRows) break;
        continue;
      }
      chosen = await readRows(worksheet, name, maxRows);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏', { cause: error });
  }
  if (!chosen) throw new AppError('VALIDATION_FAILED', '文件中没有工作表');
  return chosen;
}

async function readRows(worksheet: ReaderWorksheet, name: string, maxRows: number): Promise<UploadedSheet> {
  let headers: string[] = [];
  const rows: SheetRow[] = [];
  for await (const row of worksheet) {
    const values = row.values as ExcelJS.CellValue[];
    const width = Math.min(values.length - 1, MAX_COLUMNS);
    const cells: string[] = new Array<string>(Math.max(width, 0));
    let lossy: number[] | undefined;
    let filled = false;
    for (let c = 0; c < width; c++) {
      const { text, lossy: isLossy } = cellText(values[c + 1] ?? null);
      cells[c] = text;
      if (text) filled = true;
      if (isLossy) (lossy ??= []).push(c);
    }
    if (row.number === 1) {
      headers = cells.map((c) => c ?? '');
      continue;
    }
    if (!filled) continue;
    if (rows.length >= maxRows) {
      throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${maxRows} 行学生数据，请拆分成多个文件分批导入`, { details: { maxRows } });
    }
    rows.push(lossy ? { row: row.number, cells, lossy } : { row: row.number, cells });
  }
  return { name, headers, rows };
}

/** Collects what a streaming workbook writer produces into one buffer. */
export async function writeWorkbook(build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  await build(workbook);
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** Lets other requests run during a long loop over rows. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An .xlsx file is a ZIP archive: it starts with PK\x03\x04. */
export function looksLikeXlsx(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}
