import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * One accepted bill-import file. The id derives from the file's bytes, so
 * uploading the same file again finds this record (and issues nothing new);
 * bills issued by it carry the id as their `batchId`.
 */
const billImportSchema = new Schema(
  {
    _id: { type: String, required: true },
    filename: { type: String, required: true },
    fileSha256: { type: String, required: true },
    rows: { type: Number, required: true },
    issued: { type: Number, required: true },
    unchanged: { type: Number, required: true },
    issuedFen: { type: Number, required: true },
    orgPath: { type: [String], required: true },
    createdBy: { type: String, required: true },
    uploads: { type: Number, default: 1 },
  },
  { timestamps: true, versionKey: false },
);
billImportSchema.index({ orgPath: 1 });
export const BillImportModel = defineModel('BillImport', 'bill_imports', billImportSchema);
