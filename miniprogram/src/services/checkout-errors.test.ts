import test from 'ava';
import { ApiError } from './api-error';
import { checkoutErrorAction } from './checkout-errors';

const apiError = (status: number, code: string, message: string) => new ApiError({ status, code, message });

test('another guardian paying the same bill: say so, reload, new key next time', (t) => {
  t.deepEqual(checkoutErrorAction(apiError(409, 'STATE_CONFLICT', '另一位家长正在支付该账单，请稍后刷新查看')), {
    title: '账单正在支付中',
    message: '另一位家长正在支付该账单，请稍后刷新查看',
    retry: false,
    reloadBills: true,
    forgetKey: true,
  });
});

test('the same request still being processed (a retry with the same key): keep the key, try again', (t) => {
  t.like(checkoutErrorAction(apiError(409, 'STATE_CONFLICT', '相同的请求正在处理中，请稍后查询结果'), { keyReused: true }), {
    message: '相同的请求正在处理中，请稍后查询结果',
    retry: true,
    reloadBills: false,
    forgetKey: false,
  });
});

test('partial-payment rules (422): the server message explains; bills reloaded', (t) => {
  t.like(checkoutErrorAction(apiError(422, 'BUSINESS_RULE', '单次缴费不得少于 ¥500.00')), {
    message: '单次缴费不得少于 ¥500.00',
    retry: false,
    reloadBills: true,
    forgetKey: true,
  });
});

test('WeChat Pay busy (503): clear message and a retry with the same key', (t) => {
  t.like(checkoutErrorAction(apiError(503, 'UPSTREAM_UNAVAILABLE', '微信支付繁忙，请稍后重试（SYSTEM_ERROR）')), {
    title: '微信支付繁忙',
    message: '微信支付繁忙，请稍后重试（SYSTEM_ERROR）',
    retry: true,
    forgetKey: false,
  });
  t.like(checkoutErrorAction(apiError(503, 'NOT_READY', '服务启动中')), { retry: true, forgetKey: false });
});

test('network failure: retry with the same key (the order may exist)', (t) => {
  t.like(checkoutErrorAction(apiError(0, 'NETWORK_ERROR', '请求超时，请检查网络后重试')), { retry: true, forgetKey: false, reloadBills: false });
});

test('other failures', (t) => {
  t.like(checkoutErrorAction(apiError(409, 'IDEMPOTENCY_KEY_REUSED', 'x')), { retry: true, forgetKey: true });
  t.like(checkoutErrorAction(apiError(404, 'NOT_FOUND', '账单不存在')), { reloadBills: true, retry: false });
  t.like(checkoutErrorAction(apiError(502, 'UPSTREAM_ERROR', '微信支付返回错误')), { retry: true, forgetKey: true });
  t.like(checkoutErrorAction(new Error('boom')), { title: '发起支付失败', message: 'boom', retry: true });
  t.like(checkoutErrorAction('??'), { message: '发起支付失败，请稍后重试' });
});
