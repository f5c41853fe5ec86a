import { Schema } from 'mongoose';
import { REMINDER_OUTCOMES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/**
 * The outcome of one subscribe message: one per (run, parent, student),
 * covering that student's unpaid bills. `refused` is WeChat's 43101 (the
 * parent has no subscription left for the template); `failed` keeps
 * WeChat's errcode, or null when WeChat could not be reached.
 */
const reminderMessageSchema = new Schema(
  {
    /** `${runId}:${parentId}:${studentId}` */
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    parentId: { type: String, required: true },
    openid: { type: String, required: true },
    studentId: { type: String, required: true },
    billIds: { type: [String], required: true },
    outstandingFen: { type: Number, required: true },
    outcome: { type: String, enum: REMINDER_OUTCOMES, required: true },
    errcode: { type: Number, default: null },
    errmsg: { type: String, default: null },
    msgid: { type: String, default: null },
    groupId: { type: String, required: true },
    orgPath: { type: [String], required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
reminderMessageSchema.index({ runId: 1 });
reminderMessageSchema.index({ groupId: 1, at: 1 });
export const ReminderMessageModel = defineModel('ReminderMessage', 'reminder_messages', reminderMessageSchema);
