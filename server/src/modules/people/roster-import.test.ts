import test from 'ava';
import ExcelJS from 'exceljs';
import { idNumberCheckChar, type ImportRowError, type ImportSummary, type Page, type Student } from '@campuspay/shared';
import { startTestServer, type ApiClient, type TestServer } from '../../testing/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../demo/demo-seed.ts';
import { AuditLogModel } from '../audit/audit-log.model.ts';
import { JobModel } from '../jobs/job.model.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';
import { GuardianModel } from './guardian.model.ts';
import { StudentModel, studentId } from './student.model.ts';
import { ROSTER_COLUMNS, ERROR_COLUMN, type RosterField } from './roster-layout.ts';
import { rosterImportService, type RosterImportPayload } from './roster-import.ts';
import { applyRosterWrite, planRosterWrite, type ChangeStrategy, type ClassPaths } from './roster-write.ts';
import type { RosterRow } from './roster-validate.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';

/** A valid identity number for a birth date and serial. */
const idNumber = (birth: string, serial: number) => {
  const first17 = `110105${birth}${String(serial).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};
/** The same number with a wrong check character. */
const badChecksum = (valid: string) => valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');

const EAST = ['明德东校区', '小学部', '一年级', '1班'] as const;
const EAST_2 = ['明德东校区', '小学部', '二年级', '2班'] as const;
const WEST = ['明德西校区', '高中部', '高一', '1班'] as const;

type Row = Partial<Record<RosterField, string | number>>;

function student(no: string, n: number, klass: readonly string[] = EAST, extra: Row = {}): Row {
  return {
    studentNo: no,
    name: `测试学生${n}`,
    gender: n % 2 ? '男' : '女',
    idNumber: idNumber('20150901', n),
    campus: klass[0],
    division: klass[1],
    grade: klass[2],
    klass: klass[3],
    g1Name: `家长甲${n}`,
    g1Relationship: '父亲',
    g1Phone: `1371000${String(n).padStart(4, '0')}`,
    g1IdNumber: idNumber('19850301', n),
    g2Name: `家长乙${n}`,
    g2Relationship: '母亲',
    g2Phone: `1372000${String(n).padStart(4, '0')}`,
    ...extra,
  };
}

async function rosterFile(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学生名册');
  sheet.addRow(ROSTER_COLUMNS.map((c) => c.header));
  for (const row of rows) sheet.addRow(ROSTER_COLUMNS.map((c) => row[c.field] ?? null));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const rowValues = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));

interface Staff {
  api: ApiClient;
  token: string;
}

let server: TestServer;
let east: Staff;
let west: Staff;
let group: Staff;
let auditor: Staff;
let branch: Staff;

async function login(target: TestServer, username: string): Promise<Staff> {
  const res = await target.api.post<{ token: string }>('/api/v1/admin/auth/login', { username, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return { api: target.api.withToken(res.body.token), token: res.body.token };
}

async function upload<T = Record<string, unknown>>(who: Staff, bytes: Buffer, filename = '名册.xlsx', fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes]), filename);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return who.api.request<T>('POST', '/api/v1/admin/students/import', {
    rawBody: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  });
}

async function download(target: TestServer, who: Staff, path: string) {
  const res = await fetch(new URL(path, target.url), { headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function finished(who: Staff, jobId: string): Promise<{ status: string; result: ImportSummary; lastError: string | null; progress: { done: number; total: number } }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await who.api.get<{ status: string; result: ImportSummary; lastError: string | null; progress: { done: number; total: number } }>(
      `/api/v1/admin/jobs/${jobId}`,
    );
    if (res.status !== 200) throw new Error(`job ${jobId}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function counts(target: TestServer) {
  return { students: await StudentModel(target.deps.db).countDocuments(), guardians: await GuardianModel(target.deps.db).countDocuments() };
}

test.before(async () => {
  server = await startTestServer('roster', { uploadLimitBytes: 512 * 1024 });
  await seedDemo(server.deps);
  [east, west, group, auditor, branch] = (await Promise.all(
    ['demo.bursar', 'demo.bursar.west', 'demo.group', 'demo.auditor', 'demo.branch'].map((u) => login(server, u)),
  )) as [Staff, Staff, Staff, Staff, Staff];
});
test.after.always(() => server?.stop());

test.serial('the template downloads with the headers, an example row and the classes in the user’s scope', async (t) => {
  const res = await download(server, east, '/api/v1/admin/students/import-template');
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /spreadsheetml/);
  t.regex(res.headers.get('content-disposition') ?? '', /filename\*=UTF-8''%E5%AD%A6/);
  const workbook = await readWorkbook(res.bytes);
  const roster = workbook.getWorksheet('学生名册');
  t.truthy(roster);
  t.deepEqual(rowValues(roster!.getRow(1)), [
    '学号*', '姓名*', '性别', '身份证号', '校区*', '学部*', '年级*', '班级*',
    '监护人1姓名*', '监护人1关系*', '监护人1手机*', '监护人1身份证号', '监护人2姓名', '监护人2关系', '监护人2手机', '监护人2身份证号',
  ]);
  t.regex(String(roster!.getRow(2).getCell(1).value), /^示例/);
  const notes = workbook.getWorksheet('说明');
  t.truthy(notes);
  const noteText = notes!.getSheetValues().flat().map(String).join('\n');
  t.true(noteText.includes('明德东校区'));
  t.false(noteText.includes('明德西校区'), 'only classes in the bursar’s own campus are listed');
  t.true(noteText.includes('父亲') && noteText.includes('外祖父母'));

  // The untouched template imports nothing: the example row is skipped.
  const asIs = await upload<{ code: string }>(east, res.bytes, '学生名册导入模板.xlsx');
  t.is(asIs.status, 400);
  t.is(asIs.body.code, 'VALIDATION_FAILED');
});

