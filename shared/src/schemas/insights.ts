import { z } from 'zod';
import { addDays } from '../business-day.ts';
import { dayKeySchema, fenSchema, pageQuerySchema } from './common.ts';

/**
 * Bank insights: deposit uplift, card share, conversion and consented
 * cross-sell leads. Amounts are integer fen (`…Fen`), shares integer basis
 * points (`…Bp`, 10000 = 100%), days Asia/Shanghai business days, periods
 * inclusive. Nothing here carries data about children beyond the school and
 * division, and nothing identifies a parent who has not consented.
 */

export const MAX_INSIGHT_DAYS = 366;

function period(v: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['from'] });
  if (v.from && v.to && addDays(v.from, MAX_INSIGHT_DAYS - 1) < v.to) {
    ctx.addIssue({ code: 'custom', message: `统计期间最长 ${MAX_INSIGHT_DAYS} 天`, path: ['to'] });
  }
}

const periodFields = {
  from: dayKeySchema.optional(),
  to: dayKeySchema.optional(),
  /** A bank, branch, school group or campus inside the user's scope; the scope node by default. */
  nodeId: z.string().min(1).max(64).optional(),
};

export const insightPeriodQuerySchema = z.object(periodFields).superRefine(period);
export type InsightPeriodQuery = z.output<typeof insightPeriodQuerySchema>;

export const INSIGHT_GRANULARITIES = ['day', 'week', 'month', 'term'] as const;
export const insightGranularitySchema = z.enum(INSIGHT_GRANULARITIES);
export type InsightGranularity = z.infer<typeof insightGranularitySchema>;
export const INSIGHT_GRANULARITY_LABELS: Record<InsightGranularity, string> = { day: '按日', week: '按周', month: '按月', term: '按学期' };

export const insightTrendQuerySchema = z.object({ ...periodFields, granularity: insightGranularitySchema.default('day') }).superRefine(period);
export type InsightTrendQuery = z.output<typeof insightTrendQuerySchema>;

export const SCHOOL_RANKING_SORTS = ['net', 'online', 'counter', 'payers'] as const;
export const schoolRankingQuerySchema = z
  .object({ ...periodFields, sort: z.enum(SCHOOL_RANKING_SORTS).default('net'), limit: z.coerce.number().int().min(1).max(500).default(50) })
  .superRefine(period);
export type SchoolRankingQuery = z.output<typeof schoolRankingQuerySchema>;

export const INSIGHT_NODE_KINDS = ['bank', 'branch', 'school_group', 'campus'] as const;
export const insightNodeRefSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(INSIGHT_NODE_KINDS) });
export type InsightNodeRef = z.infer<typeof insightNodeRefSchema>;

/** Money and counts of one period for one node, from the daily rollups. */
export const insightFiguresSchema = z.object({
  /** WeChat Pay payments (gross) and the number of WeChat transactions. */
  onlineFen: fenSchema,
  onlineCount: z.number().int(),
  /** Counter payments (cash, POS, transfer) and their number. */
  counterFen: fenSchema,
  counterCount: z.number().int(),
  /** Payments reversed as recorded in error. */
  reversalFen: fenSchema,
  reversalCount: z.number().int(),
  refundOnlineFen: fenSchema,
  refundCounterFen: fenSchema,
  refundFen: fenSchema,
  refundCount: z.number().int(),
  /** Collected − reversed − refunded, by the day the money was taken. */
  netInflowFen: fenSchema,
  /**
   * Net settled inflow on the days of the period: online money settles the
   * next day (T+1) net of WeChat's fee (estimated at the bank's configured
   * rate), counter money the same day. The deposit uplift estimate.
   */
  settledNetFen: fenSchema,
  estimatedFeeFen: fenSchema,
  /** Parents (WeChat accounts) paying online for the first time, and schools (campuses) taking their first online payment. */
  newPayingParents: z.number().int(),
  newLiveSchools: z.number().int(),
});
export type InsightFigures = z.infer<typeof insightFiguresSchema>;

