/**
 * Counter (cashier) endpoints: offline payments, reversals and receipt PDFs,
 * one typed function each.
 */
import { offlinePaymentSchema, type OfflinePayment } from '@campuspay/shared';
import { api, type DownloadedFile } from './request.ts';
import { objectOf, stringField } from './shape.ts';

const offlinePaymentListSchema = offlinePaymentSchema.array();

/** The body of `POST /admin/offline-payments` (the shared `createOfflinePaymentSchema`). */
export interface CreateOfflinePaymentRequest {
  billId: string;
  amountFen: number;
  method: 'cash' | 'pos' | 'transfer';
  /** POS slip or transfer number; required for POS and transfers. */
  reference?: string;
  payerName?: string;
}

/** A counter payment as recorded, with the code printed on its receipt. */
export interface TakenPayment extends OfflinePayment {
  receiptVerificationCode: string;
}

function parseTakenPayment(value: unknown): TakenPayment {
  const payment = offlinePaymentSchema.parse(value);
  return { ...payment, receiptVerificationCode: stringField(objectOf(value, 'offline payment'), 'receiptVerificationCode') };
}

/**
 * `POST /api/v1/admin/offline-payments` with `Idempotency-Key` → 201 the
 * payment with its receipt number. A retry with the same key and body
 * returns the first answer instead of taking the money twice.
 */
export function takeOfflinePayment(body: CreateOfflinePaymentRequest, idempotencyKey: string): Promise<TakenPayment> {
  return api.post('/admin/offline-payments', body, { idempotencyKey, parse: parseTakenPayment });
}

export interface OfflinePaymentQuery {
  /** Asia/Shanghai business day, YYYY-MM-DD. */
  day?: string | undefined;
  billId?: string | undefined;
  cashierId?: string | undefined;
}

/** `GET /api/v1/admin/offline-payments?day&billId&cashierId`: newest first (at most 1000). */
export function listOfflinePayments(query: OfflinePaymentQuery, signal?: AbortSignal): Promise<OfflinePayment[]> {
  return api.get('/admin/offline-payments', {
    query: { day: query.day, billId: query.billId, cashierId: query.cashierId },
    parse: (value) => offlinePaymentListSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `POST /api/v1/admin/offline-payments/:id/reverse {reason}` with `Idempotency-Key`: undoes a payment taken in error and voids its receipt. */
export function reverseOfflinePayment(id: string, reason: string, idempotencyKey: string): Promise<OfflinePayment> {
  return api.post(`/admin/offline-payments/${encodeURIComponent(id)}/reverse`, { reason }, {
    idempotencyKey,
    parse: (value) => offlinePaymentSchema.parse(value),
  });
}

/** `GET /api/v1/admin/receipts/:receiptNo/pdf` → the receipt as a PDF (the download is audited). */
export function downloadReceiptPdf(receiptNo: string): Promise<DownloadedFile> {
  return api.download(`/admin/receipts/${encodeURIComponent(receiptNo)}/pdf`);
}
