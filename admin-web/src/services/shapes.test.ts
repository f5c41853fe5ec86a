import test from 'ava';
import { parseVerification } from './audit.ts';
import { parseMyGrants } from './auth.ts';
import { parseJob } from './jobs.ts';
import { ApiError } from './request.ts';
import { importRejectionOf } from './students.ts';

test('my grants: the answer of GET /admin/me/grants', (t) => {
  const grants = parseMyGrants([
    { index: 0, role: 'bursar', nodeId: 'east', nodeName: '东校区', nodeKind: 'campus', active: true },
    { index: 1, role: 'auditor', nodeId: 'gone', nodeName: '', nodeKind: '', active: false },
  ]);
  t.is(grants.length, 2);
  t.is(grants[1]?.nodeKind, '');
  t.throws(() => parseMyGrants([{ index: 0, role: 'janitor', nodeId: 'x', nodeName: '', nodeKind: '', active: true }]));
  t.throws(() => parseMyGrants({}));
});

test('job view: status, progress and result', (t) => {
  const job = parseJob({
    id: 'j1',
    type: 'students.import',
    status: 'running',
    attempts: 1,
    progress: { done: 3, total: 10, message: '写入中' },
    result: null,
    lastError: null,
  });
  t.is(job.status, 'running');
  t.deepEqual(job.progress, { done: 3, total: 10, message: '写入中' });
  t.is(parseJob({ id: 'j', type: 't', status: 'queued', progress: { done: 0, total: 0 } }).progress.message, '');
  t.throws(() => parseJob({ id: 'j', type: 't', status: 'paused', progress: { done: 0, total: 0 } }));
});

test('hash-chain verification', (t) => {
  t.deepEqual(parseVerification({ ok: false, entries: 12, brokenAt: 7, problem: '第 7 条记录的内容被改动' }), {
    ok: false,
    entries: 12,
    brokenAt: 7,
    problem: '第 7 条记录的内容被改动',
  });
  t.throws(() => parseVerification({ ok: 'yes', entries: 1 }));
});

function importInvalid(details: Record<string, unknown> | undefined) {
  return new ApiError({ status: 422, code: 'IMPORT_INVALID', message: '导入文件中有 3 处错误', details, requestId: 'r' });
}

test('a rejected import lists every bad row, by row, with the report id', (t) => {
  const rejection = importRejectionOf(
    importInvalid({
      errors: [
        { row: 5, column: '手机号', message: '手机号格式不正确' },
        { row: 2, column: null, message: '整行为空' },
        { row: 5, column: '学号', message: '学号重复' },
        { row: 'x', message: 'malformed' },
      ],
      reportId: 'rep-1',
    }),
  );
  t.truthy(rejection);
  t.is(rejection?.message, '导入文件中有 3 处错误');
  t.deepEqual(
    rejection?.errors.map((e) => `${e.row}:${e.column ?? ''}`),
    ['2:', '5:手机号', '5:学号'],
  );
  t.is(rejection?.reportId, 'rep-1');
});

test('other errors are not import rejections', (t) => {
  t.is(importRejectionOf(new ApiError({ status: 422, code: 'BUSINESS_RULE', message: 'x', requestId: 'r' })), null);
  t.is(importRejectionOf(new Error('x')), null);
  const bare = importRejectionOf(importInvalid(undefined));
  t.deepEqual(bare, { message: '导入文件中有 3 处错误', errors: [], reportId: null });
});
