import { Schema } from 'mongoose';
import { RECONCILIATION_STATUSES, PENDING_REASONS, type ReconciliationAmounts, type ReconciliationCounts, type FundFlowSummary, type PendingReason, type ReconciliationStatus } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/** One per merchant and day, so running a day again updates the same record. */
export function reconciliationId(mchid: string, day: string): string {
  return `rec_${mchid}_${day.replace(/-/g, '')}`;
}

/**
 * A day's reconciliation of one WeChat Pay merchant: its state, the bill it
 * used (hash, size), and the result as counts and sums. The lines that differ
 * are in reconciliation_lines; matched lines are only counted. State changes
 * go through compare-and-set on `version`.
 */
const reconciliationSchema = new Schema(
  {
    _id: { type: String, required: true },
    mchid: { type: String, required: true },
    day: { type: String, required: true },
    payeeAccountIds: { type: [String], required: true },
    /** The node the merchant's payee accounts belong to (their common ancestor) and its ancestry. */
    nodeId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    status: { type: String, enum: RECONCILIATION_STATUSES, required: true },
    pendingReason: { type: String, enum: PENDING_REASONS, default: null },
    lastError: { type: String, default: null },
    retryAt: { type: Date, default: null },
    jobId: { type: String, default: null },
    runs: { type: Number, default: 0 },
    version: { type: Number, default: 1 },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    bill: { type: Schema.Types.Mixed, default: null },
    counts: { type: Schema.Types.Mixed, default: null },
    amounts: { type: Schema.Types.Mixed, default: null },
    fundFlow: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, versionKey: false },
);
reconciliationSchema.index({ day: 1 });
reconciliationSchema.index({ orgPath: 1, day: 1 });
reconciliationSchema.index({ status: 1 });
export const ReconciliationModel = defineModel('Reconciliation', 'reconciliations', reconciliationSchema);

export type ReconciliationDoc = {
  _id: string;
  mchid: string;
  day: string;
  payeeAccountIds: string[];
  nodeId: string;
  orgPath: string[];
  status: ReconciliationStatus;
  pendingReason: PendingReason | null;
  lastError: string | null;
  retryAt: Date | null;
  jobId: string | null;
  runs: number;
  version: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  bill: { hashType: string; hashValue: string; bytes: number; lines: number } | null;
  counts: ReconciliationCounts | null;
  amounts: ReconciliationAmounts | null;
  fundFlow: FundFlowSummary | null;
  createdAt: Date;
  updatedAt: Date;
};
