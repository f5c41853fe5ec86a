import { FIG, addInto, bankTypeKey, entryFigures, isZero, zeroFigures, type Figures } from './figures.ts';

/** What the rollups need of a ledger entry. `ancestry` is the class path cut at the campus: bank → branch(es) → school group → campus. */
export interface RollupEntry {
  _id: string;
  kind: 'payment' | 'refund' | 'reversal';
  method: 'wechat' | 'cash' | 'pos' | 'transfer';
  amountFen: number;
  day: string;
  ancestry: string[];
  studentId: string;
  billId: string;
  orderId: string | null;
  bankType: string | null;
}

/** What the rollups need of a WeChat order: who paid, and which allocation counts the transaction. */
export interface OrderFacts {
  parentId: string | null;
  /** The smallest bill id the order paid: that bill's entry counts the WeChat transaction once. */
  firstBillId: string | null;
}

export interface Holder {
  day: string;
  entryId: string;
  ancestry: string[];
}

export interface MarkerDoc {
  _id: string;
  holders: Record<string, Holder>;
}

/** One day's figures of a node: own figures, each child's, and WeChat bank_type → [transactions, fen]. */
export interface DaySlot {
  f: Figures;
  ch: Record<string, Figures>;
  cards: Record<string, [number, number]>;
}

/** Deltas for one node's month document (`${nodeId}|${YYYY-MM}`, or `${nodeId}|ALL` for the whole history), by day ("01".."31" or "ALL"). */
export interface MonthDelta {
  _id: string;
  nodeId: string;
  month: string;
  d: Record<string, DaySlot>;
}

/** Deltas for a bank's or branch's ranking month document: by day, every campus below it. */
export interface RankDelta {
  _id: string;
  nodeId: string;
  month: string;
  d: Record<string, Record<string, Figures>>;
}

/** The whole-history pseudo day: figures since the start, for "to date" counts. */
export const ALL_DAYS = 'ALL';

/** Where a day's figures live: the node's month document and the day's key in it. */
export function monthDocId(nodeId: string, day: string): string {
  return `${nodeId}|${day === ALL_DAYS ? ALL_DAYS : day.slice(0, 7)}`;
}

export function dayKey(day: string): string {
  return day === ALL_DAYS ? ALL_DAYS : day.slice(8, 10);
}

/** The class path cut at the campus, or null when the campus is not on it. */
export function campusAncestry(orgPath: readonly string[], campusId: string): string[] | null {
  const i = orgPath.indexOf(campusId);
  return i >= 2 ? orgPath.slice(0, i + 1) : null;
}

function before(a: { day: string; entryId: string }, b: { day: string; entryId: string }): boolean {
  return a.day < b.day || (a.day === b.day && a.entryId < b.entryId);
}

function only(key: keyof typeof FIG): Figures {
  const f = zeroFigures();
  f[FIG[key]] = 1;
  return f;
}

const ZERO = zeroFigures();

/**
 * Turns ledger entries into deltas of the daily rollup documents. The same
 * code serves the live folder (a few hundred entries, markers read from the
 * database first) and the rebuild (every entry, markers in memory), so both
 * produce the same documents. Order does not matter: a "first time" credit
 * always ends with the earliest (day, entry id), moving if an earlier entry
 * arrives later.
 *
 * Levels: campus documents count payers per campus; school group documents
 * and everything above count payers per school group (a parent paying at two
 * campuses of one group is one payer of the group).
 */
export class RollupPlanner {
  readonly months = new Map<string, MonthDelta>();
  readonly ranks = new Map<string, RankDelta>();
  readonly touched = new Set<string>();
  readonly studentIds = new Set<string>();

  /** `markers` must hold every existing marker the entries can touch; absent means none yet. */
  constructor(readonly markers: Map<string, MarkerDoc> = new Map()) {}

