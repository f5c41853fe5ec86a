export { createApp } from './app.ts';
export { loadConfig, type Config } from './config.ts';
export { startServer, type RunningServer } from './runtime.ts';
export type { ServerDeps } from './deps.ts';
