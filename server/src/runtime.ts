import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { ServerDeps } from './deps.ts';
import { createLogger, type Logger } from './logger.ts';
import { connectDatabase, ensureIndexes } from './platform/db/connection.ts';
import { JobQueue } from './modules/jobs/job-queue.ts';
import { registerJobs } from './modules/index.ts';
import { wechatPayFromConfig } from './modules/wechatpay/wechatpay-from-config.ts';

export interface RunningServer {
  url: string;
  port: number;
  deps: ServerDeps;
  server: Server;
  /** Stops accepting requests, finishes those in flight, stops jobs, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger = createLogger(config)): Promise<RunningServer> {
  const db = await connectDatabase(config.mongodbUri);
  try {
    await ensureIndexes(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const jobs = new JobQueue(db, log, {
    instanceId: config.instanceId,
    leaseMs: config.jobLeaseMs,
    pollMs: config.jobPollMs,
  });
  const deps: ServerDeps = { config, db, log, jobs, wechatPay: wechatPayFromConfig(config, log) };
  registerJobs(deps);
  const app = createApp(deps);
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  if (config.jobsEnabled) await jobs.start();
  log.info({ port, instanceId: jobs.instanceId }, 'server listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await Promise.all([closed, jobs.stop()]);
      clearTimeout(force);
      await db.close();
      log.info('server stopped');
    })());

  return { url: `http://${host}:${port}`, port, deps, server, stop };
}
