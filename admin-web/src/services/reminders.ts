/**
 * Payment reminder (催缴) endpoints: WeChat subscribe messages to the bound
 * parents of students with unpaid bills, one typed function each.
 */
import { reminderRunSchema, type CreateReminderRequest, type ReminderRun } from '@campuspay/shared';
import { api } from './request.ts';

const reminderRunListSchema = reminderRunSchema.array();

/**
 * `POST /api/v1/admin/reminders {target, scheduleAt?}` → 202 the run
 * (`scheduled`; it sends now, or at `scheduleAt`, as a job). A parent
 * reminded of a bill within the quiet period is skipped.
 */
export function createReminder(body: CreateReminderRequest): Promise<ReminderRun> {
  return api.post('/admin/reminders', body, { parse: (value) => reminderRunSchema.parse(value) });
}

/** `GET /api/v1/admin/reminders`: recent runs, newest first. */
export function listReminders(signal?: AbortSignal): Promise<ReminderRun[]> {
  return api.get('/admin/reminders', { parse: (value) => reminderRunListSchema.parse(value), ...(signal ? { signal } : {}) });
}

/** `GET /api/v1/admin/reminders/:id`: a run with its outcome counts. */
export function getReminder(id: string, signal?: AbortSignal): Promise<ReminderRun> {
  return api.get(`/admin/reminders/${encodeURIComponent(id)}`, { parse: (value) => reminderRunSchema.parse(value), ...(signal ? { signal } : {}) });
}
