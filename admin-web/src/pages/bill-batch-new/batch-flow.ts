/**
 * 账单发布 as a small state machine, pure and unit tested:
 * compose (fee item, target, concession rules) → preview (a draft batch the
 * server priced: bills, total, concessions, skipped) → publish (a job with
 * progress) → published, with a link to the bills. Changing anything after
 * a preview throws the preview away, so what is published is what was shown.
 */
import {
  createBillBatchSchema,
  createConcessionRuleSchema,
  type BillBatch,
  type ConcessionRule,
  type FeeCategory,
  type FeeItem,
} from '@campuspay/shared';
import { readPercentBp, readYuan } from '../../billing/amounts.ts';
import type { CreateBillBatchRequest, CreateConcessionRuleRequest } from '../../services/billing.ts';
import type { Job } from '../../services/jobs.ts';

export type Issues = { path: PropertyKey[]; message: string }[];
export type FormResult<T> = { ok: true; value: T } | { ok: false; issues: Issues };

/** Poll the publish job this often. */
export const PUBLISH_POLL_MS = 500;

/** A student picked by search (listed or excluded), with what to show. */
export interface PickedStudent {
  id: string;
  studentNo: string;
  name: string;
  className: string;
}

export interface BatchDraft {
  feeItemId?: string | undefined;
  nodeIds: string[];
  students: PickedStudent[];
  excluded: PickedStudent[];
  ruleIds: string[];
  note: string;
}

export const EMPTY_DRAFT: BatchDraft = { nodeIds: [], students: [], excluded: [], ruleIds: [], note: '' };

/** The body of `POST /admin/bill-batches`, or why it cannot be sent. */
export function batchRequestOf(draft: BatchDraft): FormResult<CreateBillBatchRequest> {
  const body: CreateBillBatchRequest = {
    feeItemId: draft.feeItemId ?? '',
    target: {
      nodeIds: [...new Set(draft.nodeIds)],
      studentIds: [...new Set(draft.students.map((s) => s.id))],
      excludeStudentIds: [...new Set(draft.excluded.map((s) => s.id))],
    },
    concessionRuleIds: [...new Set(draft.ruleIds)],
    note: draft.note.trim(),
  };
  const parsed = createBillBatchSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };
  return { ok: true, value: body };
}

/** Rules that apply to a fee item's category (a rule without categories applies to all). */
export function rulesFor(rules: readonly ConcessionRule[], category: FeeCategory | undefined): ConcessionRule[] {
  if (!category) return [...rules];
  return rules.filter((rule) => rule.categories.length === 0 || rule.categories.includes(category));
}

/** Fee items a batch may use: live ones, inside the header's campus when one is chosen. */
export function publishableFeeItems(items: readonly FeeItem[], campusPath: readonly string[] | undefined): FeeItem[] {
  return items.filter((item) => !item.archived && (!campusPath || campusPath.includes(item.nodeId)));
}

// --- the flow -------------------------------------------------------------

export type BatchState =
  | { step: 'compose' }
  | { step: 'previewing' }
  | { step: 'previewed'; batch: BillBatch }
  | { step: 'publishing'; batch: BillBatch; jobId: string; job: Job | null }
  | { step: 'published'; batch: BillBatch; result: PublishResult }
  | { step: 'failed'; batch: BillBatch | null; message: string };

export type BatchEvent =
  | { type: 'edit' }
  | { type: 'preview' }
  | { type: 'previewed'; batch: BillBatch }
  | { type: 'publishing'; batch: BillBatch }
  | { type: 'progress'; job: Job }
  | { type: 'error'; message: string };

/** What the publish job reports when done. */
export interface PublishResult {
  bills: number;
  inserted: number;
  totalFen: number;
}

export function publishResultOf(result: unknown, fallback: BillBatch): PublishResult {
  const shape = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  const int = (value: unknown, otherwise: number) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : otherwise);
  return {
    bills: int(shape['bills'], fallback.preview.bills),
    inserted: int(shape['inserted'], fallback.preview.bills),
    totalFen: int(shape['totalFen'], fallback.preview.totalFen),
  };
}