/** Reach as it stands now (not limited to the period). */
export const insightReachSchema = z.object({
  /** Campuses on the platform, and those that have taken at least one online payment. */
  schoolsOnboarded: z.number().int(),
  schoolsLive: z.number().int(),
  students: z.number().int(),
  /** Parents who signed in to the mini-program and bound a child. */
  parentsReached: z.number().int(),
  /** Parents who have paid online at least once (per school group: a parent paying at two campuses of one group counts once). */
  parentsPaid: z.number().int(),
  /** When the roster counts (students, parents reached) were last taken; null before the first count. */
  countedAt: z.string().nullable(),
});
export type InsightReach = z.infer<typeof insightReachSchema>;

export const CARD_CLASSES = ['own_debit', 'own_credit', 'other_debit', 'other_credit', 'balance', 'unknown'] as const;
export const cardClassSchema = z.enum(CARD_CLASSES);
export type CardClass = z.infer<typeof cardClassSchema>;
export const CARD_CLASS_LABELS: Record<CardClass, string> = {
  own_debit: '本行借记卡',
  own_credit: '本行信用卡',
  other_debit: '他行借记卡',
  other_credit: '他行信用卡',
  balance: '微信零钱/零钱通',
  unknown: '未知',
};

export const cardShareRowSchema = z.object({
  cardClass: cardClassSchema,
  label: z.string(),
  count: z.number().int(),
  amountFen: fenSchema,
  countShareBp: z.number().int(),
  amountShareBp: z.number().int(),
});
export type CardShareRow = z.infer<typeof cardShareRowSchema>;

export const balanceSummarySchema = z.object({
  /** Average over the period's days with data of the summed daily balances of the accounts under the node. */
  averageBalanceFen: fenSchema.nullable(),
  /** Sum of the schools' baseline averages (each over the baseline period chosen for it). */
  baselineAverageFen: fenSchema.nullable(),
  upliftFen: fenSchema.nullable(),
  daysWithData: z.number().int(),
  accounts: z.number().int(),
  schoolsWithBaseline: z.number().int(),
});
export type BalanceSummary = z.infer<typeof balanceSummarySchema>;

