import type { ActiveFault } from '../faults/fault-registry.ts';
import type { SandboxSettings } from '../settings.ts';
import type {
  NotificationRecord,
  NotificationSignerSetting,
  OrderRecord,
  RefundRecord,
  SandboxUser,
  SentMessageRecord,
  SubscriptionRecord,
} from '../state/types.ts';

export interface MerchantStateView {
  mchid: string;
  name: string;
  appid: string;
  serialNo: string;
  publicKeyId: string;
  platformCertificateSerial: string;
  notificationSigner: NotificationSignerSetting;
  usesPublicKey: boolean;
}

/** GET /sandbox/state. Times are epoch milliseconds of the sandbox clock; `now` is RFC3339. */
export interface SandboxStateView {
  now: string;
  clock: { skewSeconds: number };
  settings: SandboxSettings;
  merchants: MerchantStateView[];
  users: SandboxUser[];
  orders: OrderRecord[];
  refunds: RefundRecord[];
  notifications: NotificationRecord[];
  subscriptions: SubscriptionRecord[];
  messages: SentMessageRecord[];
  faults: ActiveFault[];
}
