import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel' | 'profile'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'campuspay-server' },
    redact: { paths: ['req.headers.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
}
