import { z } from 'zod';

const booleanFromEnv = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

function base64Key(name: string) {
  return z
    .string({ error: `${name} is required (base64 of 32 random bytes)` })
    .refine((v) => Buffer.from(v, 'base64').length === 32, { message: `${name} must be base64 of exactly 32 bytes` });
}

const configSchema = z.object({
  profile: z.enum(['development', 'test', 'production']).default('development'),
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  mongodbUri: z.string().min(1, 'MONGODB_URI is required'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimitBytes: z.coerce.number().int().positive().default(1024 * 1024),
  uploadLimitBytes: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  adminWebDir: z.string().optional(),
  h5Dir: z.string().optional(),
  /** Where the H5 build finds the WeChat sandbox (development and demos only). */
  wechatSandboxUrl: z.string().url().optional(),
  jobsEnabled: booleanFromEnv.default(true),
  jobPollMs: z.coerce.number().int().positive().default(1000),
  jobLeaseMs: z.coerce.number().int().positive().default(30_000),
  shutdownTimeoutMs: z.coerce.number().int().positive().default(15_000),
  /** A name for this server instance in job leases and logs. */
  instanceId: z.string().optional(),
  /** Base64 of 32 random bytes: AES-256-GCM key for identity and phone numbers at rest. */
  dataEncryptionKey: base64Key('DATA_ENCRYPTION_KEY'),
  /** Base64 of 32 random bytes: HMAC key for lookup hashes of encrypted fields. */
  lookupHashKey: base64Key('LOOKUP_HASH_KEY'),
  sessionTtlHours: z.coerce.number().positive().default(12),
  loginMaxFailures: z.coerce.number().int().positive().default(5),
  loginLockMinutes: z.coerce.number().positive().default(15),
  wechatAppId: z.string().optional(),
  wechatAppSecret: z.string().optional(),
  /** WeChat's API host; the sandbox in development. */
  wechatApiBaseUrl: z.string().url().default('https://api.weixin.qq.com'),
  /** WeChat Pay API host: the sandbox in development, https://api.mch.weixin.qq.com in production. */
  wechatPayBaseUrl: z.string().url().default('https://api.mch.weixin.qq.com'),
  /** JSON list of merchants (mchid, appid, serialNo, privateKeyPath, apiV3Key, publicKeyId, publicKeyPath...). */
  wechatPayMerchantsFile: z.string().optional(),
  /** A single merchant from the environment, when no merchants file is given. */
  wechatPayMchid: z.string().optional(),
  wechatPaySerialNo: z.string().optional(),
  wechatPayPrivateKeyPath: z.string().optional(),
  wechatPayCertificatePath: z.string().optional(),
  wechatPayApiV3Key: z.string().optional(),
  wechatPayPublicKeyId: z.string().optional(),
  wechatPayPublicKeyPath: z.string().optional(),
  /** Minutes an unpaid order stays payable at WeChat. */
  orderTtlMinutes: z.coerce.number().int().min(5).max(1440).default(30),
  /** Pending orders older than this are actively queried at WeChat. */
  orderQueryAfterSeconds: z.coerce.number().int().min(1).default(120),
  /** How often pending orders and refunds are swept (queried, closed, repaired). */
  paymentSweepSeconds: z.coerce.number().int().min(1).default(30),
  /** Refunds above this amount wait for a group admin's approval. */
  refundApprovalThresholdFen: z.coerce.number().int().min(0).default(500_000),
  /** What happens to money paid twice for one bill: refunded automatically, or queued for the bursar. */
  doublePaymentPolicy: z.enum(['auto_refund', 'queue']).default('auto_refund'),
  /** Concessions above this amount wait for a group admin's approval. */
  concessionApprovalThresholdFen: z.coerce.number().int().min(0).default(100_000),
  /** Where WeChat Pay reaches this platform (notify URLs are built from it). */
  publicBaseUrl: z.string().url().optional(),
  /** Subscribe-message template for payment reminders (催缴), as configured in the mini-program console. */
  wechatReminderTemplateId: z.string().min(1).default('campuspay-reminder'),
  /** A parent is reminded of the same bill at most once in this many hours. */
  reminderQuietHours: z.coerce.number().positive().default(72),
  /** When the daily reconciliation of yesterday's WeChat bills runs (cron, Asia/Shanghai); bills are out from about 10:00. */
  reconciliationCron: z.string().min(1).default('30 10 * * *'),
  /** How long a day whose bill is not out yet (or WeChat failed) waits before it is tried again. */
  reconciliationRetrySeconds: z.coerce.number().int().min(1).default(3600),
  /** How often pending ledger contributions are folded into the insight rollups (bank dashboards). */
  insightsFoldSeconds: z.coerce.number().int().min(1).max(3600).default(5),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

const ENV_KEYS: Record<keyof Config, string> = {
  profile: 'CAMPUSPAY_PROFILE',
  host: 'HOST',
  port: 'PORT',
  mongodbUri: 'MONGODB_URI',
  logLevel: 'LOG_LEVEL',
  bodyLimitBytes: 'BODY_LIMIT_BYTES',
  uploadLimitBytes: 'UPLOAD_LIMIT_BYTES',
  adminWebDir: 'ADMIN_WEB_DIR',
  h5Dir: 'H5_DIR',
  wechatSandboxUrl: 'WECHAT_SANDBOX_URL',
  jobsEnabled: 'JOBS_ENABLED',
  jobPollMs: 'JOB_POLL_MS',
  jobLeaseMs: 'JOB_LEASE_MS',
  shutdownTimeoutMs: 'SHUTDOWN_TIMEOUT_MS',
  instanceId: 'INSTANCE_ID',
  dataEncryptionKey: 'DATA_ENCRYPTION_KEY',
  lookupHashKey: 'LOOKUP_HASH_KEY',
  sessionTtlHours: 'SESSION_TTL_HOURS',
  loginMaxFailures: 'LOGIN_MAX_FAILURES',
  loginLockMinutes: 'LOGIN_LOCK_MINUTES',
  wechatAppId: 'WECHAT_APPID',
  wechatAppSecret: 'WECHAT_APP_SECRET',
  wechatApiBaseUrl: 'WECHAT_API_BASE_URL',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  wechatReminderTemplateId: 'WECHAT_REMINDER_TEMPLATE_ID',
  reminderQuietHours: 'REMINDER_QUIET_HOURS',
  reconciliationCron: 'RECONCILIATION_CRON',
  reconciliationRetrySeconds: 'RECONCILIATION_RETRY_SECONDS',
  insightsFoldSeconds: 'INSIGHTS_FOLD_SECONDS',
  concessionApprovalThresholdFen: 'CONCESSION_APPROVAL_THRESHOLD_FEN',
  wechatPayBaseUrl: 'WECHATPAY_BASE_URL',
  wechatPayMerchantsFile: 'WECHATPAY_MERCHANTS_FILE',
  wechatPayMchid: 'WECHATPAY_MCHID',
  wechatPaySerialNo: 'WECHATPAY_SERIAL_NO',
  wechatPayPrivateKeyPath: 'WECHATPAY_PRIVATE_KEY_PATH',
  wechatPayCertificatePath: 'WECHATPAY_CERTIFICATE_PATH',
  wechatPayApiV3Key: 'WECHATPAY_APIV3_KEY',
  wechatPayPublicKeyId: 'WECHATPAY_PUBLIC_KEY_ID',
  wechatPayPublicKeyPath: 'WECHATPAY_PUBLIC_KEY_PATH',
  orderTtlMinutes: 'ORDER_TTL_MINUTES',
  orderQueryAfterSeconds: 'ORDER_QUERY_AFTER_SECONDS',
  refundApprovalThresholdFen: 'REFUND_APPROVAL_THRESHOLD_FEN',
  paymentSweepSeconds: 'PAYMENT_SWEEP_SECONDS',
  doublePaymentPolicy: 'DOUBLE_PAYMENT_POLICY',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates configuration once at start-up; secrets come only from the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ConfigInput> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envKey] of Object.entries(ENV_KEYS)) {
    const value = env[envKey];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const result = configSchema.safeParse({ ...raw, ...overrides });
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `  ${ENV_KEYS[key as keyof Config] ?? key}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}
