import test from 'ava';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { PromotionPreview } from '@campuspay/shared';

let server: SeededServer;
test.before(async () => {
  server = await startSeededServer('promotion');
});
test.after.always(() => server?.stop());

async function waitForJob(api: Awaited<ReturnType<SeededServer['loginAs']>>, id: string) {
  let last: unknown;
  for (let i = 0; i < 600; i++) {
    const job = await api.get<{ status: string; result: unknown; progress: { done: number; total: number } }>(`/api/v1/admin/jobs/${encodeURIComponent(id)}`);
    last = job.body;
    if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job did not finish: ${JSON.stringify(last)}`);
}

test('a new academic year: preview, refuse a stale plan, then promote every class one grade and graduate the last', async (t) => {
  const admin = await server.loginAs('demo.group');
  const db = server.deps.db.collection('students');
  const before = await db.countDocuments({ orgPath: 'campus_demo_east', status: 'enrolled' });
  const inGrade6 = await db.countDocuments({ orgPath: 'campus_demo_east_div1_g6', status: 'enrolled' });
  const inGrade1Class1 = await db.countDocuments({ classId: 'campus_demo_east_div1_g1_c1' });

  const preview = await admin.post<PromotionPreview>('/api/v1/admin/academic-years/promotion/preview', { nodeId: 'campus_demo_east' });
  t.is(preview.status, 200);
  t.is(preview.body.totals.promoted + preview.body.totals.graduated, before);
  t.is(preview.body.graduating.filter((g) => g.label.startsWith('小学部')).reduce((n, g) => n + g.students, 0), inGrade6);
  t.is(preview.body.totals.classesCreated, 0);

  // Someone edits the roster after the preview: the reviewed plan no longer holds.
  const bursar = await server.loginAs('demo.bursar');
  const someone = await db.findOne({ classId: 'campus_demo_east_div1_g2_c1' });
  await bursar.post(`/api/v1/admin/students/${someone?._id}/move`, { classId: 'campus_demo_east_div1_g2_c2' });
  const stale = await admin.post<Record<string, string>>('/api/v1/admin/academic-years/promotion', { nodeId: 'campus_demo_east', planHash: preview.body.planHash });
  t.is(stale.status, 409);

  const fresh = await admin.post<PromotionPreview>('/api/v1/admin/academic-years/promotion/preview', { nodeId: 'campus_demo_east' });
  const started = await admin.post<{ id: string }>('/api/v1/admin/academic-years/promotion', { nodeId: 'campus_demo_east', planHash: fresh.body.planHash });
  t.is(started.status, 202);
  const job = await waitForJob(admin, started.body.id);
  t.is(job.status, 'succeeded');
  t.is(job.progress.done, before);

  t.is(await db.countDocuments({ classId: 'campus_demo_east_div1_g2_c1' }), inGrade1Class1, 'grade 1 class 1 became grade 2 class 1');
  t.is(await db.countDocuments({ classId: 'campus_demo_east_div1_g1_c1' }), 0);
  t.is(await db.countDocuments({ orgPath: 'campus_demo_east', status: 'graduated' }), fresh.body.totals.graduated);

  const again = await admin.post<Record<string, string>>('/api/v1/admin/academic-years/promotion', { nodeId: 'campus_demo_east', planHash: fresh.body.planHash });
  t.is(again.status, 409, 'the same plan cannot be applied twice');
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ total: number }>('/api/v1/admin/audit-logs?action=academic-year.promote&objectId=campus_demo_east');
  t.is(logs.body.total, 1);
});

test('a promotion job that crashed half-way and runs again finishes the confirmed plan without moving anyone twice', async (t) => {
  const admin = await server.loginAs('demo.group');
  const students = server.deps.db.collection('students');
  const division = 'campus_demo_west_div1';
  const where = async () =>
    Object.fromEntries((await students.find({ orgPath: division }).toArray()).map((s) => [String(s._id), `${s.classId}/${s.status}`]));
  const preview = await admin.post<PromotionPreview>('/api/v1/admin/academic-years/promotion/preview', { nodeId: division });
  t.is(preview.status, 200);
  const before = await where();

  const { promotionService } = await import('./promotion.ts');
  const service = promotionService(server.deps);
  const group = await server.deps.db.collection('org_nodes').findOne({ _id: 'group_demo' as never });
  const principal = { kind: 'staff', userId: 'job-retry', username: 'demo.group', displayName: '陈静', role: 'group_admin', nodeId: 'group_demo', nodePath: group!.path as string[], grantIndex: 0, sessionId: 'job', requestId: 'job', ip: null } as const;
  const payload = { nodeId: division, planHash: preview.body.planHash, principal };
  // The first attempt dies after its first step (the crash), the retry runs the whole job.
  let steps = 0;
  await t.throwsAsync(
    service.apply(payload, async () => {
      if (++steps === 1) throw new Error('killed');
    }),
    { message: 'killed' },
  );
  const retried = await service.apply(payload, async () => undefined);
  t.is(retried.promoted, preview.body.totals.promoted);

  const after = await where();
  const moves = new Map(preview.body.moves.map((m) => [m.fromClassId, m.toClassId]));
  const graduating = new Set(preview.body.graduating.map((g) => g.classId));
  for (const [id, placement] of Object.entries(before)) {
    const [classId, status] = placement.split('/');
    if (status !== 'enrolled') continue;
    const expected = graduating.has(classId!) ? `${classId}/graduated` : `${moves.get(classId!)}/enrolled`;
    t.is(after[id], expected, `student ${id} moved exactly one grade`);
  }
});
