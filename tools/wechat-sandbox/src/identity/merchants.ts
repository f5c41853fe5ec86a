import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, randomInt, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../files.ts';
import { formatRfc3339, parseRfc3339 } from '../time/shanghai-time.ts';
import { createSelfSignedCertificate, newCertificateSerial } from './certificate.ts';

const generateRsaKeyPair = promisify(generateKeyPair);

/** What a caller may pin when asking for merchants; everything else is generated. */
export interface MerchantSeed {
  mchid?: string;
  /** Shown on the payer page and the dashboard. */
  name?: string;
  /** The mini-program bound to this merchant; defaults to the sandbox's shared mini-program. */
  appid?: string;
  appSecret?: string;
  apiV3Key?: string;
  /** Import an existing merchant API key (PEM) instead of generating one, e.g. WeChat's published test key. */
  privateKeyPem?: string;
  /** Serial to give the merchant certificate (uppercase hex); generated when absent. */
  serialNo?: string;
}

/** A merchant as the server sees it: its own credentials plus what WeChat hands out to it. */
export interface SandboxMerchantInfo {
  mchid: string;
  name: string;
  appid: string;
  appSecret: string;
  serialNo: string;
  privateKeyPath: string;
  privateKeyPem: string;
  certificatePath: string;
  certificatePem: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPath: string;
  publicKeyPem: string;
  platformCertificateSerial: string;
  platformCertificatePath: string;
  platformCertificatePem: string;
}

/** A merchant with the private halves only WeChat holds, for signing responses and notifications. */
export interface MerchantIdentity extends SandboxMerchantInfo {
  merchantPublicKey: KeyObject;
  platformPrivateKey: KeyObject;
  platformEffectiveTime: number;
  platformExpireTime: number;
  wechatPayPublicKeyPrivateKey: KeyObject;
}

/** identity.json: the ids and secrets that are not PEM files. */
interface StoredMerchant {
  mchid: string;
  name: string;
  appid: string;
  appSecret: string;
  apiV3Key: string;
  serialNo: string;
  publicKeyId: string;
  platformCertificateSerial: string;
  platformEffectiveTime: string;
  platformExpireTime: string;
}

interface StoredIdentity {
  version: 1;
  miniProgram: { appid: string; secret: string };
  merchants: StoredMerchant[];
}

export interface SandboxIdentity {
  miniProgram: { appid: string; secret: string };
  merchants: MerchantIdentity[];
}

const DEFAULT_NAMES = ['CampusPay 示范学校', 'CampusPay 示范学校（第二收款账户）'];
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(randomInt(10));
  return out;
}

function merchantFiles(dataDir: string, mchid: string, platformSerial: string) {
  const folder = path.join(dataDir, mchid);
  return {
    privateKeyPath: path.join(folder, 'apiclient_key.pem'),
    certificatePath: path.join(folder, 'apiclient_cert.pem'),
    publicKeyPath: path.join(folder, 'pub_key.pem'),
    platformCertificatePath: path.join(folder, `wechatpay_${platformSerial}.pem`),
    // WeChat's private halves: the sandbox signs with them, the server must never read them.
    platformPrivateKeyPath: path.join(folder, 'wechat-side', 'platform_key.pem'),
    publicKeyPrivatePath: path.join(folder, 'wechat-side', 'pub_key_private.pem'),
  };
}

