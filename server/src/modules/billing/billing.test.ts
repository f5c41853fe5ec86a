import test from 'ava';
import type { Bill, BillBatch, FeeItem, PayeeAccount } from '@campuspay/shared';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { checkBillLedgerInvariants } from '../ledger/invariants.ts';
import { resolvePrice } from './fee-items.service.ts';
import { stackConcessions, settle } from './bill-figures.ts';
import { createFeeItem } from '../reports/report-test-support.ts';

let server: SeededServer;
let group: ApiClient;
let bursar: ApiClient;
let payee: PayeeAccount;

test.before(async () => {
  server = await startSeededServer('billing', { concessionApprovalThresholdFen: 50_000 });
  group = await server.loginAs('demo.group');
  bursar = await server.loginAs('demo.bursar');
  payee = (await group.post<PayeeAccount>('/api/v1/admin/payee-accounts', { name: '学校基本户', mchid: '1900000109', bankName: '示范银行城东支行', bankAccount: '6222000011112222', nodeId: 'group_demo' })).body;
});
test.after.always(() => server?.stop());

// The tests run one at a time: this check reads every bill and then every entry, and a test writing between
// the two reads would make the books look unbalanced.
test.afterEach.always(async (t) => {
  const report = await checkBillLedgerInvariants(server.deps.db);
  t.deepEqual(report.problems, [], 'bills = ledger');
});

async function waitJob(api: ApiClient, id: string) {
  for (let i = 0; i < 600; i++) {
    const job = await api.get<{ status: string; result: Record<string, number> }>(`/api/v1/admin/jobs/${encodeURIComponent(id)}`);
    if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

function feeItem(api: ApiClient, overrides: Record<string, unknown> = {}): Promise<FeeItem> {
  return createFeeItem(api, payee.id, {
    prices: [
      { nodeId: 'campus_demo_east_div1', amountFen: 800_000 },
      { nodeId: 'campus_demo_east_div1_g1', amountFen: 750_000 },
      { nodeId: 'campus_demo_east_div1_g1_c2', amountFen: 700_050 },
    ],
    nodeId: 'campus_demo_east',
    ...overrides,
  });
}

async function issue(api: ApiClient, body: Record<string, unknown>): Promise<BillBatch> {
  const draft = await api.post<BillBatch>('/api/v1/admin/bill-batches', body);
  if (draft.status !== 201) throw new Error(JSON.stringify(draft.body));
  const published = await api.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  await waitJob(api, published.body.jobId!);
  return (await api.get<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}`)).body;
}

test.serial('price resolution: the deepest price row on the student’s path wins', (t) => {
  const prices = [
    { nodeId: 'div', amountFen: 100 },
    { nodeId: 'grade', amountFen: 90 },
    { nodeId: 'class', amountFen: 80 },
  ];
  t.is(resolvePrice(prices, ['campus', 'div', 'grade', 'class']), 80);
  t.is(resolvePrice(prices, ['campus', 'div', 'grade', 'other']), 90);
  t.is(resolvePrice(prices, ['campus', 'div', 'g2', 'c']), 100);
  t.is(resolvePrice(prices, ['campus', 'div2']), null);
});

test.serial('concessions stack in order, percentages on what is left, never below zero; figures settle', (t) => {
  t.deepEqual(stackConcessions(100_000, [{ percentBp: 1000, amountFen: null }, { percentBp: null, amountFen: 20_000 }, { percentBp: 5000, amountFen: null }]), [10_000, 20_000, 35_000]);
  t.deepEqual(stackConcessions(5_000, [{ percentBp: null, amountFen: 8_000 }, { percentBp: 1000, amountFen: null }]), [5_000, 0]);
  t.deepEqual(stackConcessions(333, [{ percentBp: 3333, amountFen: null }]), [110], 'rounds down to whole fen');
  t.like(settle({ amountDueFen: 1000, concessionFen: 100, paidFen: 900, refundedFen: 0 }), { outstandingFen: 0, status: 'paid' });
  t.like(settle({ amountDueFen: 1000, concessionFen: 0, paidFen: 1400, refundedFen: 0 }), { outstandingFen: -400, status: 'paid' });
  t.like(settle({ amountDueFen: 1000, concessionFen: 1000, paidFen: 0, refundedFen: 0 }), { outstandingFen: 0, status: 'waived' });
});

test.serial('targeted issuance: preview, publish, idempotent re-runs, exclusions; fee item edits leave issued bills alone', async (t) => {
  const item = await feeItem(bursar);
  const target = { nodeIds: ['campus_demo_east_div1_g1'], studentIds: [], excludeStudentIds: [] as string[] };
  const students = server.deps.db.collection('students');
  const grade1 = await students.find({ orgPath: 'campus_demo_east_div1_g1', status: 'enrolled' }).toArray();
  const excluded = String(grade1[0]!._id);
  target.excludeStudentIds = [excluded];
  const draft = await bursar.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.id, target });
  t.is(draft.status, 201);
  const inClass2 = grade1.filter((s) => s.classId === 'campus_demo_east_div1_g1_c2' && String(s._id) !== excluded).length;
  const inClass1 = grade1.length - 1 - inClass2;
  t.is(draft.body.preview.bills, grade1.length - 1);
  t.is(draft.body.preview.totalFen, inClass1 * 750_000 + inClass2 * 700_050);
  t.is(await server.deps.db.collection('bills').countDocuments({ feeItemId: item.id }), 0, 'a draft issues nothing');

  const published = await bursar.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  t.is(published.status, 202);
  const again = await bursar.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  t.is(again.body.jobId, published.body.jobId, 'publishing twice is one job');
  const job = await waitJob(bursar, published.body.jobId!);
  t.is(job.status, 'succeeded');
  t.is(await server.deps.db.collection('bills').countDocuments({ feeItemId: item.id }), grade1.length - 1);

  const rerun = await issue(bursar, { feeItemId: item.id, target: { nodeIds: ['campus_demo_east_div1_g1'], studentIds: [], excludeStudentIds: [] } });
  t.is(rerun.preview.bills, 1, 'only the excluded student is new');
  t.is(rerun.preview.skippedExisting, grade1.length - 1);
  t.is(await server.deps.db.collection('bills').countDocuments({ feeItemId: item.id }), grade1.length);

  const west = await server.loginAs('demo.bursar.west');
  t.is((await west.post('/api/v1/admin/bill-batches', { feeItemId: item.id, target })).status, 404, 'another campus’s fee item does not exist for them');

  // Editing the fee item never changes bills already issued.
  await bursar.request('PATCH', `/api/v1/admin/fee-items/${item.id}`, { body: { prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 1 }] } });
  const bills = await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?feeItemId=${item.id}&pageSize=500`);
  t.true(bills.body.items.every((b) => b.amountDueFen >= 700_050));
});

