import test from 'ava';
import { ApiError } from './api-error';
import { awaitsServer, billReceipts, canPayOrder, confirmOrder, fetchOrderPatiently, isPaidOutcome, isTransientOrderError, ordersOf, outcomeOf, reportBehind, type OrderView } from './order-model';
import { anOrder } from './test-fixtures';

test('outcome: the server status decides; the sheet only explains an unpaid order', (t) => {
  for (const reported of ['SUCCESS', 'CANCEL', 'FAIL', null] as const) {
    t.is(outcomeOf('PAID', reported), 'paid');
    t.is(outcomeOf('REFUNDED', reported), 'refunded');
    t.is(outcomeOf('PARTIALLY_REFUNDED', reported), 'refunded');
    t.is(outcomeOf('CLOSED', reported), 'closed');
  }
  // The sheet said success but WeChat's word has not reached the server: keep asking.
  t.is(outcomeOf('PENDING', 'SUCCESS'), 'pending');
  t.is(outcomeOf('PENDING', null), 'pending');
  t.is(outcomeOf('PENDING', 'CANCEL'), 'cancelled');
  t.is(outcomeOf('PENDING', 'FAIL'), 'failed');
  t.is(outcomeOf('CLOSING', 'CANCEL'), 'cancelled');
  t.is(outcomeOf('SOMETHING_NEW', 'SUCCESS'), 'pending');
  // A refresh reads the fresh status in the light of the same report: a cancelled payment stays cancelled until paid.
  for (const outcome of ['cancelled', 'failed', 'pending', 'paid', 'closed'] as const) {
    t.is(outcomeOf('PENDING', reportBehind(outcome)), outcome === 'paid' || outcome === 'closed' ? 'pending' : outcome);
  }
  t.is(outcomeOf('PAID', reportBehind('cancelled')), 'paid');
  t.true(isPaidOutcome('paid'));
  t.true(isPaidOutcome('refunded'));
  t.false(isPaidOutcome('pending'));
});

test('an order can be paid while PENDING with payParams and before it expires', (t) => {
  const now = Date.parse('2026-09-01T00:00:00Z');
  t.true(canPayOrder(anOrder(), now));
  t.false(canPayOrder(anOrder({ status: 'PAID', payParams: null }), now));
  t.false(canPayOrder(anOrder({ payParams: null }), now));
  t.false(canPayOrder(anOrder({ expiresAt: '2026-08-31T23:59:59Z' }), now));
});

test('create answer: `orders` in paying order, or the single order of the contract shape', (t) => {
  const a = anOrder({ orderId: 'a' });
  const b = anOrder({ orderId: 'b' });
  t.deepEqual(ordersOf({ ...a, orders: [a, b] }).map((o) => o.orderId), ['a', 'b']);
  t.deepEqual(ordersOf(a).map((o) => o.orderId), ['a']);
  t.deepEqual(ordersOf({ ...a, orders: [] }).map((o) => o.orderId), ['a']);
});

/** A fake server answering with these statuses in turn (the last one repeats), and a fake clock. */
function fakeServer(statuses: OrderView['status'][]) {
  let clock = 0;
  const calls: string[] = [];
  return {
    calls,
    fetchOrder: async (id: string) => {
      calls.push(id);
      const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
      return anOrder({ orderId: id, status, receiptNo: status === 'PAID' ? 'R1' : null });
    },
    options: { sleep: async (ms: number) => void (clock += ms), now: () => clock, intervalMs: 1_500, maxWaitMs: 10_000 },
  };
}

test('confirming a reported success: asks until the server has it', async (t) => {
  const server = fakeServer(['PENDING', 'PENDING', 'PAID']);
  const result = await confirmOrder(server.fetchOrder, 'ord_9', 'SUCCESS', server.options);
  t.is(result.outcome, 'paid');
  t.is(result.attempts, 3);
  t.is(result.order.receiptNo, 'R1');
  t.deepEqual(server.calls, ['ord_9', 'ord_9', 'ord_9']);
});

test('confirming a reported success: gives up after ~10 s, still pending', async (t) => {
  const server = fakeServer(['PENDING']);
  const result = await confirmOrder(server.fetchOrder, 'ord_9', 'SUCCESS', server.options);
  t.is(result.outcome, 'pending');
  // At 0, 1.5, 3, 4.5, 6, 7.5, 9 s: seven answers within the 10 s.
  t.is(result.attempts, 7);
});

