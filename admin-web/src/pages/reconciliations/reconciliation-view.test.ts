import test from 'ava';
import { RECONCILIATION_STATUSES, type ReconciliationLine } from '@campuspay/shared';
import type { Job } from '../../services/jobs.ts';
import {
  RECONCILIATION_STATUS_COLORS,
  defaultListPeriod,
  defaultRunDay,
  lineGapFen,
  lineReference,
  payeeLabel,
  periodIncluding,
  runDayProblem,
  runFinished,
  runProgress,
  settlementHasActivity,
  sideNets,
  startedText,
  statusText,
} from './reconciliation-view.ts';

const job = (status: Job['status'], done: number, total: number, message = ''): Pick<Job, 'status' | 'progress'> => ({ status, progress: { done, total, message } });

test('the default day is yesterday; future days and days older than WeChat keeps bills are refused', (t) => {
  t.is(defaultRunDay('2026-03-01'), '2026-02-28');
  t.is(defaultRunDay('2027-01-01'), '2026-12-31');
  t.is(runDayProblem('2026-11-22', '2026-11-22'), null, 'today may be run (the sandbox has today’s bill at once)');
  t.is(runDayProblem('2026-11-23', '2026-11-22'), '对账日期不能晚于今天');
  t.is(runDayProblem('2026-08-22', '2026-11-22'), null, '92 days back is the oldest');
  t.is(runDayProblem('2026-08-21', '2026-11-22'), '微信只保留最近 92 天的账单');
});

test('every status has a colour; pending says why', (t) => {
  for (const status of RECONCILIATION_STATUSES) t.truthy(RECONCILIATION_STATUS_COLORS[status]);
  t.is(statusText({ status: 'differences', pendingReason: null }), '有差异');
  t.is(statusText({ status: 'pending', pendingReason: 'queued' }), '待对账');
  t.is(statusText({ status: 'pending', pendingReason: 'bill_not_ready' }), '待对账（微信账单尚未生成，稍后自动重试）');
});

test('a run has ended when it is no longer queued or running; a day left pending for WeChat has ended too', (t) => {
  t.false(runFinished({ status: 'pending', pendingReason: 'queued' }));
  t.false(runFinished({ status: 'pending', pendingReason: null }));
  t.false(runFinished({ status: 'running', pendingReason: null }));
  t.true(runFinished({ status: 'clean', pendingReason: null }));
  t.true(runFinished({ status: 'differences', pendingReason: null }));
  t.true(runFinished({ status: 'failed', pendingReason: null }));
  t.true(runFinished({ status: 'pending', pendingReason: 'wechat_error' }));
});

test('progress: queued, the job’s own steps (never 100% before the run ends), then the outcome', (t) => {
  t.deepEqual(runProgress(null, null), { percent: 0, text: '排队中…' });
  t.deepEqual(runProgress(job('queued', 0, 0), { status: 'pending', pendingReason: 'queued' }), { percent: 0, text: '排队中…' });
  t.deepEqual(runProgress(job('running', 2, 5, '核对平台账簿'), { status: 'running', pendingReason: null }), { percent: 40, text: '核对平台账簿（2 / 5）' });
  t.deepEqual(runProgress(job('running', 0, 0), { status: 'running', pendingReason: null }), { percent: 0, text: '正在对账…' });
  t.is(runProgress(job('succeeded', 5, 5), { status: 'running', pendingReason: null }).percent, 99, 'the job is done but the run not yet written');
  t.deepEqual(runProgress(job('succeeded', 5, 5), { status: 'differences', pendingReason: null }), { percent: 100, text: '有差异' });
  t.deepEqual(runProgress(null, { status: 'clean', pendingReason: null }), { percent: 100, text: '一致' }, 'a run joined without its job still ends');
});

test('both sides’ nets and their gap, in fen', (t) => {
  t.deepEqual(sideNets({ wechatPaymentsFen: 100_000, wechatRefundsFen: 30_000, platformPaymentsFen: 149_000, platformRefundsFen: 30_000 }), {
    wechatNetFen: 70_000,
    platformNetFen: 119_000,
    gapFen: -49_000,
  });
  t.throws(() => sideNets({ wechatPaymentsFen: 0.5, wechatRefundsFen: 0, platformPaymentsFen: 0, platformRefundsFen: 0 }), undefined, 'never a float');
});

const line = (over: Partial<ReconciliationLine>): ReconciliationLine => ({
  id: 'l1',
  kind: 'payment',
  outcome: 'amount_differs',
  resolution: 'open',
  action: null,
  resolvedBy: null,
  resolvedAt: null,
  outTradeNo: 'CP20261122000001',
  transactionId: '4200000000202611220000000001',
  outRefundNo: null,
  wechat: { time: '2026-11-22 10:00:00', status: 'SUCCESS', amountFen: 45_000, settledFen: 45_000, feeMilliFen: 270_000, bankType: 'OTHERS' },
  platform: { orderId: 'o1', refundId: null, amountFen: 44_900, status: 'PAID', day: '2026-11-22' },
  exceptionId: 'e1',
  summary: '金额不一致',
  ...over,
});

test('a difference’s gap and the number it is looked up by', (t) => {
  t.is(lineGapFen(line({})), 100);
  t.is(lineGapFen(line({ wechat: null, outcome: 'platform_only' })), null);
  t.is(lineReference(line({})), 'CP20261122000001');
  t.is(lineReference(line({ kind: 'refund', outRefundNo: 'RF1' })), 'RF1');
  t.is(lineReference(line({ outTradeNo: null })), '4200000000202611220000000001');
  t.is(lineReference(line({ outTradeNo: null, transactionId: null })), '—');
});

test('the list period stretches to show a day just run, never beyond 92 days', (t) => {
  const period = defaultListPeriod('2026-11-22');
  t.deepEqual(period, { from: '2026-10-24', to: '2026-11-22' });
  t.is(periodIncluding(period, '2026-11-01'), period, 'inside: unchanged');
  t.deepEqual(periodIncluding(period, '2026-10-01'), { from: '2026-10-01', to: '2026-11-22' });
  t.deepEqual(periodIncluding(period, '2026-08-22'), { from: '2026-08-22', to: '2026-11-21' });
  t.deepEqual(periodIncluding({ from: '2026-06-01', to: '2026-06-30' }, '2026-11-22'), { from: '2026-08-23', to: '2026-11-22' });
});

test('texts: payee accounts with their merchant, the start message', (t) => {
  t.is(payeeLabel({ name: '明德教育集团 基本户', mchid: '1900000109' }), '明德教育集团 基本户（商户号 1900000109）');
  t.is(startedText(1, '2026-11-21'), '已开始对账 2026-11-21');
  t.is(startedText(2, '2026-11-21'), '已开始对账 2026-11-21（2 个商户）');
});

test('settlement rows with nothing moving are hidden by default', (t) => {
  const quiet = { onlineGrossFen: 0, onlineRefundFen: 0, cashFen: 0, posFen: 0, transferFen: 0, counterNetFen: 0 };
  t.false(settlementHasActivity(quiet));
  t.true(settlementHasActivity({ ...quiet, onlineRefundFen: 100 }));
  t.true(settlementHasActivity({ ...quiet, cashFen: 500, posFen: -500 }), 'a reversal that cancels a payment still moved money');
});