test.serial('one file with bad rows among good ones is refused whole, listing every problem; nothing is written', async (t) => {
  const before = await counts(server);
  const good = student('T1001', 1);
  const file = await rosterFile([
    good, // row 2 (its number is repeated in row 7)
    student('T1002', 2, EAST, { idNumber: badChecksum(idNumber('20150901', 2)) }), // row 3
    student('T1003', 3, EAST, { g1Phone: '1380013800' }), // row 4
    student('T1004', 4, ['明德东校区', '小学部', '一年级', '9班']), // row 5
    student('T1005', 5, WEST), // row 6: a real class, outside the east bursar's scope
    student('T1001', 6), // row 7
    student('T1007', 7, EAST, { name: '' }), // row 8
    student('T1008', 8), // row 9: good
    student('T1009', 9, EAST, { idNumber: 110105201509010091 }), // row 10: typed as a number, digits lost
    student('T1010', 10, EAST, { g1Phone: good.g1Phone, g1Name: '另一个人' }), // row 11: one phone, two names
  ]);
  const res = await upload<{ code: string; message: string; details: { errors: ImportRowError[]; reportId: string; badRows: number } }>(east, file);
  t.is(res.status, 422);
  t.is(res.body.code, 'IMPORT_INVALID');
  t.is(res.body.message, '有 9 行数据有误，未导入任何数据');
  const { errors, reportId } = res.body.details;
  const at = (row: number) => errors.filter((e) => e.row === row);
  const has = (row: number, column: string, text: RegExp) =>
    t.true(at(row).some((e) => e.column === column && text.test(e.message)), `row ${row} ${column} ~ ${text}: ${JSON.stringify(at(row))}`);
  has(2, '学号*', /T1001.*重复.*第 2、7 行/);
  has(3, '身份证号', /校验位/);
  has(4, '监护人1手机*', /手机号格式不正确/);
  has(5, '班级*', /找不到班级「明德东校区\/小学部\/一年级\/9班」/);
  has(6, '班级*', /找不到班级「明德西校区\/高中部\/高一\/1班」/);
  has(7, '学号*', /重复/);
  has(8, '姓名*', /姓名不能为空/);
  has(10, '身份证号', /存成了数字/);
  has(11, '监护人1姓名*', /第 2 行登记的监护人是「家长甲1」/);
  t.deepEqual(at(9), [], 'a good row is not listed');
  t.regex(reportId, /^rpt_/);
  t.deepEqual(await counts(server), before, 'no student or guardian was written');
  t.is(await StudentModel(server.deps.db).countDocuments({ studentNo: { $in: ['T1001', 'T1008'] } }), 0);

  // The annotated copy: every row where it was, reasons in 错误说明, bad cells red.
  const report = await download(server, east, `/api/v1/admin/students/import-reports/${reportId}`);
  t.is(report.status, 200);
  t.regex(report.headers.get('content-disposition') ?? '', /filename\*=UTF-8''/);
  const sheet = (await readWorkbook(report.bytes)).getWorksheet('学生名册')!;
  const header = rowValues(sheet.getRow(1));
  const reasonColumn = header.indexOf(ERROR_COLUMN) + 1;
  t.is(reasonColumn, 17);
  t.regex(String(sheet.getRow(3).getCell(reasonColumn).value), /身份证号：身份证号校验位不正确/);
  t.regex(String(sheet.getRow(6).getCell(reasonColumn).value), /班级：在您的管理范围内找不到班级/);
  t.regex(String(sheet.getRow(8).getCell(reasonColumn).value), /姓名不能为空/);
  t.is(String(sheet.getRow(9).getCell(reasonColumn).value ?? ''), '');
  t.is(String(sheet.getRow(9).getCell(1).value), 'T1008', 'rows keep their numbers');
  const badCell = sheet.getRow(4).getCell(11);
  t.is((badCell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb, 'FFFFC7CE', 'the bad phone cell is filled red');

  // Scope: the group admin above the east campus may fetch it; the west bursar may not know it exists.
  t.is((await download(server, group, `/api/v1/admin/students/import-reports/${reportId}`)).status, 200);
  t.is((await download(server, west, `/api/v1/admin/students/import-reports/${reportId}`)).status, 404);
  t.is((await download(server, east, '/api/v1/admin/students/import-reports/rpt_000000000000000000000000')).status, 404);
  t.truthy(await AuditLogModel(server.deps.db).findOne({ action: 'student.import-report.download', objectId: reportId }).lean());
  // Stored sealed: the uploaded phone numbers are not readable in the database.
  const stored = await server.deps.db.collection('roster_import_reports').findOne({ _id: reportId as never });
  t.false(JSON.stringify(stored).includes(String(good.g1Phone)));
});

/** The valid roster the next tests import, re-import and export, in that order. */
const validRows = [1, 2, 3, 4, 5].map((n) => student(`T20${n}`, 100 + n, n === 5 ? EAST_2 : EAST));
// Siblings: T206 shares T201's mother.
validRows.push(student('T206', 106, EAST, { g2Name: validRows[0]!.g2Name as string, g2Phone: validRows[0]!.g2Phone as string, gender: '' }));
const plaintextOf = (rows: Row[]) => rows.flatMap((r) => [r.g1Phone, r.g2Phone, r.idNumber, r.g1IdNumber].map(String));
let afterImport: { students: number; guardians: number };
let firstJobId = '';

test.serial('a valid file imports as a job: students listed with masked numbers, nothing stored in the clear, one audit entry', async (t) => {
  const before = await counts(server);
  const rows = validRows;
  const file = await rosterFile(rows);

  const accepted = await upload<{ jobId: string }>(east, file);
  t.is(accepted.status, 202, JSON.stringify(accepted.body));
  const job = await finished(east, accepted.body.jobId);
  t.is(job.status, 'succeeded', job.lastError ?? '');
  t.deepEqual(job.result, { rows: 6, created: 6, updated: 0, unchanged: 0 });
  t.is(job.progress.done, job.progress.total);
  const after = await counts(server);
  t.is(after.students - before.students, 6);
  t.is(after.guardians - before.guardians, 11, 'the shared mother is one guardian');

  const list = await east.api.get<Page<Student>>('/api/v1/admin/students?q=T20&pageSize=50');
  t.is(list.status, 200);
  t.is(list.body.total, 6);
  const t206 = list.body.items.find((s) => s.studentNo === 'T206')!;
  t.is(t206.className, '1班');
  t.is(t206.guardians.length, 2);
  t.true(t206.guardians[0]!.primary);
  for (const s of list.body.items) {
    t.regex(s.idNumberMasked ?? '', /^110\*+\d{3}[\dX]$/);
    for (const g of s.guardians) t.regex(g.phoneMasked ?? '', /^1\d{2}\*{4}\d{4}$/);
  }
  const sibling = list.body.items.find((s) => s.studentNo === 'T201')!;
  t.is(sibling.guardians[1]!.guardianId, t206.guardians[1]!.guardianId);

  // At rest: no plaintext phone or identity number anywhere in the raw documents.
  const plaintext = plaintextOf(rows);
  const rawStudents = await server.deps.db.collection('students').find({ studentNo: { $in: rows.map((r) => String(r.studentNo)) } }).toArray();
  t.is(rawStudents.length, 6);
  const guardianIds = [...new Set(rawStudents.flatMap((s) => s.guardianIds as string[]))];
  const rawGuardians = await server.deps.db.collection('guardians').find({ _id: { $in: guardianIds as never[] } }).toArray();
  t.is(rawGuardians.length, 11);
  const raw = JSON.stringify([rawStudents, rawGuardians]);
  for (const value of plaintext) t.false(raw.includes(value), `${value} is not stored in the clear`);
  t.true(rawGuardians.every((g) => typeof g.phoneEnc === 'string' && String(g.phoneEnc).startsWith('v1:')));

  const entry = await AuditLogModel(server.deps.db).findOne({ action: 'student.import', objectId: accepted.body.jobId }).lean();
  t.truthy(entry);
  t.like(entry!.after as Record<string, unknown>, { rows: 6, created: 6, updated: 0, unchanged: 0 });
  t.is(await AuditLogModel(server.deps.db).countDocuments({ action: 'student.import', objectId: accepted.body.jobId }), 1);
  afterImport = after;
  firstJobId = accepted.body.jobId;
});

test.serial('re-importing the same file changes nothing; a changed row updates one student', async (t) => {
  const rows = [...validRows];
  const after = afterImport;
  const file = await rosterFile(rows);
  const again = await upload<{ jobId: string }>(east, file);
  t.is(again.status, 202);
  t.not(again.body.jobId, firstJobId);
  t.deepEqual((await finished(east, again.body.jobId)).result, { rows: 6, created: 0, updated: 0, unchanged: 6 });
  t.deepEqual(await counts(server), after);

  // One changed row: one student updated, the rest untouched.
  rows[2] = { ...rows[2], name: '改过的名字' };
  const changed = await upload<{ jobId: string }>(east, await rosterFile(rows));
  t.is(changed.status, 202);
  t.deepEqual((await finished(east, changed.body.jobId)).result, { rows: 6, created: 0, updated: 1, unchanged: 5 });
  const renamed = await StudentModel(server.deps.db).findById(studentId('campus_demo_east', 'T203')).lean();
  t.is(renamed?.name, '改过的名字');
  t.deepEqual(await counts(server), after);
});

test.serial('the export has the template’s layout, masked numbers and every matching row, and is audited', async (t) => {
  const plaintext = plaintextOf(validRows);
  const exported = await download(server, east, `/api/v1/admin/students/export?q=${encodeURIComponent('T20')}`);
  t.is(exported.status, 200);
  t.regex(exported.headers.get('content-disposition') ?? '', /attachment; filename="students-\d{8}-\d{4}\.xlsx"; filename\*=UTF-8''%E5%AD%A6%E7%94%9F/);
  const sheet = (await readWorkbook(exported.bytes)).getWorksheet('学生名册')!;
  t.deepEqual(rowValues(sheet.getRow(1)).slice(0, 16), ROSTER_COLUMNS.map((c) => c.header));
  t.is(sheet.actualRowCount - 1, 6);
  const exportedText = JSON.stringify(sheet.getSheetValues());
  for (const value of plaintext) t.false(exportedText.includes(value), `${value} is masked in the export`);
  const t201 = rowValues(sheet.getRow(2));
  t.is(t201[0], 'T201');
  t.deepEqual(t201.slice(4, 8), [...EAST]);
  t.regex(t201[10] ?? '', /^137\*{4}\d{4}$/);
  t.regex(t201[3] ?? '', /^110\*+/);
  const exportAudit = await AuditLogModel(server.deps.db).findOne({ action: 'student.export' }).sort({ seq: -1 }).lean();
  t.like(exportAudit?.after as Record<string, unknown>, { rows: 6, filter: { nodeId: null, q: 'T20', status: null } });

  // The whole campus: every demo student of the east campus plus the six.
  const all = await download(server, east, '/api/v1/admin/students/export');
  const total = await StudentModel(server.deps.db).countDocuments({ orgPath: 'campus_demo_east' });
  t.is((await readWorkbook(all.bytes)).getWorksheet('学生名册')!.actualRowCount - 1, total);
});

test.serial('roles without the permission are refused; uploads of the wrong kind or size are refused', async (t) => {
  for (const who of [auditor, branch]) {
    t.is((await download(server, who, '/api/v1/admin/students/import-template')).status, 403);
    t.is((await download(server, who, '/api/v1/admin/students/export')).status, 403);
    t.is((await upload(who, await rosterFile([student('T3001', 301)]))).status, 403);
    t.is((await download(server, who, '/api/v1/admin/students/import-reports/rpt_000000000000000000000000')).status, 403);
  }
  const json = await east.api.post<{ code: string }>('/api/v1/admin/students/import', { file: 'x' });
  t.is(json.status, 415);
  t.is(json.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  const xls = await upload<{ code: string }>(east, await rosterFile([student('T3001', 301)]), 'roster.xls');
  t.is(xls.status, 415);
  const notZip = await upload<{ code: string }>(east, Buffer.from('学号,姓名\nT1,张三\n'), 'roster.xlsx');
  t.is(notZip.status, 415);
  const huge = await upload<{ code: string }>(east, Buffer.alloc(600 * 1024, 1), 'roster.xlsx');
  t.is(huge.status, 413);
  t.is(huge.body.code, 'PAYLOAD_TOO_LARGE');
  const corrupt = await upload<{ code: string }>(east, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]), 'roster.xlsx');
  t.is(corrupt.status, 400);
  const missingColumns = await (async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('学生名册').addRow(['学号*', '姓名*']);
    workbook.getWorksheet('学生名册')!.addRow(['T1', '张三']);
    return upload<{ code: string; details: { errors: ImportRowError[] } }>(east, Buffer.from(await workbook.xlsx.writeBuffer()));
  })();
  t.is(missingColumns.status, 422);
  t.true(missingColumns.body.details.errors.every((e) => e.row === 1));
  t.true(missingColumns.body.details.errors.some((e) => e.column === '监护人1手机*'));
});

