/**
 * How the cash report (交班报表) reads: which day may be asked for, each
 * cashier's lines with labels and stable keys, and the handover table (收款,
 * 冲正, 退款, 应交 by method) the cashier signs. The labels and order are
 * the printed sheet's, so screen and paper agree. Money stays integer fen;
 * pure and unit tested.
 */
import { fen, subFen, type CashReport } from '@campuspay/shared';

type Cashier = CashReport['cashiers'][number];
type Line = Cashier['lines'][number];
type MethodTotals = CashReport['totals']['net'];
type TotalsByKind = CashReport['totals'];

export const CASH_LINE_KIND_LABELS: Readonly<Record<Line['kind'], string>> = { payment: '收款', reversal: '冲正', refund: '退款' };

/** Why `day` cannot be reported, or null: the counter has no future. */
export function cashReportDayProblem(day: string, today: string): string | null {
  return day > today ? '不能查看今天之后的日期' : null;
}

export interface CashLineRow extends Line {
  key: string;
  kindLabel: string;
}

export type HandoverKey = keyof TotalsByKind;

export interface HandoverRow {
  key: HandoverKey;
  label: string;
  cashFen: number;
  posFen: number;
  transferFen: number;
  totalFen: number;
}

export interface CashierSection {
  cashierId: string;
  cashierName: string;
  lines: CashLineRow[];
  counts: Readonly<Record<Line['kind'], number>>;
  handover: HandoverRow[];
  net: MethodTotals;
}

const HANDOVER: readonly { key: HandoverKey; label: string; sign: 1 | -1 }[] = [
  { key: 'payments', label: '收款', sign: 1 },
  { key: 'reversals', label: '冲正', sign: -1 },
  { key: 'refunds', label: '退款', sign: -1 },
  { key: 'net', label: '应交', sign: 1 },
];

// The report gives reversals and refunds as positive sums; the table shows them
// as what they take off the payments, so each column adds up to 应交
// (negated with subFen: −1 × 0 would be −0).
function signed(t: MethodTotals, sign: 1 | -1): Omit<HandoverRow, 'key' | 'label'> {
  const apply = (value: number) => (sign === 1 ? fen(value) : subFen(0, value));
  return { cashFen: apply(t.cashFen), posFen: apply(t.posFen), transferFen: apply(t.transferFen), totalFen: apply(t.totalFen) };
}

/** 收款, 冲正 and 退款 (negative) and 应交, by method; each column sums to its 应交. */
export function handoverRows(totals: TotalsByKind): HandoverRow[] {
  return HANDOVER.map(({ key, label, sign }) => ({ key, label, ...signed(totals[key], sign) }));
}

function lineRows(cashierId: string, lines: readonly Line[]): CashLineRow[] {
  // A payment and its reversal share the offline payment's id, and refunds may have none: the position keeps keys unique.
  return lines.map((line, i) => ({
    ...line,
    key: `${cashierId}:${i}:${line.kind}:${line.offlinePaymentId ?? ''}`,
    kindLabel: CASH_LINE_KIND_LABELS[line.kind] + (line.reversed ? '（已冲正）' : ''),
  }));
}

/** One section per cashier, in the report's order (by name), lines in time order as the server gives them. */
export function cashierSections(report: CashReport): CashierSection[] {
  return report.cashiers.map((cashier) => {
    const counts = { payment: 0, reversal: 0, refund: 0 };
    for (const line of cashier.lines) counts[line.kind] += 1;
    return {
      cashierId: cashier.cashierId,
      cashierName: cashier.cashierName,
      lines: lineRows(cashier.cashierId, cashier.lines),
      counts,
      handover: handoverRows(cashier),
      net: cashier.net,
    };
  });
}

/** How a section's header sums up the day: "收款 3 笔 · 冲正 1 笔". */
export function countsText(counts: CashierSection['counts']): string {
  return (['payment', 'reversal', 'refund'] as const)
    .filter((kind) => kind === 'payment' || counts[kind] > 0)
    .map((kind) => `${CASH_LINE_KIND_LABELS[kind]} ${counts[kind]} 笔`)
    .join(' · ');
}

/** The file name to save under when the server names none. */
export function cashReportFallbackName(day: string, format: 'pdf' | 'xlsx'): string {
  return format === 'pdf' ? `柜台收款交接单_${day}.pdf` : `柜台收款交接单_${day}.xlsx`;
}
