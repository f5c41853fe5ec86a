import { BILL_IMPORT_SHEET } from '@campuspay/shared';
import { readUploadedSheet } from '../people/roster-sheet.ts';

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

/** The sheet named 账单导入 (else the first sheet), read as the roster is (`readUploadedSheet`), every cell trimmed. */
export async function readBillSheet(bytes: Buffer, { maxRows }: { maxRows: number }): Promise<BillSheet> {
  const sheet = readUploadedSheet(bytes, { preferSheet: BILL_IMPORT_SHEET, maxRows, rowNoun: '账单', maxColumns: MAX_COLUMNS, maxPartBytes: MAX_PART_BYTES });
  const trimmed = (cells: string[]) => cells.map((cell) => cell.trim());
  return { headers: trimmed(sheet.headers), rows: sheet.rows.map(({ row, cells }) => ({ row, cells: trimmed(cells) })) };
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