test.serial('a campus chosen in the form limits the classes rows may name', async (t) => {
  const res = await upload<{ code: string; details: { errors: ImportRowError[] } }>(group, await rosterFile([student('T4001', 401, WEST)]), 'r.xlsx', {
    campusId: 'campus_demo_east',
  });
  t.is(res.status, 422);
  t.regex(res.body.details.errors[0]?.message ?? '', /找不到班级/);
  const outside = await upload(east, await rosterFile([student('T4002', 402)]), 'r.xlsx', { campusId: 'campus_demo_west' });
  t.is(outside.status, 404);
});

test('a file over the row limit is refused before its rows are checked', async (t) => {
  const principal: StaffPrincipal = {
    kind: 'staff',
    userId: 'u',
    username: 'u',
    displayName: 'u',
    role: 'bursar',
    nodeId: 'campus_demo_east',
    nodePath: ['bank_demo', 'branch_demo_city', 'branch_demo_sub', 'group_demo', 'campus_demo_east'],
    grantIndex: 0,
    sessionId: '',
    requestId: 'test',
    ip: null,
  };
  const service = rosterImportService(server.deps, { maxRows: 3 });
  const file = await rosterFile([1, 2, 3, 4].map((n) => student(`T50${n}`, 500 + n)));
  const error = await t.throwsAsync(service.check(new StaffScope(principal), file));
  t.is((error as { code?: string }).code, 'PAYLOAD_TOO_LARGE');
  t.regex(error.message, /超过 3 行/);
});

