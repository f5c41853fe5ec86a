/**
 * Billing endpoints: payee accounts, fee items, concession rules, bill
 * batches (targeted issuance) and bills with their actions, one typed
 * function each. Answers are parsed with the shared contract's schemas.
 */
import {
  billBatchSchema,
  billSchema,
  concessionRuleSchema,
  feeItemSchema,
  pageOf,
  payeeAccountSchema,
  type Bill,
  type BillBatch,
  type BillStatus,
  type ConcessionRule,
  type FeeCategory,
  type FeeItem,
  type FeePeriod,
  type Page,
  type PayeeAccount,
} from '@campuspay/shared';
import { api } from './request.ts';

const payeeAccountListSchema = payeeAccountSchema.array();
const feeItemListSchema = feeItemSchema.array();
const concessionRuleListSchema = concessionRuleSchema.array();
const billPageSchema = pageOf(billSchema);

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

// --- payee accounts --------------------------------------------------------

/** `GET /api/v1/admin/payee-accounts`: accounts of the scope and of the school group above it. */
export function listPayeeAccounts(signal?: AbortSignal): Promise<PayeeAccount[]> {
  return api.get('/admin/payee-accounts', { parse: (value) => payeeAccountListSchema.parse(value), ...withSignal(signal) });
}

/** The body of `POST /admin/payee-accounts` (the shared `createPayeeAccountSchema`). */
export interface CreatePayeeAccountRequest {
  name: string;
  mchid: string;
  bankName: string;
  bankAccount: string;
  /** A school group or campus. */
  nodeId: string;
}

/** `POST /api/v1/admin/payee-accounts` → 201 (group admins: `billing.approve`); the bank account comes back masked. */
export function createPayeeAccount(body: CreatePayeeAccountRequest): Promise<PayeeAccount> {
  return api.post('/admin/payee-accounts', body, { parse: (value) => payeeAccountSchema.parse(value) });
}

// --- fee items -------------------------------------------------------------

/** `GET /api/v1/admin/fee-items?includeArchived`: newest first. */
export function listFeeItems(options: { includeArchived?: boolean; signal?: AbortSignal } = {}): Promise<FeeItem[]> {
  return api.get('/admin/fee-items', {
    query: { includeArchived: options.includeArchived ? 'true' : undefined },
    parse: (value) => feeItemListSchema.parse(value),
    ...withSignal(options.signal),
  });
}

/** `GET /api/v1/admin/fee-items/:id`. */
export function getFeeItem(id: string, signal?: AbortSignal): Promise<FeeItem> {
  return api.get(`/admin/fee-items/${encodeURIComponent(id)}`, { parse: (value) => feeItemSchema.parse(value), ...withSignal(signal) });
}

/** The editable terms of a fee item (the shared `updateFeeItemSchema`). */
export interface FeeItemFields {
  name: string;
  category: FeeCategory;
  period: FeePeriod;
  prices: { nodeId: string; amountFen: number }[];
  dueDate: string;
  mandatory: boolean;
  allowPartial: boolean;
  minPaymentFen: number | null;
  refundable: boolean;
  payeeAccountId: string;
  description: string;
}

/** The body of `POST /admin/fee-items` (the shared `createFeeItemSchema`). */
export interface CreateFeeItemRequest extends FeeItemFields {
  /** The school group or campus the item applies to; fixed once created. */
  nodeId: string;
}

/** `POST /api/v1/admin/fee-items` → 201. */
export function createFeeItem(body: CreateFeeItemRequest): Promise<FeeItem> {
  return api.post('/admin/fee-items', body, { parse: (value) => feeItemSchema.parse(value) });
}

/** `PATCH /api/v1/admin/fee-items/:id`: applies to bills issued from now on; issued bills keep their terms. */
export function updateFeeItem(id: string, body: Partial<FeeItemFields>): Promise<FeeItem> {
  return api.patch(`/admin/fee-items/${encodeURIComponent(id)}`, body, { parse: (value) => feeItemSchema.parse(value) });
}

/** `DELETE /api/v1/admin/fee-items/:id`: archives (停用) the item; its bills stay. */
export function archiveFeeItem(id: string): Promise<void> {
  return api.del<void>(`/admin/fee-items/${encodeURIComponent(id)}`);
}

// --- concession rules --------------------------------------------------------

/** `GET /api/v1/admin/concession-rules`: in application order. */
export function listConcessionRules(signal?: AbortSignal): Promise<ConcessionRule[]> {
  return api.get('/admin/concession-rules', { parse: (value) => concessionRuleListSchema.parse(value), ...withSignal(signal) });
}

/** The body of `POST /admin/concession-rules` (the shared `createConcessionRuleSchema`). */
export type CreateConcessionRuleRequest = Omit<ConcessionRule, 'id'>;

