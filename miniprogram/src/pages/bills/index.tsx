import { useCallback, useMemo, useRef, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useReady, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { displayYuan, sumFen } from '@campuspay/shared';
import BillCard from '../../components/bill-card';
import StateBlock from '../../components/state-block';
import { requestPayment } from '../../platform/payment';
import { routeParam, routes } from '../../routes';
import { isUnpaid, listBills, summarizeBills, type Bill } from '../../services/bills';
import { newIdempotencyKey } from '../../services/idempotency-key';
import { createOrder } from '../../services/orders';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type Tab = 'unpaid' | 'settled';

type BillsState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; bills: Bill[] };

export default function BillsPage() {
  const { params } = useRouter();
  const studentId = routeParam(params, 'studentId');
  const studentName = routeParam(params, 'studentName');

  const [state, setState] = useState<BillsState>({ kind: 'loading' });
  const [tab, setTab] = useState<Tab>('unpaid');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [paying, setPaying] = useState(false);
  /**
   * One Idempotency-Key per set of bills: paying the same bills again after
   * closing the payment sheet reuses the key, so the server hands back the
   * same order instead of opening a second one.
   */
  const keysBySelection = useRef(new Map<string, string>());

  useReady(() => {
    if (studentName) void Taro.setNavigationBarTitle({ title: `${studentName}的账单` });
  });

  const load = useCallback(async () => {
    if (!studentId) {
      setState({ kind: 'error', message: '缺少学生信息，请从首页进入' });
      return;
    }
    setState((prev) => (prev.kind === 'ready' ? prev : { kind: 'loading' }));
    try {
      const bills = await listBills(studentId);
      setState({ kind: 'ready', bills });
      // Keep only selections that are still payable.
      const payable = new Set(bills.filter(isUnpaid).map((b) => b.id));
      setSelected((prev) => new Set([...prev].filter((id) => payable.has(id))));
    } catch (err) {
      if (isSessionExpired(err)) {
        showError(err);
        return;
      }
      setState({ kind: 'error', message: describeError(err, '账单加载失败，请稍后重试') });
    }
  }, [studentId]);

  useDidShow(() => {
    void load();
  });

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const bills = state.kind === 'ready' ? state.bills : [];
  const summary = useMemo(() => summarizeBills(bills), [bills]);
  const unpaidBills = useMemo(() => bills.filter(isUnpaid), [bills]);
  const settledBills = useMemo(() => bills.filter((b) => !isUnpaid(b)), [bills]);
  const shown = tab === 'unpaid' ? unpaidBills : settledBills;
  /** Totals only once the bills are in, so a failed load never reads as "nothing owed". */
  const amount = (fen: number) => (state.kind === 'ready' ? displayYuan(fen) : '—');

  const selectedBills = unpaidBills.filter((b) => selected.has(b.id));
  const selectedTotal = sumFen(selectedBills.map((b) => b.outstandingFen));
  const allSelected = unpaidBills.length > 0 && selectedBills.length === unpaidBills.length;

  const toggle = (bill: Bill) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(bill.id)) next.delete(bill.id);
      else next.add(bill.id);
      return next;
    });
  };

  const toggleAll = () => {
    setSelected(allSelected ? new Set() : new Set(unpaidBills.map((b) => b.id)));
  };

  const pay = async () => {
    if (paying || selectedBills.length === 0) return;
    const billIds = selectedBills.map((b) => b.id).sort();
    const selectionKey = billIds.join(',');
    let idempotencyKey = keysBySelection.current.get(selectionKey);
    if (!idempotencyKey) {
      idempotencyKey = newIdempotencyKey();
      keysBySelection.current.set(selectionKey, idempotencyKey);
    }

    setPaying(true);
    try {
      const order = await createOrder(billIds, idempotencyKey);
      const resultPage = routes.payResult({ orderId: order.orderId, studentId, studentName });
      const outcome = await requestPayment({ orderId: order.orderId, payParams: order.payParams, resultPage });
      switch (outcome) {
        case 'REDIRECTED':
          return; // h5: the browser is leaving for the payer page and comes back to resultPage.
        case 'CANCEL':
          void Taro.showToast({ title: '已取消支付', icon: 'none' });
          return;
        case 'FAIL':
          void Taro.showModal({
            title: '支付未完成',
            content: '微信支付未能完成，请稍后重试。如已扣款，请勿重复支付，稍后在账单中查看结果。',
            showCancel: false,
            confirmText: '知道了',
          });
          void load();
          return;
        case 'SUCCESS':
          keysBySelection.current.delete(selectionKey);
          setSelected(new Set());
          void Taro.navigateTo({ url: `${resultPage}&payResult=SUCCESS` });
          return;
      }
    } catch (err) {
      showError(err, '发起支付失败，请稍后重试');
    } finally {
      setPaying(false);
    }
  };

  return (
    <View className={`page bills${tab === 'unpaid' && unpaidBills.length > 0 ? ' bills--with-bar' : ''}`}>
      <View className='bills__summary'>
        <View className='bills__summary-main'>
          <Text className='bills__summary-label'>{studentName ? `${studentName} · 待缴金额` : '待缴金额'}</Text>
          <Text className='bills__summary-amount'>{amount(summary.outstandingFen)}</Text>
        </View>
        <View className='bills__summary-side'>
          <View className='bills__summary-item'>
            <Text className='bills__summary-item-value'>{state.kind === 'ready' ? summary.unpaidCount : '—'}</Text>
            <Text className='bills__summary-item-label'>待缴笔数</Text>
          </View>
          <View className='bills__summary-item'>
            <Text className='bills__summary-item-value'>{amount(summary.netPaidFen)}</Text>
            <Text className='bills__summary-item-label'>已缴金额</Text>
          </View>
        </View>
      </View>

      <View className='bills__tabs'>
        <View
          className={`bills__tab${tab === 'unpaid' ? ' bills__tab--active' : ''}`}
          onClick={() => setTab('unpaid')}
        >
          <Text>待缴{unpaidBills.length > 0 ? `（${unpaidBills.length}）` : ''}</Text>
        </View>
        <View
          className={`bills__tab${tab === 'settled' ? ' bills__tab--active' : ''}`}
          onClick={() => setTab('settled')}
        >
          <Text>已缴{settledBills.length > 0 ? `（${settledBills.length}）` : ''}</Text>
        </View>
      </View>

      {state.kind === 'loading' && <StateBlock kind='loading' title='正在加载账单…' />}
      {state.kind === 'error' && (
        <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void load()} />
      )}
      {state.kind === 'ready' && shown.length === 0 && (
        <StateBlock
          kind='empty'
          title={tab === 'unpaid' ? '没有待缴账单' : '还没有已缴账单'}
          description={tab === 'unpaid' ? '学校发布新的账单后会显示在这里' : '缴费完成的账单会显示在这里'}
        />
      )}

      {shown.map((bill) => (
        <BillCard
          key={bill.id}
          bill={bill}
          selectable={tab === 'unpaid'}
          selected={selected.has(bill.id)}
          onToggle={toggle}
        />
      ))}

      {tab === 'unpaid' && unpaidBills.length > 0 && (
        <View className='pay-bar'>
          <View className='pay-bar__select' onClick={toggleAll}>
            <View className={`pay-bar__check${allSelected ? ' pay-bar__check--on' : ''}`}>
              {allSelected && <Text className='pay-bar__check-mark'>✓</Text>}
            </View>
            <Text>全选</Text>
          </View>
          <View className='pay-bar__total'>
            <Text className='pay-bar__total-label'>合计</Text>
            <Text className='pay-bar__total-amount'>{displayYuan(selectedTotal)}</Text>
          </View>
          <Button
            className={`btn btn--pay pay-bar__button${paying || selectedBills.length === 0 ? ' btn--disabled' : ''}`}
            loading={paying}
            disabled={paying || selectedBills.length === 0}
            onClick={pay}
          >
            {selectedBills.length > 0 ? `去缴费（${selectedBills.length}）` : '去缴费'}
          </Button>
        </View>
      )}
    </View>
  );
}
