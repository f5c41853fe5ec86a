import test from 'ava';
import { fileProblem, refusalHeadline, rowsWithErrors } from './xlsx-file.ts';

test('files are checked before upload', (t) => {
  t.is(fileProblem({ name: '名册.xlsx', size: 1000 }), null);
  t.is(fileProblem({ name: '名册.XLSX', size: 1000 }), null);
  t.regex(fileProblem({ name: '名册.xls', size: 1000 }) ?? '', /xlsx/);
  t.regex(fileProblem({ name: '名册.csv', size: 1000 }) ?? '', /xlsx/);
  t.is(fileProblem({ name: 'a.xlsx', size: 0 }), '文件是空的');
  t.regex(fileProblem({ name: 'a.xlsx', size: 50 * 1024 * 1024 }) ?? '', /过大/);
});

test('the bank\'s uploads also take CSV, nothing else', (t) => {
  t.is(fileProblem({ name: '余额.csv', size: 1000 }, 'xlsx-or-csv'), null);
  t.is(fileProblem({ name: '余额.XLSX', size: 1000 }, 'xlsx-or-csv'), null);
  t.regex(fileProblem({ name: '余额.xls', size: 1000 }, 'xlsx-or-csv') ?? '', /csv/);
  t.is(fileProblem({ name: '余额.csv', size: 0 }, 'xlsx-or-csv'), '文件是空的');
});

test('error rows are counted once each', (t) => {
  t.is(rowsWithErrors([{ row: 2 }, { row: 2 }, { row: 9 }]), 2);
  t.is(rowsWithErrors([]), 0);
});

test('the headline of a refusal says how many problems, in how many rows, and when only the first are listed', (t) => {
  t.is(refusalHeadline({ total: 6, rows: 2, shown: 6 }, '未导入任何数据'), '文件中有 6 处错误（涉及 2 行），未导入任何数据');
  t.is(refusalHeadline({ total: 2500, rows: 2100, shown: 2000 }, '未导入任何账单'), '文件中有 2500 处错误（涉及 2100 行），未导入任何账单；下表列出前 2000 处');
  t.is(refusalHeadline({ total: 0, rows: 0, shown: 0 }, '未导入任何数据'), '文件未通过校验，未导入任何数据');
});
