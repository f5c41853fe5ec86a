import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * Append-only and hash-chained: `_id` is the chain position (zero-padded so
 * ids sort in order), so two writers can never take the same position, and
 * each entry's hash covers the previous entry's hash.
 */
const auditLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: {
      userId: { type: String, required: true },
      username: { type: String, required: true },
      role: { type: String, required: true },
      nodeId: { type: String, required: true },
    },
    /** Scope ancestry of the object acted on, so auditors see only their part of the tree. */
    orgPath: { type: [String], default: [] },
    action: { type: String, required: true },
    objectType: { type: String, required: true },
    objectId: { type: String, default: null },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, default: null },
    requestId: { type: String, default: null },
    ip: { type: String, default: null },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);
auditLogSchema.index({ seq: 1 }, { unique: true });
auditLogSchema.index({ orgPath: 1, seq: -1 });
auditLogSchema.index({ objectType: 1, objectId: 1 });

export const AuditLogModel = defineModel('AuditLog', 'audit_logs', auditLogSchema);

/** A hint of the chain's end; entries themselves are the truth, so a stale head only costs a retry. */
const auditHeadSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, hash: { type: String, required: true } },
  { versionKey: false },
);
export const AuditHeadModel = defineModel('AuditHead', 'audit_heads', auditHeadSchema);
