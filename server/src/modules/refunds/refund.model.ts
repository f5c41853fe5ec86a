import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

export const REFUND_STATUSES = ['PENDING_APPROVAL', 'SUBMITTING', 'PROCESSING', 'SUCCESS', 'ABNORMAL', 'CLOSED', 'REJECTED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * A refund of (part of) one bill, by the route the money came: the WeChat
 * order it was paid in, or the counter. `outRefundNo` is fixed at creation
 * and reused on every retry, so WeChat refunds it once.
 */
const refundSchema = new Schema(
  {
    _id: { type: String, required: true },
    outRefundNo: { type: String, required: true },
    billId: { type: String, required: true },
    orderId: { type: String, default: null },
    channel: { type: String, enum: ['wechat', 'counter'], required: true },
    amountFen: { type: Number, required: true },
    reason: { type: String, required: true },
    status: { type: String, enum: REFUND_STATUSES, required: true },
    automatic: { type: Boolean, default: false },
    requestedBy: { type: String, default: null },
    approvedBy: { type: String, default: null },
    wechatRefundId: { type: String, default: null },
    lastError: { type: String, default: null },
    orgPath: { type: [String], required: true },
    version: { type: Number, default: 1 },
    completedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
refundSchema.index({ outRefundNo: 1 }, { unique: true });
refundSchema.index({ billId: 1 });
refundSchema.index({ orderId: 1 });
refundSchema.index({ status: 1 });
refundSchema.index({ orgPath: 1, createdAt: -1 });
export const RefundModel = defineModel('Refund', 'refunds', refundSchema);

export type RefundDoc = {
  _id: string;
  outRefundNo: string;
  billId: string;
  orderId: string | null;
  channel: 'wechat' | 'counter';
  amountFen: number;
  reason: string;
  status: RefundStatus;
  automatic: boolean;
  requestedBy: string | null;
  approvedBy: string | null;
  wechatRefundId: string | null;
  lastError: string | null;
  orgPath: string[];
  version: number;
  createdAt: Date;
  completedAt: Date | null;
};
