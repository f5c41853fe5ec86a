/**
 * One upload of the bank's data as a small state machine, pure and unit
 * tested: upload → accepted (what was stored), refused (every bad row, nothing
 * stored) or failed (no answer, or another error). A late answer for a file
 * the user has moved on from is ignored.
 */
import type { TableImportRejection } from '../../services/insight-data.ts';

export type UploadState<T> =
  | { step: 'idle' }
  | { step: 'uploading'; fileName: string }
  | { step: 'accepted'; fileName: string; result: T }
  | { step: 'rejected'; fileName: string; rejection: TableImportRejection }
  | { step: 'failed'; fileName: string; message: string };

export type UploadEvent<T> =
  | { type: 'upload'; fileName: string }
  | { type: 'accepted'; fileName: string; result: T }
  | { type: 'rejected'; fileName: string; rejection: TableImportRejection }
  | { type: 'failed'; fileName: string; message: string }
  | { type: 'reset' };

export function uploadReducer<T>(state: UploadState<T>, event: UploadEvent<T>): UploadState<T> {
  switch (event.type) {
    case 'reset':
      return { step: 'idle' };
    case 'upload':
      return { step: 'uploading', fileName: event.fileName };
    case 'accepted':
    case 'rejected':
    case 'failed': {
      if (state.step !== 'uploading' || state.fileName !== event.fileName) return state;
      if (event.type === 'accepted') return { step: 'accepted', fileName: event.fileName, result: event.result };
      if (event.type === 'rejected') return { step: 'rejected', fileName: event.fileName, rejection: event.rejection };
      return { step: 'failed', fileName: event.fileName, message: event.message };
    }
  }
}
