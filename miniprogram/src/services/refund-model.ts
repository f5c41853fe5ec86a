/** A refund of one of the parent's bills (GET /parent/refunds). No @tarojs import: unit-tested. */

export type RefundStatus = 'PENDING_APPROVAL' | 'SUBMITTING' | 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED' | 'REJECTED';

export interface Refund {
  id: string;
  /** The online order refunded (original route), or null for counter refunds. */
  orderId?: string | null;
  amountFen: number;
  status: RefundStatus | (string & {});
  reason: string;
  createdAt: string;
  completedAt: string | null;
}

export type RefundTone = 'progress' | 'success' | 'danger' | 'muted';

const REFUND_PRESENTATION: Record<RefundStatus, { label: string; tone: RefundTone }> = {
  PENDING_APPROVAL: { label: '退款审核中', tone: 'progress' },
  SUBMITTING: { label: '退款中', tone: 'progress' },
  PROCESSING: { label: '退款中', tone: 'progress' },
  SUCCESS: { label: '已退款', tone: 'success' },
  ABNORMAL: { label: '退款异常', tone: 'danger' },
  CLOSED: { label: '退款已关闭', tone: 'muted' },
  REJECTED: { label: '退款未通过', tone: 'muted' },
};

/** What the parent reads for a refund's status; an unknown status is shown as 处理中 rather than hidden. */
export function refundPresentation(status: string): { label: string; tone: RefundTone } {
  return Object.prototype.hasOwnProperty.call(REFUND_PRESENTATION, status) ? REFUND_PRESENTATION[status as RefundStatus] : { label: '处理中', tone: 'progress' };
}

/** What the parent is told next to an abnormal refund. */
export const REFUND_ABNORMAL_NOTE = '退款未能退回原支付账户，学校财务会联系您处理';
