import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ControlRoutes } from './controls/control-routes.ts';
import { FaultRegistry } from './faults/fault-registry.ts';
import { createSandboxServer } from './http/server.ts';
import { writeIdentityFiles } from './identity/env-file.ts';
import { loadOrCreateIdentity, merchantInfo, type MerchantSeed, type SandboxMerchantInfo } from './identity/merchants.ts';
import { AccessTokenService } from './mini/access-tokens.ts';
import { LoginService } from './mini/login.ts';
import { MiniGateway } from './mini/mini-gateway.ts';
import { SubscribeMessageService } from './mini/subscribe-messages.ts';
import { UserDirectory } from './mini/users.ts';
import { BillService } from './pay/bill-service.ts';
import { MerchantRegistry } from './pay/merchant-registry.ts';
import { NotificationDispatcher } from './pay/notifications.ts';
import { OrderService } from './pay/orders.ts';
import { PayGateway } from './pay/pay-gateway.ts';
import { registerPayRoutes } from './pay/pay-routes.ts';
import { RefundService } from './pay/refunds.ts';
import { parseFeeRate, type SandboxSettings } from './settings.ts';
import { StateStore } from './state/store.ts';
import { SandboxClock } from './time/clock.ts';
import { Scheduler } from './time/scheduler.ts';

export type { MerchantSeed, SandboxMerchantInfo } from './identity/merchants.ts';
export type { SandboxSettings } from './settings.ts';
export type { SandboxStateView, MerchantStateView } from './controls/state-view.ts';
export type { FaultSpec, ActiveFault, ApiName, PayApiName, MiniApiName } from './faults/fault-registry.ts';
export type * from './state/types.ts';
export { SandboxControl, SandboxControlError } from './control-client.ts';
export type { FaultInput, LoginCodeAnswer, PayAnswer, PayOptions } from './control-client.ts';

export interface StartSandboxOptions {
  /** Where identity (keys, certificates, ids), merchants.json, wechat.env and state.json live. */
  dataDir: string;
  /** 0 picks a free port. Default 3100. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Multiplies WeChat's timings (notification retries, refund processing). Default 1; tests use e.g. 0.001. */
  timeScale?: number;
  /** WeChat's fee rate, e.g. "0.60%" (the default). */
  feeRate?: string;
  /** How many merchants, or their seeds. Default 1. Existing merchants in dataDir are kept. */
  merchants?: number | MerchantSeed[];
  /** Serve a day's bill immediately instead of from 10:00 the next day. Default false. */
  billsReadyImmediately?: boolean;
  /** How long refunds stay PROCESSING, in WeChat seconds (scaled by timeScale). Default 10. */
  refundProcessingSeconds?: number;
  /** No start-up banner. */
  quiet?: boolean;
}

export interface RunningSandbox {
  url: string;
  port: number;
  merchants: SandboxMerchantInfo[];
  /** The mini-program shared by merchants that were not given their own appid. */
  miniProgram: { appid: string; secret: string };
  envFile: string;
  merchantsFile: string;
  stop(): Promise<void>;
}

/** Starts the WeChat sandbox: WeChat Pay v3, WeChat's mini-program APIs and the /sandbox controls on one port. */
export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const host = options.host ?? '127.0.0.1';
  const log = (message: string): void => {
    if (!options.quiet) console.log(`[wechat-sandbox] ${message}`);
  };
  const onError = (error: unknown): void => console.error('[wechat-sandbox]', error);

  const feeRateBasisPoints = parseFeeRate(options.feeRate ?? '0.60%');
  if (feeRateBasisPoints === undefined) throw new Error(`feeRate must look like "0.60%", got ${options.feeRate}`);
  const settings: SandboxSettings = {
    timeScale: options.timeScale ?? 1,
    feeRateBasisPoints,
    billsReadyImmediately: options.billsReadyImmediately ?? false,
    refundProcessingSeconds: options.refundProcessingSeconds ?? 10,
  };

  const identity = await loadOrCreateIdentity(dataDir, options.merchants ?? 1);
  const store = new StateStore(dataDir, onError);
  await store.load();
  const clock = new SandboxClock();
  const scheduler = new Scheduler(onError);
  const faults = new FaultRegistry();
  const merchants = new MerchantRegistry(identity.merchants, store);
  const users = new UserDirectory(store, clock);
  const notifications = new NotificationDispatcher({ store, clock, scheduler, faults, merchants, settings });
  const orders = new OrderService({ store, clock, users, merchants, settings, notifications });
  const refunds = new RefundService({ store, clock, scheduler, faults, settings, notifications });
  let baseUrl = '';
  const bills = new BillService({ store, clock, settings, orders, baseUrl: () => baseUrl });

  const payGateway = new PayGateway({ clock, scheduler, faults, merchants, onError });
  registerPayRoutes(payGateway, { orders, refunds, bills });
  const login = new LoginService(store, clock, users, merchants);
  const messages = new SubscribeMessageService(store, clock, users);
  const miniGateway = new MiniGateway({
    login,
    tokens: new AccessTokenService(store, clock, merchants),
    messages,
    faults,
    scheduler,
    onError,
  });
  const controls = new ControlRoutes({ store, clock, settings, faults, merchants, users, login, messages, orders, notifications, onError });

  const server = createSandboxServer(
    [
      { matches: (p) => p.startsWith('/v3/'), handle: (call) => payGateway.handle(call) },
      { matches: (p) => p.startsWith('/sns/') || p.startsWith('/cgi-bin/'), handle: (call) => miniGateway.handle(call) },
      { matches: (p) => p === '/sandbox' || p.startsWith('/sandbox/'), handle: (call) => controls.handle(call) },
    ],
    onError,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3100, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const files = await writeIdentityFiles(dataDir, baseUrl, identity.merchants);
  notifications.resume();
  refunds.resume();

  log(`WeChat sandbox at ${baseUrl} (dashboard ${baseUrl}/sandbox/)`);
  log(`server environment: ${files.envFile}`);

  let stopping: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    merchants: identity.merchants.map(merchantInfo),
    miniProgram: identity.miniProgram,
    envFile: files.envFile,
    merchantsFile: files.merchantsFile,
    stop() {
      stopping ??= (async () => {
        scheduler.stop();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await store.close();
      })();
      return stopping;
    },
  };
}
