import test from 'ava';
import pino from 'pino';
import { Schema, type Connection } from 'mongoose';
import { connectDatabase, defineModel, ensureIndexes } from '../../platform/db/connection.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { testDatabaseUri } from '../../testing/index.ts';
import { JobQueue, nextCronRun } from './job-queue.ts';
import { JobModel } from './job.model.ts';

const silent = pino({ level: 'silent' });
const executionSchema = new Schema({ _id: String, instance: String }, { versionKey: false });
const ExecutionModel = defineModel('JobExecutionProbe', 'job_execution_probes', executionSchema);

async function twoInstances(label: string): Promise<[Connection, Connection]> {
  const uri = testDatabaseUri(label);
  const a = await connectDatabase(uri);
  const b = await connectDatabase(uri);
  await ensureIndexes(a);
  return [a, b];
}

async function until(check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('two instances competing for the same jobs run each exactly once', async (t) => {
  t.timeout(300_000);
  const [dbA, dbB] = await twoInstances('jobs_compete');
  const queues = [
    new JobQueue(dbA, silent, { instanceId: 'A', leaseMs: 5000, pollMs: 20 }),
    new JobQueue(dbB, silent, { instanceId: 'B', leaseMs: 5000, pollMs: 20 }),
  ];
  const doubleRuns: string[] = [];
  for (const queue of queues) {
    const db = queue === queues[0] ? dbA : dbB;
    queue.register('probe', async (payload) => {
      try {
        await ExecutionModel(db).create({ _id: String(payload.n), instance: queue.instanceId });
      } catch (error) {
        if (isDuplicateKeyError(error)) doubleRuns.push(String(payload.n));
        else throw error;
      }
      await new Promise((r) => setTimeout(r, 5));
      return { n: payload.n };
    });
  }
  t.teardown(async () => {
    await Promise.all(queues.map((q) => q.stop()));
    await dbA.close();
    await dbB.close();
  });
  const total = 60;
  for (let n = 0; n < total; n++) await queues[n % 2]!.enqueue('probe', { n });
  await Promise.all(queues.map((q) => q.start()));
  await until(async () => (await JobModel(dbA).countDocuments({ status: 'succeeded' })) === total);

  t.deepEqual(doubleRuns, []);
  t.is(await ExecutionModel(dbA).countDocuments(), total);
  const byA = await ExecutionModel(dbA).countDocuments({ instance: 'A' });
  const byB = await ExecutionModel(dbA).countDocuments({ instance: 'B' });
  t.true(byA > 0 && byB > 0, `both instances took work (A ${byA}, B ${byB})`);
  const one = await queues[0]!.get('unknown').catch((e: Error) => e);
  t.true(one instanceof Error);
});

test('a failing job is retried with backoff, then marked failed with its error', async (t) => {
  const [db, other] = await twoInstances('jobs_retry');
  t.teardown(async () => {
    await db.close();
    await other.close();
  });
  let clock = new Date('2026-09-01T00:00:00Z');
  const queue = new JobQueue(db, silent, { instanceId: 'A', leaseMs: 5000, pollMs: 20, backoffBaseMs: 1000, now: () => clock });
  let calls = 0;
  queue.register(
    'flaky',
    async () => {
      calls += 1;
      throw new Error(`第 ${calls} 次失败`);
    },
    { maxAttempts: 3 },
  );
  const job = await queue.enqueue('flaky', {});
  t.true(await queue.runOnce());
  let view = await queue.get(job.id);
  t.is(view.status, 'queued');
  t.is(view.lastError, '第 1 次失败');
  t.true(view.runAt.getTime() >= clock.getTime() + 1000, 'the retry waits');
  t.false(await queue.runOnce(), 'not due yet');

  clock = new Date(clock.getTime() + 10_000);
  t.true(await queue.runOnce());
  clock = new Date(clock.getTime() + 10_000);
  t.true(await queue.runOnce());
  view = await queue.get(job.id);
  t.is(view.status, 'failed');
  t.is(view.attempts, 3);
  t.is(view.lastError, '第 3 次失败');
  t.is(calls, 3);
});

test('an instance that dies mid-job loses its lease and another finishes the job; progress is recorded', async (t) => {
  const [dbA, dbB] = await twoInstances('jobs_lease');
  t.teardown(async () => {
    await dbA.close();
    await dbB.close();
  });
  let clock = new Date('2026-09-01T00:00:00Z');
  const now = () => clock;
  const dying = new JobQueue(dbA, silent, { instanceId: 'dying', leaseMs: 1000, pollMs: 20, now });
  const survivor = new JobQueue(dbB, silent, { instanceId: 'survivor', leaseMs: 1000, pollMs: 20, now });
  const job = await survivor.enqueue('import', { rows: 3 }, { id: 'import:fixed-id' });
  const again = await dying.enqueue('import', { rows: 3 }, { id: 'import:fixed-id' });
  t.is(again.id, job.id, 'a deterministic id enqueues once');
  t.is(await JobModel(dbA).countDocuments(), 1);

  // The dying instance takes the lease, then "crashes" (never completes).
  await JobModel(dbA).updateOne(
    { _id: job.id },
    { $set: { status: 'running', leaseOwner: 'dying', leaseUntil: new Date(clock.getTime() + 1000) }, $inc: { attempts: 1 } },
  );
  survivor.register('import', async (payload, run) => {
    for (let i = 1; i <= Number(payload.rows); i++) await run.progress(i, Number(payload.rows), `第 ${i} 行`);
    return { imported: payload.rows };
  });
  t.false(await survivor.runOnce(), 'the lease is still held');
  clock = new Date(clock.getTime() + 1500);
  t.true(await survivor.runOnce());
  const view = await survivor.get(job.id);
  t.is(view.status, 'succeeded');
  t.deepEqual(view.progress, { done: 3, total: 3, message: '第 3 行' });
  t.deepEqual(view.result, { imported: 3 });
  t.is(view.attempts, 2);
});

test('a scheduled job is enqueued once per due time across instances', async (t) => {
  const [dbA, dbB] = await twoInstances('jobs_cron');
  let clock = new Date('2026-09-01T01:59:00Z');
  const now = () => clock;
  const ran: string[] = [];
  const queues = ['A', 'B'].map((id, i) => {
    const q = new JobQueue(i === 0 ? dbA : dbB, silent, { instanceId: id, leaseMs: 5000, pollMs: 10, now });
    q.register('nightly', async (_payload, run) => {
      ran.push(run.jobId);
    });
    q.schedule('reconcile-nightly', '0 10 * * *', 'nightly');
    return q;
  });
  t.teardown(async () => {
    await Promise.all(queues.map((q) => q.stop()));
    await dbA.close();
    await dbB.close();
  });
  t.is(nextCronRun('0 10 * * *', clock).toISOString(), '2026-09-01T02:00:00.000Z', 'cron times are Asia/Shanghai');
  await Promise.all(queues.map((q) => q.start()));
  clock = new Date('2026-09-01T02:00:30Z');
  await until(async () => ran.length >= 1);
  await new Promise((r) => setTimeout(r, 300));
  t.deepEqual(ran, ['reconcile-nightly@2026-09-01T02:00:00.000Z']);
});

test('a job enqueued by a running instance starts at once, without waiting for the next poll', async (t) => {
  const db = await connectDatabase(testDatabaseUri('jobs_wake'));
  const queue = new JobQueue(db, silent, { instanceId: 'waker', leaseMs: 5000, pollMs: 600_000 });
  const ran: string[] = [];
  queue.register('probe', async (payload) => {
    ran.push(String(payload.n));
    return null;
  });
  t.teardown(async () => {
    await queue.stop();
    await db.close();
  });
  await queue.start();
  // Past the poll at start, which finds nothing; the next one is ten minutes away.
  await new Promise((r) => setTimeout(r, 500));
  for (const n of [1, 2, 3]) await queue.enqueue('probe', { n });
  await until(async () => ran.length === 3, 20_000);
  t.deepEqual([...ran].sort(), ['1', '2', '3']);
});
