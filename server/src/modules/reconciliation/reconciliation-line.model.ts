import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { LINE_RESOLUTIONS, RECONCILIATION_OUTCOMES, type LineResolution, type ReconciliationOutcome } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/** Deterministic per reconciliation and line key (P:transaction id, R:out_refund_no), so a re-run finds its own lines. */
export function reconciliationLineId(reconciliationId: string, key: string): string {
  return `rln_${createHash('sha1').update(`${reconciliationId}\n${key}`).digest('hex').slice(0, 24)}`;
}

/**
 * A bill line or a booked payment/refund that did not simply match: only
 * differences are stored, in full, with what each side says. A line stays
 * open until the platform fixed it (auto_fixed) or a person resolved it.
 */
const reconciliationLineSchema = new Schema(
  {
    _id: { type: String, required: true },
    reconciliationId: { type: String, required: true },
    mchid: { type: String, required: true },
    day: { type: String, required: true },
    key: { type: String, required: true },
    kind: { type: String, enum: ['payment', 'refund'], required: true },
    outcome: { type: String, enum: RECONCILIATION_OUTCOMES, required: true },
    resolution: { type: String, enum: LINE_RESOLUTIONS, required: true },
    action: { type: String, default: null },
    resolvedBy: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    outTradeNo: { type: String, default: null },
    transactionId: { type: String, default: null },
    outRefundNo: { type: String, default: null },
    wechat: { type: Schema.Types.Mixed, default: null },
    platform: { type: Schema.Types.Mixed, default: null },
    evidence: { type: Schema.Types.Mixed, default: {} },
    summary: { type: String, required: true },
    orgPath: { type: [String], required: true },
    orderId: { type: String, default: null },
    refundId: { type: String, default: null },
    billId: { type: String, default: null },
    exceptionId: { type: String, default: null },
    version: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false },
);
reconciliationLineSchema.index({ reconciliationId: 1 });
reconciliationLineSchema.index({ orgPath: 1, resolution: 1 });
export const ReconciliationLineModel = defineModel('ReconciliationLine', 'reconciliation_lines', reconciliationLineSchema);

export interface WechatSide {
  time: string;
  status: string;
  amountFen: number;
  settledFen: number;
  feeMilliFen: number;
  bankType: string;
}

export interface PlatformSide {
  orderId: string | null;
  refundId: string | null;
  amountFen: number;
  status: string;
  /** The business day the platform booked it on. */
  day: string | null;
}

export type ReconciliationLineDoc = {
  _id: string;
  reconciliationId: string;
  mchid: string;
  day: string;
  key: string;
  kind: 'payment' | 'refund';
  outcome: ReconciliationOutcome;
  resolution: LineResolution;
  action: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  outTradeNo: string | null;
  transactionId: string | null;
  outRefundNo: string | null;
  wechat: WechatSide | null;
  platform: PlatformSide | null;
  evidence: Record<string, unknown>;
  summary: string;
  orgPath: string[];
  orderId: string | null;
  refundId: string | null;
  billId: string | null;
  exceptionId: string | null;
  version: number;
  createdAt: Date;
};
