/**
 * The roster import as a small state machine, pure and unit tested:
 * choose a file → upload → either rejected (every bad row listed, nothing
 * imported) or accepted as a job → progress → summary (or failure).
 */
import { importSummarySchema, type ImportSummary } from '@campuspay/shared';
import type { Job } from '../../services/jobs.ts';
import type { ImportRejection } from '../../services/students.ts';

/** Poll the job this often. */
export const JOB_POLL_MS = 500;

export type ImportState =
  | { step: 'idle' }
  | { step: 'uploading'; fileName: string }
  | { step: 'rejected'; fileName: string; rejection: ImportRejection }
  | { step: 'running'; fileName: string; jobId: string; job: Job | null }
  | { step: 'succeeded'; fileName: string; jobId: string; summary: ImportSummary }
  | { step: 'failed'; fileName: string; message: string; jobId?: string };

export type ImportEvent =
  | { type: 'upload'; fileName: string }
  | { type: 'rejected'; rejection: ImportRejection }
  | { type: 'accepted'; jobId: string }
  | { type: 'progress'; job: Job }
  | { type: 'error'; message: string }
  | { type: 'reset' };

export function importReducer(state: ImportState, event: ImportEvent): ImportState {
  switch (event.type) {
    case 'reset':
      return { step: 'idle' };
    case 'upload':
      return { step: 'uploading', fileName: event.fileName };
    case 'rejected':
      return state.step === 'uploading' ? { step: 'rejected', fileName: state.fileName, rejection: event.rejection } : state;
    case 'accepted':
      return state.step === 'uploading' ? { step: 'running', fileName: state.fileName, jobId: event.jobId, job: null } : state;
    case 'progress': {
      if (state.step !== 'running' || event.job.id !== state.jobId) return state;
      const { job } = event;
      if (job.status === 'succeeded') {
        const summary = importSummarySchema.safeParse(job.result);
        return summary.success
          ? { step: 'succeeded', fileName: state.fileName, jobId: state.jobId, summary: summary.data }
          : { step: 'failed', fileName: state.fileName, jobId: state.jobId, message: '导入已完成，但服务器返回的结果无法识别，请在学生名册中核对。' };
      }
      if (job.status === 'failed') {
        return { step: 'failed', fileName: state.fileName, jobId: state.jobId, message: job.lastError?.trim() || '导入失败，请稍后重试。' };
      }
      return { ...state, job };
    }
    case 'error':
      return state.step === 'idle' ? state : { step: 'failed', fileName: state.fileName, message: event.message };
  }
}

/** "第 120 / 500 行" or the job's own message, for under the bar. */
export function progressText(job: Pick<Job, 'status' | 'progress'> | null): string {
  if (!job || job.status === 'queued') return '排队中…';
  const { done, total, message } = job.progress;
  if (message.trim()) return total > 0 ? `${message.trim()}（${done} / ${total}）` : message.trim();
  return total > 0 ? `已处理 ${done} / ${total} 行` : '正在处理…';
}

/** The one-line outcome of a finished import. */
export function summaryText(summary: ImportSummary): string {
  if (summary.created === 0 && summary.updated === 0) return `共 ${summary.rows} 行，与现有名册完全一致，没有需要变更的数据。`;
  return `共 ${summary.rows} 行：新增 ${summary.created} 名，更新 ${summary.updated} 名，无变化 ${summary.unchanged} 名。`;
}