/** `POST /api/v1/admin/concession-rules` → 201 (group admins: `billing.approve`). */
export function createConcessionRule(body: CreateConcessionRuleRequest): Promise<ConcessionRule> {
  return api.post('/admin/concession-rules', body, { parse: (value) => concessionRuleSchema.parse(value) });
}

// --- bill batches --------------------------------------------------------------

/** The body of `POST /admin/bill-batches` (the shared `createBillBatchSchema`). */
export interface CreateBillBatchRequest {
  feeItemId: string;
  target: { nodeIds: string[]; studentIds: string[]; excludeStudentIds: string[] };
  concessionRuleIds: string[];
  note: string;
}

/** `POST /api/v1/admin/bill-batches` → 201 a draft with its preview; nothing is issued yet. */
export function createBillBatch(body: CreateBillBatchRequest): Promise<BillBatch> {
  return api.post('/admin/bill-batches', body, { parse: (value) => billBatchSchema.parse(value) });
}

/** `GET /api/v1/admin/bill-batches/:id`. */
export function getBillBatch(id: string, signal?: AbortSignal): Promise<BillBatch> {
  return api.get(`/admin/bill-batches/${encodeURIComponent(id)}`, { parse: (value) => billBatchSchema.parse(value), ...withSignal(signal) });
}

/** `POST /api/v1/admin/bill-batches/:id/publish` → 202 the batch with `jobId` (poll `/admin/jobs/:id`); safe to repeat. */
export function publishBillBatch(id: string): Promise<BillBatch> {
  return api.post(`/admin/bill-batches/${encodeURIComponent(id)}/publish`, undefined, { parse: (value) => billBatchSchema.parse(value) });
}

// --- bills ---------------------------------------------------------------------

export interface BillListQuery {
  page?: number;
  pageSize?: number;
  /** Any organisation node in scope: campus, division, grade or class. */
  nodeId?: string | undefined;
  studentId?: string | undefined;
  feeItemId?: string | undefined;
  status?: BillStatus | undefined;
  /** Student number (prefix) or name (contains). */
  q?: string | undefined;
}

/** `GET /api/v1/admin/bills?page&pageSize&nodeId&studentId&feeItemId&status&q`. */
export function listBills(query: BillListQuery, signal?: AbortSignal): Promise<Page<Bill>> {
  return api.get('/admin/bills', {
    query: {
      page: query.page,
      pageSize: query.pageSize,
      nodeId: query.nodeId,
      studentId: query.studentId,
      feeItemId: query.feeItemId,
      status: query.status,
      q: query.q?.trim(),
    },
    parse: (value) => billPageSchema.parse(value),
    ...withSignal(signal),
  });
}

/** `GET /api/v1/admin/bills/:id`. */
export function getBill(id: string, signal?: AbortSignal): Promise<Bill> {
  return api.get(`/admin/bills/${encodeURIComponent(id)}`, { parse: (value) => billSchema.parse(value), ...withSignal(signal) });
}

/** The body of `POST /admin/bills/:id/concessions` (the shared `applyConcessionSchema`): a percentage or an amount. */
export interface ApplyConcessionRequest {
  kind: Bill['concessions'][number]['kind'];
  label?: string;
  percentBp?: number;
  amountFen?: number;
  reason: string;
}

const parseBill = (value: unknown) => billSchema.parse(value);

/** `POST /api/v1/admin/bills/:id/concessions`: above the threshold a bursar's concession waits for a group admin (`pending_approval`). */
export function applyConcession(billId: string, body: ApplyConcessionRequest): Promise<Bill> {
  return api.post(`/admin/bills/${encodeURIComponent(billId)}/concessions`, body, { parse: parseBill });
}

/** `POST /api/v1/admin/bills/:id/concessions/:concessionId/decision {approve, reason}` (group admins; not one's own request). */
export function decideConcession(billId: string, concessionId: string, body: { approve: boolean; reason: string }): Promise<Bill> {
  return api.post(`/admin/bills/${encodeURIComponent(billId)}/concessions/${encodeURIComponent(concessionId)}/decision`, body, { parse: parseBill });
}

/** `POST /api/v1/admin/bills/:id/adjust {amountDueFen, reason}`. */
export function adjustBill(billId: string, body: { amountDueFen: number; reason: string }): Promise<Bill> {
  return api.post(`/admin/bills/${encodeURIComponent(billId)}/adjust`, body, { parse: parseBill });
}

/** `POST /api/v1/admin/bills/:id/cancel {reason}`: only bills with nothing paid. */
export function cancelBill(billId: string, reason: string): Promise<Bill> {
  return api.post(`/admin/bills/${encodeURIComponent(billId)}/cancel`, { reason }, { parse: parseBill });
}

/** `POST /api/v1/admin/bills/:id/waive {reason}`: a hardship concession for the whole remainder (may need approval). */
export function waiveBill(billId: string, reason: string): Promise<Bill> {
  return api.post(`/admin/bills/${encodeURIComponent(billId)}/waive`, { reason }, { parse: parseBill });
}
