import { fen, sumFen, type BillStatus, type Fen } from '@campuspay/shared';

export interface BillFigures {
  amountDueFen: number;
  concessionFen: number;
  paidFen: number;
  refundedFen: number;
  outstandingFen: number;
  status: BillStatus;
}

/**
 * Derives outstanding and status from the money figures, so the invariant
 * due − concession = paid − refunded + outstanding holds by construction.
 * Overpayment (two orders paid for one bill) leaves outstanding negative
 * until the extra is refunded; the status then reads paid.
 */
export function settle(figures: Omit<BillFigures, 'outstandingFen' | 'status'>, current?: BillStatus): BillFigures {
  const payable = fen(figures.amountDueFen - figures.concessionFen);
  const netPaid = fen(figures.paidFen - figures.refundedFen);
  const outstandingFen = fen(payable - netPaid);
  let status: BillStatus;
  if (current === 'cancelled' && netPaid === 0) status = 'cancelled';
  else if (payable === 0 && netPaid === 0) status = 'waived';
  else if (outstandingFen <= 0) status = 'paid';
  else if (netPaid > 0) status = 'partially_paid';
  else status = 'unpaid';
  return { ...figures, outstandingFen, status };
}

export function invariantHolds(b: BillFigures): boolean {
  return b.amountDueFen - b.concessionFen === b.paidFen - b.refundedFen + b.outstandingFen && b.concessionFen <= b.amountDueFen && b.concessionFen >= 0;
}

export interface ConcessionStep {
  percentBp: number | null;
  amountFen: number | null;
}

/**
 * Stacks concessions in order: a percentage applies to what is left after
 * the earlier ones, rounding down to whole fen (in the family's favour a
 * fen less of discount is the school's rule); the total never exceeds the
 * amount due.
 */
export function stackConcessions(amountDueFen: number, steps: ConcessionStep[]): Fen[] {
  let remaining = fen(amountDueFen);
  return steps.map((step) => {
    // Integer arithmetic throughout: (remaining × bp) / 10000, rounded down.
    const raw = step.percentBp !== null ? Number((BigInt(remaining) * BigInt(step.percentBp)) / 10000n) : (step.amountFen ?? 0);
    const amount = fen(Math.min(raw, remaining));
    remaining = fen(remaining - amount);
    return amount;
  });
}

export function totalApplied(concessions: { amountFen: number; status: string }[]): Fen {
  return sumFen(concessions.filter((c) => c.status === 'applied').map((c) => c.amountFen));
}
