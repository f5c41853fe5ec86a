import test from 'ava';
import { EXCEPTION_KINDS } from '../../services/exceptions.ts';
import { parseException } from '../../services/exceptions.ts';
import { EXCEPTION_KIND_LABELS, evidenceText, exceptionKindLabel, resolutionOf } from './exception-view.ts';

test('every kind has a Chinese label; unknown kinds show as sent', (t) => {
  for (const kind of EXCEPTION_KINDS) t.true(EXCEPTION_KIND_LABELS[kind].length > 0);
  t.is(exceptionKindLabel('double_payment'), '重复支付');
  t.is(exceptionKindLabel('something_new'), 'something_new');
});

test('evidence reads as JSON with yuan beside fen', (t) => {
  const text = evidenceText({ outTradeNo: 'T1', paidFen: 120000, nested: { refundFen: 5 } });
  t.regex(text, /"paidFen": 120000,\s+\/\/ ¥1,200.00/);
  t.regex(text, /"refundFen": 5\s+\/\/ ¥0.05/);
  t.regex(text, /"outTradeNo": "T1"/);
  t.is(evidenceText(null), '（无）');
});

test('a resolution note is required', (t) => {
  t.deepEqual(resolutionOf(' 已线下退款 '), { ok: true, value: '已线下退款' });
  t.false(resolutionOf('x').ok);
  t.false(resolutionOf('x'.repeat(301)).ok);
});

test('the list item parses and keeps unknown kinds', (t) => {
  const item = parseException({
    id: 'double_payment:o1',
    kind: 'double_payment',
    status: 'open',
    summary: '同一账单支付了两次',
    evidence: { a: 1 },
    orderId: 'o1',
    billId: null,
    refundId: null,
    actions: [{ at: '2026-09-01T00:00:00Z', by: 'system', action: '已自动退款' }],
    resolution: null,
    createdAt: '2026-09-01T00:00:00Z',
  });
  t.is(item.actions[0]?.by, 'system');
  t.is(parseException({ ...item, kind: 'future_kind' }).kind, 'future_kind');
  t.throws(() => parseException({ ...item, status: 'weird' }));
});