export const campaignSummarySchema = z.object({
  /** Cards and accounts opened (imported campaign results) by parents of the node's schools. */
  opened: z.array(z.object({ product: z.string(), count: z.number().int() })),
  openedFamilies: z.number().int(),
  /** openedFamilies ÷ parents who paid, basis points; null when nobody paid. */
  conversionBp: z.number().int().nullable(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const insightOverviewSchema = z.object({
  node: insightNodeRefSchema.extend({ label: z.string() }),
  from: dayKeySchema,
  to: dayKeySchema,
  generatedAt: z.string(),
  reach: insightReachSchema,
  figures: insightFiguresSchema,
  cardShare: z.array(cardShareRowSchema),
  balances: balanceSummarySchema,
  campaigns: campaignSummarySchema,
  /** The next level down (branches, school groups or campuses) with the same period figures, for drilling. */
  children: z.array(z.object({ node: insightNodeRefSchema, figures: insightFiguresSchema })),
  /** The bank's own codes in WeChat's bank_type (ICBC_DEBIT → ICBC). */
  ownBankCodes: z.array(z.string()),
});
export type InsightOverview = z.infer<typeof insightOverviewSchema>;

export const insightTrendSchema = z.object({
  node: insightNodeRefSchema,
  granularity: insightGranularitySchema,
  from: dayKeySchema,
  to: dayKeySchema,
  points: z.array(z.object({ label: z.string(), from: dayKeySchema, to: dayKeySchema, figures: insightFiguresSchema })),
});
export type InsightTrend = z.infer<typeof insightTrendSchema>;

export const cardShareReportSchema = z.object({
  node: insightNodeRefSchema,
  from: dayKeySchema,
  to: dayKeySchema,
  granularity: insightGranularitySchema,
  ownBankCodes: z.array(z.string()),
  rows: z.array(cardShareRowSchema),
  /** WeChat's bank_type values seen, largest amount first. */
  byBankType: z.array(z.object({ bankType: z.string(), cardClass: cardClassSchema, count: z.number().int(), amountFen: fenSchema })),
  trend: z.array(z.object({ label: z.string(), from: dayKeySchema, to: dayKeySchema, rows: z.array(cardShareRowSchema) })),
});
export type CardShareReport = z.infer<typeof cardShareReportSchema>;

export const schoolRankingSchema = z.object({
  node: insightNodeRefSchema,
  from: dayKeySchema,
  to: dayKeySchema,
  sort: z.enum(SCHOOL_RANKING_SORTS),
  items: z.array(z.object({ rank: z.number().int(), campus: insightNodeRefSchema, groupName: z.string(), figures: insightFiguresSchema })),
});
export type SchoolRanking = z.infer<typeof schoolRankingSchema>;

// ---- balances from the bank's core system ----

export const balanceImportResultSchema = z.object({
  rows: z.number().int(),
  accounts: z.number().int(),
  from: dayKeySchema,
  to: dayKeySchema,
});
export type BalanceImportResult = z.infer<typeof balanceImportResultSchema>;

export const setBaselineRequestSchema = z
  .object({ nodeId: z.string().min(1), from: dayKeySchema, to: dayKeySchema })
  .superRefine((v, ctx) => period(v, ctx));
export type SetBaselineRequest = z.infer<typeof setBaselineRequestSchema>;

export const schoolBalanceSchema = z.object({
  node: z.object({ id: z.string(), name: z.string() }),
  accounts: z.number().int(),
  averageBalanceFen: fenSchema.nullable(),
  daysWithData: z.number().int(),
  baseline: z.object({ from: dayKeySchema, to: dayKeySchema, averageBalanceFen: fenSchema.nullable(), daysWithData: z.number().int() }).nullable(),
  upliftFen: fenSchema.nullable(),
});
export const balancesReportSchema = z.object({
  node: insightNodeRefSchema,
  from: dayKeySchema,
  to: dayKeySchema,
  summary: balanceSummarySchema,
  schools: z.array(schoolBalanceSchema),
});
export type BalancesReport = z.infer<typeof balancesReportSchema>;

// ---- campaign results (cards and accounts opened) ----

export const CAMPAIGN_PRODUCTS = ['debit_card', 'credit_card', 'account', 'other'] as const;
export const campaignProductSchema = z.enum(CAMPAIGN_PRODUCTS);
export type CampaignProduct = z.infer<typeof campaignProductSchema>;
export const CAMPAIGN_PRODUCT_LABELS: Record<CampaignProduct, string> = { debit_card: '借记卡', credit_card: '信用卡', account: '账户', other: '其他' };

export const campaignImportResultSchema = z.object({
  campaign: z.string(),
  rows: z.number().int(),
  /** Rows whose phone matched a guardian or a consenting parent of a school in scope. */
  matched: z.number().int(),
  /** Consented leads marked converted by this file. */
  leadsConverted: z.number().int(),
});
export type CampaignImportResult = z.infer<typeof campaignImportResultSchema>;

// ---- tag rules and bank settings ----

export const LEAD_TAGS = ['high_net_worth', 'study_abroad', 'other_bank_card', 'multi_child', 'payroll_prospect'] as const;
export const leadTagSchema = z.enum(LEAD_TAGS);
export type LeadTag = z.infer<typeof leadTagSchema>;
export const LEAD_TAG_LABELS: Record<LeadTag, string> = {
  high_net_worth: '高净值潜客',
  study_abroad: '留学金融需求',
  other_bank_card: '他行卡支付（可转化）',
  multi_child: '多子女家庭',
  payroll_prospect: '代发工资潜客',
};

const positiveFen = fenSchema.refine((v) => v > 0, { message: '金额必须大于 0' });

export const tagRulesSchema = z.object({
  highNetWorth: z.object({
    enabled: z.boolean(),
    /** A family's net fees over the last 12 months at or above this. */
    annualFeesFen: positiveFen,
    /** Any single bill at or above this. */
    singleBillFen: positiveFen,
    /** A child in an international division. */
    internationalDivision: z.boolean(),
  }),
  studyAbroad: z.object({
    enabled: z.boolean(),
    internationalDivision: z.boolean(),
    /** Fee items whose name contains one of these words (留学, 出国, 游学...). */
    feeItemKeywords: z.array(z.string().trim().min(1).max(20)).max(30),
  }),
  otherBankCard: z.object({ enabled: z.boolean(), minPayments: z.number().int().min(1).max(100) }),
  multiChild: z.object({ enabled: z.boolean(), minChildren: z.number().int().min(2).max(10) }),
  payrollProspect: z.object({ enabled: z.boolean() }),
});
export type TagRules = z.infer<typeof tagRulesSchema>;

export const consentTextSchema = z.object({
  title: z.string().trim().min(4).max(60),
  text: z.string().trim().min(20).max(2000),
});

export const bankInsightSettingsSchema = z.object({
  bankId: z.string(),
  bankName: z.string(),
  /** Codes in WeChat's bank_type that mean this bank (ICBC for ICBC_DEBIT / ICBC_CREDIT). */
  ownBankCodes: z.array(z.string()),
  /** WeChat Pay fee in basis points, for the settled-inflow estimate (60 = 0.6%). */
  wechatFeeRateBp: z.number().int(),
  rules: tagRulesSchema,
  consent: consentTextSchema.extend({ version: z.number().int() }),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type BankInsightSettings = z.infer<typeof bankInsightSettingsSchema>;

export const bankSettingsQuerySchema = z.object({ bankId: z.string().min(1).optional() });
export const updateBankInsightSettingsSchema = z.object({
  bankId: z.string().min(1).optional(),
  ownBankCodes: z.array(z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,16}$/, '银行代码为 2–16 位大写字母或数字')).min(1).max(10),
  wechatFeeRateBp: z.number().int().min(0).max(1000),
  rules: tagRulesSchema,
  /** Changing the title or text publishes a new version; earlier consents keep the version they were given for. */
  consent: consentTextSchema,
});
export type UpdateBankInsightSettings = z.infer<typeof updateBankInsightSettingsSchema>;

// ---- leads ----

export const LEAD_STATUSES = ['new', 'contacted', 'converted', 'declined'] as const;
export const leadStatusSchema = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof leadStatusSchema>;
export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = { new: '新线索', contacted: '已联系', converted: '已转化', declined: '已婉拒' };

/** Which rule fired and on which figures; amounts in fen. */
export const tagEvidenceSchema = z.object({
  rule: z.string(),
  summary: z.string(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.array(z.string())])),
});
export type TagEvidence = z.infer<typeof tagEvidenceSchema>;

export const leadTagViewSchema = z.object({ tag: leadTagSchema, label: z.string(), evidence: z.array(tagEvidenceSchema) });

export const leadSchema = z.object({
  id: z.string(),
  tags: z.array(leadTagViewSchema),
  contact: z.object({ nameMasked: z.string(), phoneMasked: z.string() }),
  /** Where the family's children study: school group, campus and division only. */
  schools: z.array(z.object({ groupName: z.string(), campusName: z.string(), divisionName: z.string(), international: z.boolean() })),
  status: leadStatusSchema,
  notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
  consentedAt: z.string(),
  consentVersion: z.number().int(),
});
export type Lead = z.infer<typeof leadSchema>;

export const leadTagCountSchema = z.object({
  tag: leadTagSchema,
  label: z.string(),
  /** Every tagged family in scope, consented or not: a count, never a list. */
  families: z.number().int(),
  consented: z.number().int(),
});

export const leadsQuerySchema = pageQuerySchema.extend({
  nodeId: z.string().min(1).max(64).optional(),
  tag: leadTagSchema.optional(),
  status: leadStatusSchema.optional(),
});
export type LeadsQuery = z.output<typeof leadsQuerySchema>;

export const leadsPageSchema = z.object({
  node: insightNodeRefSchema,
  summary: z.array(leadTagCountSchema),
  items: z.array(leadSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type LeadsPage = z.infer<typeof leadsPageSchema>;

export const revealLeadRequestSchema = z.object({ reason: z.string().trim().min(4, '请说明查看完整手机号的原因（至少 4 个字）').max(200) });
export const revealedContactSchema = z.object({ phone: z.string(), nameMasked: z.string() });
export const updateLeadRequestSchema = z.object({ status: leadStatusSchema.optional(), note: z.string().trim().min(1).max(500).optional() });
export type UpdateLeadRequest = z.infer<typeof updateLeadRequestSchema>;

// ---- exports ----

export const INSIGHT_EXPORTS = ['overview', 'trend', 'card-share', 'schools', 'balances', 'leads'] as const;
export const insightExportQuerySchema = z
  .object({ ...periodFields, report: z.enum(INSIGHT_EXPORTS), format: z.literal('xlsx').default('xlsx'), granularity: insightGranularitySchema.default('day') })
  .superRefine(period);
export type InsightExportQuery = z.output<typeof insightExportQuerySchema>;

// ---- parent consent (mini-program) ----

export const CONSENT_STATUSES = ['none', 'granted', 'withdrawn'] as const;
export const consentStatusSchema = z.enum(CONSENT_STATUSES);

export const parentConsentSchema = z.object({
  bankId: z.string(),
  bankName: z.string(),
  /** The exact text and version the parent is asked to consent to now. */
  title: z.string(),
  text: z.string(),
  version: z.number().int(),
  status: consentStatusSchema,
  /** The version consented to, when granted (may be older than `version`). */
  grantedVersion: z.number().int().nullable(),
  grantedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  phoneMasked: z.string().nullable(),
});
export type ParentConsent = z.infer<typeof parentConsentSchema>;

export const parentConsentsSchema = z.object({ items: z.array(parentConsentSchema) });

export const consentActionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('grant'),
    bankId: z.string().min(1),
    /** The version shown to the parent; a newer text must be read first. */
    version: z.number().int().min(1),
    /** The phone the bank may call: must be the guardian phone the school holds for one of the parent's children. */
    phone: z.string().trim().min(11).max(16),
  }),
  z.object({ action: z.literal('withdraw'), bankId: z.string().min(1) }),
]);
export type ConsentAction = z.infer<typeof consentActionSchema>;

