/**
 * What can be done to a bill, and the request bodies of each action, as the
 * server decides them (bills.service, refunds.service): pure and unit tested,
 * so the page offers only what the server would accept and says why.
 */
import { applyConcessionSchema, displayYuan, reasonSchema, type Bill } from '@campuspay/shared';
import type { AccessFlags } from '../../access.ts';
import { percentOfFen, readPercentBp, readYuan } from '../../billing/amounts.ts';
import { pendingConcessions } from '../../billing/bill-display.ts';
import type { ApplyConcessionRequest } from '../../services/billing.ts';
import type { Refund, RefundStatus } from '../../services/refunds.ts';

export type Issues = { path: PropertyKey[]; message: string }[];
export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: Issues };

export const BILL_ACTIONS = ['concession', 'approve', 'adjust', 'cancel', 'waive', 'refund'] as const;
export type BillAction = (typeof BILL_ACTIONS)[number];

export const BILL_ACTION_LABELS: Readonly<Record<BillAction, string>> = {
  concession: '优惠',
  approve: '审批',
  adjust: '调整金额',
  cancel: '取消',
  waive: '减免',
  refund: '退款',
};

type Flags = Pick<AccessFlags, 'canManageBilling' | 'canApprove' | 'canRefund'>;

/** Net money on the bill: paid less refunded. */
export function netPaidFen(bill: Pick<Bill, 'paidFen' | 'refundedFen'>): number {
  return bill.paidFen - bill.refundedFen;
}

/** The actions this user may take on this bill now, in menu order. */
export function billActionsFor(bill: Bill, flags: Flags): BillAction[] {
  const actions: BillAction[] = [];
  const live = bill.status !== 'cancelled';
  if (flags.canManageBilling && live && bill.outstandingFen > 0) actions.push('concession');
  if (flags.canApprove && pendingConcessions(bill).length > 0) actions.push('approve');
  if (flags.canManageBilling && live) actions.push('adjust');
  if (flags.canManageBilling && live && netPaidFen(bill) === 0) actions.push('cancel');
  if (flags.canManageBilling && live && bill.outstandingFen > 0) actions.push('waive');
  if (flags.canRefund && netPaidFen(bill) > 0) actions.push('refund');
  return actions;
}

// --- concessions ------------------------------------------------------------

export interface ConcessionFormValues {
  kind?: Bill['concessions'][number]['kind'] | undefined;
  label?: string | undefined;
  mode?: 'percent' | 'amount' | undefined;
  percent?: string | undefined;
  amountYuan?: string | undefined;
  reason?: string | undefined;
}

/** What is left to discount: the amount due less concessions already applied. */
export function concessionBaseFen(bill: Pick<Bill, 'amountDueFen' | 'concessionFen'>): number {
  return bill.amountDueFen - bill.concessionFen;
}

/**
 * The concession the server would grant for these values (percentages of
 * what is left, rounded down; fixed amounts capped at what is left), or null
 * while the amount is not readable.
 */
export function concessionPreviewFen(bill: Pick<Bill, 'amountDueFen' | 'concessionFen'>, values: ConcessionFormValues): number | null {
  const base = concessionBaseFen(bill);
  if ((values.mode ?? 'percent') === 'percent') {
    const read = readPercentBp(values.percent);
    return read.ok ? Math.min(percentOfFen(base, read.bp), base) : null;
  }
  const read = readYuan(values.amountYuan);
  return read.ok ? Math.min(read.fen, base) : null;
}

/** The body of `POST /admin/bills/:id/concessions`, or the problems (paths match the form). */
export function concessionRequestOf(bill: Bill, values: ConcessionFormValues): FormResult<ApplyConcessionRequest> {
  const issues: Issues = [];
  const body: ApplyConcessionRequest = { kind: values.kind ?? 'other', reason: values.reason?.trim() ?? '' };
  const label = values.label?.trim();
  if (label) body.label = label;
  if ((values.mode ?? 'percent') === 'percent') {
    const read = readPercentBp(values.percent);
    if (read.ok) body.percentBp = read.bp;
    else issues.push({ path: ['percent'], message: read.message });
  } else {
    const read = readYuan(values.amountYuan, { label: '优惠金额' });
    if (read.ok) body.amountFen = read.fen;
    else issues.push({ path: ['amountYuan'], message: read.message });
  }
  const granted = concessionPreviewFen(bill, values);
  if (granted !== null && granted > bill.outstandingFen) {
    issues.push({
      path: [(values.mode ?? 'percent') === 'percent' ? 'percent' : 'amountYuan'],
      message: `优惠 ${displayYuan(granted)} 超过待缴金额 ${displayYuan(bill.outstandingFen)}，已缴部分请办理退款`,
    });
  }
  if (granted === 0) issues.push({ path: ['percent'], message: '按该比例计算的优惠不足 1 分' });
  const parsed = applyConcessionSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path[0] === 'percentBp' ? ['percent'] : issue.path[0] === 'amountFen' ? ['amountYuan'] : issue.path;
      if (!issues.some((known) => known.path.join('.') === path.join('.'))) issues.push({ path, message: issue.message });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: body };
}

