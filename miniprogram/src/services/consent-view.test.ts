import test from 'ava';
import type { ParentConsent } from '@campuspay/shared';
import { beijingTime, consentStatusView, readConsentPhone } from './consent-view';

const base: ParentConsent = {
  bankId: 'bank_demo',
  bankName: '示范商业银行',
  title: '同意示范商业银行联系我介绍金融服务',
  text: '……',
  version: 2,
  status: 'none',
  grantedVersion: null,
  grantedAt: null,
  withdrawnAt: null,
  phoneMasked: null,
};

test('times read in Beijing time whatever the device zone', (t) => {
  t.is(beijingTime('2026-08-31T16:30:00.000Z'), '2026-09-01 00:30');
  t.is(beijingTime('not a date'), '');
});

test('each state in words; an older granted version is noticed', (t) => {
  t.like(consentStatusView(base), { tone: 'none', label: '未同意', newerText: false });
  const granted = consentStatusView({ ...base, status: 'granted', grantedVersion: 1, grantedAt: '2026-09-01T01:00:00Z', phoneMasked: '138****0001' });
  t.like(granted, { tone: 'granted', label: '已同意', newerText: true });
  t.is(granted.detail, '2026-09-01 09:00 同意第 1 版说明，联系手机 138****0001');
  t.false(consentStatusView({ ...base, status: 'granted', grantedVersion: 2, grantedAt: null, phoneMasked: '138****0001' }).newerText);
  t.like(consentStatusView({ ...base, status: 'withdrawn', withdrawnAt: '2026-09-02T02:00:00Z' }), { tone: 'withdrawn', label: '已撤回', detail: '2026-09-02 10:00 已撤回，示范商业银行不会再因此联系您' });
});

test('the phone is checked before it is sent', (t) => {
  t.deepEqual(readConsentPhone(' 138 0000-0001 '), { ok: true, phone: '13800000001' });
  t.like(readConsentPhone(''), { ok: false, message: '请输入学校登记的监护人手机号' });
  t.like(readConsentPhone('1380000'), { ok: false, message: '请输入 11 位手机号' });
  t.like(readConsentPhone('23800000001'), { ok: false });
});
