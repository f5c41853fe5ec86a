/**
 * What every .xlsx import page shares, pure and unit tested: the checks a
 * chosen file passes before it is uploaded, and how a refusal's problems
 * are counted.
 */

/** Accept files up to this size before asking the server (it has its own limit). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** One problem of a refused file: a spreadsheet row (the header is row 1), the column it is in (null: the whole row). */
export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
}

/** What an import takes: most only .xlsx; the bank's uploads from its core system may also be CSV. */
export type ImportFormat = 'xlsx' | 'xlsx-or-csv';

/** Why a chosen file is refused before upload, or null. */
export function fileProblem(file: { name: string; size: number }, format: ImportFormat = 'xlsx'): string | null {
  if (format === 'xlsx-or-csv' && !/\.(xlsx|csv)$/i.test(file.name)) return '请上传 .xlsx 格式的 Excel 文件或 .csv 文件（可先下载模板）';
  if (format === 'xlsx' && !/\.xlsx$/i.test(file.name)) return '请上传 .xlsx 格式的 Excel 文件（可先下载模板）';
  if (file.size === 0) return '文件是空的';
  if (file.size > MAX_IMPORT_BYTES) return `文件过大（超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB）`;
  return null;
}

/** How many distinct rows the problems touch. */
export function rowsWithErrors(errors: readonly Pick<ImportProblem, 'row'>[]): number {
  return new Set(errors.map((error) => error.row)).size;
}

/** The headline of a refusal; `shown` is fewer than `total` when the server listed only the first problems. */
export function refusalHeadline(counts: { total: number; rows: number; shown: number }, nothingImported: string): string {
  if (counts.total === 0) return `文件未通过校验，${nothingImported}`;
  const head = `文件中有 ${counts.total} 处错误（涉及 ${counts.rows} 行），${nothingImported}`;
  return counts.shown < counts.total ? `${head}；下表列出前 ${counts.shown} 处` : head;
}
