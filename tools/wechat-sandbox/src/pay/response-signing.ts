import { buildResponseSignMessage, randomHex, signSha256WithRsa } from '../crypto/signing.ts';
import type { MerchantIdentity } from '../identity/merchants.ts';
import type { NotificationSigner } from '../state/types.ts';

export interface WechatpaySignatureHeaders {
  'Wechatpay-Timestamp': string;
  'Wechatpay-Nonce': string;
  'Wechatpay-Signature': string;
  'Wechatpay-Serial': string;
}

/**
 * WeChat's signature over `timestamp\nnonce\nbody\n`, with the platform
 * certificate's key (Wechatpay-Serial = its serial) or the WeChat Pay public
 * key's private half (Wechatpay-Serial = PUB_KEY_ID_…).
 */
export function signAsWechatPay(
  merchant: MerchantIdentity,
  signer: NotificationSigner,
  body: Buffer | string,
  nowSeconds: number,
): WechatpaySignatureHeaders {
  const timestamp = String(nowSeconds);
  const nonce = randomHex(16);
  const key = signer === 'public_key' ? merchant.wechatPayPublicKeyPrivateKey : merchant.platformPrivateKey;
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256WithRsa(buildResponseSignMessage(timestamp, nonce, body), key),
    'Wechatpay-Serial': signer === 'public_key' ? merchant.publicKeyId : merchant.platformCertificateSerial,
  };
}
