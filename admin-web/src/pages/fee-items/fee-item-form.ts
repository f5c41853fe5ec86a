/**
 * What the fee item drawer shows and sends. The form keeps amounts as the
 * yuan text the user typed and dates as YYYY-MM-DD text; this module turns
 * them into the request (fen via `readYuan`) and checks it with the shared
 * schema, pointing each problem at its form field. Pure and unit tested.
 */
import {
  FEE_CATEGORY_LABELS,
  createFeeItemSchema,
  displayYuan,
  periodLabel,
  type FeeCategory,
  type FeeItem,
  type FeePeriod,
  type OrgNode,
  type OrgNodeKind,
  type PayeeAccount,
} from '@campuspay/shared';
import { readYuan, yuanText } from '../../billing/amounts.ts';
import type { CreateFeeItemRequest, FeeItemFields } from '../../services/billing.ts';

export type Issues = { path: PropertyKey[]; message: string }[];
export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: Issues };

export interface PriceRowValues {
  nodeId?: string | undefined;
  amountYuan?: string | undefined;
}

export interface FeeItemFormValues {
  nodeId?: string | undefined;
  name?: string | undefined;
  category?: FeeCategory | undefined;
  periodKind?: 'term' | 'month' | undefined;
  academicYear?: string | undefined;
  term?: 1 | 2 | undefined;
  /** YYYY-MM */
  month?: string | undefined;
  prices?: PriceRowValues[] | undefined;
  /** YYYY-MM-DD */
  dueDate?: string | undefined;
  mandatory?: boolean | undefined;
  allowPartial?: boolean | undefined;
  minPaymentYuan?: string | undefined;
  refundable?: boolean | undefined;
  payeeAccountId?: string | undefined;
  description?: string | undefined;
}

/** Node kinds a fee item applies to (its school). */
export const FEE_ITEM_NODE_KINDS: readonly OrgNodeKind[] = ['school_group', 'campus'];

/** Node kinds a price row may name, below the item's school. */
export function priceNodeKinds(itemNodeKind: OrgNodeKind | undefined): OrgNodeKind[] {
  return itemNodeKind === 'school_group' ? ['campus', 'division', 'grade', 'class'] : ['division', 'grade', 'class'];
}

/** The academic year a date falls in: from August on, the year starting then. */
export function academicYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** The year before, the current one and the two after, for the picker. */
export function academicYearOptions(today: string): string[] {
  const start = Number(academicYearOf(today).slice(0, 4));
  return [start - 1, start, start + 1, start + 2].map((y) => `${y}-${y + 1}`);
}

/** The term a date falls in: August–January the first, February–July the second. */
export function termOf(day: string): 1 | 2 {
  const month = Number(day.slice(5, 7));
  return month >= 8 || month === 1 ? 1 : 2;
}

/** A new item's starting values. */
export function blankFeeItemValues(today: string, nodeId?: string): FeeItemFormValues {
  return {
    nodeId,
    category: 'tuition',
    periodKind: 'term',
    academicYear: academicYearOf(today),
    term: termOf(today),
    month: today.slice(0, 7),
    prices: [{}],
    mandatory: true,
    allowPartial: false,
    refundable: true,
    description: '',
  };
}

/** An existing item as the form shows it. */
export function feeItemFormValuesOf(item: FeeItem, today: string): FeeItemFormValues {
  return {
    nodeId: item.nodeId,
    name: item.name,
    category: item.category,
    periodKind: item.period.kind,
    academicYear: item.period.kind === 'term' ? item.period.academicYear : academicYearOf(today),
    term: item.period.kind === 'term' ? item.period.term : termOf(today),
    month: item.period.kind === 'month' ? item.period.month : today.slice(0, 7),
    prices: item.prices.map((price) => ({ nodeId: price.nodeId, amountYuan: yuanText(price.amountFen) })),
    dueDate: item.dueDate,
    mandatory: item.mandatory,
    allowPartial: item.allowPartial,
    minPaymentYuan: item.minPaymentFen !== null ? yuanText(item.minPaymentFen) : undefined,
    refundable: item.refundable,
    payeeAccountId: item.payeeAccountId,
    description: item.description,
  };
}

function periodOf(values: FeeItemFormValues): FeePeriod {
  if (values.periodKind === 'month') return { kind: 'month', month: values.month ?? '' };
  return { kind: 'term', academicYear: values.academicYear ?? '', term: values.term ?? 1 };
}

/** Where a schema issue shows on the form. */
function formPath(path: readonly PropertyKey[]): PropertyKey[] {
  const [head, ...rest] = path;
  if (head === 'period') return [rest[0] === 'month' ? 'month' : rest[0] === 'term' ? 'term' : 'academicYear'];
  if (head === 'prices' && typeof rest[0] === 'number') return ['prices', rest[0], rest[1] === 'nodeId' ? 'nodeId' : 'amountYuan'];
  if (head === 'minPaymentFen') return ['minPaymentYuan'];
  return [...path];
}

/**
 * The body of `POST /admin/fee-items`, or the problems (paths match the
 * form: `prices.1.amountYuan`). A minimum payment is sent only with partial
 * payment allowed.
 */
