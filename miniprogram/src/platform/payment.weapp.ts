import Taro from '@tarojs/taro';
import type { RequestPayment } from './payment';
import { outcomeFromErrMsg } from './payment-outcome';

type SignType = 'MD5' | 'HMAC-SHA256' | 'RSA';

function toSignType(value: string): SignType {
  if (value === 'MD5' || value === 'HMAC-SHA256' || value === 'RSA') return value;
  throw new Error(`不支持的签名类型：${value}`);
}

/** wx.requestPayment with the server-signed payParams (WeChat Pay v3: signType RSA). */
export const requestPayment: RequestPayment = async ({ payParams }) => {
  try {
    const res = await Taro.requestPayment({
      timeStamp: payParams.timeStamp,
      nonceStr: payParams.nonceStr,
      package: payParams.package,
      signType: toSignType(payParams.signType),
      paySign: payParams.paySign,
    });
    return outcomeFromErrMsg(res.errMsg || 'requestPayment:ok');
  } catch (err) {
    const errMsg = typeof err === 'object' && err !== null && 'errMsg' in err ? String(err.errMsg) : String(err);
    const outcome = outcomeFromErrMsg(errMsg);
    if (outcome === 'FAIL') console.warn('[payment] requestPayment failed:', errMsg);
    return outcome;
  }
};
