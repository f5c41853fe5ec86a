import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';
import { ROSTER_SHEET } from './roster-layout.ts';
import { XlsxReadError, readXlsxRows } from './roster-xlsx-reader.ts';

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
/** Inflated size limit of the worksheet part: a full 50,000-row roster is about 30 MB. */
const MAX_PART_BYTES = 128 * 1024 * 1024;

/** Where an uploaded sheet is read from and how much of it is accepted. */
export interface UploadedSheetOptions {
  /** The sheet to read if the file has it; else the first sheet. */
  preferSheet: string;
  maxRows: number;
  /** What a data row is, for the too-many-rows message: 学生, 账单. */
  rowNoun: string;
  maxColumns: number;
  /** Inflated size limit of the worksheet part. */
  maxPartBytes: number;
}

/**
 * Reads an uploaded .xlsx sheet: the header row, then every row that is not
 * blank, and stops with a clear error once it holds more than `maxRows`
 * data rows, so an oversized file costs little. Anything unreadable is a
 * VALIDATION_FAILED naming the fix.
 */
export function readUploadedSheet(bytes: Buffer, { preferSheet, maxRows, rowNoun, maxColumns, maxPartBytes }: UploadedSheetOptions): UploadedSheet {
  let headers: string[] = [];
  const rows: SheetRow[] = [];
  let name: string;
  try {
    name = readXlsxRows(bytes, { preferSheet, maxPartBytes, maxColumns }, (rowNumber, found) => {
      const cells = Array.from(found, (cell) => cell?.text ?? '');
      if (rowNumber === 1) {
        headers = cells;
        return;
      }
      if (!cells.some((cell) => cell.trim() !== '')) return;
      if (rows.length >= maxRows) {
        throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${maxRows} 行${rowNoun}数据，请拆分成多个文件分批导入`, { details: { maxRows } });
      }
      const lossy = found.flatMap((cell, column) => (cell?.lossy ? [column] : []));
      rows.push(lossy.length > 0 ? { row: rowNumber, cells, lossy } : { row: rowNumber, cells });
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof XlsxReadError && error.kind === 'too-large') {
      throw new AppError('PAYLOAD_TOO_LARGE', `文件内容过大，请拆分成多个文件分批导入（每个文件最多 ${maxRows} 行）`, { cause: error });
    }
    throw new AppError('VALIDATION_FAILED', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏（可在 Excel/WPS 中另存为 .xlsx 后重试）', { cause: error });
  }
  return { name, headers, rows };
}

/** The roster sheet (the one named 学生名册, else the first sheet) of an .xlsx file. */
export async function readRosterSheet(bytes: Buffer, { maxRows }: { maxRows: number }): Promise<UploadedSheet> {
  return readUploadedSheet(bytes, { preferSheet: ROSTER_SHEET, maxRows, rowNoun: '学生', maxColumns: MAX_COLUMNS, maxPartBytes: MAX_PART_BYTES });
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
