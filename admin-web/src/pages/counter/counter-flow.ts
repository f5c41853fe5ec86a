/**
 * The cashier's queue at the start of term, as pure functions (unit tested):
 * a student's outstanding bills with what is being paid on each, the checks
 * the server applies to a counter payment (checkPayable), the requests to
 * send, and the outcome of a checkout where each bill is its own payment
 * with its own receipt and its own Idempotency-Key.
 */
import { createOfflinePaymentSchema, displayYuan, type Bill, type OfflinePayment } from '@campuspay/shared';
import { readYuan, yuanText } from '../../billing/amounts.ts';
import type { CreateOfflinePaymentRequest, TakenPayment } from '../../services/counter.ts';

export const COUNTER_METHODS = ['cash', 'pos', 'transfer'] as const;
export type CounterMethod = (typeof COUNTER_METHODS)[number];

export const COUNTER_METHOD_LABELS: Readonly<Record<CounterMethod, string>> = { cash: '现金', pos: 'POS 刷卡', transfer: '银行转账' };

export const REFERENCE_LABELS: Readonly<Record<CounterMethod, string>> = { cash: '备注（选填）', pos: 'POS 凭证号', transfer: '转账流水号' };

export function referenceRequired(method: CounterMethod): boolean {
  return method !== 'cash';
}

/** Bills the counter can take money for: published, not cancelled, something owed; earliest due first. */
export function outstandingBills(bills: readonly Bill[]): Bill[] {
  return bills
    .filter((bill) => bill.published && (bill.status === 'unpaid' || bill.status === 'partially_paid') && bill.outstandingFen > 0)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.feeItemName.localeCompare(b.feeItemName, 'zh-CN'));
}

export interface CounterLine {
  selected: boolean;
  /** Yuan as typed. */
  amountText: string;
}

export type CounterLines = Readonly<Record<string, CounterLine>>;

/** Every bill ticked for its full outstanding amount, except optional (选缴) ones. */
export function initialLines(bills: readonly Bill[]): CounterLines {
  return Object.fromEntries(bills.map((bill) => [bill.id, { selected: bill.mandatory, amountText: yuanText(bill.outstandingFen) }]));
}

/** What is wrong with paying `amountText` on `bill` (the server's checkPayable), or null. */
export function lineProblem(bill: Bill, amountText: string): string | null {
  const read = readYuan(amountText, { label: '缴费金额', maxFen: bill.outstandingFen });
  if (!read.ok) return read.message.replace('不能超过', '不能超过待缴');
  if (read.fen < bill.outstandingFen) {
    if (!bill.allowPartial) return '该项目不允许部分缴费，须一次缴清';
    if (bill.minPaymentFen && read.fen < bill.minPaymentFen) return `单次缴费不得少于 ${displayYuan(bill.minPaymentFen)}`;
  }
  return null;
}

export interface CheckoutInput {
  method: CounterMethod;
  reference: string;
  payerName: string;
}

export type CheckoutPlan =
  | { ok: true; requests: CreateOfflinePaymentRequest[]; totalFen: number }
  | { ok: false; lineProblems: Record<string, string>; problem: string | null };

/** The requests for the ticked bills, or what is wrong (per bill, and overall). */
export function checkoutPlan(bills: readonly Bill[], lines: CounterLines, input: CheckoutInput): CheckoutPlan {
  const lineProblems: Record<string, string> = {};
  const requests: CreateOfflinePaymentRequest[] = [];
  const reference = input.reference.trim();
  const payerName = input.payerName.trim();
  for (const bill of bills) {
    const line = lines[bill.id];
    if (!line?.selected) continue;
    const problem = lineProblem(bill, line.amountText);
    if (problem) {
      lineProblems[bill.id] = problem;
      continue;
    }
    const read = readYuan(line.amountText);
    if (!read.ok) continue;
    requests.push({
      billId: bill.id,
      amountFen: read.fen,
      method: input.method,
      ...(reference ? { reference } : {}),
      ...(payerName ? { payerName } : {}),
    });
  }
  let problem: string | null = null;
  if (requests.length === 0 && Object.keys(lineProblems).length === 0) problem = '请勾选要缴费的账单';
  else if (referenceRequired(input.method) && !reference) problem = `${COUNTER_METHOD_LABELS[input.method]}请填写${input.method === 'pos' ? '凭证号' : '转账流水号'}`;
  else if (reference.length > 64) problem = '凭证号最多 64 个字符';
  else if (payerName.length > 30) problem = '缴款人姓名最多 30 个字';
  if (problem || Object.keys(lineProblems).length > 0) return { ok: false, lineProblems, problem };
  for (const request of requests) {
    const parsed = createOfflinePaymentSchema.safeParse(request);
    if (!parsed.success) return { ok: false, lineProblems, problem: parsed.error.issues[0]?.message ?? '收款信息有误' };
  }
  return { ok: true, requests, totalFen: requests.reduce((sum, r) => sum + r.amountFen, 0) };
}

/** The ticked total shown on the 收款 button, counting only readable amounts. */
export function selectedTotalFen(bills: readonly Bill[], lines: CounterLines): number {
  let total = 0;
  for (const bill of bills) {
    const line = lines[bill.id];
    if (!line?.selected) continue;
    const read = readYuan(line.amountText);
    if (read.ok) total += read.fen;
  }
  return total;
}

// --- the outcome of one checkout ------------------------------------------------

export type LineOutcome =
  | { state: 'sending' }
  | { state: 'paid'; payment: TakenPayment }
  | { state: 'failed'; message: string; /** A lost answer: retrying with the same key is safe. */ retryable: boolean };

export interface Checkout {
  /** The requests in order, so a retry resends exactly them. */
  requests: CreateOfflinePaymentRequest[];
  outcomes: Readonly<Record<string, LineOutcome>>;
}

export function checkoutDone(checkout: Checkout): boolean {
  return checkout.requests.every((r) => checkout.outcomes[r.billId]?.state === 'paid');
}

export function paidPayments(checkout: Checkout): TakenPayment[] {
  return checkout.requests.flatMap((r) => {
    const outcome = checkout.outcomes[r.billId];
    return outcome?.state === 'paid' ? [outcome.payment] : [];
  });
}

export function failedRequests(checkout: Checkout): CreateOfflinePaymentRequest[] {
  return checkout.requests.filter((r) => checkout.outcomes[r.billId]?.state === 'failed');
}

export function paidTotalFen(checkout: Checkout): number {
  return paidPayments(checkout).reduce((sum, p) => sum + p.amountFen, 0);
}

// --- today's counter payments -----------------------------------------------------

export interface CounterDaySummary {
  count: number;
  /** Not reversed. */
  keptFen: number;
  reversed: number;
  byMethod: Record<CounterMethod, number>;
}

export function daySummary(payments: readonly OfflinePayment[]): CounterDaySummary {
  const byMethod: Record<CounterMethod, number> = { cash: 0, pos: 0, transfer: 0 };
  let keptFen = 0;
  let reversed = 0;
  for (const payment of payments) {
    if (payment.reversed) {
      reversed += 1;
      continue;
    }
    keptFen += payment.amountFen;
    if (payment.method === 'cash' || payment.method === 'pos' || payment.method === 'transfer') byMethod[payment.method] += payment.amountFen;
  }
  return { count: payments.length, keptFen, reversed, byMethod };
}
