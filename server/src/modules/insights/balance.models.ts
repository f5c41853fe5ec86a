import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * Daily account balances uploaded by the bank from its core system, for the
 * schools' settlement accounts (the payee accounts money settles to).
 * Account numbers are matched by keyed hash and never stored in the clear.
 */
const insightAccountSchema = new Schema(
  {
    _id: { type: String, required: true },
    accountHash: { type: String, required: true },
    accountMasked: { type: String, required: true },
    name: { type: String, required: true },
    /** The school the account belongs to (the payee account's node) and its ancestry. */
    schoolId: { type: String, required: true },
    orgPath: { type: [String], required: true },
  },
  { versionKey: false },
);
insightAccountSchema.index({ accountHash: 1 });
insightAccountSchema.index({ orgPath: 1 });
export const InsightAccountModel = defineModel('InsightAccount', 'insight_accounts', insightAccountSchema);

/** One account's balances of one month: `_id` = `${payeeAccountId}|${YYYY-MM}`, days "01".."31" → fen. */
const accountBalanceMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    month: { type: String, required: true },
    days: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
export const AccountBalanceMonthModel = defineModel('AccountBalanceMonth', 'insight_account_balances', accountBalanceMonthSchema);

/** Per node (bank, branch, school group, campus) and month: per day the summed balance and how many accounts reported. */
const nodeBalanceMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    month: { type: String, required: true },
    days: { type: Schema.Types.Mixed, default: {} },
    schools: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);
export const NodeBalanceMonthModel = defineModel('NodeBalanceMonth', 'insight_balance_months', nodeBalanceMonthSchema);

/** The baseline period chosen for a school (before it joined the platform) and its average balance then. */
const baselineSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    orgPath: { type: [String], required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    averageFen: { type: Number, default: null },
    daysWithData: { type: Number, default: 0 },
    setBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
baselineSchema.index({ orgPath: 1 });
export const BalanceBaselineModel = defineModel('BalanceBaseline', 'insight_baselines', baselineSchema);

export type NodeBalanceMonthDoc = { _id: string; nodeId: string; month: string; days: Record<string, [number, number]>; schools: string[] };
export type BaselineDoc = { _id: string; name: string; orgPath: string[]; from: string; to: string; averageFen: number | null; daysWithData: number; setBy: string };