test('confirming a cancelled or failed payment: one answer is enough, and a payment the server saw wins', async (t) => {
  const cancelled = fakeServer(['PENDING', 'PAID']);
  t.like(await confirmOrder(cancelled.fetchOrder, 'x', 'CANCEL', cancelled.options), { outcome: 'cancelled', attempts: 1 });
  const failed = fakeServer(['PENDING']);
  t.like(await confirmOrder(failed.fetchOrder, 'x', 'FAIL', failed.options), { outcome: 'failed', attempts: 1 });
  const paidAnyway = fakeServer(['PAID']);
  t.like(await confirmOrder(paidAnyway.fetchOrder, 'x', 'CANCEL', paidAnyway.options), { outcome: 'paid', attempts: 1 });
  const closed = fakeServer(['CLOSED']);
  t.like(await confirmOrder(closed.fetchOrder, 'x', 'SUCCESS', closed.options), { outcome: 'closed', attempts: 1 });
});

test('confirming a payment: a paid order without its receipt yet is asked about again, within the time allowed', async (t) => {
  // The server marks the order PAID, then applies it to the bills and issues the receipt: an answer can fall in between.
  let clock = 0;
  const answers: Partial<OrderView>[] = [{ status: 'PENDING' }, { status: 'PAID', receiptNo: null }, { status: 'PAID', receiptNo: 'R7' }];
  let calls = 0;
  const fetchOrder = async (id: string) => anOrder({ orderId: id, ...answers[Math.min(calls++, answers.length - 1)] });
  const options = { sleep: async (ms: number) => void (clock += ms), now: () => clock };
  t.like(await confirmOrder(fetchOrder, 'x', 'SUCCESS', options), { outcome: 'paid', attempts: 3, order: { receiptNo: 'R7' } });
  // A receipt that never comes: the paid answer is returned when the time is up, still without one.
  clock = 0;
  calls = 1;
  answers.pop();
  const late = await confirmOrder(fetchOrder, 'x', 'SUCCESS', options);
  t.like(late, { outcome: 'paid', order: { receiptNo: null } });
  t.true(clock <= 10_000);

  t.true(awaitsServer(anOrder({ status: 'PENDING' }), 'pending'));
  t.true(awaitsServer(anOrder({ status: 'PAID', receiptNo: null }), 'paid'));
  t.false(awaitsServer(anOrder({ status: 'PAID', receiptNo: 'R1' }), 'paid'));
  t.false(awaitsServer(anOrder({ status: 'PENDING' }), 'cancelled'));
  t.false(awaitsServer(anOrder({ status: 'CLOSED' }), 'closed'));
});

test('confirming stops when the page goes away', async (t) => {
  const server = fakeServer(['PENDING']);
  let gone = false;
  const result = await confirmOrder(server.fetchOrder, 'x', 'SUCCESS', {
    ...server.options,
    sleep: async () => {
      gone = true;
    },
    isCancelled: () => gone,
  });
  t.is(result.attempts, 1);
  t.is(result.outcome, 'pending');
});

test('confirming passes a server error on', async (t) => {
  await t.throwsAsync(
    confirmOrder(async () => Promise.reject(new Error('网络连接失败')), 'x', 'SUCCESS', { sleep: async () => undefined }),
    { message: '网络连接失败' },
  );
});

const busy = () => new ApiError({ status: 409, code: 'STATE_CONFLICT', message: '该记录正在被其他操作处理，请稍后重试' });
const timeout = () => new ApiError({ status: 0, code: 'NETWORK_ERROR', message: '请求超时，请检查网络后重试' });

test('transient order read failures: timeouts, 5xx and the 409 of an order being settled; not 404 or 401', (t) => {
  t.true(isTransientOrderError(busy()));
  t.true(isTransientOrderError(timeout()));
  t.true(isTransientOrderError(new ApiError({ status: 503, code: 'UPSTREAM_UNAVAILABLE', message: 'x' })));
  t.false(isTransientOrderError(new ApiError({ status: 404, code: 'NOT_FOUND', message: 'x' })));
  t.false(isTransientOrderError(new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: 'x' })));
  t.false(isTransientOrderError(new Error('x')));
});

