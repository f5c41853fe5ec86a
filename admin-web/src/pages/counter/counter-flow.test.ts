import test from 'ava';
import type { Bill, OfflinePayment } from '@campuspay/shared';
import { keyForAttempt, newIdempotencyKey, releaseAttempt, requestFingerprint } from '../../services/idempotency-key.ts';
import {
  checkoutDone,
  checkoutPlan,
  daySummary,
  failedRequests,
  initialLines,
  lineProblem,
  outstandingBills,
  paidTotalFen,
  selectedTotalFen,
  type Checkout,
} from './counter-flow.ts';

function bill(id: string, partial: Partial<Bill> = {}): Bill {
  return {
    id,
    studentId: 's1',
    studentNo: 'E2026001',
    studentName: '张三',
    className: '1班',
    feeItemId: `fee_${id}`,
    feeItemName: `项目${id}`,
    category: 'tuition',
    period: '2026-2027-T1',
    periodLabel: '2026-2027学年第一学期',
    payeeAccountId: 'payee_1',
    dueDate: '2026-09-15',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    amountDueFen: 480000,
    concessionFen: 0,
    paidFen: 0,
    refundedFen: 0,
    outstandingFen: 480000,
    status: 'unpaid',
    concessions: [],
    published: true,
    batchId: null,
    ...partial,
  };
}

const tuition = bill('a');
const meals = bill('b', { feeItemName: '餐费', amountDueFen: 60000, outstandingFen: 60000, allowPartial: true, minPaymentFen: 20000, dueDate: '2026-09-01' });
const bus = bill('c', { feeItemName: '校车', mandatory: false, amountDueFen: 90000, outstandingFen: 90000 });

test('outstanding bills: owed and payable, earliest due first', (t) => {
  const list = outstandingBills([tuition, meals, bus, bill('d', { status: 'paid', outstandingFen: 0 }), bill('e', { status: 'cancelled' }), bill('f', { published: false })]);
  t.deepEqual(list.map((b) => b.id), ['b', 'a', 'c']);
});

test('lines start at the full amount; optional items unticked', (t) => {
  const lines = initialLines([tuition, bus]);
  t.deepEqual(lines['a'], { selected: true, amountText: '4800.00' });
  t.deepEqual(lines['c'], { selected: false, amountText: '900.00' });
});

test('each line is checked like the server does', (t) => {
  t.is(lineProblem(tuition, '4800'), null);
  t.regex(lineProblem(tuition, '4000') ?? '', /不允许部分缴费/);
  t.regex(lineProblem(tuition, '4800.01') ?? '', /不能超过待缴 ¥4,800.00/);
  t.is(lineProblem(meals, '300'), null);
  t.regex(lineProblem(meals, '100') ?? '', /不得少于 ¥200.00/);
  t.regex(lineProblem(meals, '') ?? '', /请填写缴费金额/);
});

test('a checkout plan: one request per ticked bill, amounts in fen', (t) => {
  const bills = [meals, tuition, bus];
  const lines = { ...initialLines(bills), b: { selected: true, amountText: '300' } };
  const plan = checkoutPlan(bills, lines, { method: 'cash', reference: '', payerName: ' 张父 ' });
  t.deepEqual(plan, {
    ok: true,
    totalFen: 510000,
    requests: [
      { billId: 'b', amountFen: 30000, method: 'cash', payerName: '张父' },
      { billId: 'a', amountFen: 480000, method: 'cash', payerName: '张父' },
    ],
  });
  t.is(selectedTotalFen(bills, lines), 510000);
});

test('POS and transfers need a reference; nothing ticked is refused', (t) => {
  const lines = initialLines([tuition]);
  const pos = checkoutPlan([tuition], lines, { method: 'pos', reference: ' ', payerName: '' });
  t.deepEqual(pos, { ok: false, lineProblems: {}, problem: 'POS 刷卡请填写凭证号' });
  const ok = checkoutPlan([tuition], lines, { method: 'transfer', reference: 'TX123', payerName: '' });
  t.true(ok.ok);
  const none = checkoutPlan([tuition], { a: { selected: false, amountText: '4800.00' } }, { method: 'cash', reference: '', payerName: '' });
  t.deepEqual(none, { ok: false, lineProblems: {}, problem: '请勾选要缴费的账单' });
  const bad = checkoutPlan([tuition], { a: { selected: true, amountText: '1' } }, { method: 'cash', reference: '', payerName: '' });
  t.false(bad.ok);
  if (!bad.ok) t.truthy(bad.lineProblems['a']);
});

test('a retry of the same payment sends the same Idempotency-Key; a changed one a new key', (t) => {
  let n = 0;
  const make = () => `key-${++n}-abcdefgh`;
  const request = { billId: 'a', amountFen: 480000, method: 'cash', payerName: '张父' };
  const first = keyForAttempt({}, 'a', request, make);
  const retry = keyForAttempt(first.keys, 'a', { payerName: '张父', method: 'cash', amountFen: 480000, billId: 'a' }, make);
  t.is(retry.key, first.key, 'same body in another key order is the same request');
  const changed = keyForAttempt(retry.keys, 'a', { ...request, amountFen: 400000 }, make);
  t.not(changed.key, first.key);
  const afterSuccess = keyForAttempt(releaseAttempt(changed.keys, 'a'), 'a', request, make);
  t.not(afterSuccess.key, first.key, 'a new payment after a finished one gets a new key');
  t.is(requestFingerprint({ b: 1, a: undefined }), '[["a",null],["b",1]]');
});

test('keys are 32 hex characters and differ', (t) => {
  const a = newIdempotencyKey();
  t.regex(a, /^[0-9a-f]{32}$/);
  t.not(a, newIdempotencyKey());
  t.is(newIdempotencyKey((bytes) => bytes.fill(255)), 'f'.repeat(32));
});

test('the outcome of a checkout where one bill failed', (t) => {
  const payment = { id: 'off_1', billId: 'b', amountFen: 30000, method: 'cash' as const, reference: null, receiptNo: 'R1', cashierId: 'u', reversed: false, at: '2026-09-01T01:00:00Z', receiptVerificationCode: 'ABCD' };
  const checkout: Checkout = {
    requests: [
      { billId: 'b', amountFen: 30000, method: 'cash' },
      { billId: 'a', amountFen: 480000, method: 'cash' },
    ],
    outcomes: { b: { state: 'paid', payment }, a: { state: 'failed', message: '无法连接服务器', retryable: true } },
  };
  t.false(checkoutDone(checkout));
  t.deepEqual(failedRequests(checkout).map((r) => r.billId), ['a']);
  t.is(paidTotalFen(checkout), 30000);
});

test('today at the counter', (t) => {
  const p = (amountFen: number, method: OfflinePayment['method'], reversed = false): OfflinePayment => ({ id: String(amountFen), billId: 'x', amountFen, method, reference: null, receiptNo: 'R', cashierId: 'u', reversed, at: '' });
  t.deepEqual(daySummary([p(100, 'cash'), p(200, 'pos'), p(300, 'cash', true), p(400, 'transfer')]), {
    count: 4,
    keptFen: 700,
    reversed: 1,
    byMethod: { cash: 100, pos: 200, transfer: 400 },
  });
});
