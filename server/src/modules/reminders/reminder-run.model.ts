import { Schema } from 'mongoose';
import { REMINDER_RUN_STATUSES } from '@campuspay/shared';
import { defineModel } from '../../platform/db/connection.ts';

/** One reminder request (催缴): what it targets, when it runs, and what it achieved. */
const reminderRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The target node's ancestry, for scoping who may see the run. */
    orgPath: { type: [String], required: true },
    target: { type: Schema.Types.Mixed, required: true },
    scheduleAt: { type: Date, default: null },
    status: { type: String, enum: REMINDER_RUN_STATUSES, required: true },
    jobId: { type: String, required: true },
    createdBy: { type: String, required: true },
    quietHours: { type: Number, required: true },
    /** Set once the run has looked at the bills; sent/refused/failed are counted from the messages. */
    counts: { type: Schema.Types.Mixed, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
reminderRunSchema.index({ orgPath: 1, createdAt: -1 });
export const ReminderRunModel = defineModel('ReminderRun', 'reminder_runs', reminderRunSchema);
