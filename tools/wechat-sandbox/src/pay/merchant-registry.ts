import type { MerchantIdentity } from '../identity/merchants.ts';
import type { StateStore } from '../state/store.ts';
import type { MerchantRuntimeRecord, NotificationSigner, NotificationSignerSetting } from '../state/types.ts';

/** The configured merchants plus what the sandbox learned about each at runtime. */
export class MerchantRegistry {
  constructor(
    readonly merchants: MerchantIdentity[],
    private readonly store: StateStore,
  ) {}

  find(mchid: string): MerchantIdentity | undefined {
    return this.merchants.find((m) => m.mchid === mchid);
  }

  /** Whether any merchant is bound to this mini-program appid (mini-program APIs accept only those). */
  appSecret(appid: string): string | undefined {
    return this.merchants.find((m) => m.appid === appid)?.appSecret;
  }

  runtime(mchid: string): MerchantRuntimeRecord {
    let record = this.store.state.merchants.find((m) => m.mchid === mchid);
    if (!record) {
      record = { mchid, notificationSigner: 'auto', usesPublicKey: false };
      this.store.state.merchants.push(record);
    }
    return record;
  }

  /** A request named the PUB_KEY_ID: the merchant verifies with the WeChat Pay public key from now on. */
  markUsesPublicKey(mchid: string): void {
    const runtime = this.runtime(mchid);
    if (!runtime.usesPublicKey) {
      runtime.usesPublicKey = true;
      this.store.changed();
    }
  }

  setNotificationSigner(mchid: string, setting: NotificationSignerSetting): MerchantRuntimeRecord {
    const runtime = this.runtime(mchid);
    runtime.notificationSigner = setting;
    this.store.changed();
    return runtime;
  }

  notificationSigner(mchid: string): NotificationSigner {
    const runtime = this.runtime(mchid);
    if (runtime.notificationSigner !== 'auto') return runtime.notificationSigner;
    return runtime.usesPublicKey ? 'public_key' : 'platform';
  }
}
