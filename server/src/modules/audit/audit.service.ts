import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { maskIdNumber, maskPhone, type AuditEntry } from '@campuspay/shared';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { requestStore } from '../../platform/http/request-store.ts';
import type { StaffPrincipal } from '../auth/principal.ts';
import { AuditHeadModel, AuditLogModel } from './audit-log.model.ts';

const CHAIN = 'main';
const GENESIS = 'GENESIS';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | null;
  /** Ancestry of the object, for scoping who may read the entry. */
  orgPath?: string[];
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Ciphertext, lookup hashes and secrets; flags such as mustChangePassword stay. */
const SECRET_KEYS = /(Enc|Hash)$|^(password|initialPassword|newPassword|currentPassword|token|secret|appSecret|apiV3Key)$/i;

/** Before/after snapshots never hold personal data in the clear, nor secrets. */
export function redactForAudit(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redactForAudit);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEYS.test(key)) continue;
      if (/phone$/i.test(key) && typeof v === 'string') out[key] = maskPhone(v);
      else if (/idNumber$/i.test(key) && typeof v === 'string') out[key] = maskIdNumber(v);
      else out[key] = redactForAudit(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** JSON with object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface HashedFields {
  seq: number;
  at: Date;
  actor: AuditEntry['actor'];
  orgPath: string[];
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
}

export function entryHash(fields: HashedFields): string {
  return createHash('sha256')
    .update(canonicalJson({ ...fields, at: fields.at.toISOString() }))
    .digest('hex');
}

const slotId = (seq: number) => `${CHAIN}:${String(seq).padStart(12, '0')}`;

export function auditService(db: Connection) {
  const logs = AuditLogModel(db);
  const heads = AuditHeadModel(db);

  async function append(actor: StaffPrincipal, record: AuditRecord): Promise<string> {
    const at = new Date();
    const head = (await heads.findById(CHAIN).lean()) ?? { seq: 0, hash: GENESIS };
    let seq = head.seq + 1;
    let prevHash = head.hash;
    for (;;) {
      const fields: HashedFields = {
        seq,
        at,
        actor: { userId: actor.userId, username: actor.username, role: actor.role, nodeId: actor.nodeId },
        orgPath: record.orgPath ?? actor.nodePath,
        action: record.action,
        objectType: record.objectType,
        objectId: record.objectId ?? null,
        before: redactForAudit(record.before),
        after: redactForAudit(record.after),
        reason: record.reason ?? null,
        requestId: actor.requestId,
        ip: actor.ip,
        prevHash,
      };
      const hash = entryHash(fields);
      try {
        await logs.create({ _id: slotId(seq), ...fields, hash });
        await heads.updateOne({ _id: CHAIN }, { $set: { seq, hash } }, { upsert: true }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
        const store = requestStore.getStore();
        if (store) store.audited = true;
        return slotId(seq);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Someone else took this position: continue the chain after their entry.
        const taken = await logs.findById(slotId(seq)).lean();
        if (taken) {
          prevHash = taken.hash;
          seq += 1;
        }
      }
    }
  }

  /** Re-computes the chain; reports the first entry whose content or link does not match. */
  async function verify(): Promise<{ ok: boolean; entries: number; brokenAt: number | null; problem: string | null }> {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let entries = 0;
    const cursor = logs.find({}).sort({ _id: 1 }).lean().cursor();
    for await (const entry of cursor) {
      entries += 1;
      if (entry.seq !== expectedSeq) return { ok: false, entries, brokenAt: expectedSeq, problem: `缺少第 ${expectedSeq} 条记录` };
      if (entry.prevHash !== prevHash) return { ok: false, entries, brokenAt: entry.seq, problem: `第 ${entry.seq} 条记录的链接被改动` };
      const { _id, hash, ...fields } = entry;
      const recomputed = entryHash(fields as unknown as HashedFields);
      if (recomputed !== hash) return { ok: false, entries, brokenAt: entry.seq, problem: `第 ${entry.seq} 条记录的内容被改动` };
      prevHash = hash;
      expectedSeq += 1;
    }
    return { ok: true, entries, brokenAt: null, problem: null };
  }

  return { append, verify };
}

export type AuditService = ReturnType<typeof auditService>;