test('confirming rides out transient failures while time remains', async (t) => {
  let clock = 0;
  const answers: (OrderView['status'] | ApiError)[] = [busy(), timeout(), 'PENDING', busy(), 'PAID'];
  let call = 0;
  const fetchOrder = async (id: string) => {
    const a = answers[Math.min(call++, answers.length - 1)]!;
    if (a instanceof ApiError) throw a;
    // A paid order as the server shows it once the payment is applied: with its receipt.
    return anOrder({ orderId: id, status: a, receiptNo: a === 'PAID' ? 'R1' : null });
  };
  const result = await confirmOrder(fetchOrder, 'x', 'SUCCESS', { sleep: async (ms) => void (clock += ms), now: () => clock });
  t.like(result, { outcome: 'paid', attempts: 5 });
});

test('confirming: no answer at all within the time throws the last failure; an earlier answer is returned instead', async (t) => {
  let clock = 0;
  const options = { sleep: async (ms: number) => void (clock += ms), now: () => clock };
  await t.throwsAsync(confirmOrder(async () => Promise.reject(busy()), 'x', 'SUCCESS', options), { message: /其他操作/ });
  clock = 0;
  let call = 0;
  const once = async (id: string) => {
    if (call++ === 0) return anOrder({ orderId: id });
    throw busy();
  };
  t.like(await confirmOrder(once, 'x', 'SUCCESS', options), { outcome: 'pending' });
  // A 404 is not asked again.
  await t.throwsAsync(confirmOrder(async () => Promise.reject(new ApiError({ status: 404, code: 'NOT_FOUND', message: '订单不存在' })), 'x', 'SUCCESS', options), { message: '订单不存在' });
});

test('reading an order patiently: asks again after transient failures only', async (t) => {
  let calls = 0;
  const flaky = async (id: string) => {
    if (calls++ < 2) throw busy();
    return anOrder({ orderId: id });
  };
  t.is((await fetchOrderPatiently(flaky, 'y', { sleep: async () => undefined })).orderId, 'y');
  t.is(calls, 3);
  calls = 0;
  await t.throwsAsync(fetchOrderPatiently(async () => { calls++; throw busy(); }, 'y', { sleep: async () => undefined }));
  t.is(calls, 3);
  calls = 0;
  await t.throwsAsync(fetchOrderPatiently(async () => { calls++; throw new ApiError({ status: 404, code: 'NOT_FOUND', message: 'x' }); }, 'y', { sleep: async () => undefined }));
  t.is(calls, 1);
});

test("a bill's receipts: paid and refunded orders that include it, one per receipt, newest first", (t) => {
  const line = (billId: string, amountFen: number) => ({ billId, feeItemName: '餐费', studentName: '李明', amountFen });
  const orders = [
    anOrder({ orderId: 'o1', status: 'PAID', receiptNo: 'R1', paidAt: '2026-09-01T02:00:00Z', bills: [line('meal', 50_000), line('bus', 10_000)], totalFen: 60_000 }),
    anOrder({ orderId: 'o2', status: 'PARTIALLY_REFUNDED', receiptNo: 'R2', paidAt: '2026-09-05T02:00:00Z', bills: [line('meal', 70_000)], totalFen: 70_000 }),
    anOrder({ orderId: 'o3', status: 'CLOSED', bills: [line('meal', 70_000)] }),
    anOrder({ orderId: 'o4', status: 'PENDING', bills: [line('meal', 70_000)] }),
    anOrder({ orderId: 'o5', status: 'PAID', receiptNo: 'R5', paidAt: '2026-09-06T02:00:00Z', bills: [line('tuition', 1)] }),
    anOrder({ orderId: 'o1', status: 'PAID', receiptNo: 'R1', paidAt: '2026-09-01T02:00:00Z', bills: [line('meal', 50_000)] }),
  ];
  const receipts = billReceipts(orders, 'meal');
  t.deepEqual(
    receipts.map((r) => [r.receiptNo, r.amountFen, r.refund]),
    [
      ['R2', 70_000, 'partial'],
      ['R1', 50_000, 'none'],
    ],
  );
  t.is(receipts[1]!.totalFen, 60_000);
});
