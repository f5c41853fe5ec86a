import test from 'ava';
import type { ReminderCounts } from '@campuspay/shared';
import { EMPTY_REMINDER_DRAFT, failuresText, inProgress, isSchedulable, outcomeFigures, reminderRequestOf, targetText } from './reminder-view.ts';

const NOW = new Date('2026-09-01T08:00:00+08:00');

test('send now: the target as picked, nothing scheduled', (t) => {
  t.deepEqual(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, nodeId: 'class_1', feeItemId: 'fee_1', overdueOnly: true }, NOW), {
    ok: true,
    value: { target: { overdueOnly: true, nodeId: 'class_1', feeItemId: 'fee_1' } },
  });
  t.deepEqual(reminderRequestOf(EMPTY_REMINDER_DRAFT, NOW), { ok: true, value: { target: { overdueOnly: false } } }, 'no target: the whole scope');
  t.deepEqual(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, scheduleAt: '2026-09-02T08:00:00+08:00' }, NOW), { ok: true, value: { target: { overdueOnly: false } } }, 'a time left over from 预约 is not sent');
});

test('scheduled: a time after now and within 30 days, sent as ISO 8601', (t) => {
  t.deepEqual(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, feeItemId: 'fee_1', when: 'scheduled', scheduleAt: '2026-09-02T08:30:00+08:00' }, NOW), {
    ok: true,
    value: { target: { overdueOnly: false, feeItemId: 'fee_1' }, scheduleAt: '2026-09-02T00:30:00.000Z' },
  });
  t.deepEqual(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, when: 'scheduled' }, NOW), { ok: false, message: '请选择发送时间' });
  t.like(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, when: 'scheduled', scheduleAt: '2026-09-01T07:59:00+08:00' }, NOW), { ok: false });
  t.like(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, when: 'scheduled', scheduleAt: '2026-10-02T08:00:00+08:00' }, NOW), { ok: false });
  t.like(reminderRequestOf({ ...EMPTY_REMINDER_DRAFT, when: 'scheduled', scheduleAt: 'soon' }, NOW), { ok: false, message: '发送时间无效' });
  t.true(isSchedulable(new Date('2026-10-01T08:00:00+08:00'), NOW), 'exactly 30 days ahead');
  t.false(isSchedulable(NOW, NOW));
});

test('a target reads with names, and says what was left open', (t) => {
  const names = { node: (id: string) => (id === 'class_1' ? '明德东校区 / 小学部 / 三年级 / 1班' : undefined), feeItem: (id: string) => (id === 'fee_1' ? '学费（2026-2027学年第一学期）' : undefined) };
  t.is(targetText({ nodeId: 'class_1', feeItemId: 'fee_1', overdueOnly: true }, names), '明德东校区 / 小学部 / 三年级 / 1班 · 学费（2026-2027学年第一学期） · 仅逾期账单');
  t.is(targetText({ overdueOnly: false }, names), '全部范围 · 全部收费项目');
  t.is(targetText({ feeItemId: 'fee_gone', overdueOnly: false }, names), '全部范围 · fee_gone', 'an archived item no longer listed shows its id');
});

test('runs still to send or sending are followed', (t) => {
  t.true(inProgress({ status: 'scheduled' }));
  t.true(inProgress({ status: 'running' }));
  t.false(inProgress({ status: 'done' }));
  t.false(inProgress({ status: 'failed' }));
});

test('outcome figures keep every count, refusals named with 43101', (t) => {
  const counts: ReminderCounts = { bills: 90, unboundBills: 84, quiet: 1, messages: 2, sent: 1, refused: 1, failed: 0, unknown: 0 };
  const figures = outcomeFigures(counts);
  t.deepEqual(figures.map((f) => [f.key, f.value]), Object.entries(counts));
  t.is(figures.find((f) => f.key === 'refused')?.label, '家长未订阅（43101）');
  t.is(failuresText({}), '');
  t.is(failuresText({ network: 1, '-1': 2, '47003': 0 }), '错误码 -1：2 条；网络错误：1 条');
});
