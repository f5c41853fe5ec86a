/**
 * The refund list as the approval page shows it: which refunds a user may
 * decide, counts per status for the filter, and the decision body. Pure and
 * unit tested.
 */
import type { AccessFlags } from '../../access.ts';
import { REFUND_STATUSES, type Refund, type RefundStatus } from '../../services/refunds.ts';

/** Only a group admin decides, only while the refund waits (and never their own: the server says so). */
export function canDecideRefund(refund: Pick<Refund, 'status'>, flags: Pick<AccessFlags, 'canApprove'>): boolean {
  return flags.canApprove && refund.status === 'PENDING_APPROVAL';
}

/** How many refunds are in each status. */
export function countByStatus(refunds: readonly Pick<Refund, 'status'>[]): Record<RefundStatus, number> {
  const counts = Object.fromEntries(REFUND_STATUSES.map((s) => [s, 0])) as Record<RefundStatus, number>;
  for (const refund of refunds) counts[refund.status] += 1;
  return counts;
}

/** The filter a user starts with: approvers see what waits for them. */
export function defaultRefundFilter(flags: Pick<AccessFlags, 'canApprove'>): RefundStatus | undefined {
  return flags.canApprove ? 'PENDING_APPROVAL' : undefined;
}

/** The body of `POST /admin/refunds/:id/approve`, or what is missing. */
export function refundDecisionOf(approve: boolean, reason: string | undefined): { ok: true; value: { approve: boolean; reason: string } } | { ok: false; message: string } {
  const text = reason?.trim() ?? '';
  if (text.length < 2) return { ok: false, message: '请填写审批意见' };
  if (text.length > 200) return { ok: false, message: '审批意见最多 200 个字' };
  return { ok: true, value: { approve, reason: text } };
}
