import test from 'ava';
import ExcelJS from 'exceljs';
import type { Bill, BillImportError, BillImportResult, FeeItem } from '@campuspay/shared';
import { DEMO_PASSWORD } from '../demo/demo-seed.ts';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { checkBillLedgerInvariants } from '../ledger/invariants.ts';
import { counterPay, createFeeItem, createPayee, waitJob } from '../reports/report-test-support.ts';
import { billIdFor } from './bills.service.ts';

let server: SeededServer;
let bursar: ApiClient;
let bursarToken: string;
const items = {} as Record<'uniform' | 'lunchSep' | 'lunchOct', FeeItem>;
const students = {} as Record<'s1' | 's2' | 's3' | 's4' | 's5' | 'western', { _id: string; studentNo: string }>;

test.before(async () => {
  server = await startSeededServer('bill_import');
  const group = await server.loginAs('demo.group');
  bursar = await server.loginAs('demo.bursar');
  bursarToken = (await server.api.post<{ token: string }>('/api/v1/admin/auth/login', { username: 'demo.bursar', password: DEMO_PASSWORD })).body.token;
  const payee = await createPayee(group);
  items.uniform = await createFeeItem(bursar, payee, { name: '校服费', category: 'other', nodeId: 'campus_demo_east', prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 10_000 }] });
  items.lunchSep = await createFeeItem(bursar, payee, { name: '午餐费', category: 'meals', period: { kind: 'month', month: '2026-09' }, nodeId: 'campus_demo_east', prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 30_000 }] });
  items.lunchOct = await createFeeItem(bursar, payee, { name: '午餐费', category: 'meals', period: { kind: 'month', month: '2026-10' }, nodeId: 'campus_demo_east', prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 30_000 }] });
  const east = (await server.deps.db.collection('students').find({ classId: 'campus_demo_east_div1_g2_c1' }).sort({ studentNo: 1 }).limit(5).toArray()) as unknown as { _id: string; studentNo: string }[];
  const westStudent = (await server.deps.db.collection('students').findOne({ campusId: 'campus_demo_west' })) as unknown as { _id: string; studentNo: string };
  Object.assign(students, { s1: east[0], s2: east[1], s3: east[2], s4: east[3], s5: east[4], western: westStudent });
  // s2 already has a uniform bill of 100.00 yuan, issued the usual way.
  const draft = await bursar.post<{ id: string }>('/api/v1/admin/bill-batches', { feeItemId: items.uniform.id, target: { studentIds: [students.s2._id] } });
  if (draft.status !== 201) throw new Error(JSON.stringify(draft.body));
  const published = await bursar.post<{ jobId: string }>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  await waitJob(bursar, published.body.jobId);
});
test.after.always(() => server?.stop());
test.afterEach.always(async (t) => {
  const report = await checkBillLedgerInvariants(server.deps.db);
  t.deepEqual(report.problems, [], 'bills = ledger');
});

type Cell = string | number | null;

async function xlsx(rows: Cell[][], headers: string[] = ['学号', '收费项目', '收费项目ID', '金额（元）']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('账单导入');
  sheet.addRow(headers);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload<T>(bytes: Buffer, filename = '账单.xlsx'): Promise<{ status: number; body: T }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(new URL('/api/v1/admin/bills/import', server.url), { method: 'POST', headers: { authorization: `Bearer ${bursarToken}` }, body: form });
  return { status: res.status, body: (await res.json()) as T };
}

const billCount = () => server.deps.db.collection('bills').countDocuments({});

