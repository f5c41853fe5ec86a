/**
 * What the bank uploads to the insight dashboards, one typed function per
 * endpoint: daily settlement-account balances from its core system, the
 * baseline period of each school, campaign results (cards and accounts
 * opened), and a school's staff list shared for payroll leads. Every upload
 * is validated whole by the server: one bad row refuses the file, and the
 * refusal lists every bad row (read it with `tableImportRejectionOf`).
 */
import {
  balanceImportResultSchema,
  balancesReportSchema,
  campaignImportResultSchema,
  type BalanceImportResult,
  type BalancesReport,
  type CampaignImportResult,
  type SetBaselineRequest,
} from '@campuspay/shared';
import type { ImportProblem } from '../components/xlsx-import/xlsx-file.ts';
import type { InsightPeriod } from './insights.ts';
import { api, isApiError } from './request.ts';
import { nullableNumberField, numberField, objectOf, stringField } from './shape.ts';

/** `GET /api/v1/admin/insights/balances?nodeId&from&to`: average balances per school against each school's baseline. */
export function getBalances(query: InsightPeriod, signal?: AbortSignal): Promise<BalancesReport> {
  return api.get('/admin/insights/balances', {
    query: { nodeId: query.nodeId, from: query.from, to: query.to },
    parse: (value) => balancesReportSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

function fileForm(file: Blob, fileName: string, fields: Readonly<Record<string, string>> = {}): FormData {
  const form = new FormData();
  // Fields first: the server reads them as the multipart stream reaches the file.
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', file, fileName);
  return form;
}

/**
 * `POST /api/v1/admin/insights/balances/import` (multipart `file`, .xlsx or
 * CSV of 账号、日期、余额 in yuan) → 201 the rows and days stored. A day
 * already stored for an account is replaced (corrections).
 */
export function importBalances(file: Blob, fileName: string): Promise<BalanceImportResult> {
  return api.upload('/admin/insights/balances/import', fileForm(file, fileName), { parse: (value) => balanceImportResultSchema.parse(value) });
}

export interface BaselineResult {
  nodeId: string;
  from: string;
  to: string;
  /** Null while no balances of the period have been uploaded. */
  averageBalanceFen: number | null;
  daysWithData: number;
}

function parseBaseline(value: unknown): BaselineResult {
  const shape = objectOf(value, 'baseline');
  return {
    nodeId: stringField(shape, 'nodeId'),
    from: stringField(shape, 'from'),
    to: stringField(shape, 'to'),
    averageBalanceFen: nullableNumberField(shape, 'averageBalanceFen'),
    daysWithData: numberField(shape, 'daysWithData'),
  };
}

/** `PUT /api/v1/admin/insights/baselines {nodeId, from, to}`: the pre-onboarding period a school's uplift is measured against (audited). */
export function setBaseline(input: SetBaselineRequest): Promise<BaselineResult> {
  return api.put('/admin/insights/baselines', input, { parse: parseBaseline });
}

/**
 * `POST /api/v1/admin/insights/campaign-results/import` (multipart `campaign`
 * and `file` of 手机号、产品、日期) → 201 how many rows matched parents of
 * the scope's schools by hashed phone. Phones are never stored; re-importing
 * the same file changes nothing.
 */
export function importCampaignResults(campaign: string, file: Blob, fileName: string): Promise<CampaignImportResult> {
  return api.upload('/admin/insights/campaign-results/import', fileForm(file, fileName, { campaign }), {
    parse: (value) => campaignImportResultSchema.parse(value),
  });
}

export interface StaffListResult {
  nodeId: string;
  /** Distinct phones on the list. */
  staff: number;
}

function parseStaffList(value: unknown): StaffListResult {
  const shape = objectOf(value, 'staff list');
  return { nodeId: stringField(shape, 'nodeId'), staff: numberField(shape, 'staff') };
}

/**
 * `POST /api/v1/admin/insights/staff-lists/import` (multipart `nodeId` and
 * `file` with a 手机号 column): the school shares its staff list with the
 * bank for payroll leads; only phone hashes are kept, and a new list
 * replaces the school's previous one.
 */
export function importStaffList(nodeId: string, file: Blob, fileName: string): Promise<StaffListResult> {
  return api.upload('/admin/insights/staff-lists/import', fileForm(file, fileName, { nodeId }), { parse: parseStaffList });
}

/** A refused upload: the server's message, every listed problem by row, and the total when it listed only the first. */
export interface TableImportRejection {
  message: string;
  errors: ImportProblem[];
  errorCount: number;
}

function problemOf(item: unknown): ImportProblem | null {
  if (typeof item !== 'object' || item === null) return null;
  const { row, field, message } = item as Record<string, unknown>;
  if (typeof row !== 'number' || !Number.isSafeInteger(row) || typeof message !== 'string') return null;
  return { row, column: typeof field === 'string' && field !== '' ? field : null, message };
}

/** The IMPORT_INVALID details of an error (`{errors: [{row, field, message}], errorCount}`), or null for any other error. */
export function tableImportRejectionOf(error: unknown): TableImportRejection | null {
  if (!isApiError(error) || error.code !== 'IMPORT_INVALID') return null;
  const raw = error.details?.['errors'];
  const errors = (Array.isArray(raw) ? raw : [])
    .flatMap((item) => {
      const problem = problemOf(item);
      return problem ? [problem] : [];
    })
    .sort((a, b) => a.row - b.row);
  const count = error.details?.['errorCount'];
  // A refusal without rows (missing columns, an empty file) still counts as one problem on the server.
  const errorCount = typeof count === 'number' && Number.isSafeInteger(count) && count >= errors.length && errors.length > 0 ? count : errors.length;
  return { message: error.message, errors, errorCount };
}