export function batchReducer(state: BatchState, event: BatchEvent): BatchState {
  switch (event.type) {
    case 'edit':
      // While publishing, the inputs are locked; afterwards a new batch starts from compose.
      return state.step === 'publishing' || state.step === 'previewing' ? state : { step: 'compose' };
    case 'preview':
      return state.step === 'publishing' ? state : { step: 'previewing' };
    case 'previewed':
      return state.step === 'previewing' ? { step: 'previewed', batch: event.batch } : state;
    case 'publishing': {
      if (state.step !== 'previewed' && state.step !== 'failed') return state;
      if (event.batch.status === 'published') {
        return { step: 'published', batch: event.batch, result: publishResultOf(null, event.batch) };
      }
      if (!event.batch.jobId) return { step: 'failed', batch: event.batch, message: '服务器没有返回发布任务，请稍后重试。' };
      return { step: 'publishing', batch: event.batch, jobId: event.batch.jobId, job: null };
    }
    case 'progress': {
      if (state.step !== 'publishing' || event.job.id !== state.jobId) return state;
      if (event.job.status === 'succeeded') return { step: 'published', batch: state.batch, result: publishResultOf(event.job.result, state.batch) };
      if (event.job.status === 'failed') {
        return { step: 'failed', batch: state.batch, message: event.job.lastError?.trim() || '发布失败，请稍后重试。' };
      }
      return { ...state, job: event.job };
    }
    case 'error':
      if (state.step === 'previewing') return { step: 'compose' };
      if (state.step === 'publishing' || state.step === 'previewed') return { step: 'failed', batch: state.batch, message: event.message };
      return state;
  }
}

/** The line under the progress bar. */
export function publishProgressText(job: Pick<Job, 'status' | 'progress'> | null): string {
  if (!job || job.status === 'queued') return '排队中…';
  const { done, total, message } = job.progress;
  if (message.trim()) return message.trim();
  return total > 0 ? `已发布 ${done} / ${total} 张账单` : '正在发布…';
}

/** Why a preview is not worth publishing, or null. */
export function previewWarning(batch: BillBatch): string | null {
  const { bills, skippedExisting, skippedNoPrice } = batch.preview;
  if (bills > 0) return null;
  if (skippedExisting > 0 && skippedNoPrice === 0) return '所选学生都已有该收费项目本期的账单，没有需要发布的账单。';
  if (skippedNoPrice > 0) return '所选学生都没有匹配的价格，请检查收费项目的价格表。';
  return '所选范围内没有在读学生。';
}

// --- concession rules -------------------------------------------------------

export interface RuleFormValues {
  nodeId?: string | undefined;
  kind?: ConcessionRule['kind'] | undefined;
  label?: string | undefined;
  mode?: 'percent' | 'amount' | undefined;
  percent?: string | undefined;
  amountYuan?: string | undefined;
  order?: number | undefined;
  categories?: FeeCategory[] | undefined;
}

/** The body of `POST /admin/concession-rules`, or the problems (paths match the form). */
export function ruleRequestOf(values: RuleFormValues): FormResult<CreateConcessionRuleRequest> {
  const issues: Issues = [];
  let percentBp: number | null = null;
  let amountFen: number | null = null;
  if ((values.mode ?? 'percent') === 'percent') {
    const read = readPercentBp(values.percent);
    if (read.ok) percentBp = read.bp;
    else issues.push({ path: ['percent'], message: read.message });
  } else {
    const read = readYuan(values.amountYuan, { label: '优惠金额' });
    if (read.ok) amountFen = read.fen;
    else issues.push({ path: ['amountYuan'], message: read.message });
  }
  const body: CreateConcessionRuleRequest = {
    nodeId: values.nodeId ?? '',
    kind: values.kind ?? 'other',
    label: values.label?.trim() ?? '',
    percentBp,
    amountFen,
    order: values.order ?? 10,
    categories: values.categories ?? [],
  };
  if (!body.label) issues.push({ path: ['label'], message: '请填写规则名称' });
  if (!body.nodeId) issues.push({ path: ['nodeId'], message: '请选择适用学校' });
  if (issues.length > 0) return { ok: false, issues };
  const parsed = createConcessionRuleSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };
  return { ok: true, value: body };
}
