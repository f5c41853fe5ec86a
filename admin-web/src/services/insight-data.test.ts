import test from 'ava';
import { tableImportRejectionOf } from './insight-data.ts';
import { ApiError } from './request.ts';

const refusal = (details: Record<string, unknown> | undefined, code = 'IMPORT_INVALID') =>
  new ApiError({ status: 422, code, message: '有 3 处错误，整个文件未导入，请改正后重新上传', details, requestId: 'r1' });

test('a refused upload lists every problem by row, with the column it is in', (t) => {
  const rejection = tableImportRejectionOf(
    refusal({
      errors: [
        { row: 5, field: '余额', message: '金额无效：「12.345」（元，最多两位小数）' },
        { row: 3, field: '账号', message: '不是本范围内学校的收款账户' },
        { row: 3, field: '日期', message: '日期无效：「2026-02-30」' },
        { row: 'x', field: '账号', message: '?' },
      ],
      errorCount: 3,
    }),
  );
  t.deepEqual(rejection, {
    message: '有 3 处错误，整个文件未导入，请改正后重新上传',
    errors: [
      { row: 3, column: '账号', message: '不是本范围内学校的收款账户' },
      { row: 3, column: '日期', message: '日期无效：「2026-02-30」' },
      { row: 5, column: '余额', message: '金额无效：「12.345」（元，最多两位小数）' },
    ],
    errorCount: 3,
  });
});

test('a refusal without rows (missing columns) keeps the server\'s message; other errors are not refusals', (t) => {
  t.deepEqual(tableImportRejectionOf(refusal({ errors: [], errorCount: 1 })), { message: '有 3 处错误，整个文件未导入，请改正后重新上传', errors: [], errorCount: 0 });
  t.is(tableImportRejectionOf(refusal(undefined, 'FORBIDDEN')), null);
  t.is(tableImportRejectionOf(new Error('boom')), null);
});

test('when the server listed only the first problems, the total is its count', (t) => {
  const errors = Array.from({ length: 200 }, (_, i) => ({ row: i + 2, field: '账号', message: '账号为空' }));
  t.is(tableImportRejectionOf(refusal({ errors, errorCount: 450 }))?.errorCount, 450);
});
