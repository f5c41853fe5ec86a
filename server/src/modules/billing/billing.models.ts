import { Schema } from 'mongoose';
import { BILL_STATUSES, CONCESSION_KINDS, FEE_CATEGORIES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/** Where a fee settles: the school's basic account, the canteen's, ... each with its WeChat Pay merchant. */
const payeeAccountSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    mchid: { type: String, required: true },
    bankName: { type: String, required: true },
    bankAccountEnc: { type: String, required: true },
    bankAccountMasked: { type: String, required: true },
    nodeId: { type: String, required: true },
    orgPath: { type: [String], required: true },
  },
  { timestamps: true, versionKey: false },
);
payeeAccountSchema.index({ orgPath: 1 });
payeeAccountSchema.index({ mchid: 1 });
export const PayeeAccountModel = defineModel('PayeeAccount', 'payee_accounts', payeeAccountSchema);

const priceSchema = new Schema({ nodeId: { type: String, required: true }, amountFen: { type: Number, required: true } }, { _id: false });

const feeItemSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    name: { type: String, required: true },
    category: { type: String, enum: FEE_CATEGORIES, required: true },
    period: { type: Schema.Types.Mixed, required: true },
    periodKey: { type: String, required: true },
    prices: { type: [priceSchema], required: true },
    dueDate: { type: String, required: true },
    mandatory: { type: Boolean, required: true },
    allowPartial: { type: Boolean, required: true },
    minPaymentFen: { type: Number, default: null },
    refundable: { type: Boolean, required: true },
    payeeAccountId: { type: String, required: true },
    description: { type: String, default: '' },
    archived: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);
feeItemSchema.index({ orgPath: 1 });
export const FeeItemModel = defineModel('FeeItem', 'fee_items', feeItemSchema);

const concessionSchema = new Schema(
  {
    id: { type: String, required: true },
    kind: { type: String, enum: CONCESSION_KINDS, required: true },
    label: { type: String, required: true },
    amountFen: { type: Number, required: true },
    reason: { type: String, default: '' },
    status: { type: String, enum: ['applied', 'pending_approval', 'rejected'], required: true },
    requestedBy: { type: String, default: null },
    decidedBy: { type: String, default: null },
  },
  { _id: false },
);

/**
 * One bill per (student, fee item, period), enforced by the id and a unique
 * index. It snapshots the fee item, so editing the item never changes bills.
 * Its figures always satisfy due − concession = paid − refunded + outstanding;
 * `version` orders every change (compare-and-set) and `ledgerIds` makes
 * applying a ledger entry idempotent.
 */
const billSchema = new Schema(
  {
    _id: { type: String, required: true },
    studentId: { type: String, required: true },
    studentNo: { type: String, required: true },
    studentName: { type: String, required: true },
    orgPath: { type: [String], required: true },
    campusId: { type: String, required: true },
    groupId: { type: String, required: true },
    feeItemId: { type: String, required: true },
    feeItemName: { type: String, required: true },
    category: { type: String, enum: FEE_CATEGORIES, required: true },
    period: { type: String, required: true },
    periodLabel: { type: String, required: true },
    payeeAccountId: { type: String, required: true },
    dueDate: { type: String, required: true },
    mandatory: { type: Boolean, required: true },
    allowPartial: { type: Boolean, required: true },
    minPaymentFen: { type: Number, default: null },
    refundable: { type: Boolean, required: true },
    amountDueFen: { type: Number, required: true },
    concessionFen: { type: Number, required: true, default: 0 },
    paidFen: { type: Number, required: true, default: 0 },
    refundedFen: { type: Number, required: true, default: 0 },
    outstandingFen: { type: Number, required: true },
    status: { type: String, enum: BILL_STATUSES, required: true },
    concessions: { type: [concessionSchema], default: [] },
    published: { type: Boolean, default: false },
    batchId: { type: String, default: null },
    version: { type: Number, required: true, default: 1 },
    ledgerIds: { type: [String], default: [] },
    /** Ledger entries committed with this bill's figures but not yet confirmed in the ledger collection (crash recovery). */
    pendingLedger: { type: [Schema.Types.Mixed], default: [] },
    /** The order currently open for this bill at WeChat Pay, if any: at most one. */
    openOrderId: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
billSchema.index({ studentId: 1, feeItemId: 1, period: 1 }, { unique: true });
billSchema.index({ orgPath: 1, status: 1 });
billSchema.index({ feeItemId: 1 });
billSchema.index({ studentId: 1, published: 1 });
billSchema.index({ pendingLedgerCount: 1 });
billSchema.add({ pendingLedgerCount: { type: Number, default: 0 } });
export const BillModel = defineModel('Bill', 'bills', billSchema);

const billBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    feeItemId: { type: String, required: true },
    feeItemName: { type: String, required: true },
    orgPath: { type: [String], required: true },
    target: { type: Schema.Types.Mixed, required: true },
    concessionRuleIds: { type: [String], default: [] },
    note: { type: String, default: '' },
    status: { type: String, enum: ['draft', 'publishing', 'published'], required: true },
    preview: { type: Schema.Types.Mixed, required: true },
    jobId: { type: String, default: null },
    createdBy: { type: String, required: true },
    publishedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
billBatchSchema.index({ orgPath: 1 });
export const BillBatchModel = defineModel('BillBatch', 'bill_batches', billBatchSchema);

const concessionRuleSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    kind: { type: String, enum: CONCESSION_KINDS, required: true },
    label: { type: String, required: true },
    percentBp: { type: Number, default: null },
    amountFen: { type: Number, default: null },
    order: { type: Number, default: 0 },
    categories: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
concessionRuleSchema.index({ orgPath: 1 });
export const ConcessionRuleModel = defineModel('ConcessionRule', 'concession_rules', concessionRuleSchema);
