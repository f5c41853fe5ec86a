import test from 'ava';
import { startSeededServer, OTHER, DEMO_EAST_CLASS, DEMO_WEST_CLASS, type SeededServer } from '../../testing/fixtures.ts';
import type { Student } from '@campuspay/shared';

let server: SeededServer;
test.before(async () => {
  server = await startSeededServer('people');
});
test.after.always(() => server?.stop());

test('identity and phone numbers are encrypted at rest, masked in responses, revealed only with a reason and audited', async (t) => {
  const bursar = await server.loginAs('demo.bursar');
  const created = await bursar.post<Student>('/api/v1/admin/students', {
    studentNo: 'E7000001',
    name: '加密测试',
    idNumber: '110105194912310021',
    classId: DEMO_EAST_CLASS,
    guardians: [{ name: '加密家长', relationship: 'father', phone: '13655556666', idNumber: '11010519491231002X' }],
  });
  if (created.status !== 201) t.log(created.body);
  t.is(created.status, 400, 'a wrong checksum is refused');

  const ok = await bursar.post<Student>('/api/v1/admin/students', {
    studentNo: 'E7000001',
    name: '加密测试',
    classId: DEMO_EAST_CLASS,
    idNumber: '11010519491231002X',
    guardians: [{ name: '加密家长', relationship: 'father', phone: '13655556666', idNumber: '11010519491231002X' }],
  });
  t.is(ok.status, 201);
  t.is(ok.body.guardians[0]?.phoneMasked, '136****6666');
  t.is(ok.body.idNumberMasked, '110***********002X');

  const rawStudent = await server.deps.db.collection('students').findOne({ studentNo: 'E7000001' });
  const rawGuardian = await server.deps.db.collection('guardians').findOne({ _id: ok.body.guardians[0]?.guardianId as never });
  const raw = JSON.stringify([rawStudent, rawGuardian]);
  t.false(raw.includes('13655556666'), 'no plaintext phone in the database');
  t.false(raw.includes('11010519491231002X'), 'no plaintext identity number in the database');
  t.regex(String(rawGuardian?.phoneEnc), /^v1:/);

  const list = await bursar.get<{ items: Student[] }>('/api/v1/admin/students?q=E7000001');
  t.false(JSON.stringify(list.body).includes('13655556666'));

  const noReason = await bursar.post('/api/v1/admin/guardians/' + ok.body.guardians[0]?.guardianId + '/reveal', { field: 'phone' });
  t.is(noReason.status, 400);
  const revealed = await bursar.post<{ value: string }>(`/api/v1/admin/guardians/${ok.body.guardians[0]?.guardianId}/reveal`, { field: 'phone', reason: '核对缴费人身份' });
  t.is(revealed.body.value, '13655556666');
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { action: string; reason: string }[] }>(`/api/v1/admin/audit-logs?action=personal-data.reveal&objectId=${ok.body.guardians[0]?.guardianId}`);
  t.is(logs.body.items[0]?.reason, '核对缴费人身份');
  t.is((await auditor.post(`/api/v1/admin/guardians/${ok.body.guardians[0]?.guardianId}/reveal`, { field: 'phone', reason: '想看看' })).status, 403);
});

test('a guardian with children on two campuses is one person; student numbers are unique per campus', async (t) => {
  const admin = await server.loginAs('demo.group');
  const guardian = { name: '两校家长', relationship: 'mother', phone: '13577778888', primary: true };
  const a = await admin.post<Student>('/api/v1/admin/students', { studentNo: 'E7100001', name: '老大', classId: DEMO_EAST_CLASS, guardians: [guardian] });
  const b = await admin.post<Student>('/api/v1/admin/students', { studentNo: 'W7100001', name: '老二', classId: DEMO_WEST_CLASS, guardians: [guardian] });
  t.is(a.body.guardians[0]?.guardianId, b.body.guardians[0]?.guardianId);
  const dup = await admin.post<Record<string, string>>('/api/v1/admin/students', { studentNo: 'E7100001', name: '重复', classId: DEMO_EAST_CLASS });
  t.is(dup.status, 409);
  t.regex(dup.body.message ?? '', /E7100001/);
});

test('scoping: lists and objects stay inside the user’s node; moving across campuses is refused', async (t) => {
  const east = await server.loginAs('demo.bursar');
  const all = await east.get<{ items: Student[]; total: number }>('/api/v1/admin/students?pageSize=200');
  t.true(all.body.total > 0);
  t.true(all.body.items.every((s) => s.campusId === 'campus_demo_east'));
  t.is((await east.get(`/api/v1/admin/students/${OTHER.student}`)).status, 404);
  t.is((await east.get('/api/v1/admin/students?nodeId=campus_demo_west')).status, 404);
  const mine = all.body.items[0]!;
  const cross = await east.post<Record<string, string>>(`/api/v1/admin/students/${mine.id}/move`, { classId: DEMO_WEST_CLASS });
  t.is(cross.status, 400, 'a class outside the bursar’s scope does not exist for them');
  const admin = await server.loginAs('demo.group');
  const crossCampus = await admin.post<Record<string, string>>(`/api/v1/admin/students/${mine.id}/move`, { classId: DEMO_WEST_CLASS });
  t.is(crossCampus.status, 422);
  const moved = await east.post<Student>(`/api/v1/admin/students/${mine.id}/move`, { classId: 'campus_demo_east_div1_g1_c2', reason: '分班调整' });
  t.is(moved.status, 200);
  t.is(moved.body.classId, 'campus_demo_east_div1_g1_c2');
});

test('organisation: group admins build campuses below them; school codes are unique; shape rules hold', async (t) => {
  const admin = await server.loginAs('demo.group');
  const campus = await admin.post<{ id: string; path: string[] }>('/api/v1/admin/org-nodes', { parentId: 'group_demo', kind: 'campus', name: '明德南校区', schoolCode: 'MDS001' });
  t.is(campus.status, 201);
  t.deepEqual(campus.body.path.slice(-2), ['group_demo', campus.body.id]);
  const sameCode = await admin.post<Record<string, string>>('/api/v1/admin/org-nodes', { parentId: 'group_demo', kind: 'campus', name: '重复代码', schoolCode: 'mds001' });
  t.is(sameCode.status, 409);
  const wrongShape = await admin.post<Record<string, string>>('/api/v1/admin/org-nodes', { parentId: campus.body.id, kind: 'class', name: '直接建班' });
  t.is(wrongShape.status, 400);
  const branch = await admin.post<Record<string, string>>('/api/v1/admin/org-nodes', { parentId: 'group_demo', kind: 'branch', name: '越级' });
  t.is(branch.status, 400);
  const bursar = await server.loginAs('demo.bursar');
  t.is((await bursar.post('/api/v1/admin/org-nodes', { parentId: 'campus_demo_east', kind: 'division', name: '新学部' })).status, 403);
  const busy = await admin.request<Record<string, string>>('DELETE', '/api/v1/admin/org-nodes/campus_demo_east');
  t.is(busy.status, 422, 'a node with live children cannot be archived');
});
