import {
  CARD_CLASSES,
  CARD_CLASS_LABELS,
  addDays,
  fen,
  type CampaignSummary,
  type CardClass,
  type CardShareReport,
  type CardShareRow,
  type InsightOverview,
  type InsightPeriodQuery,
  type InsightTrend,
  type InsightTrendQuery,
  type SchoolRanking,
  type SchoolRankingQuery,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import type { StaffScope } from '../auth/principal.ts';
import { balancesService } from './balances.service.ts';
import { CampaignResultModel } from './campaign-result.model.ts';
import { FIG, classifyBankType, monthsBetween, periodBuckets, periodFigures, shareBp, type Figures } from './figures.ts';
import { InsightNodeModel, type InsightNodeDoc } from './insight-settings.model.ts';
import { nodeRef, periodOf, resolveRoot, type InsightRoot } from './insight-root.ts';
import { ALL_DAYS, unpackRankDay } from './rollup-planner.ts';
import { InsightMonthModel, InsightRankMonthModel } from './rollup.models.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { settingsService } from './settings.service.ts';

/** One day's figures of a node as stored (figure arrays may be short: trailing zeros are dropped). */
type DayDoc = { f?: number[]; ch?: Record<string, number[]>; cards?: Record<string, number[]> };
type MonthDoc = { _id: string; month: string; d?: Record<string, DayDoc> };
type RankMonthDoc = { _id: string; month: string; d?: Record<string, string> };

/** Card-class rows (in a fixed order) from bank_type → [transactions, fen]. */
export function cardShareRows(cards: Map<string, [number, number]>, ownCodes: readonly string[]): CardShareRow[] {
  const byClass = new Map<CardClass, [number, number]>(CARD_CLASSES.map((c) => [c, [0, 0]]));
  for (const [key, [n, amount]] of cards) {
    const slot = byClass.get(classifyBankType(key, ownCodes))!;
    slot[0] += n;
    slot[1] += amount;
  }
  const totalCount = [...byClass.values()].reduce((s, v) => s + v[0], 0);
  const totalFen = [...byClass.values()].reduce((s, v) => s + v[1], 0);
  return CARD_CLASSES.map((c) => {
    const [count, amount] = byClass.get(c)!;
    return { cardClass: c, label: CARD_CLASS_LABELS[c], count, amountFen: fen(amount), countShareBp: shareBp(count, totalCount), amountShareBp: shareBp(amount, totalFen) };
  });
}

/**
 * The bank's dashboards, read from the daily rollups only: one lookup by id
 * per day of the period (plus the day before, for T+1 settlement), the
 * node's registry entry and its whole-history document. No ledger, bill,
 * student or parent is read, so the answer time does not grow with them.
 */
export function dashboardService(deps: ServerDeps) {
  const { db } = deps;
  const settings = settingsService(deps);
  const balances = balancesService(deps);
  const monthCollection = InsightMonthModel(db).collection.collectionName;
  const rankCollection = InsightRankMonthModel(db).collection.collectionName;

  /** The node's days in [from, to] (and the whole history under ALL), from its month documents: a few lookups by id. */
  async function dayDocs(nodeId: string, from: string, to: string, withAll = false): Promise<Map<string, DayDoc>> {
    const ids = [...monthsBetween(from, to), ...(withAll ? [ALL_DAYS] : [])].map((m) => `${nodeId}|${m}`);
    const out = new Map<string, DayDoc>();
    for (const doc of (await findByIds<MonthDoc>(db, monthCollection, ids)).values()) {
      for (const [key, slot] of Object.entries(doc.d ?? {})) {
        const day = doc.month === ALL_DAYS ? ALL_DAYS : `${doc.month}-${key}`;
        if (day === ALL_DAYS || (day >= from && day <= to)) out.set(day, slot);
      }
    }
    return out;
  }

  function figuresByDay(docs: Map<string, DayDoc>, pick: (d: DayDoc) => number[] | undefined): Map<string, Figures> {
    const out = new Map<string, Figures>();
    for (const [day, d] of docs) {
      const f = pick(d);
      if (f && day !== ALL_DAYS) out.set(day, f);
    }
    return out;
  }

  function cardsOver(docs: Map<string, DayDoc>, from: string, to: string): Map<string, [number, number]> {
    const cards = new Map<string, [number, number]>();
    for (const [day, d] of docs) {
      if (day === ALL_DAYS || day < from || day > to) continue;
      for (const [key, [n = 0, amount = 0]] of Object.entries(d.cards ?? {})) {
        const slot = cards.get(key) ?? [0, 0];
        slot[0] += n;
        slot[1] += amount;
        cards.set(key, slot);
      }
    }
    return cards;
  }

  async function campaignSummary(root: InsightRoot, parentsPaid: number): Promise<CampaignSummary> {
    const results = await CampaignResultModel(db).find({ orgPath: root._id, matched: true }, { product: 1, phoneHash: 1 }).lean<{ product: string; phoneHash: string }[]>();
    const byProduct = new Map<string, number>();
    for (const r of results) byProduct.set(r.product, (byProduct.get(r.product) ?? 0) + 1);
    const families = new Set(results.map((r) => r.phoneHash)).size;
    return {
      opened: [...byProduct.entries()].map(([product, count]) => ({ product, count })).sort((a, b) => b.count - a.count),
      openedFamilies: families,
      conversionBp: parentsPaid > 0 ? shareBp(families, parentsPaid) : null,
    };
  }

  async function overview(scope: StaffScope, query: InsightPeriodQuery): Promise<InsightOverview> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const [s, docs] = await Promise.all([settings.cached(root.bankId), dayDocs(root._id, addDays(from, -1), to, true)]);
    const all = docs.get(ALL_DAYS);
    const parentsPaid = all?.f?.[FIG.newPayers] ?? 0;
    const [balance, campaigns] = await Promise.all([balances.summary(root, from, to), campaignSummary(root, parentsPaid)]);
    return {
      node: { ...nodeRef(root), label: root.label },
      from,
      to,
      generatedAt: new Date().toISOString(),
      reach: {
        schoolsOnboarded: root.campuses,
        schoolsLive: all?.f?.[FIG.newLive] ?? 0,
        students: root.students,
        parentsReached: root.parents,
        parentsPaid,
        countedAt: root.countedAt ? new Date(root.countedAt).toISOString() : null,
      },
      figures: periodFigures(figuresByDay(docs, (d) => d.f), from, to, s.wechatFeeRateBp),
      cardShare: cardShareRows(cardsOver(docs, from, to), s.ownBankCodes),
      balances: balance,
      campaigns,
      children: root.children.map((c) => ({ node: nodeRef(c), figures: periodFigures(figuresByDay(docs, (d) => d.ch?.[c.id]), from, to, s.wechatFeeRateBp) })),
      ownBankCodes: s.ownBankCodes,
    };
  }

  async function trend(scope: StaffScope, query: InsightTrendQuery): Promise<InsightTrend> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const [s, docs] = await Promise.all([settings.cached(root.bankId), dayDocs(root._id, addDays(from, -1), to)]);
    const byDay = figuresByDay(docs, (d) => d.f);
    return {
      node: nodeRef(root),
      granularity: query.granularity,
      from,
      to,
      points: periodBuckets(from, to, query.granularity).map((b) => ({ label: b.label, from: b.from, to: b.to, figures: periodFigures(byDay, b.from, b.to, s.wechatFeeRateBp) })),
    };
  }

  async function cardShare(scope: StaffScope, query: InsightTrendQuery): Promise<CardShareReport> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const [s, docs] = await Promise.all([settings.cached(root.bankId), dayDocs(root._id, from, to)]);
    const cards = cardsOver(docs, from, to);
    return {
      node: nodeRef(root),
      from,
      to,
      granularity: query.granularity,
      ownBankCodes: s.ownBankCodes,
      rows: cardShareRows(cards, s.ownBankCodes),
      byBankType: [...cards.entries()]
        .map(([bankType, [count, amount]]) => ({ bankType, cardClass: classifyBankType(bankType, s.ownBankCodes), count, amountFen: fen(amount) }))
        .sort((a, b) => b.amountFen - a.amountFen || a.bankType.localeCompare(b.bankType)),
      trend: periodBuckets(from, to, query.granularity).map((b) => ({ label: b.label, from: b.from, to: b.to, rows: cardShareRows(cardsOver(docs, b.from, b.to), s.ownBankCodes) })),
    };
  }

  /** Campuses under the node ranked by a period figure: from the ranking documents of a bank or branch, the group's own documents, or the campus itself. */
  async function schools(scope: StaffScope, query: SchoolRankingQuery): Promise<SchoolRanking> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const s = await settings.cached(root.bankId);
    const perCampus = new Map<string, Map<string, Figures>>();
    const put = (campusId: string, day: string, f: number[]) => {
      let m = perCampus.get(campusId);
      if (!m) perCampus.set(campusId, (m = new Map()));
      m.set(day, f);
    };
    const start = addDays(from, -1);
    if (root.kind === 'campus') {
      for (const [day, d] of await dayDocs(root._id, start, to)) if (d.f) put(root._id, day, d.f);
    } else if (root.kind === 'school_group') {
      for (const [day, d] of await dayDocs(root._id, start, to)) for (const [c, f] of Object.entries(d.ch ?? {})) put(c, day, f);
    } else {
      const ranks = await findByIds<RankMonthDoc>(db, rankCollection, monthsBetween(start, to).map((m) => `${root._id}|${m}`));
      for (const r of ranks.values()) {
        for (const [dd, packed] of Object.entries(r.d ?? {})) {
          const day = `${r.month}-${dd}`;
          if (day < start || day > to) continue;
          for (const [c, f] of Object.entries(unpackRankDay(packed))) put(c, day, f);
        }
      }
    }
    const key = { net: 'netInflowFen', online: 'onlineFen', counter: 'counterFen', payers: 'newPayingParents' } as const;
    const ranked = [...perCampus.entries()]
      .map(([campusId, byDay]) => ({ campusId, figures: periodFigures(byDay, from, to, s.wechatFeeRateBp) }))
      .sort((a, b) => b.figures[key[query.sort]] - a.figures[key[query.sort]] || a.campusId.localeCompare(b.campusId))
      .slice(0, query.limit);
    const names = await findByIds<InsightNodeDoc>(db, InsightNodeModel(db).collection.collectionName, ranked.map((r) => r.campusId), { name: 1, pathNames: 1 });
    return {
      node: nodeRef(root),
      from,
      to,
      sort: query.sort,
      items: ranked.map((r, i) => {
        const n = names.get(r.campusId);
        return { rank: i + 1, campus: { id: r.campusId, name: n?.name ?? r.campusId, kind: 'campus' as const }, groupName: n?.pathNames[n.pathNames.length - 2] ?? '', figures: r.figures };
      }),
    };
  }

  return { overview, trend, cardShare, schools };
}

export type DashboardService = ReturnType<typeof dashboardService>;
