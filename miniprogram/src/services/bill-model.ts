import { sumFen, type BillStatus, type Fen } from '@campuspay/shared';

/**
 * The bill as the parent sees it, and what the pages derive from it. No
 * @tarojs import here (nor anywhere this imports), so the ava tests can load it.
 */

export interface Concession {
  id: string;
  label: string;
  amountFen: number;
  reason: string;
  status: 'applied' | 'pending_approval' | 'rejected';
}

/**
 * A published bill of one of the parent's children (GET /parent/bills).
 * Every amount is integer fen.
 */
export interface Bill {
  id: string;
  studentId: string;
  studentName: string;
  feeItemName: string;
  period: string;
  periodLabel?: string;
  payeeAccountId: string;
  /** Compulsory fees are ticked for payment by default; optional ones (选缴) are not. */
  mandatory: boolean;
  /** The parent may pay part of the outstanding amount, at least `minPaymentFen` at a time. */
  allowPartial: boolean;
  minPaymentFen: number | null;
  amountDueFen: number;
  concessionFen: number;
  paidFen: number;
  refundedFen: number;
  outstandingFen: number;
  status: BillStatus;
  concessions: Concession[];
  /** Business day YYYY-MM-DD (Asia/Shanghai). */
  dueDate: string;
}

/** A bill the parent can pay now: something is owed and the school has not cancelled or waived it. */
export function isUnpaid(bill: Bill): boolean {
  return bill.outstandingFen > 0 && bill.status !== 'cancelled' && bill.status !== 'waived';
}

export type BillState = 'UNPAID' | 'PARTIALLY_PAID' | 'PAID' | 'WAIVED' | 'CANCELLED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export const BILL_STATE_LABELS: Record<BillState, string> = {
  UNPAID: '待缴费',
  PARTIALLY_PAID: '部分已缴',
  PAID: '已缴清',
  WAIVED: '已减免',
  CANCELLED: '已取消',
  PARTIALLY_REFUNDED: '部分退费',
  REFUNDED: '已退费',
};

/** What the parent should see for a bill, from its amounts (and the server's cancelled/waived marks). */
export function billState(bill: Bill): BillState {
  if (bill.status === 'cancelled') return 'CANCELLED';
  if (bill.outstandingFen > 0 && bill.status !== 'waived') return bill.paidFen > 0 ? 'PARTIALLY_PAID' : 'UNPAID';
  if (bill.refundedFen > 0) return bill.refundedFen >= bill.paidFen ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (bill.status === 'waived' || (bill.paidFen === 0 && bill.concessionFen > 0)) return 'WAIVED';
  return 'PAID';
}

/** Today's business day (Asia/Shanghai, UTC+8 without DST), without relying on Intl time zones. */
export function todayInShanghai(now: number = Date.now()): string {
  return new Date(now + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** `2026-09-01T02:30:00.000Z` → `2026-09-01 10:30` (Asia/Shanghai); '' for anything unreadable. */
export function formatShanghaiDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 60 * 60 * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

export function isOverdue(bill: Bill, today: string = todayInShanghai()): boolean {
  return isUnpaid(bill) && /^\d{4}-\d{2}-\d{2}$/.test(bill.dueDate) && bill.dueDate < today;
}

export interface BillSummary {
  unpaidCount: number;
  outstandingFen: Fen;
  paidCount: number;
  /** Money actually kept: paid minus refunded. */
  netPaidFen: Fen;
}

export function summarizeBills(bills: readonly Bill[]): BillSummary {
  const unpaid = bills.filter(isUnpaid);
  const settled = bills.filter((b) => !isUnpaid(b));
  return {
    unpaidCount: unpaid.length,
    outstandingFen: sumFen(unpaid.map((b) => b.outstandingFen)),
    paidCount: settled.length,
    netPaidFen: sumFen(bills.map((b) => b.paidFen - b.refundedFen)),
  };
}

/** One line of the bill's figures: 应缴 / 优惠 / 已缴 / 已退 / 待缴. */
export interface BillFigure {
  key: 'due' | 'concession' | 'paid' | 'refunded' | 'outstanding';
  label: string;
  fen: number;
  /** Shown as a deduction (−¥…). */
  minus: boolean;
}

export function billFigures(bill: Bill): BillFigure[] {
  return [
    { key: 'due', label: '应缴', fen: bill.amountDueFen, minus: false },
    { key: 'concession', label: '优惠', fen: bill.concessionFen, minus: bill.concessionFen > 0 },
    { key: 'paid', label: '已缴', fen: bill.paidFen, minus: false },
    { key: 'refunded', label: '已退', fen: bill.refundedFen, minus: false },
    { key: 'outstanding', label: '待缴', fen: isUnpaid(bill) ? bill.outstandingFen : 0, minus: false },
  ];
}

export const CONCESSION_STATUS_LABELS: Record<Concession['status'], string> = {
  applied: '已生效',
  pending_approval: '审核中',
  rejected: '未通过',
};
