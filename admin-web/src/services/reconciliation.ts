/**
 * Reconciliation (对账) and settlement endpoints, one typed function each:
 * running a merchant's day against WeChat's trade bill, the runs of a
 * period, one run with its differences, resolving a difference, the report
 * as .xlsx (audited, needs `reconciliation.export`), the settlement view and
 * the counter's cash report (JSON, or PDF/.xlsx, audited; `cash-report.read`).
 * Answers are parsed with the shared contract's schemas.
 */
import {
  cashReportSchema,
  reconciliationLineSchema,
  reconciliationPeriodSchema,
  reconciliationSchema,
  reconciliationStartedSchema,
  settlementViewSchema,
  type CashReport,
  type Reconciliation,
  type ReconciliationLine,
  type ReconciliationPeriod,
  type SettlementView,
} from '@campuspay/shared';
import { api, type DownloadedFile } from './request.ts';

/** The answer of `POST /admin/reconciliations` (the shared contract names no type for it). */
export type ReconciliationStarted = ReturnType<typeof reconciliationStartedSchema.parse>;
/** One merchant's run as `POST /admin/reconciliations` reports it. */
export type StartedRun = ReconciliationStarted['items'][number];

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

export interface RunReconciliationRequest {
  /** The business day (Asia/Shanghai, YYYY-MM-DD). */
  date: string;
  /** Reconcile this payee account's merchant; without it every merchant of the user's payee accounts. */
  payeeAccountId?: string | undefined;
}

/** `POST /api/v1/admin/reconciliations` → 202: one job per merchant (a press while a run is queued joins it). */
export function startReconciliation(body: RunReconciliationRequest): Promise<ReconciliationStarted> {
  const payload = body.payeeAccountId ? { date: body.date, payeeAccountId: body.payeeAccountId } : { date: body.date };
  return api.post('/admin/reconciliations', payload, { parse: (value) => reconciliationStartedSchema.parse(value) });
}

export interface ReconciliationPeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  payeeAccountId?: string | undefined;
}

function periodParams(query: ReconciliationPeriodQuery) {
  return { from: query.from, to: query.to, payeeAccountId: query.payeeAccountId };
}

/** `GET /api/v1/admin/reconciliations?from&to&payeeAccountId`: runs per merchant and day, per-day roll-up and totals (default the last 30 days). */
export function listReconciliations(query: ReconciliationPeriodQuery, signal?: AbortSignal): Promise<ReconciliationPeriod> {
  return api.get('/admin/reconciliations', {
    query: periodParams(query),
    parse: (value) => reconciliationPeriodSchema.parse(value),
    ...withSignal(signal),
  });
}

/** `GET /api/v1/admin/reconciliations/:id`: one merchant's day with its differences (never the matched lines). */
export function getReconciliation(id: string, signal?: AbortSignal): Promise<Reconciliation> {
  return api.get(`/admin/reconciliations/${encodeURIComponent(id)}`, {
    parse: (value) => reconciliationSchema.parse(value),
    ...withSignal(signal),
  });
}

export interface ResolveLineRequest {
  /** requery: ask WeChat again and book what it says; accept: close the difference with the note. */
  action: 'requery' | 'accept';
  note: string;
}

/** `POST /api/v1/admin/reconciliation-lines/:id/resolve` (audited; resolves its exception queue item too). */
export function resolveReconciliationLine(id: string, body: ResolveLineRequest): Promise<ReconciliationLine> {
  return api.post(`/admin/reconciliation-lines/${encodeURIComponent(id)}/resolve`, body, {
    parse: (value) => reconciliationLineSchema.parse(value),
  });
}

/** `GET /api/v1/admin/reconciliations/report?…&format=xlsx`: per day, per merchant and every difference. */
export function exportReconciliationReport(query: ReconciliationPeriodQuery): Promise<DownloadedFile> {
  return api.download('/admin/reconciliations/report', { query: { ...periodParams(query), format: 'xlsx' } });
}

/** `GET /api/v1/admin/settlements?from&to&payeeAccountId`: per payee account and day (default the last 7 days). */
export function getSettlements(query: ReconciliationPeriodQuery, signal?: AbortSignal): Promise<SettlementView> {
  return api.get('/admin/settlements', {
    query: periodParams(query),
    parse: (value) => settlementViewSchema.parse(value),
    ...withSignal(signal),
  });
}

export interface CashReportQuery {
  /** The business day (Asia/Shanghai, YYYY-MM-DD); default today. */
  day?: string | undefined;
  /** A campus (or smaller node) inside the user's scope; default the whole scope. */
  nodeId?: string | undefined;
}

function cashReportParams(query: CashReportQuery) {
  return { day: query.day, nodeId: query.nodeId };
}

/** `GET /api/v1/admin/cash-report?day&nodeId`: the counter's day per cashier (交班报表). */
export function getCashReport(query: CashReportQuery, signal?: AbortSignal): Promise<CashReport> {
  return api.get('/admin/cash-report', {
    query: cashReportParams(query),
    parse: (value) => cashReportSchema.parse(value),
    ...withSignal(signal),
  });
}

/** `GET /api/v1/admin/cash-report?…&format=pdf`: the printable handover sheet (audited). */
export function downloadCashReportPdf(query: CashReportQuery): Promise<DownloadedFile> {
  return api.download('/admin/cash-report', { query: { ...cashReportParams(query), format: 'pdf' } });
}

/** `GET /api/v1/admin/cash-report?…&format=xlsx`: sheets 按收款人汇总 and 明细 (audited). */
export function exportCashReport(query: CashReportQuery): Promise<DownloadedFile> {
  return api.download('/admin/cash-report', { query: { ...cashReportParams(query), format: 'xlsx' } });
}
