import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './runtime.ts';

const config = loadConfig();
const log = createLogger(config);

try {
  const running = await startServer(config, log);
  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}
