/** Everything the sandbox remembers, as saved to state.json. Times are epoch ms of the sandbox clock. */

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED';
export type PayerResult = 'SUCCESS' | 'CANCEL' | 'FAIL';

export interface PrepayRecord {
  prepayId: string;
  createdAt: number;
}

export interface PayerActionRecord {
  at: number;
  prepayId: string;
  result: PayerResult;
  bankType?: string;
}

export interface OrderRecord {
  mchid: string;
  appid: string;
  outTradeNo: string;
  description: string;
  notifyUrl: string;
  total: number;
  currency: string;
  payerOpenid: string;
  attach?: string;
  deviceId?: string;
  /** Canonical JSON of the parameters that must match when the same out_trade_no is ordered again. */
  fingerprint: string;
  createdAt: number;
  timeExpire: number;
  prepays: PrepayRecord[];
  tradeState: TradeState;
  closedAt?: number;
  closeReason?: 'MERCHANT' | 'EXPIRED';
  transactionId?: string;
  bankType?: string;
  successTime?: number;
  /** WeChat's fee in fen, fixed when the payment succeeded. */
  feeFen?: number;
  feeRateBasisPoints?: number;
  payerActions: PayerActionRecord[];
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface RefundRecord {
  mchid: string;
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  reason?: string;
  notifyUrl?: string;
  fundsAccount?: string;
  refund: number;
  total: number;
  currency: string;
  status: RefundStatus;
  /** How this refund will end when processing completes (a fault can make it ABNORMAL or CLOSED). */
  outcome: Exclude<RefundStatus, 'PROCESSING'>;
  createdAt: number;
  completesAt: number;
  successTime?: number;
  userReceivedAccount: string;
  /** The part of WeChat's fee returned with this refund, in fen. */
  feeFen: number;
}

export type NotificationStatus = 'PENDING' | 'HELD' | 'DELIVERED' | 'FAILED' | 'DROPPED';
export type NotificationSigner = 'platform' | 'public_key';

export interface DeliveryAttempt {
  at: number;
  /** normal, a concurrent duplicate copy, a WECHATPAY/SIGNTEST/ probe, or a redelivery asked for by a control. */
  kind: 'normal' | 'duplicate' | 'signtest' | 'manual';
  signer: NotificationSigner;
  serial: string;
  httpStatus?: number;
  error?: string;
  responseBody?: string;
  durationMs: number;
  /** The merchant answered 2xx. For a signtest probe that is the merchant's bug. */
  accepted: boolean;
}

export interface NotificationRecord {
  id: string;
  mchid: string;
  eventType: string;
  resourceType: 'transaction' | 'refund';
  outTradeNo: string;
  outRefundNo?: string;
  notifyUrl: string;
  /** The exact JSON body sent, so every attempt carries the same bytes. */
  body: string;
  /** The decrypted resource, kept for the dashboard and state endpoint. */
  plaintext: unknown;
  createdAt: number;
  status: NotificationStatus;
  attempts: DeliveryAttempt[];
  /** Retries of the documented schedule used so far (0 to 15). */
  retriesUsed: number;
  nextAttemptAt?: number;
  /** Why it was not delivered normally: a fault, or the schedule ran out. */
  note?: string;
}

export interface SandboxUser {
  openid: string;
  appid: string;
  nickname: string;
  unionid?: string;
  createdAt: number;
}

export interface LoginCodeRecord {
  code: string;
  appid: string;
  openid: string;
  createdAt: number;
  expiresAt: number;
  used: boolean;
  /** Answered with 40226 (high-risk user) instead of a session. */
  blocked: boolean;
}

export interface SubscriptionRecord {
  appid: string;
  openid: string;
  templateId: string;
  remaining: number;
}

export interface SentMessageRecord {
  msgid: number;
  appid: string;
  touser: string;
  templateId: string;
  page?: string;
  miniprogramState?: string;
  lang?: string;
  data: Record<string, { value: string }>;
  sentAt: number;
}

export interface AccessTokenRecord {
  token: string;
  appid: string;
  kind: 'token' | 'stable';
  issuedAt: number;
  expiresAt: number;
}

export type NotificationSignerSetting = 'auto' | NotificationSigner;

export interface MerchantRuntimeRecord {
  mchid: string;
  /** auto: sign notifications with the WeChat Pay public key once the merchant has asked for it, else the platform certificate. */
  notificationSigner: NotificationSignerSetting;
  /** The merchant has sent a request naming its PUB_KEY_ID (public-key mode). */
  usesPublicKey: boolean;
}

export interface PersistedState {
  version: 1;
  orders: OrderRecord[];
  refunds: RefundRecord[];
  notifications: NotificationRecord[];
  users: SandboxUser[];
  loginCodes: LoginCodeRecord[];
  subscriptions: SubscriptionRecord[];
  messages: SentMessageRecord[];
  accessTokens: AccessTokenRecord[];
  merchants: MerchantRuntimeRecord[];
}
