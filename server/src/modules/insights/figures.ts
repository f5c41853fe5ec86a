import { addDays, fen, type CardClass, type InsightFigures } from '@campuspay/shared';

/**
 * The daily rollups store figures as fixed-order arrays of integers (short
 * documents decode fast on FerretDB, which reads whole documents); the names
 * below are the only place the order is defined.
 */
export const FIGURE_KEYS = [
  'onlineFen',
  'onlineCount',
  'counterFen',
  'counterCount',
  'revOnlineFen',
  'revOnlineCount',
  'revCounterFen',
  'revCounterCount',
  'refundOnlineFen',
  'refundOnlineCount',
  'refundCounterFen',
  'refundCounterCount',
  'newPayers',
  'newLive',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];
export type Figures = number[];

export const FIG = Object.fromEntries(FIGURE_KEYS.map((k, i) => [k, i])) as Record<FigureKey, number>;

export function zeroFigures(): Figures {
  return FIGURE_KEYS.map(() => 0);
}

/** Adds `delta` into `target` in place; refuses anything but safe integers. */
export function addInto(target: Figures, delta: readonly number[], sign = 1): Figures {
  for (let i = 0; i < FIGURE_KEYS.length; i++) {
    const next = (target[i] ?? 0) + sign * (delta[i] ?? 0);
    if (!Number.isSafeInteger(next)) throw new RangeError('rollup figure is not a safe integer');
    target[i] = next;
  }
  return target;
}

export function isZero(f: readonly number[]): boolean {
  return f.every((v) => v === 0);
}

export interface EntryLike {
  kind: 'payment' | 'refund' | 'reversal';
  method: 'wechat' | 'cash' | 'pos' | 'transfer';
  amountFen: number;
}

/**
 * What one ledger entry adds to the figures of every node above it, apart
 * from the "first time" counts (WeChat transactions, new payers, schools
 * going live), which orders and markers decide.
 */
export function entryFigures(e: EntryLike): Figures {
  const f = zeroFigures();
  const online = e.method === 'wechat';
  if (e.kind === 'payment') {
    if (online) f[FIG.onlineFen] = e.amountFen;
    else {
      f[FIG.counterFen] = e.amountFen;
      f[FIG.counterCount] = 1;
    }
  } else if (e.kind === 'reversal') {
    f[online ? FIG.revOnlineFen : FIG.revCounterFen] = e.amountFen;
    f[online ? FIG.revOnlineCount : FIG.revCounterCount] = 1;
  } else {
    f[online ? FIG.refundOnlineFen : FIG.refundCounterFen] = e.amountFen;
    f[online ? FIG.refundOnlineCount : FIG.refundCounterCount] = 1;
  }
  return f;
}

/** Online money net of reversals and refunds, by the day it was taken. */
export function onlineNet(f: readonly number[]): number {
  return (f[FIG.onlineFen] ?? 0) - (f[FIG.revOnlineFen] ?? 0) - (f[FIG.refundOnlineFen] ?? 0);
}

export function counterNet(f: readonly number[]): number {
  return (f[FIG.counterFen] ?? 0) - (f[FIG.revCounterFen] ?? 0) - (f[FIG.refundCounterFen] ?? 0);
}

/** WeChat's fee on a day's net online money at `rateBp`, rounded half up to the fen (an estimate: WeChat rounds per transaction). */
export function estimatedFee(netOnlineFen: number, rateBp: number): number {
  if (netOnlineFen <= 0 || rateBp <= 0) return 0;
  return Math.floor((netOnlineFen * rateBp + 5000) / 10000);
}

const spans = new Map<string, readonly string[]>();

/** The days from the day before `from` to `to`: made once per period, as a ranking asks for the same period for every campus. */
function spanOf(from: string, to: string): readonly string[] {
  const key = `${from}|${to}`;
  let days = spans.get(key);
  if (!days) {
    const list: string[] = [];
    for (let d = addDays(from, -1); d <= to; d = addDays(d, 1)) list.push(d);
    if (spans.size >= 256) spans.clear();
    spans.set(key, (days = list));
  }
  return days;
}

/**
 * Public figures of a period. `byDay` holds each day's figures; settlement
 * reads the day before `from` too (online money settles T+1), so callers
 * include it in `byDay` when they have it.
 */
export function periodFigures(byDay: Map<string, Figures>, from: string, to: string, feeRateBp: number): InsightFigures {
  const sum = zeroFigures();
  let settled = 0;
  let fee = 0;
  const days = spanOf(from, to);
  for (let i = 1; i < days.length; i++) {
    const f = byDay.get(days[i]!);
    if (f) {
      addInto(sum, f);
      settled += counterNet(f);
    }
    const before = byDay.get(days[i - 1]!);
    if (before) {
      const net = onlineNet(before);
      const dayFee = estimatedFee(net, feeRateBp);
      fee += dayFee;
      settled += net - dayFee;
    }
  }
  return toPublicFigures(sum, settled, fee);
}

