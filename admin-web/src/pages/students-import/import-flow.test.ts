import test from 'ava';
import type { Job } from '../../services/jobs.ts';
import { importReducer, progressText, summaryText, type ImportState } from './import-flow.ts';

function job(status: Job['status'], done = 0, total = 0, extra: Partial<Job> = {}): Job {
  return { id: 'job-1', type: 'students.import', status, progress: { done, total, message: '' }, result: null, lastError: null, ...extra };
}

test('upload → accepted → progress → summary', (t) => {
  let state: ImportState = { step: 'idle' };
  state = importReducer(state, { type: 'upload', fileName: '名册.xlsx' });
  t.is(state.step, 'uploading');
  state = importReducer(state, { type: 'accepted', jobId: 'job-1' });
  t.deepEqual(state, { step: 'running', fileName: '名册.xlsx', jobId: 'job-1', job: null });
  state = importReducer(state, { type: 'progress', job: job('running', 40, 100) });
  t.is(state.step === 'running' ? state.job?.progress.done : -1, 40);
  // A late answer about another job is ignored.
  t.is(importReducer(state, { type: 'progress', job: { ...job('failed'), id: 'job-0' } }), state);
  state = importReducer(state, {
    type: 'progress',
    job: job('succeeded', 100, 100, { result: { rows: 100, created: 98, updated: 2, unchanged: 0 } }),
  });
  t.deepEqual(state, { step: 'succeeded', fileName: '名册.xlsx', jobId: 'job-1', summary: { rows: 100, created: 98, updated: 2, unchanged: 0 } });
});

test('a rejected upload keeps every error; a failed job says why', (t) => {
  const uploading = importReducer({ step: 'idle' }, { type: 'upload', fileName: 'a.xlsx' });
  const rejection = { message: 'm', errors: [{ row: 3, column: '学号', message: '重复' }], reportId: 'r1' };
  t.deepEqual(importReducer(uploading, { type: 'rejected', rejection }), { step: 'rejected', fileName: 'a.xlsx', rejection });

  const running = importReducer(uploading, { type: 'accepted', jobId: 'job-1' });
  t.deepEqual(importReducer(running, { type: 'progress', job: job('failed', 0, 0, { lastError: '数据库不可用' }) }), {
    step: 'failed',
    fileName: 'a.xlsx',
    jobId: 'job-1',
    message: '数据库不可用',
  });
  const odd = importReducer(running, { type: 'progress', job: job('succeeded', 1, 1, { result: { created: 'many' } }) });
  t.is(odd.step, 'failed');
  t.deepEqual(importReducer(uploading, { type: 'error', message: '网络错误' }), { step: 'failed', fileName: 'a.xlsx', message: '网络错误' });
  t.deepEqual(importReducer({ step: 'idle' }, { type: 'error', message: 'x' }), { step: 'idle' });
  t.deepEqual(importReducer(odd, { type: 'reset' }), { step: 'idle' });
});

test('events out of turn change nothing', (t) => {
  const idle: ImportState = { step: 'idle' };
  t.is(importReducer(idle, { type: 'accepted', jobId: 'j' }), idle);
  t.is(importReducer(idle, { type: 'rejected', rejection: { message: '', errors: [], reportId: null } }), idle);
  t.is(importReducer(idle, { type: 'progress', job: job('running') }), idle);
});

test('progress percent and text', (t) => {
  t.is(progressText(job('queued')), '排队中…');
  t.is(progressText(job('running', 12, 50)), '已处理 12 / 50 行');
  t.is(progressText({ status: 'running', progress: { done: 2, total: 5, message: '写入监护人' } }), '写入监护人（2 / 5）');
});

test('the summary line', (t) => {
  t.is(summaryText({ rows: 10, created: 0, updated: 0, unchanged: 10 }), '共 10 行，与现有名册完全一致，没有需要变更的数据。');
  t.is(summaryText({ rows: 10, created: 7, updated: 1, unchanged: 2 }), '共 10 行：新增 7 名，更新 1 名，无变化 2 名。');
});
