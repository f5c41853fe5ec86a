import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * The insight rollups. Money lands on bills in one place (the ledger's
 * `apply`); each ledger entry written there is recorded here once, keyed by
 * the entry's id, and folded into per-node daily figures by one background
 * folder at a time. See rollups.service.ts for the protocol.
 */

/** Permanent, insert-only: the ledger entry was recorded (the idempotency guard), and whether it has been folded. */
const contributionSchema = new Schema(
  {
    _id: { type: String, required: true },
    folded: { type: Boolean, required: true, default: false },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const InsightContributionModel = defineModel('InsightContribution', 'insight_contributions', contributionSchema);

/** Transient: an entry recorded and not folded yet, with what the folder needs. Small by design (the folder scans it). */
const unfoldedSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    method: { type: String, required: true },
    amountFen: { type: Number, required: true },
    day: { type: String, required: true },
    ancestry: { type: [String], required: true },
    studentId: { type: String, required: true },
    billId: { type: String, required: true },
    orderId: { type: String, default: null },
    bankType: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const InsightUnfoldedModel = defineModel('InsightUnfolded', 'insight_unfolded', unfoldedSchema);

/** Transient: a planned fold, frozen before it is applied, so a crash mid-way resumes the same plan. */
const foldBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    entries: { type: [String], required: true },
    months: { type: Schema.Types.Mixed, required: true },
    ranks: { type: Schema.Types.Mixed, required: true },
    markers: { type: Schema.Types.Mixed, required: true },
    studentIds: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export const InsightFoldBatchModel = defineModel('InsightFoldBatch', 'insight_fold_batches', foldBatchSchema);

/**
 * Figures of one node (bank, branch, school group, campus) for one month,
 * `_id` = `${nodeId}|${YYYY-MM}` (`${nodeId}|ALL` = since the start), by day
 * ("01".."31"): so a dashboard over a term reads a handful of documents by
 * `_id` (the one filter FerretDB's SQLite backend pushes down). Each day
 * holds `f` (the figures, see figures.ts), `ch` the same per child node
 * (for drilling down without reading the children) and `cards` WeChat
 * bank_type → [transactions, fen].
 */
const insightMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    month: { type: String, required: true },
    d: { type: Schema.Types.Mixed, default: {} },
    /** The last fold batches applied, so a resumed batch is never applied twice. */
    batches: { type: [String], default: [] },
    version: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, minimize: false },
);
export const InsightMonthModel = defineModel('InsightMonth', 'insight_months', insightMonthSchema);

/** Per bank or branch and month: by day, the figures of every campus below it (packed, see packRankDay), for ranking schools. */
const insightRankMonthSchema = new Schema(
  {
    _id: { type: String, required: true },
    nodeId: { type: String, required: true },
    month: { type: String, required: true },
    d: { type: Schema.Types.Mixed, default: {} },
    batches: { type: [String], default: [] },
    version: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, minimize: false },
);
export const InsightRankMonthModel = defineModel('InsightRankMonth', 'insight_rank_months', insightRankMonthSchema);

/**
 * "First time" markers: `payer:${parentId}` holds, per campus and per school
 * group, the earliest (day, entry) the parent paid online there;
 * `live:${campusId}` the campus's first online payment. Whichever entry is
 * earliest holds the credit, so folding in any order and rebuilding agree.
 */
const insightMarkerSchema = new Schema(
  {
    _id: { type: String, required: true },
    holders: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);
export const InsightMarkerModel = defineModel('InsightMarker', 'insight_markers', insightMarkerSchema);
