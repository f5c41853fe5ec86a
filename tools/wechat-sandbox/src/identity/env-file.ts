import path from 'node:path';
import { writeFileAtomic } from '../files.ts';
import type { MerchantIdentity } from './merchants.ts';

/** One entry of merchants.json, the file the server reads to know every payee merchant. */
export interface MerchantsFileEntry {
  mchid: string;
  appid: string;
  appSecret: string;
  serialNo: string;
  privateKeyPath: string;
  certificatePath: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPath: string;
  platformCertificateSerial: string;
  platformCertificatePath: string;
}

export interface WrittenIdentityFiles {
  envFile: string;
  merchantsFile: string;
}

/**
 * Writes merchants.json (every merchant) and wechat.env (the first merchant,
 * the form the server's config reads). Rewritten on every start because the
 * base URL follows the port the sandbox got.
 */
export async function writeIdentityFiles(
  dataDir: string,
  baseUrl: string,
  merchants: MerchantIdentity[],
): Promise<WrittenIdentityFiles> {
  const merchantsFile = path.join(dataDir, 'merchants.json');
  const envFile = path.join(dataDir, 'wechat.env');
  const entries: MerchantsFileEntry[] = merchants.map((m) => ({
    mchid: m.mchid,
    appid: m.appid,
    appSecret: m.appSecret,
    serialNo: m.serialNo,
    privateKeyPath: m.privateKeyPath,
    certificatePath: m.certificatePath,
    apiV3Key: m.apiV3Key,
    publicKeyId: m.publicKeyId,
    publicKeyPath: m.publicKeyPath,
    platformCertificateSerial: m.platformCertificateSerial,
    platformCertificatePath: m.platformCertificatePath,
  }));
  await writeFileAtomic(merchantsFile, `${JSON.stringify(entries, null, 2)}\n`, 0o600);

  const first = merchants[0];
  if (!first) throw new Error('the sandbox needs at least one merchant');
  const lines = [
    '# Written by tools/wechat-sandbox on every start. Sandbox credentials only:',
    '# see tools/wechat-sandbox/README.md for switching the server to real WeChat Pay.',
    `WECHATPAY_BASE_URL=${baseUrl}`,
    `WECHATPAY_MCHID=${first.mchid}`,
    `WECHATPAY_SERIAL_NO=${first.serialNo}`,
    `WECHATPAY_PRIVATE_KEY_PATH=${first.privateKeyPath}`,
    `WECHATPAY_CERTIFICATE_PATH=${first.certificatePath}`,
    `WECHATPAY_APIV3_KEY=${first.apiV3Key}`,
    `WECHATPAY_PUBLIC_KEY_ID=${first.publicKeyId}`,
    `WECHATPAY_PUBLIC_KEY_PATH=${first.publicKeyPath}`,
    `WECHATPAY_MERCHANTS_FILE=${merchantsFile}`,
    `WECHAT_APPID=${first.appid}`,
    `WECHAT_APP_SECRET=${first.appSecret}`,
    `WECHAT_API_BASE_URL=${baseUrl}`,
    `WECHAT_SANDBOX_URL=${baseUrl}`,
    '',
  ];
  await writeFileAtomic(envFile, lines.join('\n'), 0o600);
  return { envFile, merchantsFile };
}