test('a double submit joins the queued job, and a job that died midway completes on retry without duplicates', async (t) => {
  const quiet = await startTestServer('roster_retry', { jobsEnabled: false });
  t.teardown(() => quiet.stop());
  await seedDemo(quiet.deps);
  const bursar = await login(quiet, 'demo.bursar');
  const rows = [1, 2, 3, 4].map((n) => student(`T60${n}`, 600 + n));
  const file = await rosterFile(rows);
  const before = await counts(quiet);

  const first = await upload<{ jobId: string }>(bursar, file);
  const second = await upload<{ jobId: string }>(bursar, file);
  t.is(first.status, 202);
  t.is(second.body.jobId, first.body.jobId, 'the second submit joins the first');
  t.is(await JobModel(quiet.deps.db).countDocuments({ _id: { $regex: /^roster-import-/ } }), 1);

  // A first attempt dies after writing the guardians, before any student.
  const job = await JobModel(quiet.deps.db).findById(first.body.jobId).lean();
  const payload = job!.payload as unknown as RosterImportPayload;
  const crash = rosterImportService(quiet.deps).run(payload, {
    progress: async (_done, _total, message) => {
      if (message === '写入监护人') throw new Error('process killed');
    },
  });
  await t.throwsAsync(crash, { message: 'process killed' });
  const midway = await counts(quiet);
  t.is(midway.guardians - before.guardians, 8);
  t.is(midway.students, before.students);

  // The queue runs the job (its first leased attempt): it finishes the work and reports the whole import.
  t.true(await quiet.deps.jobs.runOnce());
  const done = await quiet.deps.jobs.get(first.body.jobId);
  t.is(done.status, 'succeeded', done.lastError ?? '');
  t.deepEqual(done.result, { rows: 4, created: 4, updated: 0, unchanged: 0 });
  const after = await counts(quiet);
  t.is(after.students - before.students, 4);
  t.is(after.guardians - before.guardians, 8);
  for (const r of rows) t.is(await StudentModel(quiet.deps.db).countDocuments({ studentNo: String(r.studentNo) }), 1);

  // Run again (as if the success mark had been lost): nothing more is written, the same summary comes back.
  t.deepEqual(await rosterImportService(quiet.deps).run(payload, { progress: async () => undefined }), { rows: 4, created: 4, updated: 0, unchanged: 0 });
  t.deepEqual(await counts(quiet), after);
});

