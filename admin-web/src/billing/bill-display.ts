/**
 * How bills read on every billing page: status colours, the figures of a
 * bill (应缴 / 优惠 / 已缴 / 已退 / 待缴) and concession states. Pure and
 * unit tested.
 */
import { BILL_STATUS_LABELS, CONCESSION_KIND_LABELS, type Bill, type BillStatus } from '@campuspay/shared';
import { formatPercentBp } from './amounts.ts';

export const BILL_STATUS_COLORS: Readonly<Record<BillStatus, string>> = {
  unpaid: 'orange',
  partially_paid: 'blue',
  paid: 'green',
  cancelled: 'default',
  waived: 'purple',
};

export type ConcessionStatus = Bill['concessions'][number]['status'];

export const CONCESSION_STATUS_LABELS: Readonly<Record<ConcessionStatus, string>> = {
  applied: '已生效',
  pending_approval: '待审批',
  rejected: '已驳回',
};

export const CONCESSION_STATUS_COLORS: Readonly<Record<ConcessionStatus, string>> = {
  applied: 'green',
  pending_approval: 'gold',
  rejected: 'default',
};

export function billStatusLabel(status: BillStatus): string {
  return BILL_STATUS_LABELS[status];
}

export interface BillFigure {
  key: 'amountDueFen' | 'concessionFen' | 'paidFen' | 'refundedFen' | 'outstandingFen';
  label: string;
  fen: number;
}

/** The five figures of a bill, in the order the finance office reads them. */
export function billFigures(bill: Pick<Bill, 'amountDueFen' | 'concessionFen' | 'paidFen' | 'refundedFen' | 'outstandingFen'>): BillFigure[] {
  return [
    { key: 'amountDueFen', label: '应缴', fen: bill.amountDueFen },
    { key: 'concessionFen', label: '优惠', fen: bill.concessionFen },
    { key: 'paidFen', label: '已缴', fen: bill.paidFen },
    { key: 'refundedFen', label: '已退', fen: bill.refundedFen },
    { key: 'outstandingFen', label: '待缴', fen: bill.outstandingFen },
  ];
}

/** Concessions waiting for a group admin's decision. */
export function pendingConcessions(bill: Pick<Bill, 'concessions'>): Bill['concessions'] {
  return bill.concessions.filter((c) => c.status === 'pending_approval');
}

/** 多子女优惠 · 10% or 困难减免 · ¥200.00 style label of a rule-like thing. */
export function concessionKindLabel(kind: Bill['concessions'][number]['kind']): string {
  return CONCESSION_KIND_LABELS[kind];
}

/** A concession rule's size: "10%" or the fixed amount text. */
export function ruleSizeText(rule: { percentBp: number | null; amountFen: number | null }, displayYuan: (fen: number) => string): string {
  if (rule.percentBp !== null) return `减 ${formatPercentBp(rule.percentBp)}`;
  if (rule.amountFen !== null) return `减 ${displayYuan(rule.amountFen)}`;
  return '—';
}
