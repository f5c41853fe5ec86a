import test from 'ava';
import { billFigures, billState, formatShanghaiDateTime, isOverdue, isUnpaid, summarizeBills } from './bill-model';
import { refundPresentation } from './refund-model';
import { aBill } from './test-fixtures';

test('payable bills: something owed, neither cancelled nor waived', (t) => {
  t.true(isUnpaid(aBill()));
  t.true(isUnpaid(aBill({ status: 'partially_paid', paidFen: 100_000, outstandingFen: 200_000 })));
  t.false(isUnpaid(aBill({ status: 'paid', paidFen: 300_000, outstandingFen: 0 })));
  t.false(isUnpaid(aBill({ status: 'cancelled' })));
  t.false(isUnpaid(aBill({ status: 'waived' })));
});

test('bill state shown to the parent', (t) => {
  t.is(billState(aBill()), 'UNPAID');
  t.is(billState(aBill({ paidFen: 1, outstandingFen: 299_999, status: 'partially_paid' })), 'PARTIALLY_PAID');
  t.is(billState(aBill({ paidFen: 300_000, outstandingFen: 0, status: 'paid' })), 'PAID');
  t.is(billState(aBill({ paidFen: 300_000, refundedFen: 300_000, outstandingFen: 0, status: 'paid' })), 'REFUNDED');
  t.is(billState(aBill({ paidFen: 300_000, refundedFen: 1, outstandingFen: 0, status: 'paid' })), 'PARTIALLY_REFUNDED');
  t.is(billState(aBill({ concessionFen: 300_000, outstandingFen: 0, status: 'waived' })), 'WAIVED');
  t.is(billState(aBill({ status: 'cancelled' })), 'CANCELLED');
});

test('figures: 应缴 / 优惠 / 已缴 / 已退 / 待缴', (t) => {
  const bill = aBill({ amountDueFen: 300_000, concessionFen: 30_000, paidFen: 200_000, refundedFen: 50_000, outstandingFen: 120_000, status: 'partially_paid' });
  t.deepEqual(
    billFigures(bill).map((f) => [f.label, f.fen, f.minus]),
    [
      ['应缴', 300_000, false],
      ['优惠', 30_000, true],
      ['已缴', 200_000, false],
      ['已退', 50_000, false],
      ['待缴', 120_000, false],
    ],
  );
  t.is(billFigures(aBill({ status: 'cancelled' })).at(-1)!.fen, 0, 'a cancelled bill owes nothing');
});

test('summary, overdue and times in Asia/Shanghai', (t) => {
  const s = summarizeBills([aBill(), aBill({ id: 'b', paidFen: 300_000, refundedFen: 100, outstandingFen: 0, status: 'paid' })]);
  t.deepEqual(s, { unpaidCount: 1, outstandingFen: 300_000, paidCount: 1, netPaidFen: 299_900 });
  t.true(isOverdue(aBill({ dueDate: '2026-09-10' }), '2026-09-11'));
  t.false(isOverdue(aBill({ dueDate: '2026-09-10' }), '2026-09-10'));
  t.is(formatShanghaiDateTime('2026-09-01T16:30:00.000Z'), '2026-09-02 00:30');
  t.is(formatShanghaiDateTime(null), '');
  t.is(formatShanghaiDateTime('not a date'), '');
});

test('refund statuses in the parent’s words', (t) => {
  t.deepEqual(refundPresentation('PENDING_APPROVAL'), { label: '退款审核中', tone: 'progress' });
  t.is(refundPresentation('SUBMITTING').label, '退款中');
  t.is(refundPresentation('PROCESSING').label, '退款中');
  t.deepEqual(refundPresentation('SUCCESS'), { label: '已退款', tone: 'success' });
  t.deepEqual(refundPresentation('ABNORMAL'), { label: '退款异常', tone: 'danger' });
  t.is(refundPresentation('CLOSED').label, '退款已关闭');
  t.is(refundPresentation('REJECTED').label, '退款未通过');
  t.is(refundPresentation('SOMETHING_NEW').label, '处理中');
  t.is(refundPresentation('toString').label, '处理中');
});
