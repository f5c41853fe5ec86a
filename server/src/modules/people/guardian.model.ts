import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * A guardian as the school knows them. Phone and identity numbers are stored
 * only encrypted, with a keyed hash for lookups and a mask for lists. One
 * guardian per phone number per school group, so a parent with children on
 * several campuses is one person.
 */
const guardianSchema = new Schema(
  {
    _id: { type: String, required: true },
    groupId: { type: String, required: true },
    name: { type: String, required: true },
    phoneEnc: { type: String, required: true },
    phoneHash: { type: String, required: true },
    phoneMasked: { type: String, required: true },
    idNumberEnc: { type: String, default: null },
    idNumberHash: { type: String, default: null },
    idNumberMasked: { type: String, default: null },
    /** Union of the children's ancestry, so staff scoping works on guardians too. */
    orgPath: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
guardianSchema.index({ groupId: 1, phoneHash: 1 }, { unique: true });
guardianSchema.index({ phoneHash: 1 });
guardianSchema.index({ orgPath: 1 });

export const GuardianModel = defineModel('Guardian', 'guardians', guardianSchema);

export function guardianId(groupId: string, phoneHash: string): string {
  return `gdn_${createHash('sha256').update(`${groupId}\n${phoneHash}`).digest('hex').slice(0, 24)}`;
}