  add(e: RollupEntry, order: OrderFacts | null): void {
    if (e.ancestry.length < 3) return;
    this.studentIds.add(e.studentId);
    const figures = entryFigures(e);
    const online = e.method === 'wechat';
    const card = online && e.kind === 'payment' ? bankTypeKey(e.bankType) : null;
    this.credit(e.ancestry, e.day, figures, figures, card ? { key: card, count: 0, fen: e.amountFen } : null, 1);
    if (e.kind !== 'payment' || !online) return;
    if (!order?.firstBillId || order.firstBillId === e.billId) {
      const tx = only('onlineCount');
      this.credit(e.ancestry, e.day, tx, tx, { key: card!, count: 1, fen: 0 }, 1);
    }
    const campusId = e.ancestry[e.ancestry.length - 1]!;
    const groupId = e.ancestry[e.ancestry.length - 2]!;
    const live = only('newLive');
    this.claim(`live:${campusId}`, 'live', e, live, live);
    if (order?.parentId) {
      const payer = only('newPayers');
      this.claim(`payer:${order.parentId}`, `c:${campusId}`, e, payer, ZERO);
      this.claim(`payer:${order.parentId}`, `g:${groupId}`, e, ZERO, payer);
    }
  }

  private claim(markerId: string, holderKey: string, e: RollupEntry, campusFig: Figures, upperFig: Figures): void {
    let doc = this.markers.get(markerId);
    if (!doc) {
      doc = { _id: markerId, holders: {} };
      this.markers.set(markerId, doc);
    }
    const held = doc.holders[holderKey];
    const candidate: Holder = { day: e.day, entryId: e._id, ancestry: e.ancestry };
    if (held && !before(candidate, held)) return;
    if (held) this.credit(held.ancestry, held.day, campusFig, upperFig, null, -1);
    this.credit(candidate.ancestry, candidate.day, campusFig, upperFig, null, 1);
    doc.holders[holderKey] = candidate;
    this.touched.add(markerId);
  }

  /**
   * Adds figures at every node of the ancestry, on the day and on ALL:
   * the campus gets `campusFig`, every node above it `upperFig`; each node's
   * `ch` gets its child's figures; banks and branches rank campuses.
   */
  private credit(ancestry: string[], day: string, campusFig: Figures, upperFig: Figures, card: { key: string; count: number; fen: number } | null, sign: number): void {
    const campusIndex = ancestry.length - 1;
    const campusId = ancestry[campusIndex]!;
    for (const d of [day, ALL_DAYS]) {
      for (let i = 0; i <= campusIndex; i++) {
        const nodeId = ancestry[i]!;
        const own = i === campusIndex ? campusFig : upperFig;
        const child = i < campusIndex ? ancestry[i + 1]! : null;
        const childFig = i + 1 === campusIndex ? campusFig : upperFig;
        if (!isZero(own) || (child && !isZero(childFig)) || card) {
          const target = this.dayTarget(nodeId, d);
          addInto(target.f, own, sign);
          if (child && !isZero(childFig)) addInto((target.ch[child] ??= zeroFigures()), childFig, sign);
          if (card) {
            const slot = (target.cards[card.key] ??= [0, 0]);
            slot[0] += sign * card.count;
            slot[1] += sign * card.fen;
          }
        }
        if (d !== ALL_DAYS && i < campusIndex - 1 && !isZero(campusFig)) {
          const rank = this.rankTarget(nodeId, d);
          addInto((rank[campusId] ??= zeroFigures()), campusFig, sign);
        }
      }
    }
  }

  private dayTarget(nodeId: string, day: string): DaySlot {
    const id = monthDocId(nodeId, day);
    let t = this.months.get(id);
    if (!t) {
      t = { _id: id, nodeId, month: day === ALL_DAYS ? ALL_DAYS : day.slice(0, 7), d: {} };
      this.months.set(id, t);
    }
    return (t.d[dayKey(day)] ??= { f: zeroFigures(), ch: {}, cards: {} });
  }

  private rankTarget(nodeId: string, day: string): Record<string, Figures> {
    const id = monthDocId(nodeId, day);
    let t = this.ranks.get(id);
    if (!t) {
      t = { _id: id, nodeId, month: day.slice(0, 7), d: {} };
      this.ranks.set(id, t);
    }
    return (t.d[dayKey(day)] ??= {});
  }