export function toPublicFigures(f: readonly number[], settledNetFen: number, estimatedFeeFen: number): InsightFigures {
  const v = (k: FigureKey) => f[FIG[k]] ?? 0;
  return {
    onlineFen: fen(v('onlineFen')),
    onlineCount: v('onlineCount'),
    counterFen: fen(v('counterFen')),
    counterCount: v('counterCount'),
    reversalFen: fen(v('revOnlineFen') + v('revCounterFen')),
    reversalCount: v('revOnlineCount') + v('revCounterCount'),
    refundOnlineFen: fen(v('refundOnlineFen')),
    refundCounterFen: fen(v('refundCounterFen')),
    refundFen: fen(v('refundOnlineFen') + v('refundCounterFen')),
    refundCount: v('refundOnlineCount') + v('refundCounterCount'),
    netInflowFen: fen(onlineNet(f) + counterNet(f)),
    settledNetFen: fen(settledNetFen),
    estimatedFeeFen: fen(estimatedFeeFen),
    newPayingParents: v('newPayers'),
    newLiveSchools: v('newLive'),
  };
}

// ---- WeChat bank_type ----

/** A bank_type as a safe map key (no dots, no leading $): upper case letters, digits and underscores. */
export function bankTypeKey(raw: string | null | undefined): string {
  if (!raw) return 'UNKNOWN';
  const key = raw.trim().toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, 40);
  return key || 'UNKNOWN';
}

/**
 * Card class of a WeChat bank_type for a bank whose own codes are `ownCodes`:
 * `ICBC_DEBIT` is ICBC's debit card, `CMB_CREDIT` China Merchants Bank's
 * credit card, `OTHERS` WeChat change (零钱) and `LQT` 零钱通, i.e. no card.
 */
export function classifyBankType(key: string, ownCodes: readonly string[]): CardClass {
  if (key === 'OTHERS' || key === 'LQT') return 'balance';
  const m = /^([A-Z0-9]+)_(DEBIT|CREDIT)$/.exec(key);
  if (!m) return 'unknown';
  const own = ownCodes.includes(m[1]!);
  if (m[2] === 'DEBIT') return own ? 'own_debit' : 'other_debit';
  return own ? 'own_credit' : 'other_credit';
}

/** Share in basis points, rounded down; 0 when the whole is 0. */
export function shareBp(part: number, whole: number): number {
  return whole > 0 ? Math.floor((part * 10000) / whole) : 0;
}

// ---- periods ----

/** Monday of the ISO week a day falls in. */
export function weekStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/**
 * The school term a day belongs to: the autumn term runs 1 August – 31
 * January (academic year Y–Y+1, term 1), the spring term 1 February – 31 July
 * (term 2); fees for a term are paid at its start.
 */
export function termOf(day: string): { key: string; label: string; from: string; to: string } {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (month >= 8) return { key: `${year}-T1`, label: `${year}-${year + 1} 学年第一学期`, from: `${year}-08-01`, to: `${year + 1}-01-31` };
  if (month === 1) return { key: `${year - 1}-T1`, label: `${year - 1}-${year} 学年第一学期`, from: `${year - 1}-08-01`, to: `${year}-01-31` };
  return { key: `${year - 1}-T2`, label: `${year - 1}-${year} 学年第二学期`, from: `${year}-02-01`, to: `${year}-07-31` };
}

export interface PeriodBucket {
  label: string;
  from: string;
  to: string;
}

/** Splits [from, to] into day, week, month or term buckets clipped to the period. */
export function periodBuckets(from: string, to: string, granularity: 'day' | 'week' | 'month' | 'term'): PeriodBucket[] {
  const out: PeriodBucket[] = [];
  let d = from;
  while (d <= to) {
    let end: string;
    let label: string;
    if (granularity === 'day') {
      end = d;
      label = d;
    } else if (granularity === 'week') {
      const start = weekStart(d);
      end = addDays(start, 6);
      label = `${start} 周`;
    } else if (granularity === 'month') {
      const next = `${d.slice(0, 7)}-01`;
      end = addDays(addMonth(next), -1);
      label = d.slice(0, 7);
    } else {
      const term = termOf(d);
      end = term.to;
      label = term.label;
    }
    if (end > to) end = to;
    out.push({ label, from: d, to: end });
    d = addDays(end, 1);
  }
  return out;
}

function addMonth(firstOfMonth: string): string {
  const y = Number(firstOfMonth.slice(0, 4));
  const m = Number(firstOfMonth.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = `${from.slice(0, 7)}-01`; m <= to; m = addMonth(m)) out.push(m.slice(0, 7));
  return out;
}
