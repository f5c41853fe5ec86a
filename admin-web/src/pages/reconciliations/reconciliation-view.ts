/**
 * How the reconciliation page reads: which day may be run, status and
 * resolution labels, when a run has finished, its progress, and the nets of
 * both sides. Money stays integer fen (shared helpers); pure and unit tested.
 */
import {
  MAX_RECONCILIATION_DAYS,
  RECONCILIATION_STATUS_LABELS,
  addDays,
  subFen,
  type LineResolution,
  type PendingReason,
  type Reconciliation,
  type ReconciliationAmounts,
  type ReconciliationLine,
  type ReconciliationStatus,
  type SettlementRow,
} from '@campuspay/shared';
import { jobPercent, type Job } from '../../services/jobs.ts';

/** Poll a running reconciliation this often. */
export const RUN_POLL_MS = 1000;

/** The morning's work is yesterday's bill (WeChat publishes a day's bill the next morning). */
export function defaultRunDay(today: string): string {
  return addDays(today, -1);
}

/** Why `day` cannot be reconciled now, or null; the server says the same. */
export function runDayProblem(day: string, today: string): string | null {
  if (day > today) return '对账日期不能晚于今天';
  if (day < addDays(today, -MAX_RECONCILIATION_DAYS)) return `微信只保留最近 ${MAX_RECONCILIATION_DAYS} 天的账单`;
  return null;
}

export const RECONCILIATION_STATUS_COLORS: Readonly<Record<ReconciliationStatus, string>> = {
  pending: 'gold',
  running: 'processing',
  clean: 'green',
  differences: 'red',
  failed: 'volcano',
};

export const PENDING_REASON_LABELS: Readonly<Record<PendingReason, string>> = {
  queued: '已排队',
  bill_not_ready: '微信账单尚未生成，稍后自动重试',
  wechat_error: '微信支付暂时不可用，稍后自动重试',
};

export const RESOLUTION_LABELS: Readonly<Record<LineResolution, string>> = {
  open: '待处理',
  auto_fixed: '已自动处理',
  resolved: '已处理',
};

export const RESOLUTION_COLORS: Readonly<Record<LineResolution, string>> = {
  open: 'red',
  auto_fixed: 'blue',
  resolved: 'green',
};

type RunState = Pick<Reconciliation, 'status' | 'pendingReason'>;

/** 有差异 / 待对账（微信账单尚未生成，稍后自动重试）… */
export function statusText(run: RunState): string {
  const label = RECONCILIATION_STATUS_LABELS[run.status];
  return run.status === 'pending' && run.pendingReason && run.pendingReason !== 'queued' ? `${label}（${PENDING_REASON_LABELS[run.pendingReason]}）` : label;
}

/**
 * A run has ended once it is no longer queued or running. A day left
 * pending because WeChat's bill is not out (or WeChat failed) has ended too:
 * the platform retries it by itself later.
 */
export function runFinished(run: RunState): boolean {
  if (run.status === 'running') return false;
  return !(run.status === 'pending' && (run.pendingReason === 'queued' || run.pendingReason === null));
}

/** The bar under 开始对账: whole percent and what is happening. */
export function runProgress(job: Pick<Job, 'status' | 'progress'> | null, run: RunState | null): { percent: number; text: string } {
  if (run && runFinished(run)) return { percent: 100, text: statusText(run) };
  if (!job || job.status === 'queued') return { percent: 0, text: '排队中…' };
  const { done, total, message } = job.progress;
  // 100 only once the run itself has finished (above): its job may end a moment earlier.
  const percent = Math.min(99, jobPercent(job));
  const what = message.trim() || '正在对账…';
  return { percent, text: total > 0 ? `${what}（${done} / ${total}）` : what };
}

/** Payments less refunds on each side, and WeChat's less the platform's. */
export function sideNets(amounts: Pick<ReconciliationAmounts, 'wechatPaymentsFen' | 'wechatRefundsFen' | 'platformPaymentsFen' | 'platformRefundsFen'>): {
  wechatNetFen: number;
  platformNetFen: number;
  gapFen: number;
} {
  const wechatNetFen = subFen(amounts.wechatPaymentsFen, amounts.wechatRefundsFen);
  const platformNetFen = subFen(amounts.platformPaymentsFen, amounts.platformRefundsFen);
  return { wechatNetFen, platformNetFen, gapFen: subFen(wechatNetFen, platformNetFen) };
}

/** WeChat's amount less the platform's for one difference; null when a side has none. */
export function lineGapFen(line: Pick<ReconciliationLine, 'wechat' | 'platform'>): number | null {
  if (!line.wechat || !line.platform) return null;
  return subFen(line.wechat.amountFen, line.platform.amountFen);
}

/** The order or refund number a person looks a difference up by. */
export function lineReference(line: Pick<ReconciliationLine, 'kind' | 'outTradeNo' | 'outRefundNo' | 'transactionId'>): string {
  if (line.kind === 'refund' && line.outRefundNo) return line.outRefundNo;
  return line.outTradeNo ?? line.transactionId ?? '—';
}

/** What the page says after 开始对账 has queued runs for `count` merchants. */
export function startedText(count: number, day: string): string {
  return count === 1 ? `已开始对账 ${day}` : `已开始对账 ${day}（${count} 个商户）`;
}

/** The runs list's default period: the last 30 days, as the server's default. */
export function defaultListPeriod(today: string): { from: string; to: string } {
  return { from: addDays(today, -29), to: today };
}

/**
 * The list's period stretched to show a day just run: the day becomes the
 * start (or end), and the other end moves in if the period would exceed
 * what the server lists at once.
 */
export function periodIncluding(period: { from: string; to: string }, day: string): { from: string; to: string } {
  if (day >= period.from && day <= period.to) return period;
  if (day > period.to) {
    const from = addDays(day, -(MAX_RECONCILIATION_DAYS - 1)) > period.from ? addDays(day, -(MAX_RECONCILIATION_DAYS - 1)) : period.from;
    return { from, to: day };
  }
  const to = addDays(day, MAX_RECONCILIATION_DAYS - 1) < period.to ? addDays(day, MAX_RECONCILIATION_DAYS - 1) : period.to;
  return { from: day, to };
}

/** 明德教育集团 基本户（商户号 1900000109） */
export function payeeLabel(payee: { name: string; mchid: string }): string {
  return `${payee.name}（商户号 ${payee.mchid}）`;
}

/** A settlement row with any money moving (most days of a quiet account have none). */
export function settlementHasActivity(row: Pick<SettlementRow, 'onlineGrossFen' | 'onlineRefundFen' | 'cashFen' | 'posFen' | 'transferFen' | 'counterNetFen'>): boolean {
  return [row.onlineGrossFen, row.onlineRefundFen, row.cashFen, row.posFen, row.transferFen, row.counterNetFen].some((fen) => fen !== 0);
}
