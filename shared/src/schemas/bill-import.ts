import { z } from 'zod';
import { fenSchema } from './common.ts';

/** Issuing bills from a spreadsheet: one row per (student, fee item), all rows valid or nothing issued. */

export const BILL_IMPORT_SHEET = '账单导入';
export const BILL_IMPORT_COLUMNS = {
  studentNo: '学号',
  feeItemName: '收费项目',
  feeItemId: '收费项目ID',
  amount: '金额（元）',
} as const;
/** A file with more data rows than this is refused before any row is checked. */
export const MAX_BILL_IMPORT_ROWS = 20_000;

export const billImportErrorSchema = z.object({
  /** The spreadsheet row (the header is row 1). */
  row: z.number().int(),
  /** The column header the problem is in. */
  column: z.string(),
  message: z.string(),
});
export type BillImportError = z.infer<typeof billImportErrorSchema>;

export const billImportResultSchema = z.object({
  importId: z.string(),
  rows: z.number().int(),
  /** Bills issued by this upload. */
  issued: z.number().int(),
  /** Rows whose bill already existed with the same amount (a re-import): nothing changed. */
  unchanged: z.number().int(),
  /** Amount due on the bills issued by this upload. */
  issuedFen: fenSchema,
});
export type BillImportResult = z.infer<typeof billImportResultSchema>;
