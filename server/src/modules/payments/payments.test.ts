import test from 'ava';
import type { Bill } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';

interface OrderAnswer {
  orderId: string;
  outTradeNo: string;
  status: string;
  totalFen: number;
  payParams: { package: string; paySign: string; timeStamp: string; nonceStr: string; signType: string } | null;
  receiptNo: string | null;
  orders: OrderAnswer[];
}

let p: PaymentsPlatform;
test.before(async () => {
  p = await startPaymentsPlatform('payments');
});
test.after.always(async () => {
  await p?.stop();
});

/** Every test ends with the books checked over its own class (tests run side by side); the last one checks everything. */
async function booksBalance(t: { deepEqual: (a: unknown, b: unknown, m: string) => void }, classId?: string) {
  const report = await p.invariants(classId);
  t.deepEqual(report.problems, [], 'bills = orders = ledger');
}
test.afterEach.always(() => p.control.clearFaults());
test.after('the books balance across every test', async (t) => {
  await booksBalance(t);
});

const prepayOf = (o: OrderAnswer) => o.payParams!.package.replace('prepay_id=', '');
let classNo = 0;
/** Each test bills its own class, so tests running side by side never share bills. */
function nextClass(): { classId: string; firstNo: (db: PaymentsPlatform['server']['deps']['db']) => Promise<string[]> } {
  const classes = ['campus_demo_east_div1_g2_c1', 'campus_demo_east_div1_g2_c2', 'campus_demo_east_div1_g3_c1', 'campus_demo_east_div1_g3_c2', 'campus_demo_east_div1_g4_c1', 'campus_demo_east_div1_g4_c2', 'campus_demo_east_div1_g5_c1', 'campus_demo_east_div1_g5_c2', 'campus_demo_east_div1_g6_c1', 'campus_demo_east_div1_g6_c2', 'campus_demo_east_div2_g1_c1', 'campus_demo_east_div2_g1_c2', 'campus_demo_east_div2_g2_c1', 'campus_demo_east_div2_g2_c2'];
  const classId = classes[classNo++ % classes.length]!;
  return {
    classId,
    firstNo: async (db) => (await db.collection('students').find({ classId }).sort({ studentNo: 1 }).limit(3).toArray()).map((s) => String(s.studentNo)),
  };
}

async function billsOf(parent: ApiClient, studentNo: string): Promise<Bill[]> {
  const s = await p.server.deps.db.collection('students').findOne({ studentNo });
  return (await parent.get<{ items: Bill[] }>(`/api/v1/parent/bills?studentId=${s?._id}`)).body.items;
}

async function paidOrder(parent: ApiClient, orderId: string): Promise<OrderAnswer> {
  return p.waitFor('order paid', async () => {
    const o = await parent.get<OrderAnswer>(`/api/v1/parent/orders/${orderId}`);
    return o.body.status === 'PAID' ? o.body : undefined;
  });
}

test.serial('happy path: one bill, paid through the sandbox, recorded with a receipt; paySign and appId check out at the payment sheet', async (t) => {
  const k = nextClass();
  const [bill] = await p.issue({ classId: k.classId, amountFen: 1_250_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-happy', [no!]);
  const [own] = await billsOf(parent, no!);
  t.truthy(own);
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [own!.id] }, { 'idempotency-key': 'happy-0001' });
  t.is(order.status, 201);
  t.is(order.body.totalFen, 1_250_000);
  t.regex(order.body.outTradeNo, /^[0-9A-Za-z]{6,32}$/);
  const pay = await p.control.pay(prepayOf(order.body), { bankType: 'ICBC_DEBIT', requestPayment: order.body.payParams! });
  t.is(pay.errMsg, 'requestPayment:ok', 'the sandbox accepted our paySign');
  const done = await paidOrder(parent, order.body.orderId);
  t.truthy(done.receiptNo);
  const [after] = await billsOf(parent, no!);
  t.like(after, { paidFen: 1_250_000, outstandingFen: 0, status: 'paid' });
  const ledger = await p.server.deps.db.collection('ledger_entries').findOne({ orderId: order.body.orderId });
  t.is(ledger?.bankType, 'ICBC_DEBIT');
  void bill;
  await booksBalance(t, k.classId);
});

