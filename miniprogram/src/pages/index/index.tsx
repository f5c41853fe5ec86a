import { useCallback, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan, sumFen } from '@campuspay/shared';
import LoginPanel from '../../components/login-panel';
import PromotionBanner from '../../components/promotion-banner';
import StateBlock from '../../components/state-block';
import { routes } from '../../routes';
import { listBills, summarizeBills, type BillSummary } from '../../services/bills';
import { listChildren, type Child } from '../../services/children';
import { isLoggedIn } from '../../services/session';
import { describeError, isSessionExpired } from '../../ui/show-error';
import './index.scss';

type ChildrenState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; children: Child[] };

/** Per child: its bill summary, or null when the bills could not be loaded. */
type Summaries = Record<string, BillSummary | null>;

export default function IndexPage() {
  const [loggedIn, setLoggedIn] = useState(isLoggedIn);
  const [state, setState] = useState<ChildrenState>({ kind: 'loading' });
  const [summaries, setSummaries] = useState<Summaries>({});
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    if (!isLoggedIn()) {
      setLoggedIn(false);
      return;
    }
    setLoggedIn(true);
    const seq = ++loadSeq.current;
    setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'loading' }));
    try {
      const children = await listChildren();
      if (seq !== loadSeq.current) return;
      setState({ kind: 'ready', children });
      const results = await Promise.allSettled(children.map((c) => listBills(c.id)));
      if (seq !== loadSeq.current) return;
      const next: Summaries = {};
      children.forEach((child, i) => {
        const result = results[i];
        next[child.id] = result?.status === 'fulfilled' ? summarizeBills(result.value) : null;
      });
      setSummaries(next);
    } catch (err) {
      if (seq !== loadSeq.current) return;
      if (isSessionExpired(err)) {
        setLoggedIn(false);
        void Taro.showToast({ title: '登录已失效，请重新登录', icon: 'none' });
        return;
      }
      setState({ kind: 'error', message: describeError(err, '加载失败，请稍后重试') });
    }
  }, []);

  useDidShow(() => {
    void load();
  });

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const goBind = () => void Taro.navigateTo({ url: routes.bindChild() });
  const goMe = () => void Taro.navigateTo({ url: routes.me() });

  if (!loggedIn) {
    return (
      <View className='page home'>
        <View className='home__brand'>
          <Text className='home__brand-name'>校园缴费</Text>
          <Text className='home__brand-tagline'>学费 · 餐费 · 住宿费 在线缴纳</Text>
        </View>
        <LoginPanel onLoggedIn={() => void load()} />
      </View>
    );
  }

  const children = state.kind === 'ready' ? state.children : [];
  const known = children.map((c) => summaries[c.id]).filter((s): s is BillSummary => Boolean(s));
  const allKnown = children.length > 0 && known.length === children.length;
  const totalOutstanding = sumFen(known.map((s) => s.outstandingFen));
  const totalUnpaid = known.reduce((n, s) => n + s.unpaidCount, 0);

  return (
    <View className='page home'>
      <View className='home__top'>
        <View className='home__brand'>
          <Text className='home__brand-name'>校园缴费</Text>
          <Text className='home__brand-tagline'>学费 · 餐费 · 住宿费 在线缴纳</Text>
        </View>
        <View className='home__me' onClick={goMe}>
          <Text>我的</Text>
        </View>
      </View>

      {allKnown && (
        <View className='home__overview'>
          <Text className='home__overview-label'>全部待缴</Text>
          <Text className='home__overview-amount'>{displayYuan(totalOutstanding)}</Text>
          <Text className='home__overview-note'>
            {totalUnpaid > 0 ? `共 ${totalUnpaid} 笔账单待缴费` : '暂无待缴账单'}
          </Text>
        </View>
      )}

      <View className='section-title'>
        <Text className='section-title__text'>我的孩子</Text>
        {children.length > 0 && (
          <Button className='btn btn--ghost btn--small' onClick={goBind}>
            + 绑定孩子
          </Button>
        )}
      </View>

      {state.kind === 'loading' && <StateBlock kind='loading' title='正在加载…' />}
      {state.kind === 'error' && (
        <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void load()} />
      )}
      {state.kind === 'ready' && children.length === 0 && (
        <StateBlock
          kind='empty'
          title='还没有绑定孩子'
          description='输入学校代码、学号和学生姓名即可绑定，绑定后可查看并缴纳学校账单'
          actionText='绑定孩子'
          onAction={goBind}
        />
      )}

      {children.map((child) => {
        const summary = summaries[child.id];
        return (
          <View
            key={child.id}
            className='child-card'
            onClick={() =>
              void Taro.navigateTo({ url: routes.bills({ studentId: child.id, studentName: child.name }) })
            }
          >
            <View className='child-card__avatar'>
              <Text>{child.name.slice(-2)}</Text>
            </View>
            <View className='child-card__main'>
              <Text className='child-card__name'>{child.name}</Text>
              <Text className='child-card__school'>
                {[child.schoolName, child.campusName].filter(Boolean).join(' · ')}
              </Text>
              <Text className='child-card__class'>
                {child.className}
                {child.studentNo ? `  学号 ${child.studentNo}` : ''}
              </Text>
            </View>
            <View className='child-card__bills'>
              {summary === undefined && <Text className='child-card__muted'>查询中</Text>}
              {summary === null && <Text className='child-card__muted'>账单暂不可查</Text>}
              {summary && summary.unpaidCount > 0 && (
                <>
                  <Text className='child-card__due'>{displayYuan(summary.outstandingFen)}</Text>
                  <Text className='child-card__due-count'>{summary.unpaidCount} 笔待缴</Text>
                </>
              )}
              {summary && summary.unpaidCount === 0 && <Text className='child-card__clear'>暂无待缴</Text>}
              <Text className='child-card__arrow'>账单 ›</Text>
            </View>
          </View>
        );
      })}

      <PromotionBanner slot='home' />
    </View>
  );
}