test('bill import is all-or-nothing: every bad row listed, nothing written; the fixed file issues bills; re-importing changes nothing', async (t) => {
  const { s1, s2, s3, s4, s5, westernStudent } = { ...students, westernStudent: students.western };
  const before = await billCount();
  const bad = await xlsx([
    ['E9999999', '校服费', null, '100'], // 2 unknown student
    [westernStudent.studentNo, '校服费', null, '100'], // 3 another campus's student
    [s1.studentNo, '不存在的项目', null, '100'], // 4 unknown fee item
    [s1.studentNo, '午餐费', null, '300'], // 5 two fee items of that name
    [s1.studentNo, null, items.lunchSep.id, '12.345'], // 6 more than two decimals
    [s3.studentNo, null, items.lunchSep.id, 'abc'], // 7 not a number
    [s4.studentNo, '校服费', null, 0], // 8 zero
    [s1.studentNo, '校服费', null, 100.5], // 9 fine
    [s1.studentNo, null, items.uniform.id, '100.50'], // 10 the same student and fee item again
    [s2.studentNo, '校服费', null, '150'], // 11 s2 has a uniform bill of another amount
    [s3.studentNo, null, items.lunchSep.id, '88'], // 12 fine
    [s4.studentNo, '校服费', items.lunchOct.id, '100'], // 13 name and id disagree
    [s2.studentNo, '校服费', null, '100.00'], // 14 same amount as s2's bill, but row 11 names the same pair
    [null, null, null, null], // empty rows are skipped
    [s5.studentNo, null, null, '100'], // 16 no fee item
  ]);
  const refused = await upload<{ code: string; message: string; details: { errors: BillImportError[]; badRows: number } }>(bad);
  t.is(refused.status, 422);
  t.is(refused.body.code, 'IMPORT_INVALID');
  const byRow = new Map<number, BillImportError[]>();
  for (const e of refused.body.details.errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  t.deepEqual([...byRow.keys()], [2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 16]);
  t.is(refused.body.details.badRows, 12);
  t.regex(byRow.get(14)![0]!.message, /与第 11 行重复/);
  t.like(byRow.get(2)?.[0], { column: '学号' });
  t.regex(byRow.get(2)![0]!.message, /E9999999 不存在/);
  t.regex(byRow.get(3)![0]!.message, /不在您的管理范围内/);
  t.like(byRow.get(4)?.[0], { column: '收费项目' });
  t.regex(byRow.get(5)![0]!.message, /有 2 个名为「午餐费」的收费项目.*请改填收费项目ID/);
  t.like(byRow.get(6)?.[0], { column: '金额（元）' });
  t.regex(byRow.get(6)![0]!.message, /12\.345/);
  t.like(byRow.get(7)?.[0], { column: '金额（元）' });
  t.regex(byRow.get(8)![0]!.message, /大于 0/);
  t.regex(byRow.get(10)![0]!.message, /与第 9 行重复/);
  t.regex(byRow.get(11)![0]!.message, /已有「校服费」.*应缴 ¥100\.00/);
  t.regex(byRow.get(13)![0]!.message, /不符/);
  t.regex(byRow.get(16)![0]!.message, /请填写收费项目/);
  t.is(await billCount(), before, 'nothing was written');
  t.is(await server.deps.db.collection('bill_imports').countDocuments({}), 0);

  const fixed = await xlsx([
    [s1.studentNo, '校服费', null, 100.5],
    [s3.studentNo, null, items.lunchSep.id, '88'],
    [s2.studentNo, '校服费', null, '100.00'],
    [s4.studentNo, '午餐费', items.lunchOct.id, '¥1,234.50'],
    [s5.studentNo, '校服费', '', 0.1],
  ]);
  const done = await upload<BillImportResult>(fixed);
  t.is(done.status, 201, JSON.stringify(done.body));
  t.like(done.body, { rows: 5, issued: 4, unchanged: 1, issuedFen: 10_050 + 8_800 + 123_450 + 10 });
  t.is(await billCount(), before + 4);
  const uniform = (await bursar.get<Bill>(`/api/v1/admin/bills/${billIdFor(s1._id, items.uniform.id, items.uniform.periodKey)}`)).body;
  t.like(uniform, { amountDueFen: 10_050, concessionFen: 0, paidFen: 0, outstandingFen: 10_050, status: 'unpaid', published: true, batchId: done.body.importId, feeItemName: '校服费' });
  const lunch = (await bursar.get<Bill>(`/api/v1/admin/bills/${billIdFor(s4._id, items.lunchOct.id, '2026-10')}`)).body;
  t.like(lunch, { amountDueFen: 123_450, periodLabel: '2026年10月' });

  const again = await upload<BillImportResult>(fixed);
  t.is(again.status, 201);
  t.like(again.body, { importId: done.body.importId, issued: 0, unchanged: 5, issuedFen: 0 });
  t.is(await billCount(), before + 4, 're-importing issues nothing new');

  // Imported bills are ordinary bills: the counter takes money on them.
  await counterPay(bursar, uniform.id, 10_050, 'cash');
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { objectId: string; after: { issued: number } }[] }>('/api/v1/admin/audit-logs?action=bill.import');
  t.deepEqual(logs.body.items.map((e) => e.after.issued).sort(), [0, 4]);
});

test('bill import: a wrong header, an empty sheet or another kind of file is refused clearly', async (t) => {
  const header = await upload<{ code: string; details: { errors: BillImportError[] } }>(await xlsx([['E2026000', '100']], ['学号', '金额']));
  t.is(header.status, 422);
  t.deepEqual(header.body.details.errors.map((e) => [e.row, e.column]), [[1, '收费项目']]);
  const empty = await upload<{ code: string }>(await xlsx([]));
  t.is(empty.status, 400);
  const csv = await upload<{ code: string }>(Buffer.from('学号,收费项目,金额\n'), 'bills.csv');
  t.is(csv.status, 415);
  const renamed = await upload<{ code: string }>(Buffer.from('not a zip file at all'), 'bills.xlsx');
  t.is(renamed.status, 415);
  t.is((await (await server.loginAs('demo.auditor')).get('/api/v1/admin/bills/import/template')).status, 403);
});

test('bill import template lists the fee items in scope with their ids', async (t) => {
  const res = await fetch(new URL('/api/v1/admin/bills/import/template', server.url), { headers: { authorization: `Bearer ${bursarToken}` } });
  t.is(res.status, 200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  t.deepEqual(wb.worksheets.map((s) => s.name), ['账单导入', '收费项目', '说明']);
  t.deepEqual((wb.getWorksheet('账单导入')!.getRow(1).values as string[]).slice(1), ['学号', '收费项目', '收费项目ID', '金额（元）']);
  const listed = wb.getWorksheet('收费项目')!.getColumn(2).values.slice(2);
  t.deepEqual([...listed].sort(), [items.uniform.id, items.lunchSep.id, items.lunchOct.id].sort());
});