// --- adjust ---------------------------------------------------------------------

/** The lowest amount due the bill can be adjusted to: concessions plus money already kept. */
export function lowestAmountDueFen(bill: Pick<Bill, 'concessionFen' | 'paidFen' | 'refundedFen'>): number {
  return Math.max(1, bill.concessionFen + netPaidFen(bill));
}

/** The body of `POST /admin/bills/:id/adjust`, or the problems. */
export function adjustRequestOf(bill: Bill, values: { amountYuan?: string | undefined; reason?: string | undefined }): FormResult<{ amountDueFen: number; reason: string }> {
  const issues: Issues = [];
  const read = readYuan(values.amountYuan, { label: '应缴金额', minFen: lowestAmountDueFen(bill) });
  if (!read.ok) issues.push({ path: ['amountYuan'], message: read.message });
  else if (read.fen === bill.amountDueFen) issues.push({ path: ['amountYuan'], message: '金额没有变化' });
  const reason = reasonOf(values.reason, '请填写调整原因');
  if (!reason.ok) issues.push(...reason.issues);
  if (issues.length > 0 || !read.ok || !reason.ok) return { ok: false, issues };
  return { ok: true, value: { amountDueFen: read.fen, reason: reason.value } };
}

/** A reason (2–200 characters), as the shared `reasonSchema` checks it. */
export function reasonOf(text: string | undefined, emptyMessage = '请填写原因'): FormResult<string> {
  const value = text?.trim() ?? '';
  if (!value) return { ok: false, issues: [{ path: ['reason'], message: emptyMessage }] };
  const parsed = reasonSchema.safeParse({ reason: value });
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: ['reason'], message: issue.message })) };
  return { ok: true, value };
}

// --- refunds ---------------------------------------------------------------------

/** Refund states whose money is still on its way back (counted against what may be refunded). */
export const REFUND_IN_FLIGHT: readonly RefundStatus[] = ['PENDING_APPROVAL', 'SUBMITTING', 'PROCESSING', 'ABNORMAL'];

/** What may still be refunded on the bill: paid less refunded less refunds under way. */
export function refundableFen(bill: Pick<Bill, 'paidFen' | 'refundedFen'>, refunds: readonly Pick<Refund, 'status' | 'amountFen'>[]): number {
  const inFlight = refunds.filter((r) => REFUND_IN_FLIGHT.includes(r.status)).reduce((sum, r) => sum + r.amountFen, 0);
  return Math.max(0, netPaidFen(bill) - inFlight);
}

/**
 * What the bill will show as owed once a refund of `amountFen` completes: a
 * refund returns money but does not lower the amount due, so the bill owes
 * it again unless the amount is adjusted or waived as well.
 */
export function outstandingAfterRefundFen(bill: Pick<Bill, 'outstandingFen'>, amountFen: number): number {
  return bill.outstandingFen + amountFen;
}

/** The body of `POST /admin/refunds`, or the problems. */
export function refundRequestOf(
  bill: Bill,
  maxFen: number,
  values: { amountYuan?: string | undefined; reason?: string | undefined },
): FormResult<{ billId: string; amountFen: number; reason: string }> {
  const issues: Issues = [];
  const read = readYuan(values.amountYuan, { label: '退款金额', maxFen });
  if (!read.ok) issues.push({ path: ['amountYuan'], message: maxFen <= 0 ? '该账单没有可退金额' : read.message });
  const reason = values.reason?.trim() ?? '';
  if (reason.length < 2) issues.push({ path: ['reason'], message: '请填写退款原因' });
  else if (reason.length > 80) issues.push({ path: ['reason'], message: '退款原因最多 80 个字' });
  if (issues.length > 0 || !read.ok) return { ok: false, issues };
  return { ok: true, value: { billId: bill.id, amountFen: read.fen, reason } };
}
