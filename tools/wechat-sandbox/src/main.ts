import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from './index.ts';

/**
 * `npm start` in this workspace: the sandbox on SANDBOX_PORT (3100) with its
 * data in SANDBOX_DATA_DIR (.data/wechat-sandbox under the repository root).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const env = process.env;

function numberFromEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
}

const sandbox = await startSandbox({
  port: numberFromEnv('SANDBOX_PORT', 3100),
  host: env['SANDBOX_HOST'] || '127.0.0.1',
  dataDir: env['SANDBOX_DATA_DIR'] || path.join(repoRoot, '.data', 'wechat-sandbox'),
  timeScale: numberFromEnv('SANDBOX_TIME_SCALE', 1),
  merchants: numberFromEnv('SANDBOX_MERCHANTS', 1),
  billsReadyImmediately: env['SANDBOX_BILLS_READY_IMMEDIATELY'] === 'true',
  ...(env['SANDBOX_FEE_RATE'] ? { feeRate: env['SANDBOX_FEE_RATE'] } : {}),
});
console.log(`WECHAT_SANDBOX_URL=${sandbox.url}`);
console.log(`WECHAT_SANDBOX_ENV_FILE=${sandbox.envFile}`);

const shutdown = (): void => {
  void sandbox.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
