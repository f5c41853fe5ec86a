import type { ParentPromotion } from '@campuspay/shared';

/** Which promotions a slot shows and where a tap on one goes. Pure and unit tested. */

export type PromotionSlot = ParentPromotion['slot'];

/** The promotions of one slot (首页, 缴费结果页), in the bank's order. */
export function promotionsFor(items: readonly ParentPromotion[], slot: PromotionSlot): ParentPromotion[] {
  return items.filter((item) => item.slot === slot);
}

/** Where a tap on a promotion goes: an in-app page, a bank web page, or nowhere (no link). */
export type PromotionTarget = { kind: 'page'; url: string } | { kind: 'web'; url: string } | { kind: 'none' };

/** The server only accepts `/…` paths and https links; anything else is treated as no link. */
export function promotionTarget(link: string): PromotionTarget {
  const url = link.trim();
  if (url.startsWith('/') && !url.startsWith('//')) return { kind: 'page', url };
  if (url.startsWith('https://')) return { kind: 'web', url };
  return { kind: 'none' };
}
