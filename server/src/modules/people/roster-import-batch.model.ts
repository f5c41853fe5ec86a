import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * Validated roster rows waiting for their import job, in parts of a few
 * thousand rows (`<jobId>#<n>`) so no document nears the 16 MB limit. Rows
 * are gzipped JSON sealed with the personal-data cipher. Part 0 also records
 * the write plan's counts (so a retried job reports what the first attempt
 * found) and the outcome; the rows are dropped once the job has written them.
 */
const batchSchema = new Schema(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    part: { type: Number, required: true },
    rowsSealed: { type: String, default: null },
    plan: { type: Schema.Types.Mixed, default: null },
    summary: { type: Schema.Types.Mixed, default: null },
    audited: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);
batchSchema.index({ createdAt: 1 });

export const RosterImportBatchModel = defineModel('RosterImportBatch', 'roster_import_batches', batchSchema);

export const batchPartId = (jobId: string, part: number) => `${jobId}#${part}`;