  touchedMarkers(): MarkerDoc[] {
    return [...this.touched].map((id) => this.markers.get(id)!);
  }
}

/** Figures as stored: trailing zeros dropped (readers pad them back). */
export function compact(f: readonly number[]): number[] {
  let end = f.length;
  while (end > 0 && f[end - 1] === 0) end -= 1;
  return f.slice(0, end);
}

function mergeSlot(stored: { f?: number[]; ch?: Record<string, number[]>; cards?: Record<string, number[]> } | undefined, delta: DaySlot): DaySlot {
  const f = addInto(addInto(zeroFigures(), stored?.f ?? []), delta.f);
  const ch: Record<string, Figures> = {};
  for (const [k, v] of Object.entries(stored?.ch ?? {})) ch[k] = addInto(zeroFigures(), v);
  for (const [k, v] of Object.entries(delta.ch)) ch[k] = addInto(ch[k] ?? zeroFigures(), v);
  const cards: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(stored?.cards ?? {})) cards[k] = [v[0] ?? 0, v[1] ?? 0];
  for (const [k, v] of Object.entries(delta.cards)) {
    const c = (cards[k] ??= [0, 0]);
    c[0] += v[0];
    c[1] += v[1];
  }
  return { f, ch, cards };
}

function storedSlot(slot: DaySlot) {
  return { f: compact(slot.f), ch: Object.fromEntries(Object.entries(slot.ch).map(([k, v]) => [k, compact(v)])), cards: slot.cards };
}

/** A month document's days after adding a delta (pure; stored figure arrays may be shorter than the current list). */
export function mergeMonth(doc: { d?: Record<string, { f?: number[]; ch?: Record<string, number[]>; cards?: Record<string, number[]> }> | null }, delta: Pick<MonthDelta, 'd'>) {
  const d: Record<string, ReturnType<typeof storedSlot>> = {};
  for (const [k, v] of Object.entries(doc.d ?? {})) d[k] = v as ReturnType<typeof storedSlot>;
  for (const [k, v] of Object.entries(delta.d)) d[k] = storedSlot(mergeSlot(doc.d?.[k], v));
  return d;
}

/** The stored form of a fresh delta. */
export function storedMonth(delta: Pick<MonthDelta, 'd'>) {
  return Object.fromEntries(Object.entries(delta.d).map(([k, v]) => [k, storedSlot(v)]));
}

/**
 * A ranking day as stored: one string, `campusA=1,2,3;campusB=4`. A bank's
 * month holds every campus below it for every day (600 campuses × 31 days);
 * as nested numbers FerretDB decoded such a document in about a second, as
 * one string per day in a seventh of that (bench/src/insights.bench.ts).
 */
export function packRankDay(campuses: Record<string, readonly number[]>): string {
  // In campus order, so the same figures always pack to the same string (the rebuild equals the live fold).
  return Object.entries(campuses)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([campus, f]) => `${campus}=${compact(f).join(',')}`)
    .join(';');
}

export function unpackRankDay(packed: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (!packed) return out;
  for (const part of packed.split(';')) {
    const at = part.indexOf('=');
    const figures = part.slice(at + 1);
    out[part.slice(0, at)] = figures ? figures.split(',').map(Number) : [];
  }
  return out;
}

export function mergeRank(doc: { d?: Record<string, string> | null }, delta: Pick<RankDelta, 'd'>): Record<string, string> {
  const d: Record<string, string> = { ...(doc.d ?? {}) };
  for (const [day, campuses] of Object.entries(delta.d)) {
    const next = unpackRankDay(d[day] ?? '');
    for (const [c, f] of Object.entries(campuses)) next[c] = addInto(addInto(zeroFigures(), next[c] ?? []), f);
    d[day] = packRankDay(next);
  }
  return d;
}

export function storedRank(delta: Pick<RankDelta, 'd'>): Record<string, string> {
  return mergeRank({ d: {} }, delta);
}
