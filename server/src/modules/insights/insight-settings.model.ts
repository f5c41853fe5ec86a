import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * A bank's insight settings, kept by its platform admins: its own codes in
 * WeChat's bank_type, the fee rate for the settlement estimate, the lead
 * tagging rules (thresholds are data, not code) and the marketing-consent
 * text with its version. `_id` is the bank node.
 */
const insightSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    ownBankCodes: { type: [String], default: [] },
    wechatFeeRateBp: { type: Number, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    consent: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true, default: 1 },
    updatedBy: { type: String, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
export const InsightSettingsModel = defineModel('InsightSettings', 'insight_settings', insightSettingsSchema);

/**
 * The organisation as the dashboards need it (banks, branches, school
 * groups, campuses only), with names along the path, direct children, and
 * the roster counts taken by the registry job, so a dashboard never scans
 * the organisation, the students or the parents.
 */
const insightNodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    name: { type: String, required: true },
    parentId: { type: String, default: null },
    path: { type: [String], required: true },
    pathNames: { type: [String], required: true },
    children: { type: [{ _id: false, id: String, name: String, kind: String }], default: [] },
    campuses: { type: Number, default: 0 },
    students: { type: Number, default: 0 },
    parents: { type: Number, default: 0 },
    countedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export const InsightNodeModel = defineModel('InsightNode', 'insight_nodes', insightNodeSchema);

export type InsightNodeDoc = {
  _id: string;
  kind: 'bank' | 'branch' | 'school_group' | 'campus';
  name: string;
  parentId: string | null;
  path: string[];
  pathNames: string[];
  children: { id: string; name: string; kind: 'bank' | 'branch' | 'school_group' | 'campus' }[];
  campuses: number;
  students: number;
  parents: number;
  countedAt: Date | null;
};
