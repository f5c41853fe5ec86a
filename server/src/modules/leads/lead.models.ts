import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { LEAD_STATUSES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/** A lead's id: opaque, stable per (bank, parent), and not the parent's id. */
export function leadId(bankId: string, parentId: string): string {
  return `lead_${createHash('sha256').update(`${bankId}\n${parentId}`).digest('hex').slice(0, 24)}`;
}

/**
 * A family (a WeChat parent and the children they bound, at one bank's
 * schools) that at least one tagging rule fired for, with each rule's
 * evidence. Recomputed as payments happen, on rule changes and nightly.
 * Holds no contact details: those live only in the consent, and a family
 * is shown as a lead only while that consent is granted (checked on every
 * read; `consented` here only narrows the query and the counts).
 */
const leadFamilySchema = new Schema(
  {
    _id: { type: String, required: true },
    bankId: { type: String, required: true },
    parentId: { type: String, required: true },
    /** Union of the children's ancestry down to the division, for scoping. */
    orgPath: { type: [String], required: true },
    schools: { type: [Schema.Types.Mixed], default: [] },
    tags: { type: [String], required: true },
    evidence: { type: Schema.Types.Mixed, required: true },
    consented: { type: Boolean, required: true, default: false },
    computedAt: { type: Date, required: true },
    rulesVersion: { type: Number, required: true },
  },
  { versionKey: false, minimize: false },
);
leadFamilySchema.index({ orgPath: 1, consented: 1 });
leadFamilySchema.index({ bankId: 1 });
leadFamilySchema.index({ parentId: 1 });
export const LeadFamilyModel = defineModel('LeadFamily', 'lead_families', leadFamilySchema);

export type LeadFamilyDoc = {
  _id: string;
  bankId: string;
  parentId: string;
  orgPath: string[];
  schools: { groupId: string; groupName: string; campusId: string; campusName: string; divisionId: string; divisionName: string; international: boolean }[];
  tags: string[];
  evidence: Record<string, { rule: string; summary: string; figures: Record<string, number | string | boolean | string[]> }[]>;
  consented: boolean;
  computedAt: Date;
  rulesVersion: number;
};

/** The bank's work on a consented lead: status and notes. Deleted when the parent withdraws consent. */
const leadStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: LEAD_STATUSES, required: true },
    notes: { type: [{ _id: false, at: Date, by: String, text: String }], default: [] },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, versionKey: false },
);
export const LeadStateModel = defineModel('LeadState', 'lead_states', leadStateSchema);

export type LeadStateDoc = { _id: string; status: (typeof LEAD_STATUSES)[number]; notes: { at: Date; by: string; text: string }[]; version: number };

/**
 * A staff list a school shared with the bank (payroll prospects), kept as
 * keyed phone hashes only. `_id` is the school group or campus.
 */
const staffListSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    orgPath: { type: [String], required: true },
    phoneHashes: { type: [String], default: [] },
    sharedBy: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
staffListSchema.index({ orgPath: 1 });
export const StaffListModel = defineModel('StaffList', 'insight_staff_lists', staffListSchema);
