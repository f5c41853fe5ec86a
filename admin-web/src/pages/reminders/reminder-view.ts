/**
 * 催缴通知 page logic, pure and unit tested: the form's draft to the request
 * (or why it cannot be sent), how a run's target and outcome read, and when
 * the page keeps asking for news of a run.
 */
import {
  MAX_REMINDER_SCHEDULE_DAYS,
  REMINDER_OUTCOME_LABELS,
  createReminderSchema,
  type CreateReminderRequest,
  type ReminderCounts,
  type ReminderRun,
  type ReminderRunStatus,
  type ReminderTarget,
} from '@campuspay/shared';

/** Ask for news of unfinished runs this often. */
export const RUN_POLL_MS = 1500;

export const REMINDER_STATUS_LABELS: Readonly<Record<ReminderRunStatus, string>> = {
  scheduled: '待发送',
  running: '发送中',
  done: '已完成',
  failed: '出错停止',
};

/** antd Tag colours. */
export const REMINDER_STATUS_COLORS: Readonly<Record<ReminderRunStatus, string>> = {
  scheduled: 'blue',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

export interface ReminderDraft {
  /** A campus, division, grade or class; the whole scope when absent. */
  nodeId?: string | undefined;
  feeItemId?: string | undefined;
  overdueOnly: boolean;
  when: 'now' | 'scheduled';
  /** ISO 8601, when `when` is `scheduled`. */
  scheduleAt?: string | undefined;
}

export const EMPTY_REMINDER_DRAFT: ReminderDraft = { overdueOnly: false, when: 'now' };

/** The request body with its target spelled out (the form always sends one). */
export type ReminderRequest = CreateReminderRequest & { target: ReminderTarget };
export type ReminderRequestResult = { ok: true; value: ReminderRequest } | { ok: false; message: string };

const DAY_MS = 24 * 3600 * 1000;

/** May a reminder be scheduled at `at`? After now and within the server's horizon. */
export function isSchedulable(at: Date, now: Date): boolean {
  const t = at.getTime();
  return t > now.getTime() && t <= now.getTime() + MAX_REMINDER_SCHEDULE_DAYS * DAY_MS;
}

/** The body of `POST /admin/reminders`, or why it cannot be sent. */
export function reminderRequestOf(draft: ReminderDraft, now: Date): ReminderRequestResult {
  const target: ReminderTarget = {
    overdueOnly: draft.overdueOnly,
    ...(draft.nodeId ? { nodeId: draft.nodeId } : {}),
    ...(draft.feeItemId ? { feeItemId: draft.feeItemId } : {}),
  };
  let scheduleAt: string | undefined;
  if (draft.when === 'scheduled') {
    if (!draft.scheduleAt) return { ok: false, message: '请选择发送时间' };
    const at = new Date(draft.scheduleAt);
    if (Number.isNaN(at.getTime())) return { ok: false, message: '发送时间无效' };
    if (!isSchedulable(at, now)) return { ok: false, message: `发送时间应在现在之后的 ${MAX_REMINDER_SCHEDULE_DAYS} 天以内` };
    scheduleAt = at.toISOString();
  }
  const body: ReminderRequest = { target, ...(scheduleAt ? { scheduleAt } : {}) };
  const parsed = createReminderSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('；') };
  return { ok: true, value: body };
}

/** Display names of organisation nodes and fee items; undefined for ones the page does not know. */
export interface TargetNames {
  node(id: string): string | undefined;
  feeItem(id: string): string | undefined;
}

/** How a target reads: "明德东校区 / 小学部 / 三年级 / 1班 · 学费（2026-2027学年第一学期） · 仅逾期账单". */
export function targetText(target: ReminderTarget, names: TargetNames): string {
  const parts = [
    target.nodeId ? (names.node(target.nodeId) ?? target.nodeId) : '全部范围',
    target.feeItemId ? (names.feeItem(target.feeItemId) ?? target.feeItemId) : '全部收费项目',
  ];
  if (target.overdueOnly) parts.push('仅逾期账单');
  return parts.join(' · ');
}

/** Is the run still to send or sending, so its counts may still change? */
export function inProgress(run: Pick<ReminderRun, 'status'>): boolean {
  return run.status === 'scheduled' || run.status === 'running';
}

export interface OutcomeFigure {
  key: keyof ReminderCounts;
  label: string;
  value: number;
  /** What the figure means, for a tooltip. */
  help: string;
}

/** A run's counts in reading order: what was matched, what was skipped, what happened to each message. */
export function outcomeFigures(counts: ReminderCounts): OutcomeFigure[] {
  return [
    { key: 'bills', label: '欠费账单', value: counts.bills, help: '发送时符合条件的未缴账单' },
    { key: 'unboundBills', label: '家长未绑定', value: counts.unboundBills, help: '学生尚无家长在小程序中绑定，无法提醒的账单' },
    { key: 'quiet', label: '静默期内跳过', value: counts.quiet, help: '家长在静默期内已被提醒过同一账单，本次不再打扰' },
    { key: 'messages', label: '尝试发送', value: counts.messages, help: '每位家长每个孩子一条消息，涵盖该孩子的账单' },
    { key: 'sent', label: REMINDER_OUTCOME_LABELS.sent, value: counts.sent, help: '微信已接收的消息' },
    { key: 'refused', label: REMINDER_OUTCOME_LABELS.refused, value: counts.refused, help: '家长未在小程序中允许订阅消息（微信错误码 43101）；下次催缴会再次尝试' },
    { key: 'failed', label: REMINDER_OUTCOME_LABELS.failed, value: counts.failed, help: '微信返回其他错误或网络失败；下次催缴会再次尝试' },
    { key: 'unknown', label: '结果未知', value: counts.unknown, help: '发送中断、不知微信是否收到的消息；静默期内不会重发' },
  ];
}

/** "错误码 -1：2 条；网络错误：1 条", most frequent first; empty when nothing failed. */
export function failuresText(failuresByErrcode: Readonly<Record<string, number>>): string {
  return Object.entries(failuresByErrcode)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, count]) => `${code === 'network' ? '网络错误' : `错误码 ${code}`}：${count} 条`)
    .join('；');
}
