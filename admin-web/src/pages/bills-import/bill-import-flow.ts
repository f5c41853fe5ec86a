/**
 * 账单导入 as a small state machine, pure and unit tested: choose a file →
 * upload → either rejected (every bad row listed, no bill issued) or
 * imported (what was issued, what already existed). The server checks and
 * issues in the one request, so there is no job to follow.
 */
import { displayYuan, type BillImportResult } from '@campuspay/shared';
import type { BillImportRejection } from '../../services/bill-import.ts';

export type BillImportState =
  | { step: 'idle' }
  | { step: 'uploading'; fileName: string }
  | { step: 'rejected'; fileName: string; rejection: BillImportRejection }
  | { step: 'imported'; fileName: string; result: BillImportResult }
  | { step: 'failed'; fileName: string; message: string };

export type BillImportEvent =
  | { type: 'upload'; fileName: string }
  | { type: 'rejected'; rejection: BillImportRejection }
  | { type: 'imported'; result: BillImportResult }
  | { type: 'error'; message: string }
  | { type: 'reset' };

export function billImportReducer(state: BillImportState, event: BillImportEvent): BillImportState {
  switch (event.type) {
    case 'reset':
      return { step: 'idle' };
    case 'upload':
      return { step: 'uploading', fileName: event.fileName };
    case 'rejected':
      return state.step === 'uploading' ? { step: 'rejected', fileName: state.fileName, rejection: event.rejection } : state;
    case 'imported':
      return state.step === 'uploading' ? { step: 'imported', fileName: state.fileName, result: event.result } : state;
    case 'error':
      return state.step === 'uploading' ? { step: 'failed', fileName: state.fileName, message: event.message } : state;
  }
}

/** The one-line outcome of an accepted file. */
export function billImportOutcomeText(result: BillImportResult): string {
  if (result.issued === 0) return `共 ${result.rows} 行，账单均已存在且金额一致，没有新开账单。`;
  const existing = result.unchanged > 0 ? `；${result.unchanged} 行的账单已存在且金额一致，未变动` : '';
  return `共 ${result.rows} 行：新开账单 ${result.issued} 张，应收合计 ${displayYuan(result.issuedFen)}${existing}。`;
}
