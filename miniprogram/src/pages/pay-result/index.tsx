import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useUnload } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan } from '@campuspay/shared';
import { parsePayResult } from '../../platform/payment-outcome';
import { routeParam, routes } from '../../routes';
import { getOrder, type ParentOrder } from '../../services/orders';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

/** How long to wait for the server to see a payment the sheet reported as successful. */
const POLL_INTERVAL_MS = 2_000;
const POLL_ATTEMPTS = 8;

type ResultState =
  | { kind: 'checking' }
  | { kind: 'paid'; order: ParentOrder }
  | { kind: 'refunded'; order: ParentOrder }
  | { kind: 'pending'; order: ParentOrder }
  | { kind: 'cancelled'; order: ParentOrder | null }
  | { kind: 'failed'; order: ParentOrder | null }
  | { kind: 'closed'; order: ParentOrder }
  | { kind: 'error'; message: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The result of a payment, as the server sees it. The payment sheet's (or
 * sandbox payer page's) outcome only decides whether to keep asking: after a
 * reported success the order may still be PENDING until WeChat's notification
 * or the server's own query lands.
 */
export default function PayResultPage() {
  const { params } = useRouter();
  const orderId = routeParam(params, 'orderId');
  const studentId = routeParam(params, 'studentId');
  const studentName = routeParam(params, 'studentName');
  const payResult = parsePayResult(routeParam(params, 'payResult') || undefined);

  const [view, setView] = useState<ResultState>({ kind: 'checking' });
  const alive = useRef(true);
  useUnload(() => {
    alive.current = false;
  });

  const check = useCallback(async () => {
    if (!orderId) {
      setView({ kind: 'error', message: '缺少订单信息' });
      return;
    }
    setView({ kind: 'checking' });
    const attempts = payResult === 'SUCCESS' ? POLL_ATTEMPTS : 1;
    try {
      for (let i = 0; i < attempts; i++) {
        const order = await getOrder(orderId);
        if (!alive.current) return;
        switch (order.status) {
          case 'PAID':
            setView({ kind: 'paid', order });
            return;
          case 'REFUNDED':
          case 'PARTIALLY_REFUNDED':
            setView({ kind: 'refunded', order });
            return;
          case 'CLOSED':
            setView({ kind: 'closed', order });
            return;
          case 'PENDING':
            if (payResult === 'CANCEL') return setView({ kind: 'cancelled', order });
            if (payResult === 'FAIL') return setView({ kind: 'failed', order });
            if (i === attempts - 1) return setView({ kind: 'pending', order });
            await sleep(POLL_INTERVAL_MS);
            if (!alive.current) return;
            break;
          default:
            setView({ kind: 'pending', order });
            return;
        }
      }
    } catch (err) {
      if (!alive.current) return;
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      // Without the server's answer, still tell the parent what the payment sheet said.
      if (payResult === 'CANCEL') return setView({ kind: 'cancelled', order: null });
      if (payResult === 'FAIL') return setView({ kind: 'failed', order: null });
      setView({ kind: 'error', message: describeError(err, '暂时无法查询缴费结果') });
    }
  }, [orderId, payResult]);

  useEffect(() => {
    void check();
  }, [check]);

  const backToBills = () => {
    const pages = Taro.getCurrentPages();
    const previous = pages[pages.length - 2];
    if (previous?.route?.includes('pages/bills/')) {
      void Taro.navigateBack();
    } else if (studentId) {
      void Taro.redirectTo({ url: routes.bills({ studentId, studentName }) });
    } else {
      void Taro.reLaunch({ url: routes.home() });
    }
  };
  const backHome = () => void Taro.reLaunch({ url: routes.home() });

  const order = 'order' in view ? view.order : null;
  const presentation: Record<ResultState['kind'], { icon: string; tone: string; title: string; note: string }> = {
    checking: { icon: '…', tone: 'info', title: '正在确认缴费结果', note: '请稍候，正在向服务器确认支付状态' },
    paid: { icon: '✓', tone: 'success', title: '缴费成功', note: '学校已收到您的缴费，可在账单的“已缴”中查看' },
    refunded: { icon: '↺', tone: 'info', title: '该订单已退款', note: '退款将按原支付方式退回' },
    pending: {
      icon: '…',
      tone: 'warning',
      title: '支付结果确认中',
      note: '微信支付结果尚未送达，请稍后刷新。请勿重复缴费。',
    },
    cancelled: { icon: '×', tone: 'muted', title: '已取消支付', note: '账单仍待缴费，可返回账单重新缴费' },
    failed: { icon: '!', tone: 'danger', title: '支付未完成', note: '如已扣款请勿重复支付，稍后在账单中查看结果' },
    closed: { icon: '×', tone: 'muted', title: '订单已关闭', note: '该订单已失效，请返回账单重新发起缴费' },
    error: { icon: '!', tone: 'danger', title: '无法查询缴费结果', note: '' },
  };
  const p = presentation[view.kind];

  return (
    <View className='page pay-result'>
      <View className='pay-result__card'>
        <View className={`pay-result__icon pay-result__icon--${p.tone}`}>
          <Text>{p.icon}</Text>
        </View>
        <Text className='pay-result__title'>{p.title}</Text>
        {order && <Text className='pay-result__amount'>{displayYuan(order.totalFen)}</Text>}
        <Text className='pay-result__note'>{view.kind === 'error' ? view.message : p.note}</Text>
        {order?.outTradeNo && (
          <View className='pay-result__meta'>
            <Text className='pay-result__meta-label'>订单号</Text>
            <Text className='pay-result__meta-value' userSelect>
              {order.outTradeNo}
            </Text>
          </View>
        )}
      </View>

      <View className='pay-result__actions'>
        {(view.kind === 'pending' || view.kind === 'error') && (
          <Button className='btn btn--primary pay-result__action' onClick={() => void check()}>
            刷新结果
          </Button>
        )}
        {view.kind !== 'checking' && (
          <Button className='btn btn--plain pay-result__action' onClick={backToBills}>
            返回账单
          </Button>
        )}
        {view.kind !== 'checking' && (
          <Button className='btn btn--plain pay-result__action' onClick={backHome}>
            返回首页
          </Button>
        )}
      </View>
    </View>
  );
}