function pkcs8(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function createMerchant(
  dataDir: string,
  seed: MerchantSeed,
  index: number,
  miniProgram: { appid: string; secret: string },
  takenMchids: Set<string>,
): Promise<StoredMerchant> {
  let mchid = seed.mchid;
  while (!mchid || (takenMchids.has(mchid) && !seed.mchid)) mchid = `19${digits(8)}`;
  takenMchids.add(mchid);
  const now = Date.now();
  const serialNo = seed.serialNo?.toUpperCase() ?? newCertificateSerial();
  const platformSerial = newCertificateSerial();

  const merchantPrivate = seed.privateKeyPem
    ? createPrivateKey(seed.privateKeyPem)
    : (await generateRsaKeyPair('rsa', { modulusLength: 2048 })).privateKey;
  const platform = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const wechatPayKey = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const name = seed.name ?? DEFAULT_NAMES[index] ?? `CampusPay 示范学校（收款账户 ${index + 1}）`;

  const merchantCertificate = createSelfSignedCertificate({
    subject: { commonName: mchid, organization: name, organizationalUnit: 'WeChat Pay Sandbox merchant API certificate' },
    serialNo,
    publicKey: createPublicKey(merchantPrivate),
    privateKey: merchantPrivate,
    notBefore: new Date(now - 24 * 60 * 60 * 1000),
    notAfter: new Date(now + 5 * YEAR_MS),
  });
  const platformEffective = now - 24 * 60 * 60 * 1000;
  const platformExpire = now + 5 * YEAR_MS;
  const platformCertificate = createSelfSignedCertificate({
    subject: { commonName: 'WeChat Pay Sandbox Platform', organization: 'CampusPay WeChat Sandbox', organizationalUnit: mchid },
    serialNo: platformSerial,
    publicKey: platform.publicKey,
    privateKey: platform.privateKey,
    notBefore: new Date(platformEffective),
    notAfter: new Date(platformExpire),
  });

  const files = merchantFiles(dataDir, mchid, platformSerial);
  await writeFileAtomic(files.privateKeyPath, pkcs8(merchantPrivate), 0o600);
  await writeFileAtomic(files.certificatePath, merchantCertificate);
  await writeFileAtomic(files.platformCertificatePath, platformCertificate);
  await writeFileAtomic(files.publicKeyPath, wechatPayKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await writeFileAtomic(files.platformPrivateKeyPath, pkcs8(platform.privateKey), 0o600);
  await writeFileAtomic(files.publicKeyPrivatePath, pkcs8(wechatPayKey.privateKey), 0o600);

  return {
    mchid,
    name,
    appid: seed.appid ?? miniProgram.appid,
    appSecret: seed.appSecret ?? (seed.appid ? randomBytes(16).toString('hex') : miniProgram.secret),
    // 32 alphanumerics: the APIv3 key is used as 32 raw ASCII bytes.
    apiV3Key: seed.apiV3Key ?? randomBytes(24).toString('base64').replace(/[+/]/g, 'x').slice(0, 32),
    serialNo,
    // Shaped like PUB_KEY_ID_0114232134912410000000000000: "01", the mchid, then digits.
    publicKeyId: `PUB_KEY_ID_01${mchid}${digits(16)}`,
    platformCertificateSerial: platformSerial,
    platformEffectiveTime: formatRfc3339(platformEffective),
    platformExpireTime: formatRfc3339(platformExpire),
  };
}

async function loadMerchant(dataDir: string, stored: StoredMerchant): Promise<MerchantIdentity> {
  const files = merchantFiles(dataDir, stored.mchid, stored.platformCertificateSerial);
  const [privateKeyPem, certificatePem, publicKeyPem, platformCertificatePem, platformKeyPem, publicKeyPrivatePem] =
    await Promise.all(
      [
        files.privateKeyPath,
        files.certificatePath,
        files.publicKeyPath,
        files.platformCertificatePath,
        files.platformPrivateKeyPath,
        files.publicKeyPrivatePath,
      ].map((file) => readFile(file, 'utf8')),
    );
  if (
    privateKeyPem === undefined ||
    certificatePem === undefined ||
    publicKeyPem === undefined ||
    platformCertificatePem === undefined ||
    platformKeyPem === undefined ||
    publicKeyPrivatePem === undefined
  ) {
    throw new Error(`incomplete identity files for merchant ${stored.mchid}`);
  }
  return {
    mchid: stored.mchid,
    name: stored.name,
    appid: stored.appid,
    appSecret: stored.appSecret,
    serialNo: stored.serialNo,
    privateKeyPath: files.privateKeyPath,
    privateKeyPem,
    certificatePath: files.certificatePath,
    certificatePem,
    apiV3Key: stored.apiV3Key,
    publicKeyId: stored.publicKeyId,
    publicKeyPath: files.publicKeyPath,
    publicKeyPem,
    platformCertificateSerial: stored.platformCertificateSerial,
    platformCertificatePath: files.platformCertificatePath,
    platformCertificatePem,
    merchantPublicKey: createPublicKey(certificatePem),
    platformPrivateKey: createPrivateKey(platformKeyPem),
    platformEffectiveTime: parseRfc3339(stored.platformEffectiveTime) ?? 0,
    platformExpireTime: parseRfc3339(stored.platformExpireTime) ?? 0,
    wechatPayPublicKeyPrivateKey: createPrivateKey(publicKeyPrivatePem),
  };
}

async function readStoredIdentity(file: string): Promise<StoredIdentity | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredIdentity;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Loads the identity from `dataDir`, creating what is missing: on first start
 * everything, later only merchants asked for beyond those already there. Keys
 * and ids never change once written, so a server configured from the env file
 * keeps working across sandbox restarts.
 */
export async function loadOrCreateIdentity(dataDir: string, wanted: number | MerchantSeed[]): Promise<SandboxIdentity> {
  const identityFile = path.join(dataDir, 'identity.json');
  const stored: StoredIdentity = (await readStoredIdentity(identityFile)) ?? {
    version: 1,
    miniProgram: { appid: `wx${randomBytes(8).toString('hex')}`, secret: randomBytes(16).toString('hex') },
    merchants: [],
  };
  const seeds: MerchantSeed[] = typeof wanted === 'number' ? Array.from({ length: wanted }, () => ({})) : wanted;
  const existingCount = stored.merchants.length;
  const taken = new Set(stored.merchants.map((m) => m.mchid));
  let changed = existingCount === 0;
  for (const [index, seed] of seeds.entries()) {
    const alreadyThere = seed.mchid ? taken.has(seed.mchid) : index < existingCount;
    if (alreadyThere) continue;
    stored.merchants.push(await createMerchant(dataDir, seed, stored.merchants.length, stored.miniProgram, taken));
    changed = true;
  }
  if (changed) await writeFileAtomic(identityFile, `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  return {
    miniProgram: stored.miniProgram,
    merchants: await Promise.all(stored.merchants.map((m) => loadMerchant(dataDir, m))),
  };
}

/** The public view of a merchant, without the keys only WeChat holds. */
export function merchantInfo(merchant: MerchantIdentity): SandboxMerchantInfo {
  return {
    mchid: merchant.mchid,
    name: merchant.name,
    appid: merchant.appid,
    appSecret: merchant.appSecret,
    serialNo: merchant.serialNo,
    privateKeyPath: merchant.privateKeyPath,
    privateKeyPem: merchant.privateKeyPem,
    certificatePath: merchant.certificatePath,
    certificatePem: merchant.certificatePem,
    apiV3Key: merchant.apiV3Key,
    publicKeyId: merchant.publicKeyId,
    publicKeyPath: merchant.publicKeyPath,
    publicKeyPem: merchant.publicKeyPem,
    platformCertificateSerial: merchant.platformCertificateSerial,
    platformCertificatePath: merchant.platformCertificatePath,
    platformCertificatePem: merchant.platformCertificatePem,
  };
}
