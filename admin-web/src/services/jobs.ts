/**
 * Background job endpoints (imports and other long tasks).
 */
import { api } from './request.ts';
import { nullableStringField, numberField, objectOf, oneOf, stringField } from './shape.ts';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** `GET /admin/jobs/:id`; not in the shared contract yet (the server's `jobViewSchema`). */
export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  progress: { done: number; total: number; message: string };
  /** What the job produced (e.g. an `ImportSummary`); the caller parses it. */
  result: unknown;
  lastError: string | null;
}

export function parseJob(value: unknown): Job {
  const shape = objectOf(value, 'job');
  const progress = objectOf(shape['progress'], 'progress');
  return {
    id: stringField(shape, 'id'),
    type: stringField(shape, 'type'),
    status: oneOf(shape['status'], JOB_STATUSES, 'status'),
    progress: {
      done: numberField(progress, 'done'),
      total: numberField(progress, 'total'),
      message: typeof progress['message'] === 'string' ? progress['message'] : '',
    },
    result: shape['result'] ?? null,
    lastError: nullableStringField(shape, 'lastError'),
  };
}

/** `GET /api/v1/admin/jobs/:id`: status and progress of a background job. */
export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return api.get(`/admin/jobs/${encodeURIComponent(id)}`, { parse: parseJob, ...(signal ? { signal } : {}) });
}

/** How far a job is, in whole percent: 100 once it succeeded, 0 before it knows its total; never above 100. */
export function jobPercent(job: Pick<Job, 'status' | 'progress'> | null): number {
  if (!job) return 0;
  if (job.status === 'succeeded') return 100;
  const { done, total } = job.progress;
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((done * 100) / total)));
}
