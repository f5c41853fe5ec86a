import { z } from 'zod';
import { addDays, businessDay } from '../business-day.ts';
import { dayKeySchema, fenSchema } from './common.ts';
import { billStatusSchema } from './billing.ts';

/**
 * Reports for the finance office. Every amount is integer fen (`…Fen`);
 * rates are integer basis points (`…Bp`, 10000 = 100%). Report days are
 * Asia/Shanghai business days; `from` and `to` are inclusive.
 */

export const reportFormatSchema = z.enum(['json', 'xlsx']).default('json');
export type ReportFormat = z.infer<typeof reportFormatSchema>;

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;

function periodRefinement(v: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['from'] });
  if (v.from && v.to && addDays(v.from, MAX_REPORT_DAYS - 1) < v.to) {
    ctx.addIssue({ code: 'custom', message: `报表期间最长 ${MAX_REPORT_DAYS} 天`, path: ['to'] });
  }
}

export const COLLECTION_GROUP_BYS = ['campus', 'division', 'grade', 'class', 'feeItem'] as const;
export const collectionGroupBySchema = z.enum(COLLECTION_GROUP_BYS);
export type CollectionGroupBy = z.infer<typeof collectionGroupBySchema>;
export const COLLECTION_GROUP_BY_LABELS: Record<CollectionGroupBy, string> = {
  campus: '校区',
  division: '学部',
  grade: '年级',
  class: '班级',
  feeItem: '收费项目',
};

export const collectionReportQuerySchema = z
  .object({
    groupBy: collectionGroupBySchema.default('campus'),
    /** Narrows to a campus, division, grade or class inside the user's scope. */
    nodeId: z.string().min(1).optional(),
    feeItemId: z.string().min(1).optional(),
    /** Collected and refunded money counts ledger entries of these days; bill figures are as of now. */
    from: dayKeySchema.optional(),
    to: dayKeySchema.optional(),
    format: reportFormatSchema,
  })
  .superRefine(periodRefinement);
export type CollectionReportQuery = z.output<typeof collectionReportQuerySchema>;

export const collectionRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** Published, not cancelled bills in the row. */
  bills: z.number().int(),
  /** Amount due on those bills (应收). */
  billedFen: fenSchema,
  /** Concessions and waivers applied on them (优惠减免). */
  concessionFen: fenSchema,
  /** WeChat Pay payments less reversals (线上实收). */
  collectedOnlineFen: fenSchema,
  /** Cash, POS and transfer payments less reversals (线下实收). */
  collectedOfflineFen: fenSchema,
  /** Refunds paid back (退款). */
  refundedFen: fenSchema,
  /** Still owed on those bills (未缴); negative when a bill was overpaid and not yet refunded. */
  outstandingFen: fenSchema,
  /** (collected online + offline − refunded) ÷ (billed − concessions), basis points rounded down; null when nothing is payable. */
  rateBp: z.number().int().nullable(),
});
export type CollectionRow = z.infer<typeof collectionRowSchema>;

export const reportScopeSchema = z.object({
  nodeId: z.string(),
  /** The scope as a path of names: 明德教育集团 / 明德东校区. */
  label: z.string(),
});

export const collectionReportSchema = z.object({
  groupBy: collectionGroupBySchema,
  scope: reportScopeSchema,
  feeItemId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  generatedAt: z.string(),
  rows: z.array(collectionRowSchema),
  totals: collectionRowSchema,
});
export type CollectionReport = z.infer<typeof collectionReportSchema>;

export const unpaidReportQuerySchema = z.object({
  nodeId: z.string().min(1).optional(),
  feeItemId: z.string().min(1).optional(),
  /** Only bills past their due date. */
  overdueOnly: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  format: reportFormatSchema,
});

export const unpaidGuardianSchema = z.object({
  name: z.string(),
  relationship: z.string(),
  /** Always masked (138****0001); revealing a number is a separate, audited action. */
  phoneMasked: z.string(),
  primary: z.boolean(),
});

export const unpaidBillRowSchema = z.object({
  billId: z.string(),
  studentId: z.string(),
  studentNo: z.string(),
  studentName: z.string(),
  campusName: z.string(),
  /** Division, grade and class: 小学部 / 一年级 / 1班. */
  className: z.string(),
  feeItemId: z.string(),
  feeItemName: z.string(),
  periodLabel: z.string(),
  dueDate: z.string(),
  overdue: z.boolean(),
  status: billStatusSchema,
  amountDueFen: fenSchema,
  concessionFen: fenSchema,
  /** Paid less refunded. */
  netPaidFen: fenSchema,
  outstandingFen: fenSchema,
  guardians: z.array(unpaidGuardianSchema),
});
export type UnpaidBillRow = z.infer<typeof unpaidBillRowSchema>;

export const unpaidReportSchema = z.object({
  scope: reportScopeSchema,
  items: z.array(unpaidBillRowSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  totals: z.object({ bills: z.number().int(), students: z.number().int(), outstandingFen: fenSchema }),
  generatedAt: z.string(),
});
export type UnpaidReport = z.infer<typeof unpaidReportSchema>;

/** Default period of the daily takings report: the last 30 days up to today. */
export function defaultTakingsPeriod(today: string = businessDay()): { from: string; to: string } {
  return { from: addDays(today, -29), to: today };
}

export const dailyTakingsQuerySchema = z
  .object({
    from: dayKeySchema.optional(),
    to: dayKeySchema.optional(),
    nodeId: z.string().min(1).optional(),
    format: reportFormatSchema,
  })
  .superRefine(periodRefinement);

export const dailyTakingsRowSchema = z.object({
  /** Asia/Shanghai business day; `total` on the totals row. */
  day: z.string(),
  /** Each method: payments less reversals booked that day. */
  onlineFen: fenSchema,
  cashFen: fenSchema,
  posFen: fenSchema,
  transferFen: fenSchema,
  refundFen: fenSchema,
  /** online + cash + pos + transfer − refunds. */
  netFen: fenSchema,
  /** Ledger entries booked that day. */
  entries: z.number().int(),
});
export type DailyTakingsRow = z.infer<typeof dailyTakingsRowSchema>;

export const dailyTakingsReportSchema = z.object({
  scope: reportScopeSchema,
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  rows: z.array(dailyTakingsRowSchema),
  totals: dailyTakingsRowSchema,
});
export type DailyTakingsReport = z.infer<typeof dailyTakingsReportSchema>;
