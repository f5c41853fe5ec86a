/**
 * The publish job at a size where it works in several chunks at once: 11,000
 * students in one class, so three 5,000-bill chunks with inserts in flight
 * while the roster is still being read. A retried job (some bills issued by an
 * earlier attempt) issues exactly the missing ones.
 */
import test from 'ava';
import type { BillBatch } from '@campuspay/shared';
import { startSeededServer } from '../../testing/fixtures.ts';
import type { StaffPrincipal } from '../auth/principal.ts';
import { checkBillLedgerInvariants } from '../ledger/invariants.ts';
import { inviteCodeFor, studentId } from '../people/student.model.ts';
import { createFeeItem, createPayee } from '../reports/report-test-support.ts';
import { billsService } from './bills.service.ts';

const CLASS_ID = 'campus_demo_east_div1_g1_c1';
const EXTRA = 11_000;

test('a publish in several chunks issues every bill once, and a retry issues only what is missing', async (t) => {
  t.timeout(300_000);
  const server = await startSeededServer('bill_publish');
  t.teardown(() => server.stop());
  const db = server.deps.db;
  const group = await server.loginAs('demo.group');
  const bursar = await server.loginAs('demo.bursar');

  const klass = await db.collection('org_nodes').findOne({ _id: CLASS_ID as never });
  t.truthy(klass);
  const now = new Date();
  for (let i = 0; i < EXTRA; i += 5_000) {
    const chunk = [];
    for (let n = i; n < Math.min(i + 5_000, EXTRA); n++) {
      const studentNo = `P${String(n).padStart(6, '0')}`;
      const _id = studentId('campus_demo_east', studentNo);
      chunk.push({ _id, studentNo, name: `学生${n}`, status: 'enrolled', classId: CLASS_ID, campusId: 'campus_demo_east', groupId: 'group_demo', orgPath: klass!.path, inviteCode: inviteCodeFor(_id), guardians: [], guardianIds: [], createdAt: now, updatedAt: now });
    }
    await db.collection('students').insertMany(chunk as never[], { ordered: false });
  }
  const inClass = await db.collection('students').countDocuments({ classId: CLASS_ID, status: 'enrolled' });
  t.true(inClass > EXTRA);

  const payee = await createPayee(group);
  const item = await createFeeItem(bursar, payee, { name: '住宿费', category: 'dormitory', nodeId: 'campus_demo_east', prices: [{ nodeId: 'campus_demo_east', amountFen: 120_000 }] });
  const draft = await bursar.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.id, target: { nodeIds: [CLASS_ID], studentIds: [], excludeStudentIds: [] } });
  t.is(draft.status, 201);
  t.is(draft.body.preview.bills, inClass);
  t.is(draft.body.preview.totalFen, inClass * 120_000);

  const published = await bursar.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  t.is(published.status, 202);
  const jobs = db.collection('jobs');
  for (let i = 0; i < 1200; i++) {
    const job = await jobs.findOne({ _id: published.body.jobId as never });
    if (job?.status === 'succeeded' || job?.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const job = await jobs.findOne({ _id: published.body.jobId as never });
  t.is(job?.status, 'succeeded', String(job?.lastError));
  t.deepEqual(job?.result, { bills: inClass, inserted: inClass, totalFen: inClass * 120_000 });
  t.deepEqual(job?.progress, { done: inClass, total: inClass, message: `已发布 ${inClass} / ${inClass} 张账单` });
  const bills = db.collection('bills');
  t.is(await bills.countDocuments({ feeItemId: item.id }), inClass);

  // An earlier attempt that died half-way: the middle chunk's bills are missing.
  const issued = await bills.find({ feeItemId: item.id }, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray();
  const lost = issued.slice(4_000, 9_000).map((b) => b._id);
  await bills.deleteMany({ _id: { $in: lost } });
  const progress: [number, number][] = [];
  const retried = await billsService(server.deps).runPublish({ batchId: draft.body.id, principal: (job!.payload as { principal: StaffPrincipal }).principal }, async (done, total) => {
    progress.push([done, total]);
  });
  // Like the preview, the run counts the bills it had to issue: students with a bill already are skipped.
  t.deepEqual(retried, { bills: lost.length, inserted: lost.length, totalFen: lost.length * 120_000 });
  t.is(await bills.countDocuments({ feeItemId: item.id }), inClass, 'each student has one bill');
  t.deepEqual(
    progress.map(([done]) => done),
    [...progress.map(([done]) => done)].sort((a, b) => a - b),
    'progress only moves forward',
  );
  t.deepEqual(progress.at(-1), [lost.length, lost.length], 'ends at 100 %');
  t.deepEqual((await checkBillLedgerInvariants(db)).problems, []);
});
