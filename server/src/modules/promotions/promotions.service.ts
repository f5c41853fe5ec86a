import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { businessDay, type ParentPromotion, type Promotion, type promotionInputSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { auditService } from '../audit/audit.service.ts';
import type { ParentPrincipal, StaffScope } from '../auth/principal.ts';
import { consentService } from '../consent/consent.service.ts';
import { settingsService } from '../insights/settings.service.ts';
import { PromotionModel, type PromotionDoc } from './promotion.model.ts';

type PromotionInput = z.output<typeof promotionInputSchema>;

/** Stored ids carry the bank, so two banks may use the same promotion id. */
const storedId = (bankId: string, id: string) => `${bankId}:${id}`;
const publicId = (d: PromotionDoc) => d._id.slice(d.bankId.length + 1);

function toPromotion(d: PromotionDoc): Promotion {
  return { id: publicId(d), bankId: d.bankId, slot: d.slot, title: d.title, body: d.body, ctaText: d.ctaText, link: d.link, imageUrl: d.imageUrl, nodeIds: d.nodeIds, startDay: d.startDay, endDay: d.endDay, enabled: d.enabled };
}

export function promotionsService(deps: ServerDeps) {
  const promotions = PromotionModel(deps.db);
  const settings = settingsService(deps);
  const audit = auditService(deps.db);

  async function list(scope: StaffScope, bankId?: string): Promise<{ bankId: string; items: Promotion[] }> {
    const bank = settings.bankFor(scope, bankId);
    const docs = await promotions.find({ bankId: bank }).sort({ sortOrder: 1 }).lean<PromotionDoc[]>();
    return { bankId: bank, items: docs.map(toPromotion) };
  }

  /** Replaces the bank's promotions with `items` (in order); unknown ids are new ones. */
  async function replace(scope: StaffScope, bankId: string | undefined, items: PromotionInput[]): Promise<{ bankId: string; items: Promotion[] }> {
    const bank = settings.bankFor(scope, bankId);
    const before = await list(scope, bank);
    const ids = items.map((p) => p.id ?? `promo-${randomBytes(5).toString('hex')}`);
    for (const [i, p] of items.entries()) {
      const { id: _ignored, ...fields } = p;
      await promotions.collection.replaceOne(
        { _id: storedId(bank, ids[i]!) as never },
        { ...fields, bankId: bank, sortOrder: i, updatedBy: scope.principal.username, updatedAt: new Date() },
        { upsert: true },
      );
    }
    const keep = new Set(ids);
    const gone = before.items.filter((p) => !keep.has(p.id)).map((p) => storedId(bank, p.id));
    if (gone.length > 0) await promotions.deleteMany({ _id: { $in: gone } });
    const after = await list(scope, bank);
    await audit.append(scope.principal, { action: 'promotions.update', objectType: 'promotion', objectId: bank, orgPath: [bank], before: before.items, after: after.items });
    return after;
  }

  /** What the parent's mini-program shows: enabled promotions in their dates, of the banks of the parent's children's schools. */
  async function forParent(principal: ParentPrincipal): Promise<{ items: ParentPromotion[] }> {
    const today = businessDay();
    const banks = await consentService(deps).banksOf(principal.parentId);
    const items: ParentPromotion[] = [];
    for (const bank of banks) {
      const docs = await promotions.find({ bankId: bank.bankId }).sort({ sortOrder: 1 }).lean<PromotionDoc[]>();
      for (const d of docs) {
        if (!d.enabled || d.startDay > today || d.endDay < today) continue;
        if (d.nodeIds.length > 0 && !bank.childPaths.some((p) => d.nodeIds.some((n) => p.includes(n)))) continue;
        items.push({ id: publicId(d), slot: d.slot, title: d.title, body: d.body, ctaText: d.ctaText, link: d.link, imageUrl: d.imageUrl, bankName: bank.bankName });
      }
    }
    return { items };
  }

  return { list, replace, forParent };
}
