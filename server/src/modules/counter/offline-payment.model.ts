import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/** A payment taken at the counter; its ledger entries carry the money, this records who took it and how. */
const offlinePaymentSchema = new Schema(
  {
    _id: { type: String, required: true },
    billId: { type: String, required: true },
    amountFen: { type: Number, required: true },
    method: { type: String, enum: ['cash', 'pos', 'transfer'], required: true },
    reference: { type: String, default: null },
    payerName: { type: String, default: null },
    cashierId: { type: String, required: true },
    cashierName: { type: String, required: true },
    receiptNo: { type: String, required: true },
    day: { type: String, required: true },
    orgPath: { type: [String], required: true },
    reversed: { type: Boolean, default: false },
    reversedAt: { type: Date, default: null },
    reversedBy: { type: String, default: null },
    reverseReason: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
offlinePaymentSchema.index({ orgPath: 1, day: 1 });
offlinePaymentSchema.index({ billId: 1 });
export const OfflinePaymentModel = defineModel('OfflinePayment', 'offline_payments', offlinePaymentSchema);
