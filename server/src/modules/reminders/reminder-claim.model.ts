import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * "This parent is being reminded of this bill": written (in bulk) before the
 * message goes out, so a sender that stops mid-send leaves a trace and the
 * pair is not reminded again within the quiet period even though its outcome
 * is unknown. The id makes a retried run's claim a duplicate.
 */
const reminderClaimSchema = new Schema(
  {
    /** `${runId}:${parentId}:${billId}` */
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    messageId: { type: String, required: true },
    parentId: { type: String, required: true },
    billId: { type: String, required: true },
    groupId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
reminderClaimSchema.index({ groupId: 1, claimedAt: 1 });
reminderClaimSchema.index({ runId: 1 });
export const ReminderClaimModel = defineModel('ReminderClaim', 'reminder_claims', reminderClaimSchema);
