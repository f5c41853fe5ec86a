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

export interface DayDelta {
  _id: string;
  nodeId: string;
  day: string;
  f: Figures;
  ch: Record<string, Figures>;
  cards: Record<string, [number, number]>;
}

export interface RankDelta {
  _id: string;
  nodeId: string;
  day: string;
  sc: Record<string, Figures>;
}

/** The whole-history pseudo day: figures since the start, for "to date" counts. */
export const ALL_DAYS = 'ALL';

export function dayDocId(nodeId: string, day: string): string {
  return `${nodeId}|${day}`;
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
  readonly days = new Map<string, DayDelta>();
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
        if (isZero(own) && (!child || isZero(childFig)) && !card) continue;
        const target = this.dayTarget(nodeId, d);
        addInto(target.f, own, sign);
        if (child && !isZero(childFig)) addInto((target.ch[child] ??= zeroFigures()), childFig, sign);
        if (card) {
          const slot = (target.cards[card.key] ??= [0, 0]);
          slot[0] += sign * card.count;
          slot[1] += sign * card.fen;
        }
        if (d !== ALL_DAYS && i < campusIndex - 1 && !isZero(campusFig)) {
          const rank = this.rankTarget(nodeId, d);
          addInto((rank.sc[campusId] ??= zeroFigures()), campusFig, sign);
        }
      }
    }
  }

  private dayTarget(nodeId: string, day: string): DayDelta {
    const id = dayDocId(nodeId, day);
    let t = this.days.get(id);
    if (!t) {
      t = { _id: id, nodeId, day, f: zeroFigures(), ch: {}, cards: {} };
      this.days.set(id, t);
    }
    return t;
  }

  private rankTarget(nodeId: string, day: string): RankDelta {
    const id = dayDocId(nodeId, day);
    let t = this.ranks.get(id);
    if (!t) {
      t = { _id: id, nodeId, day, sc: {} };
      this.ranks.set(id, t);
    }
    return t;
  }

  touchedMarkers(): MarkerDoc[] {
    return [...this.touched].map((id) => this.markers.get(id)!);
  }
}

/** Adds a delta into a stored day document's figures (pure; the stored arrays may be shorter if figures were added since). */
export function mergeDay(
  doc: { f: number[]; ch?: Record<string, number[]> | null; cards?: Record<string, number[]> | null },
  delta: Pick<DayDelta, 'f' | 'ch' | 'cards'>,
): { f: Figures; ch: Record<string, Figures>; cards: Record<string, [number, number]> } {
  const f = addInto(addInto(zeroFigures(), doc.f), delta.f);
  const ch: Record<string, Figures> = {};
  for (const [k, v] of Object.entries(doc.ch ?? {})) ch[k] = addInto(zeroFigures(), v);
  for (const [k, v] of Object.entries(delta.ch)) ch[k] = addInto(ch[k] ?? zeroFigures(), v);
  const cards: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(doc.cards ?? {})) cards[k] = [v[0] ?? 0, v[1] ?? 0];
  for (const [k, v] of Object.entries(delta.cards)) {
    const c = (cards[k] ??= [0, 0]);
    c[0] += v[0];
    c[1] += v[1];
  }
  return { f, ch, cards };
}

export function mergeRank(doc: { sc?: Record<string, number[]> | null }, delta: Pick<RankDelta, 'sc'>): Record<string, Figures> {
  const sc: Record<string, Figures> = {};
  for (const [k, v] of Object.entries(doc.sc ?? {})) sc[k] = addInto(zeroFigures(), v);
  for (const [k, v] of Object.entries(delta.sc)) sc[k] = addInto(sc[k] ?? zeroFigures(), v);
  return sc;
}
