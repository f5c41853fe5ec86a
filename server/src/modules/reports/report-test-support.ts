import type { Bill, BillBatch, FeeItem } from '@campuspay/shared';
import type { SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { ledgerService } from '../ledger/ledger.service.ts';

/** Helpers the report, reminder and bill-import tests share: fee items, issuance and payments over HTTP. */

export async function waitJob(api: ApiClient, id: string): Promise<{ status: string; result: unknown; lastError: string | null }> {
  for (let i = 0; i < 1200; i++) {
    const job = await api.get<{ status: string; result: unknown; lastError: string | null }>(`/api/v1/admin/jobs/${encodeURIComponent(id)}`);
    if (job.body.status === 'succeeded' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

export async function createPayee(api: ApiClient, nodeId = 'group_demo'): Promise<string> {
  const res = await api.post<{ id: string }>('/api/v1/admin/payee-accounts', { name: '学校基本户', mchid: '1900000109', bankName: '示范银行城东支行', bankAccount: '6222000011112222', nodeId });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}

export async function createFeeItem(api: ApiClient, payeeAccountId: string, fields: Record<string, unknown>): Promise<FeeItem> {
  const res = await api.post<FeeItem>('/api/v1/admin/fee-items', {
    name: '学费',
    category: 'tuition',
    period: { kind: 'term', academicYear: '2026-2027', term: 1 },
    dueDate: '2026-09-10',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    refundable: true,
    payeeAccountId,
    ...fields,
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body;
}

export async function issue(api: ApiClient, feeItemId: string, nodeIds: string[]): Promise<Bill[]> {
  const draft = await api.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId, target: { nodeIds } });
  if (draft.status !== 201) throw new Error(JSON.stringify(draft.body));
  const published = await api.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
  const job = await waitJob(api, published.body.jobId!);
  if (job.status !== 'succeeded') throw new Error(`publish failed: ${job.lastError}`);
  const bills: Bill[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<{ items: Bill[]; total: number }>(`/api/v1/admin/bills?feeItemId=${feeItemId}&pageSize=500&page=${page}`);
    bills.push(...res.body.items);
    if (bills.length >= res.body.total || res.body.items.length === 0) break;
  }
  return bills;
}

export async function counterPay(api: ApiClient, billId: string, amountFen: number, method: 'cash' | 'pos' | 'transfer'): Promise<{ id: string }> {
  const res = await api.post<{ id: string }>('/api/v1/admin/offline-payments', { billId, amountFen, method, ...(method === 'cash' ? {} : { reference: `REF${billId.slice(-8)}${amountFen}` }) });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body;
}

/**
 * Books a WeChat payment or refund through the ledger's exactly-once path,
 * as the online payment flow does once WeChat confirms it; `at` places it
 * on a business day.
 */
export async function bookOnline(server: SeededServer, billId: string, kind: 'payment' | 'refund', amountFen: number, at: Date, id: string): Promise<void> {
  await ledgerService(server.deps).apply({ _id: `test-${kind}:${id}`, kind, method: 'wechat', billId, amountFen, at, transactionId: `42000000${id}` });
}
