import { z } from 'zod';
import { addDays } from '../business-day.ts';
import { dayKeySchema, fenSchema } from './common.ts';

/**
 * Daily reconciliation (对账) of each WeChat Pay merchant's books with
 * WeChat's trade bill, the settlement view per payee account and the
 * counter's cash report. Amounts are integer fen (`…Fen`); WeChat's fees,
 * which its bills give with 5 decimals of a yuan, are also kept exactly as
 * integer thousandths of a fen (`…MilliFen`, 1 fen = 1000).
 */

export const RECONCILIATION_STATUSES = ['pending', 'running', 'clean', 'differences', 'failed'] as const;
export const reconciliationStatusSchema = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof reconciliationStatusSchema>;
export const RECONCILIATION_STATUS_LABELS: Record<ReconciliationStatus, string> = {
  pending: '待对账',
  running: '对账中',
  clean: '一致',
  differences: '有差异',
  failed: '失败',
};

/** Why a day is still pending: queued, WeChat's bill not out yet, or WeChat answered with an error (retried later). */
export const PENDING_REASONS = ['queued', 'bill_not_ready', 'wechat_error'] as const;
export type PendingReason = (typeof PENDING_REASONS)[number];

/** One line's outcome: the same on both sides, only at WeChat, only in the platform, or both with a different amount or status. */
export const RECONCILIATION_OUTCOMES = ['matched', 'wechat_only', 'platform_only', 'amount_differs', 'status_differs'] as const;
export const reconciliationOutcomeSchema = z.enum(RECONCILIATION_OUTCOMES);
export type ReconciliationOutcome = z.infer<typeof reconciliationOutcomeSchema>;
export const RECONCILIATION_OUTCOME_LABELS: Record<ReconciliationOutcome, string> = {
  matched: '一致',
  wechat_only: '微信有、平台无',
  platform_only: '平台有、微信无',
  amount_differs: '金额不一致',
  status_differs: '状态不一致',
};

/** A difference is open, fixed by the platform itself (queried WeChat and applied it), or resolved by a person (audited). */
export const LINE_RESOLUTIONS = ['open', 'auto_fixed', 'resolved'] as const;
export type LineResolution = (typeof LINE_RESOLUTIONS)[number];

export const runReconciliationSchema = z.object({
  date: dayKeySchema,
  /** Only this payee account's merchant; default every merchant the user's payee accounts collect for. */
  payeeAccountId: z.string().min(1).optional(),
});
export type RunReconciliationInput = z.infer<typeof runReconciliationSchema>;

export const reconciliationStartedSchema = z.object({
  items: z.array(
    z.object({
      reconciliationId: z.string(),
      mchid: z.string(),
      day: dayKeySchema,
      payeeAccountIds: z.array(z.string()),
      jobId: z.string().nullable(),
      status: reconciliationStatusSchema,
    }),
  ),
});

/** Longest period a list, report or settlement view covers. */
export const MAX_RECONCILIATION_DAYS = 92;

function period(v: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['from'] });
  if (v.from && v.to && addDays(v.from, MAX_RECONCILIATION_DAYS - 1) < v.to) {
    ctx.addIssue({ code: 'custom', message: `期间最长 ${MAX_RECONCILIATION_DAYS} 天`, path: ['to'] });
  }
}

export const reconciliationListQuerySchema = z
  .object({ from: dayKeySchema.optional(), to: dayKeySchema.optional(), payeeAccountId: z.string().min(1).optional() })
  .superRefine(period);
export type ReconciliationListQuery = z.infer<typeof reconciliationListQuerySchema>;

export const reconciliationReportQuerySchema = z
  .object({
    from: dayKeySchema.optional(),
    to: dayKeySchema.optional(),
    payeeAccountId: z.string().min(1).optional(),
    format: z.enum(['json', 'xlsx']).default('json'),
  })
  .superRefine(period);
export type ReconciliationReportQuery = z.output<typeof reconciliationReportQuerySchema>;

export const reconciliationCountsSchema = z.object({
  /** Detail rows in WeChat's bill. */
  billLines: z.number().int(),
  wechatPayments: z.number().int(),
  wechatRefunds: z.number().int(),
  /** Payments and refunds in the platform's books for the day. */
  platformPayments: z.number().int(),
  platformRefunds: z.number().int(),
  matched: z.number().int(),
  /** Of the matched: booked by the platform on another day than WeChat's (a timing difference, not an error). */
  crossDay: z.number().int(),
  wechatOnly: z.number().int(),
  platformOnly: z.number().int(),
  amountDiffers: z.number().int(),
  statusDiffers: z.number().int(),
  autoFixed: z.number().int(),
  resolved: z.number().int(),
  /** Differences still waiting for a person. */
  open: z.number().int(),
});
export type ReconciliationCounts = z.infer<typeof reconciliationCountsSchema>;

