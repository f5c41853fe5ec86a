/**
 * The promotion slot editor's logic, pure and unit tested: a promotion as the
 * form holds it, checked with the shared contract before the list is saved,
 * and what parents see of it today.
 */
import { PROMOTION_SLOTS, addDays, promotionInputSchema, type Promotion, type PromotionInput } from '@campuspay/shared';

export type PromotionSlot = (typeof PROMOTION_SLOTS)[number];

export const PROMOTION_SLOT_LABELS: Record<PromotionSlot, string> = {
  home: '小程序首页',
  payment_result: '缴费结果页',
};

/** One promotion in the editor; `id` is absent until the server has stored it. */
export interface PromotionDraft {
  id?: string | undefined;
  slot: PromotionSlot;
  title: string;
  body: string;
  ctaText: string;
  link: string;
  imageUrl: string;
  nodeIds: string[];
  startDay: string;
  endDay: string;
  enabled: boolean;
}

/** A new promotion: the home slot, shown from today for 30 days. */
export function newPromotion(today: string): PromotionDraft {
  return { slot: 'home', title: '', body: '', ctaText: '了解详情', link: '', imageUrl: '', nodeIds: [], startDay: today, endDay: addDays(today, 29), enabled: true };
}

export function draftOf(promotion: Promotion): PromotionDraft {
  const { bankId: _bank, ...draft } = promotion;
  return { ...draft, nodeIds: [...draft.nodeIds] };
}

const FIELD_LABELS: Record<keyof PromotionDraft, string> = {
  id: '编号',
  slot: '位置',
  title: '标题',
  body: '说明',
  ctaText: '按钮文字',
  link: '链接',
  imageUrl: '图片地址',
  nodeIds: '限定学校',
  startDay: '开始日期',
  endDay: '结束日期',
  enabled: '启用',
};

export type DraftCheck = { ok: true; input: PromotionInput } | { ok: false; field: keyof PromotionDraft; message: string };

/** The draft as the server will check it (lengths, link and image rules, dates in order). */
export function checkDraft(draft: PromotionDraft): DraftCheck {
  const { id, ...fields } = draft;
  const parsed = promotionInputSchema.safeParse(id ? { id, ...fields } : fields);
  if (parsed.success) return { ok: true, input: id ? { id, ...fields } : fields };
  const issue = parsed.error.issues[0]!;
  const field = (issue.path[0] as keyof PromotionDraft | undefined) ?? 'title';
  // The contract words its own rules (links, dates) in Chinese; lengths come from zod in English.
  const label = FIELD_LABELS[field];
  if (issue.code === 'too_small') return { ok: false, field, message: `${label}至少 ${String(issue.minimum)} 个字` };
  if (issue.code === 'too_big') return { ok: false, field, message: `${label}最多 ${String(issue.maximum)} 个字` };
  return { ok: false, field, message: issue.message };
}

/** Every draft checked; the first problem names its place in the list. */
export function checkDrafts(drafts: readonly PromotionDraft[]): { ok: true; inputs: PromotionInput[] } | { ok: false; index: number; message: string } {
  const inputs: PromotionInput[] = [];
  for (const [index, draft] of drafts.entries()) {
    const checked = checkDraft(draft);
    if (!checked.ok) return { ok: false, index, message: `第 ${index + 1} 条「${draft.title || '未命名'}」：${checked.message}` };
    inputs.push(checked.input);
  }
  return { ok: true, inputs };
}

export type PromotionState = 'showing' | 'scheduled' | 'ended' | 'disabled';

export const PROMOTION_STATE_LABELS: Record<PromotionState, string> = { showing: '展示中', scheduled: '未开始', ended: '已结束', disabled: '已停用' };

/** Whether parents see the promotion today (their children's schools permitting). */
export function promotionState(draft: Pick<PromotionDraft, 'enabled' | 'startDay' | 'endDay'>, today: string): PromotionState {
  if (!draft.enabled) return 'disabled';
  if (today < draft.startDay) return 'scheduled';
  if (today > draft.endDay) return 'ended';
  return 'showing';
}

/** The list with the item at `index` moved one place up (-1) or down (+1); out of range leaves it as is. */
export function moved<T>(items: readonly T[], index: number, step: -1 | 1): T[] {
  const target = index + step;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
