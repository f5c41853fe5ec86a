import test from 'ava';
import { jobPercent, type Job } from './jobs.ts';

const job = (status: Job['status'], done = 0, total = 0): Pick<Job, 'status' | 'progress'> => ({ status, progress: { done, total, message: '' } });

test('job progress in whole percent: none before a total is known, floored, capped at 100, 100 once succeeded', (t) => {
  t.is(jobPercent(null), 0);
  t.is(jobPercent(job('queued')), 0);
  t.is(jobPercent(job('running', 0, 0)), 0);
  t.is(jobPercent(job('running', 1, 3)), 33);
  t.is(jobPercent(job('running', 50, 101)), 49);
  t.is(jobPercent(job('running', 5, 3)), 100);
  t.is(jobPercent(job('succeeded', 0, 0)), 100);
});
