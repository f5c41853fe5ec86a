/**
 * Bank insight endpoints: the deposit-uplift dashboard (overview, trend,
 * card share, school ranking), consented cross-sell leads (masked list,
 * audited reveal, status), and the bank's tag rules and consent text.
 * Amounts are integer fen, shares basis points, days Asia/Shanghai.
 */
import {
  bankInsightSettingsSchema,
  cardShareReportSchema,
  insightOverviewSchema,
  insightTrendSchema,
  leadSchema,
  leadsPageSchema,
  revealedContactSchema,
  schoolRankingSchema,
  type BankInsightSettings,
  type CardShareReport,
  type InsightExportQuery,
  type InsightGranularity,
  type InsightOverview,
  type InsightTrend,
  type Lead,
  type LeadStatus,
  type LeadTag,
  type LeadsPage,
  type SchoolRanking,
  type UpdateBankInsightSettings,
  type UpdateLeadRequest,
} from '@campuspay/shared';
import type { z } from 'zod';
import { api, type DownloadedFile } from './request.ts';
import { nullableStringField, objectOf } from './shape.ts';

export interface InsightPeriod {
  /** A bank, branch, school group or campus inside the scope; the scope node by default. */
  nodeId?: string | undefined;
  /** Inclusive business days; the server defaults to the last 30 days. */
  from?: string | undefined;
  to?: string | undefined;
}

function periodParams(query: InsightPeriod) {
  return { nodeId: query.nodeId, from: query.from, to: query.to };
}

/** `GET /api/v1/admin/insights/overview?nodeId&from&to`. */
export function getOverview(query: InsightPeriod, signal?: AbortSignal): Promise<InsightOverview> {
  return api.get('/admin/insights/overview', {
    query: periodParams(query),
    parse: (value) => insightOverviewSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/insights/trend?nodeId&from&to&granularity`. */
export function getTrend(query: InsightPeriod & { granularity: InsightGranularity }, signal?: AbortSignal): Promise<InsightTrend> {
  return api.get('/admin/insights/trend', {
    query: { ...periodParams(query), granularity: query.granularity },
    parse: (value) => insightTrendSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/insights/card-share?nodeId&from&to`: card classes and WeChat's bank_type values. */
export function getCardShare(query: InsightPeriod, signal?: AbortSignal): Promise<CardShareReport> {
  return api.get('/admin/insights/card-share', {
    query: periodParams(query),
    parse: (value) => cardShareReportSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `GET /api/v1/admin/insights/schools?nodeId&from&to&sort=net&limit`: campuses ranked by net inflow. */
export function getSchoolRanking(query: InsightPeriod & { limit?: number }, signal?: AbortSignal): Promise<SchoolRanking> {
  return api.get('/admin/insights/schools', {
    query: { ...periodParams(query), sort: 'net', limit: query.limit },
    parse: (value) => schoolRankingSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

export interface LeadsQuery {
  nodeId?: string | undefined;
  tag?: LeadTag | undefined;
  status?: LeadStatus | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** `GET /api/v1/admin/insights/leads?…`: counts per tag for every family, a masked list of consented ones only. */
export function listLeads(query: LeadsQuery, signal?: AbortSignal): Promise<LeadsPage> {
  return api.get('/admin/insights/leads', {
    query: { nodeId: query.nodeId, tag: query.tag, status: query.status, page: query.page, pageSize: query.pageSize },
    parse: (value) => leadsPageSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

export type RevealedContact = z.infer<typeof revealedContactSchema>;

/** `POST /api/v1/admin/insights/leads/:id/reveal {reason}`: the full phone, audited with the reason. */
export function revealLead(id: string, reason: string): Promise<RevealedContact> {
  return api.post(`/admin/insights/leads/${encodeURIComponent(id)}/reveal`, { reason }, { parse: (value) => revealedContactSchema.parse(value) });
}

/** `PATCH /api/v1/admin/insights/leads/:id {status?, note?}` (audited). */
export function updateLead(id: string, change: UpdateLeadRequest): Promise<Lead> {
  return api.patch(`/admin/insights/leads/${encodeURIComponent(id)}`, change, { parse: (value) => leadSchema.parse(value) });
}

/** `GET /api/v1/admin/insights/tag-rules`: the bank's codes, fee rate, tag rules and consent text. */
export function getInsightSettings(signal?: AbortSignal): Promise<BankInsightSettings> {
  return api.get('/admin/insights/tag-rules', {
    parse: (value) => bankInsightSettingsSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

export interface SavedInsightSettings extends BankInsightSettings {
  /** The background job recomputing every family's tags; null when nothing changed. */
  recomputeJobId: string | null;
}

function parseSavedSettings(value: unknown): SavedInsightSettings {
  return { ...bankInsightSettingsSchema.parse(value), recomputeJobId: nullableStringField(objectOf(value, 'settings'), 'recomputeJobId') };
}

/** `PUT /api/v1/admin/insights/tag-rules`: tags are recomputed in the background (the job id is returned). */
export function saveInsightSettings(input: UpdateBankInsightSettings): Promise<SavedInsightSettings> {
  return api.put('/admin/insights/tag-rules', input, { parse: parseSavedSettings });
}

/** Which sheet `exportInsights` builds: the dashboard (overview) or the consented leads, among others. */
export type InsightExportReport = InsightExportQuery['report'];

/**
 * `GET /api/v1/admin/insights/export?report&nodeId&from&to&granularity` → a
 * watermarked .xlsx (who exported it and when, on every sheet), audited by
 * the server. Leads carry masked contacts only and need `leads.read`.
 */
export function exportInsights(report: InsightExportReport, query: InsightPeriod & { granularity?: InsightGranularity | undefined }): Promise<DownloadedFile> {
  return api.download('/admin/insights/export', { query: { report, ...periodParams(query), granularity: query.granularity } });
}
