import type { Page } from '@campuspay/shared';
import type { Bill } from './bill-model';
import { itemsOf } from './list-body';
import { request, withQuery } from './request';

export * from './bill-model';

/** Bills a page can hold; the parent API lists at most this many per request. */
const PAGE_SIZE = 200;

/**
 * GET /parent/bills?studentId&status → {items, total, page, pageSize} (a bare array is accepted too).
 * Without `status` every published bill of the child is returned; the bills
 * page splits them into 待缴 / 已缴 with isUnpaid.
 */
export async function listBills(studentId: string, status?: string): Promise<Bill[]> {
  const body = await request<Bill[] | Page<Bill>>(
    'GET',
    withQuery('/parent/bills', { studentId, status, pageSize: PAGE_SIZE }),
  );
  return itemsOf(body);
}

/** One bill of a child. The parent API has no single-bill endpoint, so it is picked from the child's list. */
export async function getBill(studentId: string, billId: string): Promise<Bill | null> {
  return (await listBills(studentId)).find((b) => b.id === billId) ?? null;
}
