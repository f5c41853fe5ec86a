/**
 * Report endpoints: the collection summary, the unpaid list and daily
 * takings, each as JSON or as an .xlsx export (`?format=xlsx`, audited, needs
 * `reports.export`).
 */
import {
  collectionReportSchema,
  dailyTakingsReportSchema,
  unpaidReportSchema,
  type CollectionGroupBy,
  type CollectionReport,
  type DailyTakingsReport,
  type UnpaidReport,
} from '@campuspay/shared';
import { api, type DownloadedFile } from './request.ts';

export interface CollectionReportQuery {
  groupBy: CollectionGroupBy;
  /** A campus, division, grade or class inside the scope. */
  nodeId?: string | undefined;
  feeItemId?: string | undefined;
  /** Inclusive business days (YYYY-MM-DD) for collected and refunded money. */
  from?: string | undefined;
  to?: string | undefined;
}

function collectionParams(query: CollectionReportQuery) {
  return { groupBy: query.groupBy, nodeId: query.nodeId, feeItemId: query.feeItemId, from: query.from, to: query.to };
}

/** `GET /api/v1/admin/reports/collection?groupBy&nodeId&feeItemId&from&to`. */
export function getCollectionReport(query: CollectionReportQuery, signal?: AbortSignal): Promise<CollectionReport> {
  return api.get('/admin/reports/collection', {
    query: collectionParams(query),
    parse: (value) => collectionReportSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/reports/collection?…&format=xlsx`. */
export function exportCollectionReport(query: CollectionReportQuery): Promise<DownloadedFile> {
  return api.download('/admin/reports/collection', { query: { ...collectionParams(query), format: 'xlsx' } });
}

export interface UnpaidReportQuery {
  nodeId?: string | undefined;
  feeItemId?: string | undefined;
  /** Only bills past their due date. */
  overdueOnly?: boolean | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

function unpaidParams(query: UnpaidReportQuery) {
  return { nodeId: query.nodeId, feeItemId: query.feeItemId, overdueOnly: query.overdueOnly ? 'true' : undefined };
}

/** `GET /api/v1/admin/reports/unpaid?nodeId&feeItemId&overdueOnly&page&pageSize`: guardian phones always masked. */
export function getUnpaidReport(query: UnpaidReportQuery, signal?: AbortSignal): Promise<UnpaidReport> {
  return api.get('/admin/reports/unpaid', {
    query: { ...unpaidParams(query), page: query.page, pageSize: query.pageSize },
    parse: (value) => unpaidReportSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/reports/unpaid?…&format=xlsx`: every row, not one page. */
export function exportUnpaidReport(query: Omit<UnpaidReportQuery, 'page' | 'pageSize'>): Promise<DownloadedFile> {
  return api.download('/admin/reports/unpaid', { query: { ...unpaidParams(query), format: 'xlsx' } });
}

export interface DailyTakingsQuery {
  from?: string | undefined;
  to?: string | undefined;
  nodeId?: string | undefined;
}

/** `GET /api/v1/admin/reports/daily-takings?from&to&nodeId` (default: the last 30 days). */
export function getDailyTakings(query: DailyTakingsQuery, signal?: AbortSignal): Promise<DailyTakingsReport> {
  return api.get('/admin/reports/daily-takings', {
    query: { from: query.from, to: query.to, nodeId: query.nodeId },
    parse: (value) => dailyTakingsReportSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/reports/daily-takings?…&format=xlsx`. */
export function exportDailyTakings(query: DailyTakingsQuery): Promise<DownloadedFile> {
  return api.download('/admin/reports/daily-takings', { query: { from: query.from, to: query.to, nodeId: query.nodeId, format: 'xlsx' } });
}
