import type { ParentPromotion } from '@campuspay/shared';
import { request } from './request';

export type { ParentPromotion };

/**
 * GET /parent/promotions → what the banks of the children's schools have
 * configured for today (enabled, in its dates, at those schools), in order.
 * Empty when nothing is configured.
 */
export async function listPromotions(): Promise<ParentPromotion[]> {
  return (await request<{ items: ParentPromotion[] }>('GET', '/parent/promotions')).items;
}
