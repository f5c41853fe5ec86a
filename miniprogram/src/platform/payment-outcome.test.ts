import test from 'ava';
import { outcomeFromErrMsg, parsePayResult, prepayIdFromPackage } from './payment-outcome';

test('wx.requestPayment errMsg → what the sheet reported', (t) => {
  t.is(outcomeFromErrMsg('requestPayment:ok'), 'SUCCESS');
  t.is(outcomeFromErrMsg('requestPayment:fail cancel'), 'CANCEL');
  t.is(outcomeFromErrMsg('requestPayment:fail  Cancel'), 'CANCEL');
  t.is(outcomeFromErrMsg('requestPayment:fail 支付验证签名失败'), 'FAIL');
  t.is(outcomeFromErrMsg(''), 'FAIL');
});

test('payResult from the sandbox payer page, and the prepay id of a package', (t) => {
  t.is(parsePayResult('SUCCESS'), 'SUCCESS');
  t.is(parsePayResult('CANCEL'), 'CANCEL');
  t.is(parsePayResult('FAIL'), 'FAIL');
  t.is(parsePayResult('success'), null);
  t.is(parsePayResult(undefined), null);
  t.is(prepayIdFromPackage('prepay_id=wx201410272009395522657a690389285100'), 'wx201410272009395522657a690389285100');
  t.is(prepayIdFromPackage(' prepay_id=abc '), 'abc');
  t.is(prepayIdFromPackage('abc'), null);
});
