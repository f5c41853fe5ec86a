import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { provideDatabase } from './database.ts';
import { freePort } from './processes.ts';
import { repoRoot } from './paths.ts';
import { ensureWebBuilds } from './builds.ts';

/**
 * `npm test`: one database of its own on a free port (never the demo data),
 * every workspace's type check and ava suite, and a last line
 * `N passed, N failed`. Exits non-zero on any failure.
 */

interface Suite {
  name: string;
  cwd: string;
  kind: 'typecheck' | 'ava';
}

const WORKSPACES = ['shared', 'server', 'tools/wechat-sandbox', 'tools/dev', 'admin-web', 'miniprogram', 'e2e', 'bench'];
const AVA_WORKSPACES = ['shared', 'server', 'tools/wechat-sandbox', 'admin-web', 'miniprogram', 'e2e'];

/** A workspace runs ava only when it has tests (`*.test.ts` under src/ or tests/) and an ava configuration. */
function hasTests(workspace: string): boolean {
  const root = path.join(repoRoot, workspace);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { ava?: unknown };
  if (!pkg.ava) return false;
  const walk = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? e.name !== 'node_modules' && e.name !== 'dist' && walk(path.join(dir, e.name)) : e.name.endsWith('.test.ts'),
    );
  return walk(path.join(root, 'src')) || walk(path.join(root, 'tests'));
}

const only = process.argv.slice(2);
const suites: Suite[] = [
  ...WORKSPACES.map((w) => ({ name: `typecheck ${w}`, cwd: w, kind: 'typecheck' as const })),
  ...AVA_WORKSPACES.filter(hasTests).map((w) => ({ name: `tests ${w}`, cwd: w, kind: 'ava' as const })),
].filter((s) => only.length === 0 || only.some((o) => s.cwd === o || s.name.includes(o)));

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(suite: Suite, env: NodeJS.ProcessEnv): Promise<void> {
  const cwd = path.join(repoRoot, suite.cwd);
  const [cmd, args] =
    suite.kind === 'typecheck'
      ? [path.join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', '.']]
      : [path.join(repoRoot, 'node_modules', '.bin', 'ava'), ['--verbose']];
  console.log(`\n=== ${suite.name}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    const counts = { passed: 0, failed: 0 };
    // Passes are counted per ✔ line (ava prints no "N tests passed" once something failed); failures from the
    // summary lines ("1 test failed", "1 uncaught exception", ...), which also cover failures outside a test.
    const onLine = (line: string) => {
      console.log(line);
      if (suite.kind !== 'ava') return;
      if (/^\s*✔/.test(line)) counts.passed += 1;
      const summary = /^\s*(\d+) (tests? failed|known failures?|uncaught exceptions?|unhandled rejections?|tests? remained uncompleted)/.exec(line);
      if (summary) counts.failed += Number(summary[1]);
      const failedTest = /^\s*✘ (?:\[fail\]: )?(.*)/.exec(line);
      if (failedTest) failures.push(`${suite.cwd}: ${failedTest[1]}`);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    child.on('close', (code) => {
      if (buffer) onLine(buffer);
      if (suite.kind === 'typecheck') {
        if (code === 0) passed += 1;
        else {
          failed += 1;
          failures.push(suite.name);
        }
      } else {
        passed += counts.passed;
        failed += counts.failed;
        if (code !== 0 && counts.failed === 0) {
          failed += 1;
          failures.push(`${suite.name} (exited ${code} without reporting a failed test)`);
        }
      }
      resolve();
    });
  });
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-test-db-'));
const port = await freePort();
const database = await provideDatabase({
  port,
  dataDir,
  dbName: 'campuspay_test',
  logFile: path.join(dataDir, 'database.log'),
  log: (line) => console.log(line),
});
// A test run that is interrupted still stops the database it started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void database.stop().finally(() => process.exit(130));
  });
}
const base = new URL(database.uri);
base.pathname = '/';

let exitCode = 1;
try {
  if (suites.some((s) => s.cwd === 'e2e' && s.kind === 'ava')) ensureWebBuilds();
  const env = { ...process.env, CAMPUSPAY_TEST_MONGODB_URI: base.toString(), FORCE_COLOR: '0' };
  for (const suite of suites) await run(suite, env);
  if (failures.length > 0) {
    console.log('\nFailures:');
    for (const f of failures) console.log(`  - ${f}`);
  }
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} finally {
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode);