test.serial('several bills of one payee make one order; bills of two payees make two orders; partial and optional choices', async (t) => {
  const k = nextClass();
  const tuition = await p.issue({ classId: k.classId, amountFen: 600_000 });
  const meals = await p.issue({ classId: k.classId, amountFen: 90_000, payee: 1, category: 'meals', mandatory: false });
  const books = await p.issue({ classId: k.classId, amountFen: 30_000, allowPartial: true, minPaymentFen: 10_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-multi', [no!]);
  const mine = await billsOf(parent, no!);
  const find = (feeItemId: string) => mine.find((b) => b.feeItemId === feeItemId)!;
  const t1 = find(tuition[0]!.feeItemId);
  const m1 = find(meals[0]!.feeItemId);
  const b1 = find(books[0]!.feeItemId);

  const tooSmall = await parent.post<Record<string, string>>('/api/v1/parent/orders', { billIds: [b1.id], amountsFen: [5_000] });
  t.is(tooSmall.status, 422);
  const orders = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [t1.id, m1.id, b1.id], amountsFen: [600_000, 90_000, 12_000] });
  t.is(orders.status, 201);
  t.is(orders.body.orders.length, 2, 'one order per payee');
  const school = orders.body.orders.find((o) => o.totalFen === 612_000)!;
  const canteen = orders.body.orders.find((o) => o.totalFen === 90_000)!;
  t.truthy(school);
  t.truthy(canteen);
  await p.control.pay(prepayOf(school), { bankType: 'CMB_CREDIT' });
  await paidOrder(parent, school.orderId);
  await p.control.pay(prepayOf(canteen));
  await paidOrder(parent, canteen.orderId);
  const after = await billsOf(parent, no!);
  t.like(after.find((b) => b.id === b1.id), { paidFen: 12_000, outstandingFen: 18_000, status: 'partially_paid' });
  t.like(after.find((b) => b.id === m1.id), { status: 'paid' });
  await booksBalance(t, k.classId);
});

test.serial('each notification duplicated 5× concurrently is applied once', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 300_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-dup', [no!]);
  const [bill] = await billsOf(parent, no!);
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  await p.control.faults({ type: 'notify-duplicate', count: 1, copies: 5, outTradeNo: order.body.outTradeNo });
  await p.control.pay(prepayOf(order.body));
  await p.waitFor('five deliveries', async () => {
    const state = await p.control.state();
    const n = state.notifications.filter((x) => x.outTradeNo === order.body.outTradeNo);
    return n.flatMap((x) => x.attempts).length >= 5;
  });
  const ledger = await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: order.body.orderId });
  t.is(ledger, 1);
  t.like((await billsOf(parent, no!))[0], { paidFen: 300_000 });
  await booksBalance(t, k.classId);
});

test.serial('a dropped notification: the sweep asks WeChat and completes the order', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 200_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-drop', [no!]);
  const [bill] = await billsOf(parent, no!);
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  await p.control.faults({ type: 'notify-drop', count: 1, outTradeNo: order.body.outTradeNo });
  await p.control.pay(prepayOf(order.body));
  // Nobody asks the server about this order: only the background sweep can find the payment.
  await p.waitFor('sweep applied the payment', async () => (await p.server.deps.db.collection('orders').findOne({ _id: order.body.orderId as never }))?.billsApplied === true);
  t.like((await billsOf(parent, no!))[0], { paidFen: 200_000, status: 'paid' });
  await booksBalance(t, k.classId);
});

test.serial('a delayed notification: the result page asks the server, which asks WeChat; the late notification changes nothing', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 150_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-delay', [no!]);
  const [bill] = await billsOf(parent, no!);
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  await p.control.faults({ type: 'notify-delay', count: 1, ms: 3000, outTradeNo: order.body.outTradeNo });
  await p.control.pay(prepayOf(order.body));
  const now = await parent.get<OrderAnswer>(`/api/v1/parent/orders/${order.body.orderId}`);
  t.is(now.body.status, 'PAID', 'the server queried WeChat');
  await p.waitFor('late delivery', async () => (await p.control.state()).notifications.some((x) => x.outTradeNo === order.body.outTradeNo && x.attempts.length > 0));
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: order.body.orderId }), 1);
  await booksBalance(t, k.classId);
});

test.serial('reordered notifications are each applied once', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 80_000 });
  const nos = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-reorder', nos.slice(0, 2));
  const orders: OrderAnswer[] = [];
  for (const no of nos.slice(0, 2)) {
    const [bill] = await billsOf(parent, no);
    orders.push((await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] })).body);
  }
  await p.control.faults({ type: 'notify-reorder', count: 2 });
  for (const o of orders) await p.control.pay(prepayOf(o));
  for (const o of orders) await p.waitFor('applied', async () => (await p.server.deps.db.collection('orders').findOne({ _id: o.orderId as never }))?.billsApplied === true);
  t.is(await p.server.deps.db.collection('ledger_entries').countDocuments({ orderId: { $in: orders.map((o) => o.orderId) } }), 2);
  await booksBalance(t, k.classId);
});

