import { Schema } from 'mongoose';
import { PAYMENT_METHODS } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

export const LEDGER_KINDS = ['payment', 'refund', 'reversal'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * The money ledger: immutable entries with deterministic ids (a WeChat
 * transaction and bill, a counter payment id, ...), so the same event can
 * never be recorded twice. Amounts are positive fen; the kind gives the
 * direction. Denormalised scope and day keys serve reports and rollups.
 */
const ledgerEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: LEDGER_KINDS, required: true },
    method: { type: String, enum: PAYMENT_METHODS, required: true },
    billId: { type: String, required: true },
    amountFen: { type: Number, required: true },
    at: { type: Date, required: true },
    day: { type: String, required: true },
    payeeAccountId: { type: String, required: true },
    feeItemId: { type: String, required: true },
    studentId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    campusId: { type: String, required: true },
    groupId: { type: String, required: true },
    orderId: { type: String, default: null },
    refundId: { type: String, default: null },
    offlinePaymentId: { type: String, default: null },
    transactionId: { type: String, default: null },
    bankType: { type: String, default: null },
    actorId: { type: String, default: null },
    reference: { type: String, default: null },
  },
  { versionKey: false },
);
ledgerEntrySchema.index({ billId: 1 });
ledgerEntrySchema.index({ orgPath: 1, day: 1 });
ledgerEntrySchema.index({ payeeAccountId: 1, day: 1 });
ledgerEntrySchema.index({ orderId: 1 });
export const LedgerEntryModel = defineModel('LedgerEntry', 'ledger_entries', ledgerEntrySchema);
