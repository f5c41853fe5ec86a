import test from 'ava';
import { isSafeRedirect, withPayResult } from './payer-redirect.ts';

test('payResult goes inside a hash route, keeping its query', (t) => {
  t.is(withPayResult('http://host/h5/#/pages/pay/result?orderId=x', 'SUCCESS'), 'http://host/h5/#/pages/pay/result?orderId=x&payResult=SUCCESS');
  t.is(withPayResult('http://host/h5/#/pages/pay/result', 'CANCEL'), 'http://host/h5/#/pages/pay/result?payResult=CANCEL');
  t.is(withPayResult('http://host/h5/?lang=zh#/pages/pay/result', 'FAIL'), 'http://host/h5/?lang=zh#/pages/pay/result?payResult=FAIL');
});

test('without a hash payResult joins the query', (t) => {
  t.is(withPayResult('http://host/pay/result', 'SUCCESS'), 'http://host/pay/result?payResult=SUCCESS');
  t.is(withPayResult('http://host/pay/result?orderId=1', 'SUCCESS'), 'http://host/pay/result?orderId=1&payResult=SUCCESS');
});

test('only http(s) redirects are followed', (t) => {
  t.true(isSafeRedirect('https://campuspay.example.com/h5/'));
  t.false(isSafeRedirect('javascript:alert(1)'));
  t.false(isSafeRedirect('/relative'));
});
