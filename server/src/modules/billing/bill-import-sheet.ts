import { BILL_IMPORT_SHEET } from '@campuspay/shared';
import { AppError } from '../../platform/errors.ts';
import { XlsxReadError, readXlsxRows } from '../people/roster-xlsx-reader.ts';

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
/** Inflated size limit of the sheet: 20,000 bill rows are a few MB. */
const MAX_PART_BYTES = 64 * 1024 * 1024;

/**
 * Reads the sheet named 账单导入 (else the first sheet) with the reader the
 * roster uses (`readXlsxRows`: cells as Excel shows them, formulas by their
 * cached result), and stops once it holds more than `maxRows` data rows, so
 * an oversized file costs little. exceljs's streaming reader, used here
 * before, now and then failed to read a sound file on a loaded machine.
 */
export async function readBillSheet(bytes: Buffer, { maxRows }: { maxRows: number }): Promise<BillSheet> {
  let headers: string[] = [];
  const rows: BillSheetRow[] = [];
  try {
    readXlsxRows(bytes, { preferSheet: BILL_IMPORT_SHEET, maxPartBytes: MAX_PART_BYTES, maxColumns: MAX_COLUMNS }, (rowNumber, found) => {
      const cells = Array.from(found, (cell) => cell?.text.trim() ?? '');
      if (rowNumber === 1) {
        headers = cells;
        return;
      }
      if (!cells.some(Boolean)) return;
      if (rows.length >= maxRows) {
        throw new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${maxRows} 行账单数据，请拆分成多个文件分批导入`, { details: { maxRows } });
      }
      rows.push({ row: rowNumber, cells });
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof XlsxReadError && error.kind === 'too-large') {
      throw new AppError('PAYLOAD_TOO_LARGE', `文件内容过大，请拆分成多个文件分批导入（每个文件最多 ${maxRows} 行）`, { cause: error });
    }
    throw new AppError('VALIDATION_FAILED', '无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏', { cause: error });
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
