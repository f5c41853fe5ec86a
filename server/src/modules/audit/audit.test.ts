import test from 'ava';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import { AuditLogModel } from './audit-log.model.ts';
import { auditService } from './audit.service.ts';
import type { StaffPrincipal } from '../auth/principal.ts';

let server: SeededServer;
test.before(async () => {
  server = await startSeededServer('audit');
});
test.after.always(() => server?.stop());

const actor: StaffPrincipal = {
  kind: 'staff',
  userId: 'u1',
  username: 'tester',
  displayName: '测试',
  role: 'group_admin',
  nodeId: 'group_demo',
  nodePath: ['bank_demo', 'branch_demo_city', 'branch_demo_sub', 'group_demo'],
  grantIndex: 0,
  sessionId: 's',
  requestId: 'r',
  ip: '127.0.0.1',
};

// Serial: the chain test edits and deletes entries, which must not be the ones this test reads back.
test.serial('staff changes land in the audit log with who, what, before/after (masked), request id; auditors browse them in scope', async (t) => {
  const admin = await server.loginAs('demo.group');
  const created = await admin.post<{ id: string }>('/api/v1/admin/students', {
    studentNo: 'E9000001',
    name: '审计测试',
    classId: 'campus_demo_east_div1_g1_c1',
    guardians: [{ name: '审计家长', relationship: 'mother', phone: '13911112222', primary: true }],
  });
  t.is(created.status, 201);
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { action: string; objectId: string; after: Record<string, unknown>; requestId: string; actor: { username: string } }[] }>(
    `/api/v1/admin/audit-logs?objectId=${created.body.id}`,
  );
  t.is(logs.status, 200);
  const entry = logs.body.items.find((e) => e.action === 'student.create');
  t.truthy(entry);
  t.is(entry?.actor.username, 'demo.group');
  t.is(entry?.requestId, created.headers.get('x-request-id') ?? undefined);
  const text = JSON.stringify(entry);
  t.false(text.includes('13911112222'), 'no plaintext phone in the audit log');
  t.false(/Enc"|Hash"/.test(text), 'no ciphertext or lookup hash either');

  const outsider = await server.loginAs('other.bursar');
  t.is((await outsider.get('/api/v1/admin/audit-logs')).status, 403);
});

test.serial('the hash chain verifies, survives concurrent writers, and catches an edited or deleted entry', async (t) => {
  const audit = auditService(server.deps.db);
  await Promise.all(Array.from({ length: 20 }, (_, i) => audit.append(actor, { action: 'test.concurrent', objectType: 'probe', objectId: String(i) })));
  const intact = await audit.verify();
  t.true(intact.ok, intact.problem ?? '');
  const seqs = (await AuditLogModel(server.deps.db).find({}).sort({ seq: 1 }).lean()).map((e) => e.seq);
  t.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'positions are contiguous');

  const api = await server.loginAs('demo.auditor');
  t.like((await api.get('/api/v1/admin/audit-logs/verify')).body, { ok: true });

  // The first of the concurrent entries: entries follow it, whichever order the writers committed in.
  const victim = await AuditLogModel(server.deps.db).findOne({ action: 'test.concurrent' }).sort({ seq: 1 }).lean();
  const objectId = victim!.objectId;
  await server.deps.db.collection('audit_logs').updateOne({ _id: victim!._id as never }, { $set: { objectId: `${objectId}-edited` } });
  const tampered = await audit.verify();
  t.false(tampered.ok);
  t.is(tampered.brokenAt, victim!.seq);
  const viaApi = await api.get<{ ok: boolean; brokenAt: number }>('/api/v1/admin/audit-logs/verify');
  t.deepEqual([viaApi.body.ok, viaApi.body.brokenAt], [false, victim!.seq]);

  await server.deps.db.collection('audit_logs').updateOne({ _id: victim!._id as never }, { $set: { objectId } });
  t.true((await audit.verify()).ok, 'restoring the entry restores the chain');
  const later = await AuditLogModel(server.deps.db).findOne({ seq: victim!.seq + 1 }).lean();
  await server.deps.db.collection('audit_logs').deleteOne({ _id: later!._id as never });
  const gap = await audit.verify();
  t.false(gap.ok);
  t.is(gap.brokenAt, victim!.seq + 1);
});
