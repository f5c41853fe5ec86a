import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { GUARDIAN_RELATIONSHIPS, STUDENT_STATUSES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

const guardianLinkSchema = new Schema(
  {
    guardianId: { type: String, required: true },
    relationship: { type: String, enum: GUARDIAN_RELATIONSHIPS, required: true },
    primary: { type: Boolean, default: false },
  },
  { _id: false },
);

/**
 * A student, denormalised for scoped queries: `orgPath` is the class's
 * ancestry, so every staff list filters with one equality. The id derives
 * from (campus, student number), which makes imports idempotent.
 */
const studentSchema = new Schema(
  {
    _id: { type: String, required: true },
    studentNo: { type: String, required: true },
    name: { type: String, required: true },
    gender: { type: String, enum: ['male', 'female', null], default: null },
    idNumberEnc: { type: String, default: null },
    idNumberHash: { type: String, default: null },
    idNumberMasked: { type: String, default: null },
    status: { type: String, enum: STUDENT_STATUSES, default: 'enrolled' },
    classId: { type: String, required: true },
    campusId: { type: String, required: true },
    groupId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    inviteCode: { type: String, required: true },
    guardians: { type: [guardianLinkSchema], default: [] },
    guardianIds: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
studentSchema.index({ campusId: 1, studentNo: 1 }, { unique: true });
studentSchema.index({ inviteCode: 1 }, { unique: true });
studentSchema.index({ orgPath: 1 });
studentSchema.index({ classId: 1 });
studentSchema.index({ guardianIds: 1 });

export const StudentModel = defineModel('Student', 'students', studentSchema);

export function studentId(campusId: string, studentNo: string): string {
  return `stu_${createHash('sha256').update(`${campusId}\n${studentNo}`).digest('hex').slice(0, 24)}`;
}

const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** An 8-character code printed on the school's notice; derived from the id so re-imports keep it. */
export function inviteCodeFor(id: string): string {
  const digest = createHash('sha256').update(`invite\n${id}`).digest();
  let code = '';
  for (let i = 0; i < 8; i++) code += INVITE_ALPHABET[(digest[i] ?? 0) % INVITE_ALPHABET.length];
  return code;
}
