import { z } from 'zod';
import { dayKeySchema, fenSchema, positiveFenSchema } from './common.ts';

export const FEE_CATEGORIES = ['tuition', 'dormitory', 'meals', 'utilities', 'textbooks', 'insurance', 'school_bus', 'pass_through', 'other'] as const;
export const feeCategorySchema = z.enum(FEE_CATEGORIES);
export type FeeCategory = z.infer<typeof feeCategorySchema>;
export const FEE_CATEGORY_LABELS: Record<FeeCategory, string> = {
  tuition: '学费',
  dormitory: '住宿费',
  meals: '餐费',
  utilities: '水电费',
  textbooks: '教材费',
  insurance: '保险费',
  school_bus: '校车费',
  pass_through: '代收代付',
  other: '其他',
};

/** A term of an academic year ("2026-2027", term 1) or a calendar month ("2026-09", for meals). */
export const feePeriodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('term'), academicYear: z.string().regex(/^\d{4}-\d{4}$/, '学年格式应为 2026-2027'), term: z.union([z.literal(1), z.literal(2)]) }),
  z.object({ kind: z.literal('month'), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-09') }),
]);
export type FeePeriod = z.infer<typeof feePeriodSchema>;

export function periodKey(p: FeePeriod): string {
  return p.kind === 'term' ? `${p.academicYear}-T${p.term}` : p.month;
}
export function periodLabel(p: FeePeriod): string {
  return p.kind === 'term' ? `${p.academicYear}学年第${p.term === 1 ? '一' : '二'}学期` : `${p.month.slice(0, 4)}年${Number(p.month.slice(5))}月`;
}

export const priceRowSchema = z.object({ nodeId: z.string().min(1), amountFen: positiveFenSchema });

export const payeeAccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** WeChat Pay merchant id that collects for this account. */
  mchid: z.string(),
  bankName: z.string(),
  bankAccountMasked: z.string(),
  nodeId: z.string(),
});
export type PayeeAccount = z.infer<typeof payeeAccountSchema>;

export const createPayeeAccountSchema = z.object({
  name: z.string().trim().min(1, '请填写收款账户名称').max(40),
  mchid: z.string().trim().regex(/^\d{8,12}$/, '微信支付商户号应为 8–12 位数字'),
  bankName: z.string().trim().min(1, '请填写开户行').max(40),
  bankAccount: z.string().trim().regex(/^\d{8,30}$/, '银行账号应为 8–30 位数字'),
  nodeId: z.string().min(1, '请选择所属学校或校区'),
});

const feeItemFields = {
  name: z.string().trim().min(1, '请填写收费项目名称').max(40),
  category: feeCategorySchema,
  period: feePeriodSchema,
  /** Price per division / grade / class; the most specific node on a student's path wins. */
  prices: z.array(priceRowSchema).min(1, '至少设置一个价格'),
  dueDate: dayKeySchema,
  mandatory: z.boolean(),
  allowPartial: z.boolean(),
  /** With partial payment: the smallest amount a parent may pay at once. */
  minPaymentFen: fenSchema.nullable(),
  refundable: z.boolean(),
  payeeAccountId: z.string().min(1, '请选择收款账户'),
  description: z.string().max(200).default(''),
};

export const createFeeItemSchema = z
  .object({ ...feeItemFields, nodeId: z.string().min(1, '请选择适用的学校或校区') })
  .refine((v) => !v.allowPartial || (v.minPaymentFen !== null && v.minPaymentFen > 0), { message: '允许部分缴费时须设置最低缴费金额', path: ['minPaymentFen'] });
// No defaults on an update: a field left out must stay as it is (zod applies defaults even inside partial()).
export const updateFeeItemSchema = z.object({ ...feeItemFields, description: z.string().max(200) }).partial();

export const feeItemSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  ...feeItemFields,
  periodKey: z.string(),
  periodLabel: z.string(),
  archived: z.boolean(),
});
export type FeeItem = z.infer<typeof feeItemSchema>;

export const BILL_STATUSES = ['unpaid', 'partially_paid', 'paid', 'cancelled', 'waived'] as const;
export const billStatusSchema = z.enum(BILL_STATUSES);
export type BillStatus = z.infer<typeof billStatusSchema>;
export const BILL_STATUS_LABELS: Record<BillStatus, string> = {
  unpaid: '待缴',
  partially_paid: '部分缴费',
  paid: '已缴清',
  cancelled: '已取消',
  waived: '已减免',
};

export const CONCESSION_KINDS = ['sibling', 'staff_child', 'scholarship', 'hardship', 'other'] as const;
export const concessionKindSchema = z.enum(CONCESSION_KINDS);
export const CONCESSION_KIND_LABELS: Record<z.infer<typeof concessionKindSchema>, string> = {
  sibling: '多子女优惠',
  staff_child: '教职工子女',
  scholarship: '奖学金',
  hardship: '困难减免',
  other: '其他优惠',
};

export const concessionSchema = z.object({
  id: z.string(),
  kind: concessionKindSchema,
  label: z.string(),
  amountFen: fenSchema,
  reason: z.string(),
  status: z.enum(['applied', 'pending_approval', 'rejected']),
});

