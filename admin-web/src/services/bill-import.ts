/**
 * Bill import endpoints (账单导入): an .xlsx of (student, fee item, amount)
 * rows issued all at once or not at all, one typed function each.
 */
import { billImportErrorSchema, billImportResultSchema, type BillImportError, type BillImportResult } from '@campuspay/shared';
import { api, isApiError, type DownloadedFile } from './request.ts';

/** `GET /api/v1/admin/bills/import/template` → the .xlsx template, listing the fee items in scope with their ids. */
export function downloadBillImportTemplate(): Promise<DownloadedFile> {
  return api.download('/admin/bills/import/template');
}

/**
 * `POST /api/v1/admin/bills/import` (multipart `file`) → 201 what was
 * issued. When any row is invalid nothing is issued and it throws
 * `ApiError` 422 IMPORT_INVALID; read it with `billImportRejectionOf`.
 * Uploading the same rows again issues nothing new.
 */
export function importBills(file: Blob, fileName: string): Promise<BillImportResult> {
  const form = new FormData();
  form.append('file', file, fileName);
  return api.upload('/admin/bills/import', form, { parse: (value) => billImportResultSchema.parse(value) });
}

/** What a refused bill import says: the bad rows, by row. */
export interface BillImportRejection {
  message: string;
  errors: BillImportError[];
  /** Every problem and every bad row, also those beyond the listed `errors` when the server cut the list short. */
  errorCount: number;
  badRows: number;
}

function countOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}

/** The IMPORT_INVALID details of an error, or null when it is another error. */
export function billImportRejectionOf(error: unknown): BillImportRejection | null {
  if (!isApiError(error) || error.code !== 'IMPORT_INVALID') return null;
  const raw = error.details?.['errors'];
  const errors = (Array.isArray(raw) ? raw : [])
    .flatMap((item) => {
      const parsed = billImportErrorSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    })
    // By row; within a row, in the server's (column) order.
    .sort((a, b) => a.row - b.row);
  return {
    message: error.message,
    errors,
    errorCount: countOr(error.details?.['errorCount'], errors.length),
    badRows: countOr(error.details?.['badRows'], new Set(errors.map((e) => e.row)).size),
  };
}
