import test from 'ava';
import { REFUND_STATUS_LABELS } from '../../billing/refund-display.ts';
import { REFUND_STATUSES } from '../../services/refunds.ts';
import { canDecideRefund, countByStatus, defaultRefundFilter, refundDecisionOf } from './refund-list.ts';

test('only approvers decide, only pending refunds', (t) => {
  t.true(canDecideRefund({ status: 'PENDING_APPROVAL' }, { canApprove: true }));
  t.false(canDecideRefund({ status: 'PENDING_APPROVAL' }, { canApprove: false }));
  t.false(canDecideRefund({ status: 'PROCESSING' }, { canApprove: true }));
});

test('approvers start on what waits for them', (t) => {
  t.is(defaultRefundFilter({ canApprove: true }), 'PENDING_APPROVAL');
  t.is(defaultRefundFilter({ canApprove: false }), undefined);
});

test('counts per status', (t) => {
  const counts = countByStatus([{ status: 'SUCCESS' }, { status: 'SUCCESS' }, { status: 'PENDING_APPROVAL' }]);
  t.is(counts.SUCCESS, 2);
  t.is(counts.PENDING_APPROVAL, 1);
  t.is(counts.ABNORMAL, 0);
});

test('a decision needs an opinion', (t) => {
  t.deepEqual(refundDecisionOf(true, ' 同意 '), { ok: true, value: { approve: true, reason: '同意' } });
  t.false(refundDecisionOf(false, 'x').ok);
});

test('every status has a Chinese label', (t) => {
  for (const status of REFUND_STATUSES) t.true(REFUND_STATUS_LABELS[status].length > 0);
});
