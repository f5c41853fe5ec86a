import { Schema } from 'mongoose';
import { ORG_NODE_KINDS } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * One collection for the whole organisation tree. `path` holds the ancestry
 * including the node itself, so "everything under X" is the equality query
 * `{path: X}`, cheap on MongoDB (multikey index) and on FerretDB.
 */
const orgNodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ORG_NODE_KINDS, required: true },
    name: { type: String, required: true },
    parentId: { type: String, default: null },
    path: { type: [String], required: true },
    schoolCode: { type: String, default: null },
    level: { type: Number, default: null },
    international: { type: Boolean, default: false },
    sortOrder: { type: Number, default: 0 },
    archived: { type: Boolean, default: false },
  },
  { timestamps: true, versionKey: false },
);
orgNodeSchema.index({ path: 1 });
orgNodeSchema.index({ parentId: 1 });
// Unique school codes; nodes without one store a per-node placeholder so the
// index stays unique without a partial index (FerretDB has none).
orgNodeSchema.index({ schoolCodeKey: 1 }, { unique: true });
orgNodeSchema.add({ schoolCodeKey: { type: String, required: true } });
orgNodeSchema.index({ parentId: 1, nameKey: 1 }, { unique: true });
orgNodeSchema.add({ nameKey: { type: String, required: true } });

export const OrgNodeModel = defineModel('OrgNode', 'org_nodes', orgNodeSchema);
