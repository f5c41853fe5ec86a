import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

const receiptLineSchema = new Schema(
  { billId: String, feeItemName: String, periodLabel: String, amountFen: Number },
  { _id: false },
);

/**
 * A receipt per successful payment (counter or online). The number is
 * derived from the payment, so issuing twice yields the same receipt; the
 * verification code lets anyone holding the paper check it publicly.
 * `fiscalStatus` is the seam for provincial fiscal e-bills (电子票据).
 */
const receiptSchema = new Schema(
  {
    _id: { type: String, required: true },
    source: { type: String, enum: ['counter', 'online'], required: true },
    sourceId: { type: String, required: true },
    schoolName: { type: String, required: true },
    campusName: { type: String, required: true },
    studentId: { type: String, required: true },
    studentName: { type: String, required: true },
    studentNo: { type: String, required: true },
    className: { type: String, default: '' },
    payerName: { type: String, default: null },
    lines: { type: [receiptLineSchema], required: true },
    totalFen: { type: Number, required: true },
    method: { type: String, required: true },
    transactionId: { type: String, default: null },
    reference: { type: String, default: null },
    paidAt: { type: Date, required: true },
    verificationCode: { type: String, required: true },
    orgPath: { type: [String], required: true },
    voided: { type: Boolean, default: false },
    fiscalStatus: { type: String, enum: ['not_required', 'pending', 'issued', 'failed'], default: 'not_required' },
  },
  { timestamps: true, versionKey: false },
);
receiptSchema.index({ sourceId: 1 }, { unique: true });
receiptSchema.index({ studentId: 1 });
export const ReceiptModel = defineModel('Receipt', 'receipts', receiptSchema);
