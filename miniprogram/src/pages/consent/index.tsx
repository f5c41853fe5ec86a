import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import StateBlock from '../../components/state-block';
import { consentStatusView, readConsentPhone } from '../../services/consent-view';
import { grantConsent, listConsents, withdrawConsent, type ParentConsent } from '../../services/consents';
import { describeError, isSessionExpired, showError } from '../../ui/show-error';
import './index.scss';

type PageState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; consents: ParentConsent[] };

const SHARED = ['您在此确认的手机号', '孩子就读的学校和学部', '您在本平台缴费的金额和支付方式的汇总'];
const NOT_SHARED = ['孩子的姓名、学号、班级和成绩', '未经您同意的任何联系方式'];

function ConsentCard({ consent, onChanged }: { consent: ParentConsent; onChanged(next: ParentConsent): void }) {
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const view = consentStatusView(consent);
  const granted = consent.status === 'granted';

  const run = async (action: () => Promise<ParentConsent>, done: string) => {
    setBusy(true);
    setProblem(null);
    try {
      onChanged(await action());
      setPhone('');
      void Taro.showToast({ title: done, icon: 'success', duration: 1500 });
    } catch (err) {
      if (isSessionExpired(err)) showError(err);
      else setProblem(describeError(err, '操作未成功，请稍后重试'));
    } finally {
      setBusy(false);
    }
  };

  const grant = () => {
    if (busy) return;
    const read = readConsentPhone(phone);
    if (!read.ok) {
      setProblem(read.message);
      return;
    }
    void run(() => grantConsent({ bankId: consent.bankId, version: consent.version, phone: read.phone }), '已同意');
  };

  const withdraw = () => {
    if (busy) return;
    void run(() => withdrawConsent(consent.bankId), '已撤回');
  };

  return (
    <View className='consent-card'>
      <View className='consent-card__head'>
        <Text className='consent-card__bank'>{consent.bankName}</Text>
        <Text className={`consent-card__status consent-card__status--${view.tone}`}>{view.label}</Text>
      </View>
      <Text className='consent-card__detail'>{view.detail}</Text>

      <View className='consent-card__section'>
        <Text className='consent-card__section-title'>授权对象</Text>
        <Text className='consent-card__line'>{consent.bankName}（本缴费平台的运营银行），不会提供给其他机构</Text>
      </View>
      <View className='consent-card__section'>
        <Text className='consent-card__section-title'>银行可以看到</Text>
        {SHARED.map((line) => (
          <Text key={line} className='consent-card__line'>· {line}</Text>
        ))}
      </View>
      <View className='consent-card__section'>
        <Text className='consent-card__section-title'>银行看不到</Text>
        {NOT_SHARED.map((line) => (
          <Text key={line} className='consent-card__line'>· {line}</Text>
        ))}
      </View>

      <View className='consent-card__text'>
        <Text className='consent-card__text-title'>
          {consent.title}（第 {consent.version} 版）
        </Text>
        <Text className='consent-card__text-body'>{consent.text}</Text>
      </View>

      {problem && <Text className='consent-card__problem'>{problem}</Text>}

      {granted ? (
        <View className='consent-card__actions'>
          {view.newerText && <Text className='consent-card__note'>授权说明已更新为第 {consent.version} 版，您之前同意的第 {consent.grantedVersion} 版继续有效</Text>}
          <Button className={`btn btn--danger-plain consent-card__button${busy ? ' btn--disabled' : ''}`} loading={busy} disabled={busy} onClick={withdraw}>
            撤回同意
          </Button>
          <Text className='consent-card__note'>撤回后立即生效，银行将看不到您的联系方式，也不再联系您；缴费不受影响</Text>
        </View>
      ) : (
        <View className='consent-card__actions'>
          <Text className='consent-card__label'>银行可联系的手机号</Text>
          <Input
            className='consent-card__input'
            type='number'
            value={phone}
            maxlength={11}
            placeholder='请输入学校登记的监护人手机号'
            placeholderClass='consent-card__placeholder'
            onInput={(e) => {
              setPhone(e.detail.value);
              setProblem(null);
            }}
          />
          <Button className={`btn btn--primary consent-card__button${busy ? ' btn--disabled' : ''}`} loading={busy} disabled={busy} onClick={grant}>
            我已阅读并同意
          </Button>
          <Text className='consent-card__note'>不同意也可以正常缴费，不影响任何学校服务；同意后可随时在本页撤回</Text>
        </View>
      )}
    </View>
  );
}

/**
 * 银行联系授权: the separate, optional consent for the bank that runs the
 * platform to contact the parent about financial services. It shows who
 * receives what, the exact text and version being agreed to, and lets the
 * parent grant or withdraw at any time.
 */
export default function ConsentPage() {
  const [state, setState] = useState<PageState>({ kind: 'loading' });

  const load = useCallback(async () => {
    setState((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    try {
      setState({ kind: 'ready', consents: await listConsents() });
    } catch (err) {
      if (isSessionExpired(err)) showError(err);
      setState({ kind: 'error', message: describeError(err, '加载失败，请稍后重试') });
    }
  }, []);

  useDidShow(() => {
    void load();
  });

  const replace = (next: ParentConsent) =>
    setState((s) => (s.kind === 'ready' ? { kind: 'ready', consents: s.consents.map((c) => (c.bankId === next.bankId ? next : c)) } : s));

  return (
    <View className='page consent'>
      <View className='consent__intro'>
        <Text className='consent__title'>银行联系授权</Text>
        <Text className='consent__subtitle'>这是一项单独的、可选的授权，与缴费无关。您可以随时同意或撤回。</Text>
      </View>
      {state.kind === 'loading' && <StateBlock kind='loading' title='正在加载…' />}
      {state.kind === 'error' && <StateBlock kind='error' title='加载失败' description={state.message} actionText='重试' onAction={() => void load()} />}
      {state.kind === 'ready' && state.consents.length === 0 && (
        <StateBlock kind='empty' title='暂无需要授权的银行' description='绑定孩子后，这里会显示为孩子学校提供服务的银行' />
      )}
      {state.kind === 'ready' && state.consents.map((consent) => <ConsentCard key={consent.bankId} consent={consent} onChanged={replace} />)}
    </View>
  );
}
