import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { provideDatabase } from './database.ts';
import { httpOk, startProcess, waitFor, type ManagedProcess } from './processes.ts';
import { dataDir, repoRoot } from './paths.ts';
import { ADMIN_WEB_DIST, H5_DIST, ensureWebBuilds } from './builds.ts';
import { developmentSecrets, readEnvFile } from './secrets.ts';

/**
 * `npm start`: builds what changed, starts the database, the WeChat sandbox
 * and the server (which also serves the admin web app and the H5 build), loads
 * the demo data once, and prints where to go. Ctrl-C stops everything.
 */

const port = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 3100);
const databasePort = Number(process.env.DATABASE_PORT ?? 27017);
const logDir = path.join(dataDir, 'logs');
const stoppers: (() => Promise<void>)[] = [];

async function shutdown(code: number): Promise<never> {
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function tsxNode(script: string, args: string[], env: NodeJS.ProcessEnv, name: string, logFile?: string): ManagedProcess {
  return startProcess(name, process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, env, logFile });
}

try {
  ensureWebBuilds();
  const database = await provideDatabase({
    port: databasePort,
    dataDir: path.join(dataDir, 'db'),
    dbName: 'campuspay',
    logFile: path.join(logDir, 'database.log'),
    log: (line) => console.log(line),
  });
  stoppers.push(database.stop);

  const secrets = developmentSecrets(dataDir);
  const sandboxDir = path.join(dataDir, 'wechat-sandbox');
  let wechatEnv: Record<string, string> = {};
  let sandboxUrl: string | undefined;
  if (process.env.WECHATPAY_BASE_URL) {
    console.log(`WeChat Pay: ${process.env.WECHATPAY_BASE_URL} (from the environment; sandbox not started)`);
  } else {
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const sandbox = tsxNode(
      path.join(repoRoot, 'tools', 'wechat-sandbox', 'src', 'main.ts'),
      [],
      { ...process.env, SANDBOX_PORT: String(sandboxPort), SANDBOX_DATA_DIR: sandboxDir },
      'wechat-sandbox',
      path.join(logDir, 'wechat-sandbox.log'),
    );
    stoppers.push(() => sandbox.stop());
    await waitFor('WeChat sandbox', () => httpOk(`${sandboxUrl}/sandbox/state`), { exited: sandbox.exited });
    wechatEnv = readEnvFile(path.join(sandboxDir, 'wechat.env'));
  }

  const serverEnv: NodeJS.ProcessEnv = {
    ...secrets,
    ...wechatEnv,
    ...process.env,
    MONGODB_URI: database.uri,
    PORT: String(port),
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`,
    ADMIN_WEB_DIR: ADMIN_WEB_DIST,
    H5_DIR: H5_DIST,
    ...(sandboxUrl ? { WECHAT_SANDBOX_URL: sandboxUrl } : {}),
  };

  const seedScript = path.join(repoRoot, 'server', 'src', 'cli.ts');
  if (existsSync(seedScript)) {
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', seedScript, 'seed-demo'], { cwd: repoRoot, env: serverEnv, stdio: 'inherit' });
    if (seeded.status !== 0) throw new Error('Loading the demo data failed (see above).');
  }

  const server = tsxNode(path.join(repoRoot, 'server', 'src', 'main.ts'), [], serverEnv, 'server', path.join(logDir, 'server.log'));
  stoppers.push(() => server.stop());
  await waitFor('server', () => httpOk(`http://127.0.0.1:${port}/readyz`), { exited: server.exited, timeoutMs: 120_000 });

  const base = `http://127.0.0.1:${port}`;
  console.log(`
CampusPay is running.

  管理后台 (admin web):      ${base}/admin/
  家长端 H5 (mini-program):  ${base}/h5/
  API / OpenAPI:             ${base}/api/v1/openapi.json
  ${sandboxUrl ? `WeChat sandbox:            ${sandboxUrl}/sandbox/` : ''}
  Logs:                      ${logDir}

Demo sign-ins (password for every staff account: Demo@2026):
  platform_admin  demo.platform     平台管理员
  branch_manager  demo.branch       支行客户经理
  group_admin     demo.group        集团管理员
  bursar          demo.bursar       学校财务（东校区）
  auditor         demo.auditor      审计员
  parent (H5)     on the 测试登录 form use openid demo-parent-0001 (already bound to a child)

Press Ctrl-C to stop everything.`);
  const code = await server.exited;
  console.error(`The server exited (code ${code}); see ${path.join(logDir, 'server.log')}.`);
  await shutdown(1);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