test.serial('changed students are written the same way in place (MongoDB) and by replacement (FerretDB), keeping what the file does not carry', async (t) => {
  const db = server.deps.db;
  const classIds = ['campus_demo_east_div1_g1_c1', 'campus_demo_east_div1_g1_c2'];
  const classes: ClassPaths = new Map(
    (await OrgNodeModel(db).find({ _id: { $in: classIds } }).lean()).map((n) => [n._id, { _id: n._id, path: n.path }]),
  );
  const row = (n: number, name: string, classId: string): RosterRow => ({
    row: n + 1,
    studentNo: `T70${n}`,
    name,
    gender: null,
    idNumber: null,
    classId,
    guardians: [{ name: `监护人${n}`, relationship: 'mother', phone: `1377000000${n}`, idNumber: null }],
  });
  const write = async (rows: RosterRow[], strategy: ChangeStrategy) => {
    const plan = await planRosterWrite(server.deps, rows, classes, { strategy });
    await applyRosterWrite(server.deps, plan);
    return plan.counts;
  };
  const first = [row(1, '甲', classIds[0]!), row(2, '乙', classIds[0]!), row(3, '丙', classIds[0]!)];
  t.like(await write(first, 'update'), { created: 3, updated: 0, unchanged: 0 });
  const id = (n: number) => studentId('campus_demo_east', `T70${n}`);
  await StudentModel(db).updateOne({ _id: id(1) }, { $set: { status: 'left', gender: 'female' } });
  const before = await StudentModel(db).findById(id(1)).lean();

  for (const [strategy, name] of [['update', '甲一'], ['replace', '甲二']] as const) {
    const rows = [row(1, name, classIds[1]!), row(2, '乙', classIds[0]!), row(3, '丙', classIds[0]!)];
    t.like(await write(rows, strategy), { created: 0, updated: 1, unchanged: 2 }, strategy);
    const after = await StudentModel(db).findById(id(1)).lean();
    t.is(after?.name, name);
    t.is(after?.classId, classIds[1]);
    t.deepEqual(after?.orgPath, classes.get(classIds[1]!)?.path);
    // Not in the file, so left alone: status, a gender the file leaves empty, the invite code, the creation time.
    t.is(after?.status, 'left');
    t.is(after?.gender, 'female');
    t.is(after?.inviteCode, before?.inviteCode);
    t.is(after?.createdAt?.getTime(), before?.createdAt?.getTime());
    t.is(await StudentModel(db).countDocuments({ studentNo: 'T701' }), 1);
    t.like(await write(rows, strategy), { created: 0, updated: 0, unchanged: 3 }, `${strategy}: the same rows again change nothing`);
  }
});
