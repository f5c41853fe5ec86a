import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

export const ORDER_STATUSES = ['PENDING', 'PAID', 'CLOSING', 'CLOSED', 'REFUNDED', 'PARTIALLY_REFUNDED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const allocationSchema = new Schema({ billId: { type: String, required: true }, amountFen: { type: Number, required: true } }, { _id: false });

/**
 * A WeChat Pay order for bills of one payee account. State moves only by
 * compare-and-set on `version`; `billsApplied` tells the repair job whether
 * a paid order's money has reached every bill.
 */
const orderSchema = new Schema(
  {
    _id: { type: String, required: true },
    outTradeNo: { type: String, required: true },
    parentId: { type: String, required: true },
    openid: { type: String, required: true },
    mchid: { type: String, required: true },
    payeeAccountId: { type: String, required: true },
    description: { type: String, required: true },
    allocations: { type: [allocationSchema], required: true },
    totalFen: { type: Number, required: true },
    status: { type: String, enum: ORDER_STATUSES, required: true },
    version: { type: Number, required: true, default: 1 },
    prepayId: { type: String, default: null },
    payParams: { type: Schema.Types.Mixed, default: null },
    expiresAt: { type: Date, required: true },
    paidAt: { type: Date, default: null },
    transactionId: { type: String, default: null },
    bankType: { type: String, default: null },
    billsApplied: { type: Boolean, default: false },
    refundedFen: { type: Number, default: 0 },
    closeReason: { type: String, default: null },
    orgPath: { type: [String], required: true },
    groupId: { type: String, required: true },
    receiptNo: { type: String, default: null },
    lastQueriedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
orderSchema.index({ outTradeNo: 1 }, { unique: true });
orderSchema.index({ status: 1, createdAt: 1 });
orderSchema.index({ parentId: 1, createdAt: -1 });
orderSchema.index({ transactionId: 1 });
orderSchema.index({ orgPath: 1, createdAt: -1 });
export const OrderModel = defineModel('Order', 'orders', orderSchema);

export type OrderDoc = {
  _id: string;
  outTradeNo: string;
  parentId: string;
  openid: string;
  mchid: string;
  payeeAccountId: string;
  description: string;
  allocations: { billId: string; amountFen: number }[];
  totalFen: number;
  status: OrderStatus;
  version: number;
  prepayId: string | null;
  payParams: Record<string, string> | null;
  expiresAt: Date;
  paidAt: Date | null;
  transactionId: string | null;
  bankType: string | null;
  billsApplied: boolean;
  refundedFen: number;
  closeReason: string | null;
  orgPath: string[];
  groupId: string;
  receiptNo: string | null;
  createdAt: Date;
};
