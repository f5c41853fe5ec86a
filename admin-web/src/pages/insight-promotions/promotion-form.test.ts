import test from 'ava';
import { checkDraft, checkDrafts, draftOf, moved, newPromotion, promotionState } from './promotion-form.ts';

const today = '2026-09-01';

test('a new promotion shows on the home page from today for 30 days', (t) => {
  t.like(newPromotion(today), { slot: 'home', ctaText: '了解详情', startDay: '2026-09-01', endDay: '2026-09-30', enabled: true, nodeIds: [] });
});

test('drafts are checked with the shared contract', (t) => {
  const draft = { ...newPromotion(today), title: '开学季办卡礼', body: '新开借记卡送 20 元', link: '/pages/me/index' };
  t.deepEqual(checkDraft(draft), { ok: true, input: { slot: 'home', title: '开学季办卡礼', body: '新开借记卡送 20 元', ctaText: '了解详情', link: '/pages/me/index', imageUrl: '', nodeIds: [], startDay: '2026-09-01', endDay: '2026-09-30', enabled: true } });
  t.like(checkDraft({ ...draft, id: 'promo-1' }), { ok: true, input: { id: 'promo-1' } });
  t.deepEqual(checkDraft({ ...draft, title: '卡' }), { ok: false, field: 'title', message: '标题至少 2 个字' });
  t.deepEqual(checkDraft({ ...draft, ctaText: '立即办理信用卡领取开学好礼' }), { ok: false, field: 'ctaText', message: '按钮文字最多 12 个字' });
  t.deepEqual(checkDraft({ ...draft, link: 'http://example.com' }), { ok: false, field: 'link', message: '链接应为小程序页面路径或 https 地址' });
  t.deepEqual(checkDraft({ ...draft, imageUrl: 'http://x/a.png' }), { ok: false, field: 'imageUrl', message: '图片地址应为 https' });
  t.deepEqual(checkDraft({ ...draft, endDay: '2026-08-01' }), { ok: false, field: 'endDay', message: '结束日期不能早于开始日期' });
});

test('the list is checked in order and the first problem says which item', (t) => {
  const good = { ...newPromotion(today), title: '开学季办卡礼' };
  t.like(checkDrafts([good, good]), { ok: true });
  t.deepEqual(checkDrafts([good, { ...good, title: '' }]), { ok: false, index: 1, message: '第 2 条「未命名」：标题至少 2 个字' });
});

test('what parents see today', (t) => {
  const p = { enabled: true, startDay: '2026-09-01', endDay: '2026-09-30' };
  t.is(promotionState(p, '2026-09-15'), 'showing');
  t.is(promotionState(p, '2026-09-30'), 'showing');
  t.is(promotionState(p, '2026-08-31'), 'scheduled');
  t.is(promotionState(p, '2026-10-01'), 'ended');
  t.is(promotionState({ ...p, enabled: false }, '2026-09-15'), 'disabled');
});

test('a stored promotion becomes a draft without its bank', (t) => {
  const draft = draftOf({ id: 'p1', bankId: 'bank_demo', slot: 'payment_result', title: 't', body: '', ctaText: '', link: '', imageUrl: '', nodeIds: ['g1'], startDay: today, endDay: today, enabled: false });
  t.false('bankId' in draft);
  t.like(draft, { id: 'p1', slot: 'payment_result', nodeIds: ['g1'] });
});

test('moving an item up or down', (t) => {
  t.deepEqual(moved(['a', 'b', 'c'], 1, -1), ['b', 'a', 'c']);
  t.deepEqual(moved(['a', 'b', 'c'], 1, 1), ['a', 'c', 'b']);
  t.deepEqual(moved(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c']);
  t.deepEqual(moved(['a', 'b', 'c'], 2, 1), ['a', 'b', 'c']);
});
