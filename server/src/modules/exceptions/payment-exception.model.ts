import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

export const EXCEPTION_KINDS = [
  'double_payment',
  'amount_mismatch',
  'pending_too_long',
  'abnormal_refund',
  'notification_rejected',
  'reconciliation_difference',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** One queue for everything about money that needs a person: each item with its evidence and what was done. */
const paymentExceptionSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: EXCEPTION_KINDS, required: true },
    status: { type: String, enum: ['open', 'resolved'], default: 'open' },
    summary: { type: String, required: true },
    evidence: { type: Schema.Types.Mixed, default: {} },
    orgPath: { type: [String], default: [] },
    orderId: { type: String, default: null },
    billId: { type: String, default: null },
    refundId: { type: String, default: null },
    actions: { type: [Schema.Types.Mixed], default: [] },
    resolvedBy: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    resolution: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
paymentExceptionSchema.index({ orgPath: 1, status: 1 });
paymentExceptionSchema.index({ kind: 1, status: 1 });
export const PaymentExceptionModel = defineModel('PaymentException', 'payment_exceptions', paymentExceptionSchema);