export const reconciliationAmountsSchema = z.object({
  /** WeChat: 订单金额 of payment rows (what payers paid). */
  wechatPaymentsFen: fenSchema,
  /** WeChat: 应结订单金额 of payment rows (what WeChat settles). */
  wechatSettledFen: fenSchema,
  /** WeChat: 退款金额 of refund rows. */
  wechatRefundsFen: fenSchema,
  /** WeChat's fees net of fees returned on refunds, exactly (thousandths of a fen), and rounded half up to fen. */
  wechatFeeMilliFen: z.number().int(),
  wechatFeeFen: fenSchema,
  /** The platform's books for the day (WeChat Pay ledger entries), after automatic fixes. */
  platformPaymentsFen: fenSchema,
  platformRefundsFen: fenSchema,
  /** Sum of matched lines (payments minus refunds). */
  matchedNetFen: fenSchema,
  /** WeChat's net minus the platform's net: (payments − refunds) at WeChat − (payments − refunds) in the books. */
  differenceFen: fenSchema,
  /** What WeChat will settle to the merchant for the day (T+1): settled − refunds − fees. */
  netSettlementFen: fenSchema,
});
export type ReconciliationAmounts = z.infer<typeof reconciliationAmountsSchema>;

export const fundFlowSummarySchema = z.object({
  accountType: z.string(),
  entries: z.number().int(),
  incomeCount: z.number().int(),
  incomeFen: fenSchema,
  expenseCount: z.number().int(),
  expenseFen: fenSchema,
  /** Income − expense of the basic account that day. */
  netFen: fenSchema,
  /** The net the trade bill says should settle; null without a trade bill. */
  expectedNetFen: fenSchema.nullable(),
  /** netFen − expectedNetFen. */
  differenceFen: fenSchema.nullable(),
});
export type FundFlowSummary = z.infer<typeof fundFlowSummarySchema>;

export const reconciliationLineSchema = z.object({
  id: z.string(),
  kind: z.enum(['payment', 'refund']),
  outcome: reconciliationOutcomeSchema,
  resolution: z.enum(LINE_RESOLUTIONS),
  /** What was done: the automatic fix or the person's action, with who and when. */
  action: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  outTradeNo: z.string().nullable(),
  transactionId: z.string().nullable(),
  outRefundNo: z.string().nullable(),
  wechat: z
    .object({ time: z.string(), status: z.string(), amountFen: fenSchema, settledFen: fenSchema, feeMilliFen: z.number().int(), bankType: z.string() })
    .nullable(),
  platform: z
    .object({ orderId: z.string().nullable(), refundId: z.string().nullable(), amountFen: fenSchema, status: z.string(), day: z.string().nullable() })
    .nullable(),
  exceptionId: z.string().nullable(),
  summary: z.string(),
});
export type ReconciliationLine = z.infer<typeof reconciliationLineSchema>;