test.serial('sibling concession at issuance; concessions above the threshold wait for a group admin', async (t) => {
  const rule = await group.post<{ id: string }>('/api/v1/admin/concession-rules', { nodeId: 'group_demo', kind: 'sibling', label: '二孩九折', percentBp: 1000, amountFen: null, order: 1, categories: ['tuition'] });
  t.is(rule.status, 201);
  // Two children sharing a guardian make siblings.
  const guardian = { name: '同一家长', relationship: 'mother', phone: '13600001111', primary: true };
  const a = await group.post<{ id: string }>('/api/v1/admin/students', { studentNo: 'E8000001', name: '哥哥', classId: 'campus_demo_east_div1_g3_c1', guardians: [guardian] });
  await group.post('/api/v1/admin/students', { studentNo: 'E8000002', name: '妹妹', classId: 'campus_demo_east_div1_g2_c1', guardians: [guardian] });
  const item = await feeItem(bursar, { name: '学费（三年级）', prices: [{ nodeId: 'campus_demo_east_div1_g3', amountFen: 600_000 }] });
  const batch = await issue(bursar, { feeItemId: item.id, target: { nodeIds: ['campus_demo_east_div1_g3'] }, concessionRuleIds: [rule.body.id] });
  t.is(batch.preview.concessionFen, 60_000);
  const bill = (await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?feeItemId=${item.id}&studentId=${a.body.id}`)).body.items[0]!;
  t.like(bill, { amountDueFen: 600_000, concessionFen: 60_000, outstandingFen: 540_000, status: 'unpaid' });

  const small = await bursar.post<Bill>(`/api/v1/admin/bills/${bill.id}/concessions`, { kind: 'scholarship', amountFen: 10_000, reason: '期末奖学金' });
  t.like(small.body, { concessionFen: 70_000, outstandingFen: 530_000 });
  const big = await bursar.post<Bill>(`/api/v1/admin/bills/${bill.id}/concessions`, { kind: 'hardship', amountFen: 200_000, reason: '家庭困难' });
  t.is(big.body.concessionFen, 70_000, 'a large concession waits');
  const pending = big.body.concessions.find((c) => c.status === 'pending_approval')!;
  t.is((await bursar.post(`/api/v1/admin/bills/${bill.id}/concessions/${pending.id}/decision`, { approve: true, reason: '同意' })).status, 403);
  const approved = await group.post<Bill>(`/api/v1/admin/bills/${bill.id}/concessions/${pending.id}/decision`, { approve: true, reason: '核实属实' });
  t.like(approved.body, { concessionFen: 270_000, outstandingFen: 330_000 });
  const twice = await group.post(`/api/v1/admin/bills/${bill.id}/concessions/${pending.id}/decision`, { approve: true, reason: '再次' });
  t.is(twice.status, 409);
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { action: string }[] }>(`/api/v1/admin/audit-logs?objectId=${bill.id}`);
  t.deepEqual(logs.body.items.map((e) => e.action).sort(), ['bill.concession.apply', 'bill.concession.approve', 'bill.concession.request']);
});

test.serial('counter payments: partial rules, receipts, reversal once, idempotency keys; adjust, cancel and waive keep figures consistent', async (t) => {
  const item = await feeItem(bursar, { name: '住宿费', category: 'dormitory', allowPartial: true, minPaymentFen: 100_000, prices: [{ nodeId: 'campus_demo_east_div2', amountFen: 300_000 }] });
  await issue(bursar, { feeItemId: item.id, target: { nodeIds: ['campus_demo_east_div2_g1_c1'] } });
  const [b1, b2, b3] = (await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?feeItemId=${item.id}&pageSize=10`)).body.items;

  const tooSmall = await bursar.post<Record<string, string>>('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 50_000, method: 'cash' });
  t.is(tooSmall.status, 422);
  const noRef = await bursar.post('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 100_000, method: 'pos' });
  t.is(noRef.status, 400);
  const key = { 'idempotency-key': 'counter-test-0001' };
  const first = await bursar.post<{ id: string; receiptNo: string; receiptVerificationCode: string }>('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 100_000, method: 'cash', payerName: '张女士' }, key);
  t.is(first.status, 201);
  const replay = await bursar.post<{ id: string }>('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 100_000, method: 'cash', payerName: '张女士' }, key);
  t.is(replay.status, 201);
  t.is(replay.body.id, first.body.id, 'a repeated key returns the first answer');
  t.is(replay.headers.get('idempotent-replay'), 'true');
  const reused = await bursar.post<Record<string, string>>('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 200_000, method: 'cash' }, key);
  t.is(reused.status, 409);
  t.is(reused.body.code, 'IDEMPOTENCY_KEY_REUSED');
  t.like((await bursar.get<Bill>(`/api/v1/admin/bills/${b1!.id}`)).body, { paidFen: 100_000, outstandingFen: 200_000, status: 'partially_paid' });

  const over = await bursar.post('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 200_001, method: 'cash' });
  t.is(over.status, 422);
  const rest = await bursar.post('/api/v1/admin/offline-payments', { billId: b1!.id, amountFen: 200_000, method: 'transfer', reference: 'TRF20260901001' });
  t.is(rest.status, 201);
  t.like((await bursar.get<Bill>(`/api/v1/admin/bills/${b1!.id}`)).body, { paidFen: 300_000, outstandingFen: 0, status: 'paid' });

  const verify = await server.api.get<{ valid: boolean; totalFen: number; studentName: string }>(`/api/v1/public/receipts/${first.body.receiptNo}/verify?code=${first.body.receiptVerificationCode}`);
  t.like(verify.body, { valid: true, totalFen: 100_000 });
  t.regex(verify.body.studentName, /\*/, 'the public check masks the name');
  t.like((await server.api.get(`/api/v1/public/receipts/${first.body.receiptNo}/verify?code=WRONG`)).body, { valid: false });
  const pdf = await bursar.request<string>('GET', `/api/v1/admin/receipts/${first.body.receiptNo}/pdf`);
  t.is(pdf.status, 200);
  t.is(pdf.headers.get('content-type'), 'application/pdf');

  const reversed = await bursar.post<{ reversed: boolean }>(`/api/v1/admin/offline-payments/${first.body.id}/reverse`, { reason: '收错账单' });
  t.true(reversed.body.reversed);
  t.is((await bursar.post(`/api/v1/admin/offline-payments/${first.body.id}/reverse`, { reason: '再冲一次' })).status, 409);
  t.like((await bursar.get<Bill>(`/api/v1/admin/bills/${b1!.id}`)).body, { paidFen: 200_000, outstandingFen: 100_000, status: 'partially_paid' });
  t.like((await server.api.get(`/api/v1/public/receipts/${first.body.receiptNo}/verify?code=${first.body.receiptVerificationCode}`)).body, { valid: true, voided: true });

  const adjusted = await bursar.post<Bill>(`/api/v1/admin/bills/${b2!.id}/adjust`, { amountDueFen: 250_000, reason: '按实际入住天数调整' });
  t.like(adjusted.body, { amountDueFen: 250_000, outstandingFen: 250_000 });
  t.is((await bursar.post(`/api/v1/admin/bills/${b1!.id}/cancel`, { reason: '退宿' })).status, 422, 'a bill with money on it cannot be cancelled');
  const cancelled = await bursar.post<Bill>(`/api/v1/admin/bills/${b2!.id}/cancel`, { reason: '未入住' });
  t.like(cancelled.body, { status: 'cancelled', outstandingFen: 0 });
  t.is((await bursar.post('/api/v1/admin/offline-payments', { billId: b2!.id, amountFen: 250_000, method: 'cash' })).status, 422);
  const waived = await group.post<Bill>(`/api/v1/admin/bills/${b3!.id}/waive`, { reason: '特困家庭全免' });
  t.like(waived.body, { status: 'waived', outstandingFen: 0, concessionFen: 300_000 });
});

test.serial('concurrent counter payments on one bill take the money once', async (t) => {
  const item = await feeItem(bursar, { name: '教材费', category: 'textbooks', prices: [{ nodeId: 'campus_demo_east_div2_g2', amountFen: 45_000 }] });
  await issue(bursar, { feeItemId: item.id, target: { nodeIds: ['campus_demo_east_div2_g2_c1'] } });
  const bill = (await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?feeItemId=${item.id}&pageSize=1`)).body.items[0]!;
  const results = await Promise.all(Array.from({ length: 6 }, () => bursar.post('/api/v1/admin/offline-payments', { billId: bill.id, amountFen: 45_000, method: 'cash' })));
  t.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409].sort((a, b) => a - b) as number[]);
  t.like((await bursar.get<Bill>(`/api/v1/admin/bills/${bill.id}`)).body, { paidFen: 45_000, status: 'paid' });
});

test.serial('a school group’s fee item serves every campus: campus bursars see and issue it in their campus, only the group edits it', async (t) => {
  const item = await feeItem(group, { name: '集团统一校服费', category: 'other', nodeId: 'group_demo', prices: [{ nodeId: 'group_demo', amountFen: 36_000 }] });
  const west = await server.loginAs('demo.bursar.west');
  for (const campusBursar of [bursar, west]) {
    t.true((await campusBursar.get<FeeItem[]>('/api/v1/admin/fee-items')).body.some((f) => f.id === item.id), 'listed for a campus bursar');
    t.is((await campusBursar.get<FeeItem>(`/api/v1/admin/fee-items/${item.id}`)).status, 200);
    const edit = await campusBursar.request('PATCH', `/api/v1/admin/fee-items/${item.id}`, { body: { name: '改名' } });
    t.is(edit.status, 403, 'a campus does not change its group’s fee item');
    t.is((await campusBursar.request('DELETE', `/api/v1/admin/fee-items/${item.id}`)).status, 403);
  }

  const target = { nodeIds: ['campus_demo_east_div1_g2'], studentIds: [], excludeStudentIds: [] };
  const batch = await issue(bursar, { feeItemId: item.id, target });
  const grade2 = await server.deps.db.collection('students').countDocuments({ orgPath: 'campus_demo_east_div1_g2', status: 'enrolled' });
  t.is(batch.preview.bills, grade2);
  t.is(await server.deps.db.collection('bills').countDocuments({ feeItemId: item.id }), grade2);
  t.is((await west.get(`/api/v1/admin/bill-batches/${batch.id}`)).status, 404, 'the east campus’s batch is not the west’s');
  t.is((await west.post('/api/v1/admin/bill-batches', { feeItemId: item.id, target })).status, 400, 'nor may the west issue to the east');
  t.is((await group.request('PATCH', `/api/v1/admin/fee-items/${item.id}`, { body: { name: '集团统一校服费（2026）' } })).status, 200);
});
