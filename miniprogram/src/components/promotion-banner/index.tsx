import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { openWebPage } from '../../platform/open-web-page';
import { promotionTarget, promotionsFor, type PromotionSlot } from '../../services/promotion-view';
import { listPromotions, type ParentPromotion } from '../../services/promotions';
import { describeError } from '../../ui/show-error';
import './index.scss';

/**
 * The bank's promotion slot on a page: what the bank configured for this
 * slot today, nothing at all when it configured none. A promotion is never
 * in the way of paying, so a failed load shows nothing either.
 *
 * For e2e (h5): `.promotion-banner` (one per promotion, `data-promotion-id`),
 * `.promotion-banner__title`, `.promotion-banner__cta`.
 */
export default function PromotionBanner({ slot }: { slot: PromotionSlot }) {
  const [items, setItems] = useState<ParentPromotion[]>([]);

  // Once per page visit: the parent sees a change the next time the page opens.
  useEffect(() => {
    let current = true;
    listPromotions()
      .then((all) => {
        if (current) setItems(promotionsFor(all, slot));
      })
      .catch((err: unknown) => {
        console.warn('[promotions] not shown:', describeError(err, '加载失败'));
      });
    return () => {
      current = false;
    };
  }, [slot]);

  const open = (item: ParentPromotion) => {
    const target = promotionTarget(item.link);
    if (target.kind === 'page') void Taro.navigateTo({ url: target.url });
    else if (target.kind === 'web') {
      openWebPage(target.url).catch((err: unknown) => void Taro.showToast({ title: describeError(err, '无法打开链接'), icon: 'none' }));
    }
  };

  if (items.length === 0) return null;
  return (
    <View className='promotion-list'>
      {items.map((item) => {
        const linked = promotionTarget(item.link).kind !== 'none';
        return (
          <View key={item.id} className='promotion-banner' data-promotion-id={item.id} onClick={linked ? () => open(item) : undefined}>
            {item.imageUrl && <Image className='promotion-banner__image' src={item.imageUrl} mode='aspectFill' />}
            <View className='promotion-banner__main'>
              <Text className='promotion-banner__badge'>{item.bankName} · 推广</Text>
              <Text className='promotion-banner__title'>{item.title}</Text>
              {item.body && <Text className='promotion-banner__body'>{item.body}</Text>}
            </View>
            {linked && item.ctaText && <Text className='promotion-banner__cta'>{item.ctaText} ›</Text>}
          </View>
        );
      })}
    </View>
  );
}
