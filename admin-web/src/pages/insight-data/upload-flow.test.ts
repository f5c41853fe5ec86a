import test from 'ava';
import { uploadReducer, type UploadState } from './upload-flow.ts';

const rejection = { message: '有 2 处错误，整个文件未导入，请改正后重新上传', errors: [{ row: 3, column: '账号', message: '不是本范围内学校的收款账户' }], errorCount: 2 };

test('an upload ends accepted, refused or failed', (t) => {
  const uploading = uploadReducer<number>({ step: 'idle' }, { type: 'upload', fileName: 'a.csv' });
  t.deepEqual(uploading, { step: 'uploading', fileName: 'a.csv' });
  t.deepEqual(uploadReducer(uploading, { type: 'accepted', fileName: 'a.csv', result: 9 }), { step: 'accepted', fileName: 'a.csv', result: 9 });
  t.deepEqual(uploadReducer(uploading, { type: 'rejected', fileName: 'a.csv', rejection }), { step: 'rejected', fileName: 'a.csv', rejection });
  t.deepEqual(uploadReducer(uploading, { type: 'failed', fileName: 'a.csv', message: '无法连接服务器' }), { step: 'failed', fileName: 'a.csv', message: '无法连接服务器' });
});

test('a late answer for another file, or after a reset, changes nothing', (t) => {
  const second: UploadState<number> = { step: 'uploading', fileName: 'b.csv' };
  t.is(uploadReducer(second, { type: 'accepted', fileName: 'a.csv', result: 1 }), second);
  const idle: UploadState<number> = { step: 'idle' };
  t.is(uploadReducer(idle, { type: 'rejected', fileName: 'a.csv', rejection }), idle);
  t.deepEqual(uploadReducer<number>({ step: 'accepted', fileName: 'a.csv', result: 1 }, { type: 'reset' }), { step: 'idle' });
});
