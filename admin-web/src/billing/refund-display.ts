/** How refunds read on the billing pages. Pure. */
import type { RefundStatus } from '../services/refunds.ts';

export const REFUND_STATUS_LABELS: Readonly<Record<RefundStatus, string>> = {
  PENDING_APPROVAL: '待审批',
  SUBMITTING: '提交中',
  PROCESSING: '退款中',
  SUCCESS: '已退款',
  ABNORMAL: '退款异常',
  CLOSED: '已关闭',
  REJECTED: '已驳回',
};

export const REFUND_STATUS_COLORS: Readonly<Record<RefundStatus, string>> = {
  PENDING_APPROVAL: 'gold',
  SUBMITTING: 'processing',
  PROCESSING: 'processing',
  SUCCESS: 'green',
  ABNORMAL: 'red',
  CLOSED: 'default',
  REJECTED: 'default',
};

export const REFUND_CHANNEL_LABELS: Readonly<Record<'wechat' | 'counter', string>> = {
  wechat: '原路退回微信',
  counter: '柜台退现',
};

/** What happens next, for the message after a request. */
export function refundOutcomeText(status: RefundStatus): string {
  switch (status) {
    case 'PENDING_APPROVAL':
      return '退款已提交，金额超过审批额度，待集团管理员审批';
    case 'SUBMITTING':
    case 'PROCESSING':
      return '退款已提交微信支付，正在处理，到账后状态会更新';
    case 'SUCCESS':
      return '退款已完成';
    case 'ABNORMAL':
      return '退款异常，已进入异常队列，需线下处理';
    case 'REJECTED':
      return '退款已驳回';
    case 'CLOSED':
      return '退款已关闭';
  }
}