export const reconciliationSchema = z.object({
  id: z.string(),
  mchid: z.string(),
  day: dayKeySchema,
  payeeAccountIds: z.array(z.string()),
  payeeNames: z.array(z.string()),
  status: reconciliationStatusSchema,
  pendingReason: z.enum(PENDING_REASONS).nullable(),
  lastError: z.string().nullable(),
  /** When a pending day is tried again. */
  retryAt: z.string().nullable(),
  jobId: z.string().nullable(),
  runs: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  bill: z.object({ hashType: z.string(), hashValue: z.string(), bytes: z.number().int(), lines: z.number().int() }).nullable(),
  counts: reconciliationCountsSchema.nullable(),
  amounts: reconciliationAmountsSchema.nullable(),
  fundFlow: fundFlowSummarySchema.nullable(),
  /** Differences (never the matched lines, which are only counted). */
  lines: z.array(reconciliationLineSchema).optional(),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;

export const reconciliationPeriodSchema = z.object({
  from: dayKeySchema,
  to: dayKeySchema,
  items: z.array(reconciliationSchema.omit({ lines: true })),
  /** One row per day over every merchant in scope. */
  days: z.array(
    z.object({
      day: dayKeySchema,
      merchants: z.number().int(),
      status: reconciliationStatusSchema.nullable(),
      counts: reconciliationCountsSchema,
      amounts: reconciliationAmountsSchema,
    }),
  ),
  totals: z.object({ counts: reconciliationCountsSchema, amounts: reconciliationAmountsSchema, pendingDays: z.number().int(), failedDays: z.number().int() }),
});
export type ReconciliationPeriod = z.infer<typeof reconciliationPeriodSchema>;

export const LINE_ACTIONS = ['requery', 'accept'] as const;
export const resolveReconciliationLineSchema = z.object({
  /** requery: ask WeChat again and apply what it says through the normal path; accept: close it with an explanation. */
  action: z.enum(LINE_ACTIONS),
  note: z.string().trim().min(2, '请填写处理说明').max(300),
});

// ---- settlement view ----

export const settlementQuerySchema = z
  .object({ from: dayKeySchema.optional(), to: dayKeySchema.optional(), payeeAccountId: z.string().min(1).optional() })
  .superRefine(period);

export const settlementRowSchema = z.object({
  day: dayKeySchema,
  payeeAccountId: z.string(),
  payeeName: z.string(),
  mchid: z.string(),
  /** WeChat Pay payments booked that day (gross collected online). */
  onlineGrossFen: fenSchema,
  onlineRefundFen: fenSchema,
  /** WeChat's fees from the day's bill; null until the day is reconciled (or when several payee accounts share the merchant). */
  wechatFeeFen: fenSchema.nullable(),
  /** Online gross − refunds − fees, settled T+1 to the payee account. */
  netSettlementFen: fenSchema,
  settlementDate: dayKeySchema,
  /** Counter takings by method (payments less reversals and counter refunds). */
  cashFen: fenSchema,
  posFen: fenSchema,
  transferFen: fenSchema,
  counterNetFen: fenSchema,
  reconciliationStatus: reconciliationStatusSchema.nullable(),
  /** The fund-flow bill's net for the merchant that day and its difference from the expected net settlement. */
  fundFlowNetFen: fenSchema.nullable(),
  fundFlowDifferenceFen: fenSchema.nullable(),
});
export type SettlementRow = z.infer<typeof settlementRowSchema>;

export const settlementViewSchema = z.object({
  from: dayKeySchema,
  to: dayKeySchema,
  rows: z.array(settlementRowSchema),
  totals: settlementRowSchema.omit({ day: true, payeeAccountId: true, payeeName: true, mchid: true, settlementDate: true, reconciliationStatus: true }),
});
export type SettlementView = z.infer<typeof settlementViewSchema>;

// ---- cash report (交班现金报表) ----

export const cashReportQuerySchema = z.object({
  day: dayKeySchema.optional(),
  /** A campus or smaller node inside the user's scope; default the user's scope. */
  nodeId: z.string().min(1).optional(),
  format: z.enum(['json', 'pdf', 'xlsx']).default('json'),
});

export const cashMethodTotalsSchema = z.object({ cashFen: fenSchema, posFen: fenSchema, transferFen: fenSchema, totalFen: fenSchema });

export const cashReportLineSchema = z.object({
  kind: z.enum(['payment', 'reversal', 'refund']),
  at: z.string(),
  method: z.enum(['cash', 'pos', 'transfer']),
  /** Positive for money taken in, negative for money handed back. */
  amountFen: fenSchema,
  offlinePaymentId: z.string().nullable(),
  receiptNo: z.string().nullable(),
  studentName: z.string(),
  feeItemName: z.string(),
  reference: z.string().nullable(),
  /** A payment that was reversed later (on any day). */
  reversed: z.boolean(),
});

export const cashReportSchema = z.object({
  day: dayKeySchema,
  scope: z.object({ nodeId: z.string(), label: z.string() }),
  generatedAt: z.string(),
  cashiers: z.array(
    z.object({
      cashierId: z.string(),
      cashierName: z.string(),
      lines: z.array(cashReportLineSchema),
      payments: cashMethodTotalsSchema,
      reversals: cashMethodTotalsSchema,
      refunds: cashMethodTotalsSchema,
      /** To hand over: payments − reversals − refunds, by method. */
      net: cashMethodTotalsSchema,
    }),
  ),
  totals: z.object({ payments: cashMethodTotalsSchema, reversals: cashMethodTotalsSchema, refunds: cashMethodTotalsSchema, net: cashMethodTotalsSchema }),
});
export type CashReport = z.infer<typeof cashReportSchema>;
