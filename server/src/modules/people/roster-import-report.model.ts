import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * The annotated copy of a roster file that failed validation, for the user to
 * download, fix and upload again. It holds the uploaded phone and identity
 * numbers, so the workbook is stored sealed (the personal-data cipher over its
 * base64), and only staff whose scope covers the uploader's node may fetch it.
 * Expired reports are pruned when new ones are written (no TTL indexes on FerretDB).
 */
const reportSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The uploader's scope node and its ancestry. */
    orgPath: { type: [String], required: true },
    createdBy: { type: String, required: true },
    filename: { type: String, required: true },
    badRows: { type: Number, required: true },
    errorCount: { type: Number, required: true },
    xlsxSealed: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);
reportSchema.index({ expiresAt: 1 });

export const RosterImportReportModel = defineModel('RosterImportReport', 'roster_import_reports', reportSchema);
