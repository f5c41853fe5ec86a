import test from 'ava';
import { ApiError } from '../../services/request.ts';
import { billImportRejectionOf } from '../../services/bill-import.ts';
import { billImportOutcomeText, billImportReducer, type BillImportState } from './bill-import-flow.ts';

const result = { importId: 'bimp_1', rows: 5, issued: 4, unchanged: 1, issuedFen: 152_310 };

test('upload → imported', (t) => {
  let state: BillImportState = { step: 'idle' };
  state = billImportReducer(state, { type: 'upload', fileName: '九月账单.xlsx' });
  t.deepEqual(state, { step: 'uploading', fileName: '九月账单.xlsx' });
  state = billImportReducer(state, { type: 'imported', result });
  t.deepEqual(state, { step: 'imported', fileName: '九月账单.xlsx', result });
  t.deepEqual(billImportReducer(state, { type: 'reset' }), { step: 'idle' });
});

test('a refused file keeps every problem; a failed upload says why', (t) => {
  const uploading = billImportReducer({ step: 'idle' }, { type: 'upload', fileName: 'a.xlsx' });
  const rejection = { message: '有 1 行数据有误，未导入任何账单', errors: [{ row: 2, column: '学号', message: '学号 E9999999 不存在' }], errorCount: 1, badRows: 1 };
  t.deepEqual(billImportReducer(uploading, { type: 'rejected', rejection }), { step: 'rejected', fileName: 'a.xlsx', rejection });
  t.deepEqual(billImportReducer(uploading, { type: 'error', message: '网络错误' }), { step: 'failed', fileName: 'a.xlsx', message: '网络错误' });
});

test('answers out of turn change nothing', (t) => {
  const idle: BillImportState = { step: 'idle' };
  t.is(billImportReducer(idle, { type: 'imported', result }), idle);
  t.is(billImportReducer(idle, { type: 'error', message: 'x' }), idle);
  const imported = billImportReducer(billImportReducer(idle, { type: 'upload', fileName: 'a.xlsx' }), { type: 'imported', result });
  t.is(billImportReducer(imported, { type: 'rejected', rejection: { message: '', errors: [], errorCount: 0, badRows: 0 } }), imported);
});

test('the outcome line: bills issued with their total in yuan, or nothing new on a re-import', (t) => {
  t.is(billImportOutcomeText(result), '共 5 行：新开账单 4 张，应收合计 ¥1,523.10；1 行的账单已存在且金额一致，未变动。');
  t.is(billImportOutcomeText({ ...result, issued: 5, unchanged: 0 }), '共 5 行：新开账单 5 张，应收合计 ¥1,523.10。');
  t.is(billImportOutcomeText({ ...result, issued: 0, unchanged: 5, issuedFen: 0 }), '共 5 行，账单均已存在且金额一致，没有新开账单。');
});

function invalid(details: Record<string, unknown>): ApiError {
  return new ApiError({ status: 422, code: 'IMPORT_INVALID', message: '有 2 行数据有误，未导入任何账单', details, requestId: 'r' });
}

test('a refusal is read from the 422 answer: rows in order, malformed entries dropped, the server’s totals kept', (t) => {
  const rejection = billImportRejectionOf(
    invalid({
      errors: [
        { row: 5, column: '金额（元）', message: '金额应大于 0' },
        { row: 2, column: '学号', message: '学号 E9999999 不存在' },
        { row: 'x', message: 'malformed' },
      ],
      badRows: 3,
      errorCount: 4,
      truncated: true,
    }),
  );
  t.deepEqual(rejection, {
    message: '有 2 行数据有误，未导入任何账单',
    errors: [
      { row: 2, column: '学号', message: '学号 E9999999 不存在' },
      { row: 5, column: '金额（元）', message: '金额应大于 0' },
    ],
    errorCount: 4,
    badRows: 3,
  });
  t.like(billImportRejectionOf(invalid({ errors: [{ row: 1, column: '收费项目', message: '缺少列' }] })), { errorCount: 1, badRows: 1 });
  t.is(billImportRejectionOf(new ApiError({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'x', requestId: 'r' })), null);
  t.is(billImportRejectionOf(new Error('x')), null);
});
