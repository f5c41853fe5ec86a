import { MoneyError, displayYuan, formatYuan, parseYuan, sumFen, type Fen } from '@campuspay/shared';
import { isUnpaid, type Bill } from './bill-model';

/**
 * The bills page's checkout: which bills are ticked, how much of each is
 * paid now, and what goes to POST /parent/orders. Pure (no @tarojs import):
 * unit-tested.
 */

/** What may be paid now on a bill, in fen. Without partial payment both ends are the outstanding amount. */
export interface AmountRule {
  minFen: number;
  maxFen: number;
  partial: boolean;
}

export function amountRule(bill: Bill): AmountRule {
  const maxFen = bill.outstandingFen;
  if (!bill.allowPartial) return { minFen: maxFen, maxFen, partial: false };
  // The server lets the last instalment be smaller than the minimum: paying everything that is left is always allowed.
  const minFen = bill.minPaymentFen && bill.minPaymentFen > 0 ? Math.min(bill.minPaymentFen, maxFen) : Math.min(1, maxFen);
  return { minFen, maxFen, partial: true };
}

/** The hint under a partial-payment input: `最低 ¥500.00，最多 ¥3,000.00`. */
export function amountHint(bill: Bill): string {
  const { minFen, maxFen } = amountRule(bill);
  return `最低 ${displayYuan(minFen)}，最多 ${displayYuan(maxFen)}`;
}

/** What the amount input shows before the parent edits it: the whole outstanding amount, e.g. `3000.00`. */
export function defaultAmountText(bill: Bill): string {
  return formatYuan(bill.outstandingFen);
}

export type AmountParse = { ok: true; fen: Fen } | { ok: false; message: string };

/**
 * Reads what the parent typed (yuan, e.g. `500` or `500.5`) as fen, exactly
 * (parseYuan: no floating point), and checks it against the bill's rules the
 * way the server will.
 */
export function parseAmountInput(text: string, bill: Bill): AmountParse {
  const trimmed = text.trim().replace(/^[¥￥]\s*/, '');
  if (trimmed === '') return { ok: false, message: '请输入缴费金额' };
  if (!/^\d+(\.\d*)?$/.test(trimmed)) return { ok: false, message: '请输入正确的金额' };
  let value: Fen;
  try {
    value = parseYuan(trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed);
  } catch (err) {
    // The text matched the pattern, so a MoneyError means fractions of a fen; anything else is an engine
    // without BigInt (parseYuan needs it; WeChat's oldest iOS engines lack it).
    return { ok: false, message: err instanceof MoneyError ? '金额最多保留两位小数' : '当前微信版本不支持输入金额，请升级微信后再试' };
  }
  const { minFen, maxFen } = amountRule(bill);
  if (value <= 0) return { ok: false, message: '缴费金额须大于 0' };
  if (value > maxFen) return { ok: false, message: `最多可缴 ${displayYuan(maxFen)}` };
  if (value < minFen) return { ok: false, message: `单次最低缴费 ${displayYuan(minFen)}` };
  return { ok: true, fen: value };
}

/**
 * The ticked bills after a (re)load: ticks of bills still payable are kept;
 * a compulsory bill seen for the first time is ticked, an optional one (选缴)
 * is not. `seen` holds the ids of bills already shown before.
 */
export function reconcileSelection(previous: ReadonlySet<string>, seen: ReadonlySet<string>, bills: readonly Bill[]): Set<string> {
  const next = new Set<string>();
  for (const bill of bills) {
    if (!isUnpaid(bill)) continue;
    if (previous.has(bill.id) || (!seen.has(bill.id) && bill.mandatory)) next.add(bill.id);
  }
  return next;
}

export interface CheckoutLine {
  billId: string;
  amountFen: number;
}

export interface CheckoutDraft {
  /** Ticked, payable bills in the order shown (which is the order sent, and so the order of the payee orders). */
  lines: CheckoutLine[];
  totalFen: Fen;
  /** Per bill id, why its amount cannot be paid. */
  errors: Record<string, string>;
  /** Something is ticked and every amount is acceptable. */
  valid: boolean;
}

/** Builds the checkout from the ticks and, for partial-payment bills, what was typed (undefined: not edited). */
export function buildCheckout(
  bills: readonly Bill[],
  selected: ReadonlySet<string>,
  amountTexts: Readonly<Record<string, string | undefined>>,
): CheckoutDraft {
  const lines: CheckoutLine[] = [];
  const errors: Record<string, string> = {};
  for (const bill of bills) {
    if (!selected.has(bill.id) || !isUnpaid(bill)) continue;
    const typed = amountTexts[bill.id];
    if (!bill.allowPartial || typed === undefined) {
      // Not edited: the whole outstanding amount (what the input shows), without parsing it back.
      lines.push({ billId: bill.id, amountFen: bill.outstandingFen });
      continue;
    }
    const parsed = parseAmountInput(typed, bill);
    if (parsed.ok) lines.push({ billId: bill.id, amountFen: parsed.fen });
    else errors[bill.id] = parsed.message;
  }
  return {
    lines,
    totalFen: sumFen(lines.map((l) => l.amountFen)),
    errors,
    valid: lines.length > 0 && Object.keys(errors).length === 0,
  };
}

/** The body of POST /parent/orders: amounts are always sent, so the parent pays exactly what was shown. */
export function orderRequestOf(lines: readonly CheckoutLine[]): { billIds: string[]; amountsFen: number[] } {
  return { billIds: lines.map((l) => l.billId), amountsFen: lines.map((l) => l.amountFen) };
}

/**
 * Identifies one intent to pay, for reusing its Idempotency-Key: the same
 * bills, amounts and order, *and* each bill's outstanding amount. After a
 * payment lands the outstanding amount changes, so paying the same amount of
 * the same bill again is a new intent with a new key, never a replay of the
 * paid order.
 */
export function selectionKey(lines: readonly CheckoutLine[], bills: readonly Bill[]): string {
  const outstanding = new Map(bills.map((b) => [b.id, b.outstandingFen]));
  return lines.map((l) => `${l.billId}:${l.amountFen}:${outstanding.get(l.billId) ?? '?'}`).join(',');
}
