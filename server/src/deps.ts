import type { Connection } from 'mongoose';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { JobQueue } from './modules/jobs/job-queue.ts';
import type { WechatPayGateway } from './modules/wechatpay/wechatpay-gateway.ts';

/** What a module's services and routes are built from; one set per server instance. */
export interface ServerDeps {
  config: Config;
  db: Connection;
  log: Logger;
  jobs: JobQueue;
  /** WeChat Pay, when merchants are configured; online payment is unavailable without it. */
  wechatPay: WechatPayGateway | null;
}
