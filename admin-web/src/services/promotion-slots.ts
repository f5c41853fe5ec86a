/**
 * The bank's promotion slots in the parents' mini-program (首页 and the
 * payment result page): read and replaced as a whole list, in display order.
 * Platform admins only (server: insights.configure); audited by the server.
 */
import { promotionsSchema, type Promotion, type PromotionInput } from '@campuspay/shared';
import { api } from './request.ts';

export interface BankPromotions {
  bankId: string;
  items: Promotion[];
}

/** `GET /api/v1/admin/insights/promotions`: the bank's promotions, in display order. */
export function getPromotions(signal?: AbortSignal): Promise<BankPromotions> {
  return api.get('/admin/insights/promotions', {
    parse: (value) => promotionsSchema.parse(value),
    ...(signal ? { signal } : {}),
  });
}

/** `PUT /api/v1/admin/insights/promotions {bankId, items}`: replaces every promotion of the bank; items without an id are new. */
export function savePromotions(bankId: string, items: readonly PromotionInput[]): Promise<BankPromotions> {
  return api.put('/admin/insights/promotions', { bankId, items }, { parse: (value) => promotionsSchema.parse(value) });
}
