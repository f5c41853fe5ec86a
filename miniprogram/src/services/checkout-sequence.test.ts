import test from 'ava';
import { checkoutOrderState, checkoutProgress, encodeOrderIds, parseOrderIds, payButtonLabel, withOrder } from './checkout-sequence';
import { anOrder } from './test-fixtures';

const NOW = Date.parse('2026-09-01T00:00:00Z');
const school = anOrder({ orderId: 'ord_school', totalFen: 300_000, payeeName: '学校基本户' });
const canteen = anOrder({ orderId: 'ord_canteen', totalFen: 120_000, payeeName: '食堂收款户' });
const paid = (o: typeof school) => ({ ...o, status: 'PAID' as const, payParams: null, receiptNo: `R-${o.orderId}` });

test('order states for the checkout list', (t) => {
  t.is(checkoutOrderState({ status: 'PENDING' }), 'to_pay');
  t.is(checkoutOrderState({ status: 'PAID' }), 'paid');
  t.is(checkoutOrderState({ status: 'REFUNDED' }), 'refunded');
  t.is(checkoutOrderState({ status: 'PARTIALLY_REFUNDED' }), 'refunded');
  t.is(checkoutOrderState({ status: 'CLOSED' }), 'closed');
  t.is(checkoutOrderState({ status: 'CLOSING' }), 'confirming');
});

test('sequence: the first payable order is next; each one only after those before it are settled', (t) => {
  const start = checkoutProgress([school, canteen], NOW);
  t.like(start, { totalCount: 2, paidCount: 0, totalFen: 420_000, paidFen: 0, nextIndex: 0, allPaid: false, finished: false });
  t.is(start.next?.orderId, 'ord_school');
  t.is(payButtonLabel(start, null), '去支付');

  const afterFirst = checkoutProgress([paid(school), canteen], NOW);
  t.like(afterFirst, { paidCount: 1, paidFen: 300_000, nextIndex: 1, finished: false });
  t.is(payButtonLabel(afterFirst, { orderId: 'ord_school', outcome: 'paid' }), '支付下一笔');

  const done = checkoutProgress([paid(school), paid(canteen)], NOW);
  t.like(done, { paidCount: 2, paidFen: 420_000, next: null, nextIndex: -1, allPaid: true, finished: true });
  t.is(payButtonLabel(done, null), null);
});

test('sequence: a cancelled payment stays next and is offered again', (t) => {
  const progress = checkoutProgress([paid(school), canteen], NOW);
  t.is(payButtonLabel(progress, { orderId: 'ord_canteen', outcome: 'cancelled' }), '重新支付');
  t.is(payButtonLabel(progress, { orderId: 'ord_canteen', outcome: 'failed' }), '重新支付');
  t.is(payButtonLabel(checkoutProgress([school, canteen], NOW), { orderId: 'ord_school', outcome: 'cancelled' }), '重新支付');
});

test('sequence: a closed or expired order is skipped (its bills are payable again from the bills page)', (t) => {
  const closed = { ...school, status: 'CLOSED' as const, payParams: null };
  const p = checkoutProgress([closed, canteen], NOW);
  t.like(p, { nextIndex: 1, closedCount: 1 });
  const expired = { ...canteen, expiresAt: '2026-08-31T00:00:00Z' };
  const q = checkoutProgress([paid(school), expired], NOW);
  t.like(q, { next: null, allPaid: false, finished: true });
  // A closing order is still being settled: not finished yet.
  t.like(checkoutProgress([paid(school), { ...canteen, status: 'CLOSING', payParams: null }], NOW), { next: null, finished: false });
});

test('orders list: replaced by fresh views; ids through the URL in paying order', (t) => {
  const list = withOrder([school, canteen], paid(canteen));
  t.deepEqual(list.map((o) => o.status), ['PENDING', 'PAID']);
  const encoded = encodeOrderIds(['ord_b', 'ord_a']);
  t.is(encoded, 'ord_b,ord_a');
  t.deepEqual(parseOrderIds(encoded), ['ord_b', 'ord_a']);
  t.deepEqual(parseOrderIds(' ord_a , ,ord_a,bad id,ord_<x>,ord_c'), ['ord_a', 'ord_c']);
  t.deepEqual(parseOrderIds(''), []);
});
