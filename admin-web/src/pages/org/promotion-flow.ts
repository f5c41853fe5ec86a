/**
 * 新学年升级 as a small state machine, pure and unit tested:
 * preview (the server plans, nothing changes) → review and confirm by typing
 * the node's name → a job with progress → the outcome. The server refuses a
 * plan whose roster changed since the preview (STATE_CONFLICT); that is a
 * state of its own here, left by previewing again.
 */
import { promotionTotalsSchema, type OrgNode, type OrgNodeKind, type PromotionPreview, type PromotionTotals } from '@campuspay/shared';
import type { Job } from '../../services/jobs.ts';

/** Poll the promotion job this often. */
export const PROMOTION_POLL_MS = 500;

/** Where a new academic year can be run: whole divisions at least, so every grade's successor is inside. */
export const PROMOTABLE_KINDS: readonly OrgNodeKind[] = ['school_group', 'campus', 'division'];

/** Whether to offer 新学年升级 on a node (the server checks permission and scope again). */
export function canPromoteNode(node: Pick<OrgNode, 'kind' | 'archived'>, allowed: boolean, inScope: boolean): boolean {
  return allowed && inScope && !node.archived && PROMOTABLE_KINDS.includes(node.kind);
}

export type PromotionState =
  | { step: 'loading' }
  | { step: 'load-failed'; message: string }
  /** `error`: why the last attempt to start did not (retrying is safe). */
  | { step: 'review'; preview: PromotionPreview; error: string | null }
  | { step: 'starting'; preview: PromotionPreview }
  | { step: 'running'; preview: PromotionPreview; jobId: string; job: Job | null }
  /** `totals` null when the job ended well but its result is not what the contract says. */
  | { step: 'succeeded'; preview: PromotionPreview; totals: PromotionTotals | null }
  | { step: 'failed'; preview: PromotionPreview; message: string }
  | { step: 'stale'; preview: PromotionPreview; message: string };

export type PromotionEvent =
  | { type: 'load' }
  | { type: 'loaded'; preview: PromotionPreview }
  | { type: 'load-failed'; message: string }
  | { type: 'start' }
  | { type: 'accepted'; jobId: string }
  | { type: 'start-failed'; message: string; conflict: boolean }
  | { type: 'progress'; job: Job }
  | { type: 'lost'; message: string };

export const INITIAL_PROMOTION_STATE: PromotionState = { step: 'loading' };

export function promotionReducer(state: PromotionState, event: PromotionEvent): PromotionState {
  switch (event.type) {
    case 'load':
      // Never while a job runs: its outcome would be lost from view.
      return state.step === 'starting' || state.step === 'running' ? state : { step: 'loading' };
    case 'loaded':
      return state.step === 'loading' ? { step: 'review', preview: event.preview, error: null } : state;
    case 'load-failed':
      return state.step === 'loading' ? { step: 'load-failed', message: event.message } : state;
    case 'start':
      return state.step === 'review' && hasWork(state.preview) ? { step: 'starting', preview: state.preview } : state;
    case 'accepted':
      return state.step === 'starting' ? { step: 'running', preview: state.preview, jobId: event.jobId, job: null } : state;
    case 'start-failed':
      if (state.step !== 'starting') return state;
      return event.conflict
        ? { step: 'stale', preview: state.preview, message: event.message }
        : { step: 'review', preview: state.preview, error: event.message };
    case 'progress': {
      if (state.step !== 'running' || event.job.id !== state.jobId) return state;
      const { job } = event;
      if (job.status === 'succeeded') {
        const totals = promotionTotalsSchema.safeParse(job.result);
        return { step: 'succeeded', preview: state.preview, totals: totals.success ? totals.data : null };
      }
      if (job.status === 'failed') {
        return { step: 'failed', preview: state.preview, message: job.lastError?.trim() || '升级失败，请稍后重试。' };
      }
      return { ...state, job };
    }
    case 'lost':
      return state.step === 'running' ? { step: 'failed', preview: state.preview, message: event.message } : state;
  }
}

/** Whether confirming would change anything (the server refuses an empty plan). */
export function hasWork(preview: PromotionPreview): boolean {
  return preview.totals.promoted + preview.totals.graduated > 0;
}

export interface PreviewSummary {
  /** Students who change class or graduate. */
  students: number;
  promoted: number;
  graduated: number;
  /** Classes whose students move up, and classes that graduate. */
  promotedClasses: number;
  graduatingClasses: number;
  classesCreated: number;
  /** One line for the top of the review. */
  text: string;
}

export function summarisePreview(preview: PromotionPreview): PreviewSummary {
  const { promoted, graduated, classesCreated } = preview.totals;
  const parts: string[] = [];
  if (promoted > 0) parts.push(`${preview.moves.length} 个班 ${promoted} 名学生升一个年级`);
  if (graduated > 0) parts.push(`${preview.graduating.length} 个班 ${graduated} 名学生毕业`);
  if (classesCreated > 0) parts.push(`新建 ${classesCreated} 个班级`);
  return {
    students: promoted + graduated,
    promoted,
    graduated,
    promotedClasses: preview.moves.length,
    graduatingClasses: preview.graduating.length,
    classesCreated,
    text: parts.length > 0 ? `${parts.join('，')}。` : '没有在读学生需要升级或毕业。',
  };
}

/** The typed confirmation: the node's name, ignoring surrounding spaces. */
export function confirmationMatches(typed: string, nodeName: string): boolean {
  const expected = nodeName.trim();
  return expected !== '' && typed.trim() === expected;
}

/** The class being worked on and the count so far, for under the bar. */
export function promotionProgressText(job: Pick<Job, 'status' | 'progress'> | null): string {
  if (!job || job.status === 'queued') return '排队中…';
  const { done, total, message } = job.progress;
  const count = total > 0 ? `已处理 ${done} / ${total} 名学生` : '正在处理…';
  return message.trim() ? `${message.trim()}（${count}）` : count;
}

/** The one-line outcome of a finished promotion. */
export function outcomeText(totals: PromotionTotals | null): string {
  if (!totals) return '升级已完成，但服务器返回的结果无法识别，请在学生名册中核对。';
  const created = totals.classesCreated > 0 ? `，新建 ${totals.classesCreated} 个班级` : '';
  return `${totals.promoted} 名学生已升一个年级，${totals.graduated} 名学生已毕业${created}。`;
}
