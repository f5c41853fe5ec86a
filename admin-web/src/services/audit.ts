/**
 * Audit log endpoints.
 */
import { auditEntrySchema, pageOf, type AuditEntry, type Page } from '@campuspay/shared';
import { api } from './request.ts';
import { booleanField, nullableNumberField, nullableStringField, numberField, objectOf } from './shape.ts';

const auditPageSchema = pageOf(auditEntrySchema);

export interface AuditLogQuery {
  page?: number;
  pageSize?: number;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  username?: string | undefined;
  /** Business days, YYYY-MM-DD, both inclusive. */
  from?: string | undefined;
  to?: string | undefined;
}

/** `GET /api/v1/admin/audit-logs?…` → newest first, limited to the caller's scope. */
export function listAuditLogs(query: AuditLogQuery, signal?: AbortSignal): Promise<Page<AuditEntry>> {
  return api.get('/admin/audit-logs', {
    query: {
      page: query.page,
      pageSize: query.pageSize,
      action: query.action?.trim(),
      objectType: query.objectType?.trim(),
      objectId: query.objectId?.trim(),
      username: query.username?.trim(),
      from: query.from,
      to: query.to,
    },
    parse: (value) => auditPageSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** The answer of the hash-chain check; not in the shared contract yet. */
export interface AuditChainVerification {
  ok: boolean;
  /** How many entries were checked. */
  entries: number;
  /** `seq` of the first entry that does not fit the chain. */
  brokenAt: number | null;
  problem: string | null;
}

export function parseVerification(value: unknown): AuditChainVerification {
  const shape = objectOf(value, 'verification');
  return {
    ok: booleanField(shape, 'ok'),
    entries: numberField(shape, 'entries'),
    brokenAt: nullableNumberField(shape, 'brokenAt'),
    problem: nullableStringField(shape, 'problem'),
  };
}

/** `GET /api/v1/admin/audit-logs/verify`: recomputes the hash chain. */
export function verifyAuditChain(signal?: AbortSignal): Promise<AuditChainVerification> {
  return api.get('/admin/audit-logs/verify', { parse: parseVerification, ...(signal ? { signal } : {}) });
}
