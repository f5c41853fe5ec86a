import test from 'ava';
import type { ParentPromotion } from '@campuspay/shared';
import { promotionTarget, promotionsFor } from './promotion-view';

const promo = (id: string, slot: ParentPromotion['slot']): ParentPromotion => ({ id, slot, title: id, body: '', ctaText: '了解详情', link: '', imageUrl: '', bankName: '示范商业银行' });

test('a slot shows its own promotions in the bank\'s order, and nothing when none', (t) => {
  const items = [promo('a', 'home'), promo('b', 'payment_result'), promo('c', 'home')];
  t.deepEqual(promotionsFor(items, 'home').map((p) => p.id), ['a', 'c']);
  t.deepEqual(promotionsFor(items, 'payment_result').map((p) => p.id), ['b']);
  t.deepEqual(promotionsFor([], 'home'), []);
});

test('a tap opens an in-app page or the bank\'s https page; anything else is not a link', (t) => {
  t.deepEqual(promotionTarget('/pages/consent/index'), { kind: 'page', url: '/pages/consent/index' });
  t.deepEqual(promotionTarget(' https://bank.example.com/card '), { kind: 'web', url: 'https://bank.example.com/card' });
  t.deepEqual(promotionTarget(''), { kind: 'none' });
  t.deepEqual(promotionTarget('//evil.example.com'), { kind: 'none' });
  t.deepEqual(promotionTarget('http://bank.example.com'), { kind: 'none' });
});