export function feeItemRequestOf(values: FeeItemFormValues): FormResult<CreateFeeItemRequest> {
  const issues: Issues = [];
  const rows = values.prices ?? [];
  const prices: { nodeId: string; amountFen: number }[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!row.nodeId) issues.push({ path: ['prices', index, 'nodeId'], message: '请选择学部、年级或班级' });
    else if (seen.has(row.nodeId)) issues.push({ path: ['prices', index, 'nodeId'], message: `与第 ${(seen.get(row.nodeId) ?? 0) + 1} 行重复` });
    else seen.set(row.nodeId, index);
    const amount = readYuan(row.amountYuan, { label: '金额' });
    if (!amount.ok) issues.push({ path: ['prices', index, 'amountYuan'], message: amount.message });
    prices.push({ nodeId: row.nodeId ?? '', amountFen: amount.ok ? amount.fen : 1 });
  });
  const allowPartial = Boolean(values.allowPartial);
  let minPaymentFen: number | null = null;
  if (allowPartial) {
    const min = readYuan(values.minPaymentYuan, { label: '最低缴费金额' });
    if (!min.ok) issues.push({ path: ['minPaymentYuan'], message: min.message });
    else {
      minPaymentFen = min.fen;
      const lowest = Math.min(...prices.map((p) => p.amountFen));
      if (prices.length > 0 && issues.length === 0 && min.fen > lowest) {
        issues.push({ path: ['minPaymentYuan'], message: `最低缴费金额不能高于最低价格 ${displayYuan(lowest)}` });
      }
    }
  }
  const body: CreateFeeItemRequest = {
    nodeId: values.nodeId ?? '',
    name: values.name?.trim() ?? '',
    category: values.category ?? 'tuition',
    period: periodOf(values),
    prices,
    dueDate: values.dueDate ?? '',
    mandatory: values.mandatory ?? true,
    allowPartial,
    minPaymentFen: allowPartial ? (minPaymentFen ?? 1) : null,
    refundable: Boolean(values.refundable),
    payeeAccountId: values.payeeAccountId ?? '',
    description: values.description?.trim() ?? '',
  };
  const parsed = createFeeItemSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = formPath(issue.path);
      // Amount and minimum problems were said above, in the user's terms.
      if (issues.some((known) => known.path.join('.') === path.join('.'))) continue;
      if (path[0] === 'dueDate') issues.push({ path, message: '请选择缴费截止日期' });
      else issues.push({ path, message: issue.message });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: body };
}

/** The body of `PATCH /admin/fee-items/:id`: only the terms that changed. */
export function feeItemUpdateOf(item: FeeItem, values: FeeItemFormValues): FormResult<Partial<FeeItemFields>> {
  const full = feeItemRequestOf({ ...values, nodeId: item.nodeId });
  if (!full.ok) return full;
  const { nodeId: _nodeId, ...next } = full.value;
  const current: FeeItemFields = {
    name: item.name,
    category: item.category,
    period: item.period,
    prices: item.prices,
    dueDate: item.dueDate,
    mandatory: item.mandatory,
    allowPartial: item.allowPartial,
    minPaymentFen: item.minPaymentFen,
    refundable: item.refundable,
    payeeAccountId: item.payeeAccountId,
    description: item.description,
  };
  const changed: Partial<FeeItemFields> = {};
  for (const key of Object.keys(next) as (keyof FeeItemFields)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) (changed as Record<string, unknown>)[key] = next[key];
  }
  // The server checks partial payment against the minimum; send them together.
  if ('allowPartial' in changed || 'minPaymentFen' in changed) {
    changed.allowPartial = next.allowPartial;
    changed.minPaymentFen = next.minPaymentFen;
  }
  // Server bug (reported): the shared updateFeeItemSchema is `.partial()` over
  // a `description` with `.default('')`, which zod 4 still applies, so a PATCH
  // without `description` erases it. Send it with every change until fixed.
  if (Object.keys(changed).length > 0) changed.description = next.description;
  return { ok: true, value: changed };
}

/** Payee accounts usable for an item of `node`: those of the node or a school above it. */
export function payeesFor(payees: readonly PayeeAccount[], node: Pick<OrgNode, 'path'> | undefined): PayeeAccount[] {
  if (!node) return [];
  return payees.filter((payee) => node.path.includes(payee.nodeId));
}

/** "¥1,200.00" or "¥800.00 – ¥1,500.00" for the list. */
export function priceRangeText(item: Pick<FeeItem, 'prices'>): string {
  if (item.prices.length === 0) return '—';
  const amounts = item.prices.map((p) => p.amountFen);
  const low = Math.min(...amounts);
  const high = Math.max(...amounts);
  return low === high ? displayYuan(low) : `${displayYuan(low)} – ${displayYuan(high)}`;
}

/** 学费 · 2026-2027学年第一学期 */
export function feeItemSubtitle(item: Pick<FeeItem, 'category' | 'period'>): string {
  return `${FEE_CATEGORY_LABELS[item.category]} · ${periodLabel(item.period)}`;
}

/** The payment terms as tags: 必缴/选缴, 可分期 (最低…), 可退/不可退. */
export function feeItemTerms(item: Pick<FeeItem, 'mandatory' | 'allowPartial' | 'minPaymentFen' | 'refundable'>): string[] {
  const terms = [item.mandatory ? '必缴' : '选缴'];
  if (item.allowPartial) terms.push(item.minPaymentFen ? `可部分缴费（最低 ${displayYuan(item.minPaymentFen)}）` : '可部分缴费');
  terms.push(item.refundable ? '可退费' : '不可退费');
  return terms;
}
