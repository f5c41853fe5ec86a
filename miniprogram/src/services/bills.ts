import { sumFen, type Fen, type Page } from '@campuspay/shared';
import { itemsOf } from './list-body';
import { request, withQuery } from './request';

/**
 * A published bill of one of the parent's children (GET /parent/bills).
 * Every amount is integer fen.
 */
export interface Bill {
  id: string;
  studentId: string;
  feeItemName: string;
  period: string;
  amountDueFen: number;
  concessionFen: number;
  paidFen: number;
  refundedFen: number;
  outstandingFen: number;
  /** The server's bill status. Its values are not fixed in @campuspay/shared yet, so the UI derives what it shows from the amounts (see billState). */
  status: string;
  /** Business day YYYY-MM-DD (Asia/Shanghai). */
  dueDate: string;
}

/** Bills a page can hold; the parent API lists at most this many per request. */
const PAGE_SIZE = 200;

/**
 * GET /parent/bills?studentId&status → {items, total, page, pageSize} (a bare array is accepted too).
 * Without `status` every published bill of the child is returned; the bills
 * page splits them into 待缴 / 已缴 on `outstandingFen`, which does not depend
 * on the server's status vocabulary.
 */
export async function listBills(studentId: string, status?: string): Promise<Bill[]> {
  const body = await request<Bill[] | Page<Bill>>(
    'GET',
    withQuery('/parent/bills', { studentId, status, pageSize: PAGE_SIZE }),
  );
  return itemsOf(body);
}

export function isUnpaid(bill: Bill): boolean {
  return bill.outstandingFen > 0;
}

export type BillState = 'UNPAID' | 'PARTIALLY_PAID' | 'PAID' | 'WAIVED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export const BILL_STATE_LABELS: Record<BillState, string> = {
  UNPAID: '待缴费',
  PARTIALLY_PAID: '部分已缴',
  PAID: '已缴清',
  WAIVED: '已减免',
  PARTIALLY_REFUNDED: '部分退费',
  REFUNDED: '已退费',
};

/** What the parent should see for a bill, from its amounts alone. */
export function billState(bill: Bill): BillState {
  if (bill.outstandingFen > 0) return bill.paidFen > 0 ? 'PARTIALLY_PAID' : 'UNPAID';
  if (bill.refundedFen > 0) return bill.refundedFen >= bill.paidFen ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (bill.paidFen === 0 && bill.concessionFen > 0) return 'WAIVED';
  return 'PAID';
}

/** Today's business day (Asia/Shanghai, UTC+8 without DST), without relying on Intl time zones. */
export function todayInShanghai(now: number = Date.now()): string {
  return new Date(now + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
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
