import type { Page } from '@campuspay/shared';
import { itemsOf } from './list-body';
import { request, withQuery } from './request';
import type { Refund } from './refund-model';

export * from './refund-model';

/** GET /parent/refunds?billId → the bill's refunds, newest first (a `{items}` page is accepted too). */
export async function listRefunds(billId: string): Promise<Refund[]> {
  return itemsOf(await request<Refund[] | Page<Refund>>('GET', withQuery('/parent/refunds', { billId })));
}
