import { Schema } from 'mongoose';
import { defineModel } from '../../platform/db/connection.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const jobSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: JOB_STATUSES, required: true, default: 'queued' },
    runAt: { type: Date, required: true },
    attempts: { type: Number, required: true, default: 0 },
    maxAttempts: { type: Number, required: true, default: 5 },
    leaseOwner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    progress: {
      done: { type: Number, default: 0 },
      total: { type: Number, default: 0 },
      message: { type: String, default: '' },
    },
    result: { type: Schema.Types.Mixed, default: null },
    lastError: { type: String, default: null },
    /** The organisation node the job belongs to, so staff see only their own jobs. */
    scopeNodeId: { type: String, default: null },
    createdBy: { type: String, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
jobSchema.index({ status: 1, runAt: 1 });
jobSchema.index({ type: 1, createdAt: -1 });

export const JobModel = defineModel('Job', 'jobs', jobSchema);

const scheduleSchema = new Schema(
  {
    _id: { type: String, required: true },
    cron: { type: String, required: true },
    type: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    nextRunAt: { type: Date, required: true },
  },
  { timestamps: true, versionKey: false },
);

export const JobScheduleModel = defineModel('JobSchedule', 'job_schedules', scheduleSchema);