test.serial('SYSTEM_ERROR and FREQUENCY_LIMITED on order creation: a clear message, no orphan order, and a retry works', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 70_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-busy', [no!]);
  const [bill] = await billsOf(parent, no!);
  for (const code of ['SYSTEM_ERROR', 'FREQUENCY_LIMITED']) {
    await p.control.faults({ type: 'api-error', api: 'jsapi', count: 1, status: code === 'SYSTEM_ERROR' ? 500 : 429, code, message: '系统繁忙' });
    const failed = await parent.post<Record<string, string>>('/api/v1/parent/orders', { billIds: [bill!.id] });
    t.is(failed.status, 503, code);
    t.regex(failed.body.message ?? '', /微信支付繁忙/);
    const orphan = await p.server.deps.db.collection('orders').findOne({ 'allocations.billId': bill!.id, status: { $in: ['PENDING', 'CLOSING'] } });
    t.is(orphan, null, 'no order left open');
    const fresh = await p.server.deps.db.collection('bills').findOne({ _id: bill!.id as never });
    t.is(fresh?.openOrderId, null);
  }
  const ok = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  t.is(ok.status, 201);
  await booksBalance(t, k.classId);
});

test.serial('double tap and two phones: one open order per bill; a counter payment racing the online one takes the money once', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 55_000 });
  const [no, no2] = await k.firstNo(p.server.deps.db);
  const mum = await p.parent('pay-mum', [no!, no2!]);
  const dad = await p.parent('pay-dad', [no!]);
  const [bill] = await billsOf(mum, no!);
  const taps = await Promise.all([1, 2, 3].map(() => mum.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] })));
  const created = taps.filter((r) => r.status === 201).map((r) => r.body.orderId);
  t.true(created.length >= 1);
  t.is(new Set(created).size, 1, 'every tap that got an order got the same one');
  t.true(taps.every((r) => r.status === 201 || r.status === 409));
  const second = await dad.post<Record<string, string>>('/api/v1/parent/orders', { billIds: [bill!.id] });
  t.is(second.status, 409, 'the other phone is told someone is paying');

  // The counter: the bursar takes cash for the other child while mum has the sheet open for it.
  const [bill2] = await billsOf(mum, no2!);
  const online = await mum.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill2!.id] });
  const cash = await p.bursar.post('/api/v1/admin/offline-payments', { billId: bill2!.id, amountFen: 55_000, method: 'cash' });
  t.is(cash.status, 201, 'the counter closes the open order first');
  const late = await p.control.pay(prepayOf(online.body)).catch((e: Error) => e);
  t.true(late instanceof Error || late.errMsg !== 'requestPayment:ok', 'the closed order cannot be paid any more');
  t.like((await billsOf(mum, no2!))[0], { paidFen: 55_000 });
  await booksBalance(t, k.classId);
});

test.serial('a bill paid twice anyway is refunded automatically by the original route and queued with evidence', async (t) => {
  const k = nextClass();
  await p.issue({ classId: k.classId, amountFen: 40_000 });
  const [no] = await k.firstNo(p.server.deps.db);
  const parent = await p.parent('pay-twice', [no!]);
  const [bill] = await billsOf(parent, no!);
  const first = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  // Simulate the race the open-order mark exists to prevent (e.g. a mark lost in a crash).
  await p.server.deps.db.collection('bills').updateOne({ _id: bill!.id as never }, { $set: { openOrderId: null } });
  await p.server.deps.db.collection('orders').updateOne({ _id: first.body.orderId as never }, { $set: { parentId: 'someone-else' } });
  const second = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [bill!.id] });
  t.not(second.body.orderId, first.body.orderId);
  await p.control.pay(prepayOf(second.body));
  await p.control.pay(prepayOf(first.body));
  await p.waitFor('auto refund done', async () => (await p.server.deps.db.collection('refunds').findOne({ billId: bill!.id, automatic: true, status: 'SUCCESS' })) !== null);
  const exceptions = await p.bursar.get<{ kind: string; billId: string }[]>('/api/v1/admin/exceptions?kind=double_payment');
  t.true(exceptions.body.some((e) => e.billId === bill!.id));
  t.like((await billsOf(parent, no!))[0], { paidFen: 80_000, refundedFen: 40_000, outstandingFen: 0, status: 'paid' });
  await booksBalance(t, k.classId);
});
