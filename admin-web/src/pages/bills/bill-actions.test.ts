import test from 'ava';
import type { Bill } from '@campuspay/shared';
import { access } from '../../access.ts';
import { billFigures, pendingConcessions } from '../../billing/bill-display.ts';
import { refundOutcomeText } from '../../billing/refund-display.ts';
import {
  adjustRequestOf,
  billActionsFor,
  concessionPreviewFen,
  concessionRequestOf,
  lowestAmountDueFen,
  reasonOf,
  outstandingAfterRefundFen,
  refundRequestOf,
  refundableFen,
} from './bill-actions.ts';

function bill(partial: Partial<Bill> = {}): Bill {
  return {
    id: 'bill_1',
    studentId: 's1',
    studentNo: 'E2026001',
    studentName: '张三',
    className: '1班',
    feeItemId: 'fee_1',
    feeItemName: '秋季学费',
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
    batchId: 'batch_1',
    ...partial,
  };
}

const role = (r: 'group_admin' | 'bursar' | 'auditor') =>
  access({ id: 'u', username: 'u', displayName: 'u', role: r, scope: { nodeId: 'g', kind: 'school_group', name: 'g' }, mustChangePassword: false });

test('actions on an unpaid bill', (t) => {
  t.deepEqual(billActionsFor(bill(), role('bursar')), ['concession', 'adjust', 'cancel', 'waive']);
  t.deepEqual(billActionsFor(bill(), role('auditor')), []);
});

test('a partly paid bill can be refunded but not cancelled', (t) => {
  const partly = bill({ paidFen: 100000, outstandingFen: 380000, status: 'partially_paid' });
  t.deepEqual(billActionsFor(partly, role('bursar')), ['concession', 'adjust', 'waive', 'refund']);
});

test('a paid bill: adjust and refund only; a cancelled one: nothing', (t) => {
  t.deepEqual(billActionsFor(bill({ paidFen: 480000, outstandingFen: 0, status: 'paid' }), role('bursar')), ['adjust', 'refund']);
  t.deepEqual(billActionsFor(bill({ status: 'cancelled', concessionFen: 480000, outstandingFen: 0 }), role('group_admin')), []);
});

test('group admins decide pending concessions', (t) => {
  const pending = bill({ concessions: [{ id: 'c1', kind: 'hardship', label: '困难减免', amountFen: 200000, reason: '家庭困难', status: 'pending_approval' }] });
  t.true(billActionsFor(pending, role('group_admin')).includes('approve'));
  t.false(billActionsFor(pending, role('bursar')).includes('approve'));
  t.is(pendingConcessions(pending).length, 1);
});

test('concession previews follow the server: percent of what is left, rounded down', (t) => {
  const b = bill({ amountDueFen: 99999, concessionFen: 10000, outstandingFen: 89999 });
  t.is(concessionPreviewFen(b, { mode: 'percent', percent: '10' }), 8999);
  t.is(concessionPreviewFen(b, { mode: 'amount', amountYuan: '2000' }), 89999);
  t.is(concessionPreviewFen(b, { mode: 'amount', amountYuan: 'x' }), null);
});

test('the concession request', (t) => {
  t.deepEqual(concessionRequestOf(bill(), { kind: 'scholarship', mode: 'amount', amountYuan: '500', reason: ' 三好学生 ' }), {
    ok: true,
    value: { kind: 'scholarship', amountFen: 50000, reason: '三好学生' },
  });
  t.deepEqual(concessionRequestOf(bill(), { kind: 'sibling', label: '二孩', mode: 'percent', percent: '12.5', reason: '二孩家庭' }), {
    ok: true,
    value: { kind: 'sibling', label: '二孩', percentBp: 1250, reason: '二孩家庭' },
  });
  const bad = concessionRequestOf(bill(), { kind: 'other', mode: 'percent', percent: '', reason: 'x' });
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.issues.map((i) => i.path.join('.')).sort(), ['percent', 'reason']);
});

test('a concession may not eat into money already paid', (t) => {
  const partly = bill({ paidFen: 400000, outstandingFen: 80000, status: 'partially_paid' });
  const result = concessionRequestOf(partly, { kind: 'hardship', mode: 'amount', amountYuan: '1000', reason: '家庭困难' });
  t.false(result.ok);
  if (!result.ok) t.regex(result.issues[0]?.message ?? '', /超过待缴金额 ¥800.00/);
});

test('adjusting the amount due', (t) => {
  const partly = bill({ paidFen: 100000, concessionFen: 50000, outstandingFen: 330000, status: 'partially_paid' });
  t.is(lowestAmountDueFen(partly), 150000);
  t.deepEqual(adjustRequestOf(partly, { amountYuan: '4000', reason: '按新标准' }), { ok: true, value: { amountDueFen: 400000, reason: '按新标准' } });
  const tooLow = adjustRequestOf(partly, { amountYuan: '1000', reason: '按新标准' });
  t.false(tooLow.ok);
  if (!tooLow.ok) t.regex(tooLow.issues[0]?.message ?? '', /不能少于 ¥1,500.00/);
  const same = adjustRequestOf(partly, { amountYuan: '4800', reason: '按新标准' });
  t.false(same.ok);
  t.false(reasonOf(' x ').ok);
  t.true(reasonOf('转学').ok);
});

test('refundable money counts refunds under way', (t) => {
  const paid = bill({ paidFen: 480000, refundedFen: 80000, outstandingFen: 80000, status: 'partially_paid' });
  const refunds = [
    { status: 'PENDING_APPROVAL' as const, amountFen: 100000 },
    { status: 'SUCCESS' as const, amountFen: 80000 },
    { status: 'REJECTED' as const, amountFen: 50000 },
  ];
  t.is(refundableFen(paid, refunds), 300000);
  t.deepEqual(refundRequestOf(paid, 300000, { amountYuan: '3000', reason: '退学' }), { ok: true, value: { billId: 'bill_1', amountFen: 300000, reason: '退学' } });
  const over = refundRequestOf(paid, 300000, { amountYuan: '3000.01', reason: '退学' });
  t.false(over.ok);
  if (!over.ok) t.regex(over.issues[0]?.message ?? '', /不能超过 ¥3,000.00/);
});

test('figures and refund outcomes read in Chinese', (t) => {
  t.deepEqual(billFigures(bill()).map((f) => f.label), ['应缴', '优惠', '已缴', '已退', '待缴']);
  t.regex(refundOutcomeText('PENDING_APPROVAL'), /待集团管理员审批/);
});

test('a refund reopens what it returns unless the amount due changes too', (t) => {
  t.is(outstandingAfterRefundFen(bill({ paidFen: 480000, outstandingFen: 0, status: 'paid' }), 100000), 100000);
});