// ---- promotion slot ----

export const PROMOTION_SLOTS = ['home', 'payment_result'] as const;
export const promotionSlotSchema = z.enum(PROMOTION_SLOTS);

export const promotionInputSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{3,40}$/, '编号为 3–40 位小写字母、数字或连字符').optional(),
    slot: promotionSlotSchema,
    title: z.string().trim().min(2).max(30),
    body: z.string().trim().max(120).default(''),
    ctaText: z.string().trim().max(12).default('了解详情'),
    /** A mini-program page path or an https link the bank owns. */
    link: z.string().trim().max(300).refine((v) => v === '' || v.startsWith('/') || v.startsWith('https://'), '链接应为小程序页面路径或 https 地址').default(''),
    imageUrl: z.string().trim().max(300).refine((v) => v === '' || v.startsWith('https://'), '图片地址应为 https').default(''),
    /** Limits the slot to schools under these nodes; empty = every school of the bank. */
    nodeIds: z.array(z.string().min(1)).max(50).default([]),
    startDay: dayKeySchema,
    endDay: dayKeySchema,
    enabled: z.boolean(),
  })
  .refine((v) => v.startDay <= v.endDay, { message: '结束日期不能早于开始日期', path: ['endDay'] });
export type PromotionInput = z.input<typeof promotionInputSchema>;

export const promotionSchema = z.object({
  id: z.string(),
  bankId: z.string(),
  slot: promotionSlotSchema,
  title: z.string(),
  body: z.string(),
  ctaText: z.string(),
  link: z.string(),
  imageUrl: z.string(),
  nodeIds: z.array(z.string()),
  startDay: dayKeySchema,
  endDay: dayKeySchema,
  enabled: z.boolean(),
});
export type Promotion = z.infer<typeof promotionSchema>;

export const updatePromotionsSchema = z.object({ bankId: z.string().min(1).optional(), items: z.array(promotionInputSchema).max(20) });
export const promotionsSchema = z.object({ bankId: z.string(), items: z.array(promotionSchema) });

export const parentPromotionSchema = promotionSchema.pick({ id: true, slot: true, title: true, body: true, ctaText: true, link: true, imageUrl: true }).extend({ bankName: z.string() });
export const parentPromotionsSchema = z.object({ items: z.array(parentPromotionSchema) });
export type ParentPromotion = z.infer<typeof parentPromotionSchema>;