export const billSchema = z.object({
  id: z.string(),
  studentId: z.string(),
  studentNo: z.string(),
  studentName: z.string(),
  className: z.string(),
  feeItemId: z.string(),
  feeItemName: z.string(),
  category: feeCategorySchema,
  period: z.string(),
  periodLabel: z.string(),
  payeeAccountId: z.string(),
  dueDate: z.string(),
  mandatory: z.boolean(),
  allowPartial: z.boolean(),
  minPaymentFen: fenSchema.nullable(),
  amountDueFen: fenSchema,
  concessionFen: fenSchema,
  paidFen: fenSchema,
  refundedFen: fenSchema,
  outstandingFen: fenSchema,
  status: billStatusSchema,
  concessions: z.array(concessionSchema),
  published: z.boolean(),
  batchId: z.string().nullable(),
});
export type Bill = z.infer<typeof billSchema>;

export const billListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
  campusId: z.string().optional(),
  classId: z.string().optional(),
  nodeId: z.string().optional(),
  studentId: z.string().optional(),
  feeItemId: z.string().optional(),
  status: billStatusSchema.optional(),
  q: z.string().trim().max(50).optional(),
});

export const billTargetSchema = z.object({
  /** Campuses, divisions, grades or classes whose enrolled students get the bill. */
  nodeIds: z.array(z.string()).default([]),
  studentIds: z.array(z.string()).default([]),
  excludeStudentIds: z.array(z.string()).default([]),
});

export const createBillBatchSchema = z
  .object({
    feeItemId: z.string().min(1, '请选择收费项目'),
    target: billTargetSchema,
    /** Concession rules to apply to eligible students at issuance. */
    concessionRuleIds: z.array(z.string()).default([]),
    note: z.string().max(200).default(''),
  })
  .refine((v) => v.target.nodeIds.length + v.target.studentIds.length > 0, { message: '请选择发布对象', path: ['target'] });

export const billBatchSchema = z.object({
  id: z.string(),
  feeItemId: z.string(),
  feeItemName: z.string(),
  status: z.enum(['draft', 'publishing', 'published']),
  preview: z.object({
    bills: z.number().int(),
    totalFen: fenSchema,
    concessionFen: fenSchema,
    skippedExisting: z.number().int(),
    skippedNoPrice: z.number().int(),
  }),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type BillBatch = z.infer<typeof billBatchSchema>;

export const concessionRuleSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  kind: concessionKindSchema,
  label: z.string(),
  /** Basis points of the amount left after earlier rules (1000 = 10%), or a fixed amount. */
  percentBp: z.number().int().min(1).max(10000).nullable(),
  amountFen: positiveFenSchema.nullable(),
  /** Lower applies first. */
  order: z.number().int(),
  categories: z.array(feeCategorySchema),
});
export type ConcessionRule = z.infer<typeof concessionRuleSchema>;
export const createConcessionRuleSchema = concessionRuleSchema
  .omit({ id: true })
  .refine((v) => (v.percentBp === null) !== (v.amountFen === null), { message: '请设置比例或固定金额（二选一）', path: ['percentBp'] });

export const applyConcessionSchema = z
  .object({
    kind: concessionKindSchema,
    label: z.string().trim().max(40).optional(),
    percentBp: z.number().int().min(1).max(10000).optional(),
    amountFen: positiveFenSchema.optional(),
    reason: z.string().trim().min(2, '请填写原因').max(200),
  })
  .refine((v) => (v.percentBp === undefined) !== (v.amountFen === undefined), { message: '请设置比例或固定金额（二选一）', path: ['percentBp'] });

export const adjustBillSchema = z.object({ amountDueFen: positiveFenSchema, reason: z.string().trim().min(2, '请填写调整原因').max(200) });
export const reasonSchema = z.object({ reason: z.string().trim().min(2, '请填写原因').max(200) });

export const PAYMENT_METHODS = ['wechat', 'cash', 'pos', 'transfer'] as const;
export const paymentMethodSchema = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = { wechat: '微信支付', cash: '现金', pos: 'POS 刷卡', transfer: '银行转账' };

export const createOfflinePaymentSchema = z
  .object({
    billId: z.string().min(1),
    amountFen: positiveFenSchema,
    method: z.enum(['cash', 'pos', 'transfer']),
    reference: z.string().trim().max(64).optional(),
    payerName: z.string().trim().max(30).optional(),
  })
  .refine((v) => v.method === 'cash' || Boolean(v.reference), { message: 'POS 刷卡和银行转账须填写凭证号', path: ['reference'] });

export const offlinePaymentSchema = z.object({
  id: z.string(),
  billId: z.string(),
  amountFen: fenSchema,
  method: paymentMethodSchema,
  reference: z.string().nullable(),
  receiptNo: z.string(),
  cashierId: z.string(),
  reversed: z.boolean(),
  at: z.string(),
});
export type OfflinePayment = z.infer<typeof offlinePaymentSchema>;
