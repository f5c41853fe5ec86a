import { readFileSync } from 'node:fs';
import type { Config } from '../../config.ts';
import { AppError } from '../../platform/errors.ts';

/** A WeChat Pay merchant the platform collects for: its credentials and how WeChat signs to it. */
export interface MerchantCredentials {
  mchid: string;
  appid: string;
  serialNo: string;
  privateKeyPem: string;
  /** The merchant API certificate (PEM); its serial is serialNo. */
  certificatePem: string;
  apiV3Key: string;
  /** Public-key mode: WeChat signs with this key, named by its id in Wechatpay-Serial. */
  publicKeyId: string | null;
  publicKeyPem: string | null;
}

interface MerchantFileEntry {
  mchid: string;
  appid: string;
  serialNo: string;
  privateKeyPath: string;
  certificatePath: string;
  apiV3Key: string;
  publicKeyId?: string;
  publicKeyPath?: string;
}

export interface MerchantRegistry {
  get(mchid: string): MerchantCredentials;
  all(): MerchantCredentials[];
}

/** Loads merchants once at start-up from the merchants file, or a single merchant from the environment. */
export function loadMerchants(config: Config): MerchantRegistry {
  const byId = new Map<string, MerchantCredentials>();
  const add = (m: MerchantFileEntry) => {
    if (Buffer.byteLength(m.apiV3Key) !== 32) throw new Error(`WeChat Pay merchant ${m.mchid}: the APIv3 key must be exactly 32 bytes`);
    byId.set(m.mchid, {
      mchid: m.mchid,
      appid: m.appid,
      serialNo: m.serialNo.toUpperCase(),
      privateKeyPem: readFileSync(m.privateKeyPath, 'utf8'),
      certificatePem: readFileSync(m.certificatePath, 'utf8'),
      apiV3Key: m.apiV3Key,
      publicKeyId: m.publicKeyId ?? null,
      publicKeyPem: m.publicKeyPath ? readFileSync(m.publicKeyPath, 'utf8') : null,
    });
  };
  if (config.wechatPayMerchantsFile) {
    for (const m of JSON.parse(readFileSync(config.wechatPayMerchantsFile, 'utf8')) as MerchantFileEntry[]) add(m);
  } else if (config.wechatPayMchid && config.wechatPaySerialNo && config.wechatPayPrivateKeyPath && config.wechatPayCertificatePath && config.wechatPayApiV3Key && config.wechatAppId) {
    add({
      mchid: config.wechatPayMchid,
      appid: config.wechatAppId,
      serialNo: config.wechatPaySerialNo,
      privateKeyPath: config.wechatPayPrivateKeyPath,
      certificatePath: config.wechatPayCertificatePath,
      apiV3Key: config.wechatPayApiV3Key,
      publicKeyId: config.wechatPayPublicKeyId,
      publicKeyPath: config.wechatPayPublicKeyPath,
    });
  }
  return {
    get(mchid) {
      const m = byId.get(mchid);
      if (!m) throw new AppError('UPSTREAM_UNAVAILABLE', `收款账户的微信支付商户号 ${mchid} 未配置，暂不能在线支付`);
      return m;
    },
    all: () => [...byId.values()],
  };
}
