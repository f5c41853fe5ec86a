import { z } from 'zod';

/** Payment reminders (催缴) sent to bound parents as WeChat subscribe messages. */

export const reminderTargetSchema = z.object({
  /** A campus, division, grade or class inside the user's scope; the whole scope when absent. */
  nodeId: z.string().min(1).optional(),
  feeItemId: z.string().min(1).optional(),
  /** Only bills past their due date. */
  overdueOnly: z.boolean().default(false),
});
export type ReminderTarget = z.infer<typeof reminderTargetSchema>;

/** How far ahead a reminder may be scheduled. */
export const MAX_REMINDER_SCHEDULE_DAYS = 30;

export const createReminderSchema = z.object({
  target: reminderTargetSchema.default({ overdueOnly: false }),
  /** ISO 8601 with offset; runs now when absent. */
  scheduleAt: z.iso.datetime({ offset: true, message: '发送时间应为带时区的 ISO 8601 时间' }).optional(),
});
export type CreateReminderRequest = z.input<typeof createReminderSchema>;

export const REMINDER_RUN_STATUSES = ['scheduled', 'running', 'done', 'failed'] as const;
export const reminderRunStatusSchema = z.enum(REMINDER_RUN_STATUSES);
export type ReminderRunStatus = z.infer<typeof reminderRunStatusSchema>;

export const REMINDER_OUTCOMES = ['sent', 'refused', 'failed'] as const;
export const reminderOutcomeSchema = z.enum(REMINDER_OUTCOMES);
export type ReminderOutcome = z.infer<typeof reminderOutcomeSchema>;
export const REMINDER_OUTCOME_LABELS: Record<ReminderOutcome, string> = {
  sent: '已发送',
  refused: '家长未订阅（43101）',
  failed: '发送失败',
};

export const reminderCountsSchema = z.object({
  /** Unpaid bills the target matched when the run started. */
  bills: z.number().int(),
  /** Of those, bills whose student has no parent bound in the mini-program. */
  unboundBills: z.number().int(),
  /** (parent, bill) pairs skipped because that parent was reminded of that bill within the quiet period. */
  quiet: z.number().int(),
  /** Messages attempted: one per (parent, student), covering that student's bills. */
  messages: z.number().int(),
  sent: z.number().int(),
  refused: z.number().int(),
  failed: z.number().int(),
  /** Attempts whose outcome is unknown (the sender stopped mid-send); never retried within the quiet period. */
  unknown: z.number().int(),
});
export type ReminderCounts = z.infer<typeof reminderCountsSchema>;

export const reminderRunSchema = z.object({
  id: z.string(),
  status: reminderRunStatusSchema,
  target: reminderTargetSchema,
  scheduleAt: z.string().nullable(),
  jobId: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  quietHours: z.number(),
  counts: reminderCountsSchema,
  /** Failures by WeChat errcode ("-1", "47003", "network"). */
  failuresByErrcode: z.record(z.string(), z.number().int()),
  lastError: z.string().nullable(),
});
export type ReminderRun = z.infer<typeof reminderRunSchema>;
