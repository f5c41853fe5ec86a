import test from 'ava';
import type { Bill } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';

interface RefundAnswer {
  id: string;
  outRefundNo: string;
  status: string;
  channel: string;
  amountFen: number;
}

let p: PaymentsPlatform;
test.before(async () => {
  p = await startPaymentsPlatform('refunds', { refundApprovalThresholdFen: 100_000 });
});
test.after.always(() => p?.stop());
test.afterEach.always(() => p.control.clearFaults());

async function paidBill(classId: string, amountFen: number, openid: string): Promise<{ bill: Bill; parent: ApiClient; orderId: string }> {
  const bills = await p.issue({ classId, amountFen });
  const bill = bills[0]!;
  const s = await p.server.deps.db.collection('students').findOne({ _id: bill.studentId as never });
  const parent = await p.parent(openid, [String(s?.studentNo)]);
  const order = await parent.post<{ orderId: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [bill.id] });
  await p.control.pay(order.body.payParams.package.replace('prepay_id=', ''));
  await p.waitFor('paid', async () => (await p.server.deps.db.collection('orders').findOne({ _id: order.body.orderId as never }))?.billsApplied === true);
  return { bill, parent, orderId: order.body.orderId };
}

async function refundDone(id: string, status = 'SUCCESS') {
  return p.waitFor(`refund ${status}`, async () => {
    const r = await p.server.deps.db.collection('refunds').findOne({ _id: id as never });
    return r?.status === status ? r : undefined;
  });
}

test.serial('partial then full refund by the original route; never more than was paid; the parent sees it', async (t) => {
  const { bill, parent, orderId } = await paidBill('campus_demo_east_div2_g3_c1', 80_000, 'refund-a');
  const partial = await p.bursar.post<RefundAnswer>('/api/v1/admin/refunds', { billId: bill.id, amountFen: 30_000, reason: '少住一个月' });
  t.is(partial.status, 201);
  t.is(partial.body.channel, 'wechat');
  await refundDone(partial.body.id);
  const over = await p.bursar.post<Record<string, string>>('/api/v1/admin/refunds', { billId: bill.id, amountFen: 50_001, reason: '超额' });
  t.is(over.status, 422);
  t.regex(over.body.message ?? '', /可退金额 ¥500\.00/);
  const rest = await p.bursar.post<RefundAnswer>('/api/v1/admin/refunds', { billId: bill.id, amountFen: 50_000, reason: '退宿' });
  await refundDone(rest.body.id);
  const order = await p.server.deps.db.collection('orders').findOne({ _id: orderId as never });
  t.like(order, { status: 'REFUNDED', refundedFen: 80_000 });
  const seen = (await parent.get<{ items: Bill[] }>(`/api/v1/parent/bills?studentId=${bill.studentId}`)).body.items.find((b) => b.id === bill.id);
  t.like(seen, { paidFen: 80_000, refundedFen: 80_000, outstandingFen: 80_000 });
  const refunds = await parent.get<{ status: string }[]>(`/api/v1/parent/refunds?billId=${bill.id}`);
  t.deepEqual(refunds.body.map((r) => r.status), ['SUCCESS', 'SUCCESS']);
  t.deepEqual((await p.invariants('campus_demo_east_div2_g3_c1')).problems, []);
});

test.serial('a large refund waits for a group admin; a retried refund keeps its out_refund_no and refunds once', async (t) => {
  const { bill } = await paidBill('campus_demo_east_div2_g3_c2', 150_000, 'refund-b');
  const big = await p.bursar.post<RefundAnswer>('/api/v1/admin/refunds', { billId: bill.id, amountFen: 150_000, reason: '转学' });
  t.is(big.body.status, 'PENDING_APPROVAL');
  t.is((await p.bursar.post(`/api/v1/admin/refunds/${big.body.id}/approve`, { approve: true, reason: '同意' })).status, 403);
  // WeChat is busy when the approved refund goes out: it waits and is retried with the same number.
  await p.control.faults({ type: 'api-error', api: 'refund', count: 1, status: 500, code: 'SYSTEM_ERROR', message: '系统繁忙' });
  const approved = await p.group.post<RefundAnswer>(`/api/v1/admin/refunds/${big.body.id}/approve`, { approve: true, reason: '核实转学' });
  t.is(approved.status, 200);
  t.is(approved.body.status, 'SUBMITTING');
  const done = await refundDone(big.body.id);
  t.is(done.outRefundNo, big.body.outRefundNo);
  const state = await p.control.state();
  t.is(state.refunds.filter((r) => r.outRefundNo === big.body.outRefundNo).length, 1, 'WeChat holds one refund for the number');
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ billId: bill.id, kind: 'refund' }), 1);
  t.deepEqual((await p.invariants('campus_demo_east_div2_g3_c2')).problems, []);
});

test.serial('an ABNORMAL refund surfaces in the exception queue; counter payments are refunded at the counter', async (t) => {
  const { bill } = await paidBill('campus_demo_east_div2_g2_c1', 20_000, 'refund-c');
  const order = await p.server.deps.db.collection('orders').findOne({ 'allocations.billId': bill.id, status: 'PAID' });
  await p.control.faults({ type: 'refund-outcome', count: 1, status: 'ABNORMAL', outTradeNo: String(order?.outTradeNo) });
  const refund = await p.bursar.post<RefundAnswer>('/api/v1/admin/refunds', { billId: bill.id, amountFen: 20_000, reason: '重复缴费' });
  await refundDone(refund.body.id, 'ABNORMAL');
  const queue = await p.bursar.get<{ kind: string; refundId: string }[]>('/api/v1/admin/exceptions?kind=abnormal_refund');
  t.true(queue.body.some((e) => e.refundId === refund.body.id));
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ billId: bill.id, kind: 'refund' }), 0, 'no money moved');

  const cashBills = await p.issue({ classId: 'campus_demo_east_div2_g2_c2', amountFen: 9_000 });
  const cash = cashBills[0]!;
  await p.bursar.post('/api/v1/admin/offline-payments', { billId: cash.id, amountFen: 9_000, method: 'cash' });
  const counter = await p.bursar.post<RefundAnswer>('/api/v1/admin/refunds', { billId: cash.id, amountFen: 4_000, reason: '退还多收' });
  t.like(counter.body, { channel: 'counter', status: 'SUCCESS' });
  t.like((await p.bursar.get<Bill>(`/api/v1/admin/bills/${cash.id}`)).body, { paidFen: 9_000, refundedFen: 4_000, outstandingFen: 4_000 });
  t.deepEqual((await p.invariants()).problems, []);
});
