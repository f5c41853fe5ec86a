import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { CronExpressionParser } from 'cron-parser';
import { BUSINESS_TIMEZONE } from '@campuspay/shared';
import type { Logger } from '../../logger.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { JobModel, JobScheduleModel, type JobStatus } from './job.model.ts';

export interface JobView {
  id: string;
  type: string;
  status: JobStatus;
  attempts: number;
  progress: { done: number; total: number; message: string };
  result: unknown;
  lastError: string | null;
  runAt: Date;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobRunContext {
  jobId: string;
  attempt: number;
  /** Records progress; throws LeaseLostError when another instance took the job over. */
  progress(done: number, total: number, message?: string): Promise<void>;
  /** Aborted when the instance shuts down or loses the lease. */
  signal: AbortSignal;
  log: Logger;
}

export type JobHandler = (payload: Record<string, unknown>, run: JobRunContext) => Promise<unknown>;

export interface EnqueueOptions {
  /** A deterministic id makes enqueueing idempotent: the same id never runs twice. */
  id?: string;
  runAt?: Date;
  maxAttempts?: number;
  scopeNodeId?: string;
  createdBy?: string;
}

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export interface JobQueueOptions {
  instanceId?: string;
  leaseMs: number;
  pollMs: number;
  /** Jobs one instance runs at the same time. */
  concurrency?: number;
  /** First retry delay; doubles on each attempt, capped at an hour. */
  backoffBaseMs?: number;
  now?: () => Date;
}

interface ScheduleDefinition {
  name: string;
  cron: string;
  type: string;
  payload: Record<string, unknown>;
}

type JobDoc = {
  _id: string;
  type: string;
  payload?: unknown;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progress?: { done?: number | null; total?: number | null; message?: string | null } | null;
  result?: unknown;
  lastError?: string | null;
  runAt: Date;
  createdAt?: Date;
  finishedAt?: Date | null;
};

function toView(doc: JobDoc): JobView {
  return {
    id: doc._id,
    type: doc.type,
    status: doc.status,
    attempts: doc.attempts,
    progress: { done: doc.progress?.done ?? 0, total: doc.progress?.total ?? 0, message: doc.progress?.message ?? '' },
    result: doc.result ?? null,
    lastError: doc.lastError ?? null,
    runAt: doc.runAt,
    createdAt: doc.createdAt ?? doc.runAt,
    finishedAt: doc.finishedAt ?? null,
  };
}

/** A lock held by another instance means someone else is on it: move on. */
function skipWhenBusy(error: unknown): null {
  if (error instanceof AppError && error.code === 'STATE_CONFLICT') return null;
  throw error;
}

export function nextCronRun(cron: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: BUSINESS_TIMEZONE }).next().toDate();
}

/**
 * Background jobs kept in the database. Any number of server instances poll
 * the same collection; a job is taken by a compare-and-set that grants a time
 * lease, so exactly one instance runs it at a time. A crashed instance's
 * lease expires and the job is retried elsewhere. Scheduled jobs are enqueued
 * under a deterministic id per due time, so only one instance enqueues each.
 */
export class JobQueue {
  readonly instanceId: string;
  private readonly handlers = new Map<string, { handler: JobHandler; maxAttempts: number }>();
  private readonly schedules: ScheduleDefinition[] = [];
  private readonly intervals: { name: string; everyMs: number; type: string; lastSlot: number }[] = [];
  private readonly options: Required<Omit<JobQueueOptions, 'instanceId'>>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly shutdown = new AbortController();
  private stopped = true;
  private polling = false;
  private pollAgain = false;
  private lastStaleCheck = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Connection,
    private readonly log: Logger,
    options: JobQueueOptions,
  ) {
    this.instanceId = options.instanceId ?? `instance-${randomUUID().slice(0, 8)}`;
    this.options = { backoffBaseMs: 5000, concurrency: 4, now: () => new Date(), ...options };
  }

  private get jobs() {
    return JobModel(this.db);
  }

  register(type: string, handler: JobHandler, { maxAttempts = 5 }: { maxAttempts?: number } = {}): void {
    if (this.handlers.has(type)) throw new Error(`Job type ${type} is registered twice`);
    this.handlers.set(type, { handler, maxAttempts });
  }

  /** Declares a cron schedule (Asia/Shanghai) whose runs enqueue `type`. */
  schedule(name: string, cron: string, type: string, payload: Record<string, unknown> = {}): void {
    nextCronRun(cron, new Date());
    this.schedules.push({ name, cron, type, payload });
  }

  /**
   * Runs `type` every `seconds`, cluster-wide: each time slot's job has a
   * deterministic id, so however many instances poll, one job runs per slot.
   */
  every(name: string, seconds: number, type: string): void {
    this.intervals.push({ name, everyMs: seconds * 1000, type, lastSlot: -1 });
  }

  private async enqueueDueIntervals(): Promise<void> {
    const now = this.options.now().getTime();
    for (const interval of this.intervals) {
      const slot = Math.floor(now / interval.everyMs);
      if (slot === interval.lastSlot) continue;
      await this.enqueue(interval.type, {}, { id: `${interval.name}@${slot}`, maxAttempts: 1 });
      interval.lastSlot = slot;
    }
  }

  async enqueue(type: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<JobView> {
    const id = options.id ?? randomUUID();
    const doc = {
      _id: id,
      type,
      payload,
      status: 'queued' as const,
      runAt: options.runAt ?? this.options.now(),
      attempts: 0,
      maxAttempts: options.maxAttempts ?? this.handlers.get(type)?.maxAttempts ?? 5,
      scopeNodeId: options.scopeNodeId ?? null,
      createdBy: options.createdBy ?? null,
    };
    try {
      const created = await this.jobs.create(doc);
      this.wake(type);
      return toView(created.toObject() as JobDoc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return this.get(id);
    }
  }

  async get(id: string): Promise<JobView> {
    const doc = await this.jobs.findById(id).lean<JobDoc>();
    if (!doc) throw notFound('任务');
    return toView(doc);
  }

  async start(): Promise<void> {
    await this.syncSchedules();
    this.stopped = false;
    this.timer = setTimeout(this.tick, 0);
  }

  private readonly tick = async (): Promise<void> => {
    if (this.stopped) return;
    this.polling = true;
    this.running = this.pollUntilIdle().catch((error) => this.log.error({ err: error }, 'job poll failed'));
    await this.running;
    this.polling = false;
    const again = this.pollAgain;
    this.pollAgain = false;
    if (!this.stopped) this.timer = setTimeout(this.tick, again ? 0 : this.options.pollMs);
  };

  /**
   * A job enqueued by this instance starts without waiting for the next poll,
   * so the poll interval only bounds how soon other instances' jobs are seen.
   */
  private wake(type: string): void {
    if (this.stopped || !this.handlers.has(type)) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  }

  /** Stops polling and waits for the job in hand; its lease is released so another instance can resume it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.shutdown.abort();
    await this.running;
  }

  private async pollUntilIdle(): Promise<void> {
    await this.enqueueDueSchedules();
    await this.enqueueDueIntervals();
    // An idle poll is one look at the queue; only when it finds work do the other workers join, side by side,
    // so one slow job does not hold up the rest.
    const first = await this.claimNext();
    if (!first) return;
    const worker = async (job: JobDoc | null) => {
      for (let next = job; next; next = this.stopped ? null : await this.claimNext()) await this.execute(next);
    };
    const more = async () => worker(await this.claimNext());
    await Promise.all([worker(first), ...Array.from({ length: this.options.concurrency - 1 }, more)]);
  }

  /** Upserts schedule definitions, keeping the next due time unless the cron changed. */
  private async syncSchedules(): Promise<void> {
    const model = JobScheduleModel(this.db);
    for (const s of this.schedules) {
      const existing = await model.findById(s.name).lean();
      if (existing && existing.cron === s.cron && existing.type === s.type) continue;
      const nextRunAt = nextCronRun(s.cron, this.options.now());
      try {
        await model.updateOne(
          { _id: s.name },
          { $set: { cron: s.cron, type: s.type, payload: s.payload, nextRunAt } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
  }

  private async enqueueDueSchedules(): Promise<void> {
    if (this.schedules.length === 0) return;
    const model = JobScheduleModel(this.db);
    const now = this.options.now();
    const due = await model.find({ nextRunAt: { $lte: now } }).lean();
    for (const s of due) {
      const nextRunAt = nextCronRun(s.cron, now);
      // Whoever moves nextRunAt forward owns this run; the deterministic job id
      // makes even a lost race harmless.
      const claimed = await compareAndSet(this.db, model, s._id, { nextRunAt: s.nextRunAt }, { $set: { nextRunAt } }, { waitMs: 0 }).catch(
        skipWhenBusy,
      );
      if (!claimed) continue;
      await this.enqueue(s.type, (s.payload ?? {}) as Record<string, unknown>, {
        id: `${s._id}@${s.nextRunAt.toISOString()}`,
      });
    }
  }

  /** Leases and runs one due job. Returns false when there was none. */
  async runOnce(): Promise<boolean> {
    const job = await this.claimNext();
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  /** Leases the next due job: a queued one, or one whose holder's lease ran out. */
  private async claimNext(): Promise<JobDoc | null> {
    const types = [...this.handlers.keys()];
    if (types.length === 0) return null;
    const now = this.options.now();
    // Equality on status (what FerretDB pushes down; MongoDB's {status, runAt} index serves both). Leases run for
    // leaseMs, so looking for lapsed ones more often than that finds nothing new.
    const candidates = await this.jobs.find({ status: 'queued', runAt: { $lte: now }, type: { $in: types } }).sort({ runAt: 1 }).limit(5).lean<JobDoc[]>();
    if (now.getTime() - this.lastStaleCheck >= this.options.leaseMs) {
      this.lastStaleCheck = now.getTime();
      candidates.push(...(await this.jobs.find({ status: 'running', leaseUntil: { $lt: now }, type: { $in: types } }).sort({ runAt: 1 }).limit(5).lean<JobDoc[]>()));
    }
    for (const candidate of candidates) {
      // The attempt count acts as the version: exactly one instance moves it on.
      const claimed = await compareAndSet(
        this.db,
        this.jobs,
        candidate._id,
        { status: candidate.status, attempts: candidate.attempts },
        {
          $set: { status: 'running', leaseOwner: this.instanceId, leaseUntil: new Date(now.getTime() + this.options.leaseMs) },
          $inc: { attempts: 1 },
        },
        { waitMs: 0 },
      ).catch(skipWhenBusy);
      if (claimed) return claimed as JobDoc;
    }
    return null;
  }

  /** Writes to a job this instance holds; null when the lease was lost. */
  private updateOwned(id: string, update: Record<string, unknown>) {
    return compareAndSet(this.db, this.jobs, id, { leaseOwner: this.instanceId, status: 'running' }, update);
  }

  private async execute(job: JobDoc): Promise<void> {
    const registration = this.handlers.get(job.type);
    if (!registration) return;
    const log = this.log.child({ jobId: job._id, jobType: job.type, attempt: job.attempts });
    const abort = new AbortController();
    const onShutdown = () => abort.abort();
    this.shutdown.signal.addEventListener('abort', onShutdown);
    const renew = async () => {
      const renewed = await this.updateOwned(job._id, {
        $set: { leaseUntil: new Date(this.options.now().getTime() + this.options.leaseMs) },
      });
      if (!renewed) abort.abort(new LeaseLostError('lease lost'));
    };
    const heartbeat = setInterval(() => void renew().catch(() => undefined), Math.max(1000, this.options.leaseMs / 3));
    const run: JobRunContext = {
      jobId: job._id,
      attempt: job.attempts,
      signal: abort.signal,
      log,
      progress: async (done, total, message = '') => {
        const updated = await this.updateOwned(job._id, { $set: { progress: { done, total, message } } });
        if (!updated) {
          abort.abort(new LeaseLostError('lease lost'));
          throw new LeaseLostError(`任务 ${job._id} 已由其他实例接管`);
        }
      },
    };
    try {
      const result = await registration.handler((job.payload ?? {}) as Record<string, unknown>, run);
      await this.updateOwned(job._id, {
        $set: { status: 'succeeded', result: result ?? null, finishedAt: this.options.now(), leaseOwner: null, leaseUntil: null },
      });
      log.info('job succeeded');
    } catch (error) {
      if (this.shutdown.signal.aborted) {
        // Hand the job back untouched so another instance resumes it at once.
        await this.updateOwned(job._id, { $set: { status: 'queued', leaseOwner: null, leaseUntil: null }, $inc: { attempts: -1 } });
        log.info('job released at shutdown');
      } else if (!(error instanceof LeaseLostError)) {
        await this.recordFailure(job, error, log);
      }
    } finally {
      clearInterval(heartbeat);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  private async recordFailure(job: JobDoc, error: unknown, log: Logger): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (job.attempts >= job.maxAttempts) {
      await this.updateOwned(job._id, {
        $set: { status: 'failed', lastError: message, finishedAt: this.options.now(), leaseOwner: null, leaseUntil: null },
      });
      log.error({ err: error }, 'job failed for good');
      return;
    }
    const delay = Math.min(this.options.backoffBaseMs * 2 ** (job.attempts - 1), 3_600_000);
    const jitter = Math.floor(Math.random() * (delay / 5));
    await this.updateOwned(job._id, {
      $set: {
        status: 'queued',
        lastError: message,
        runAt: new Date(this.options.now().getTime() + delay + jitter),
        leaseOwner: null,
        leaseUntil: null,
      },
    });
    log.warn({ err: error, retryInMs: delay + jitter }, 'job failed; will retry');
  }
}
