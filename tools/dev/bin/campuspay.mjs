#!/usr/bin/env node
// Entry for `npm start` and `npm test`. Plain JavaScript so it can run before
// dependencies are installed: it installs them when missing, then hands over
// to the TypeScript implementation through tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const command = process.argv[2];
if (command !== 'start' && command !== 'test') {
  console.error('usage: campuspay start|test');
  process.exit(2);
}

if (!existsSync(path.join(root, 'node_modules', 'tsx'))) {
  console.log('Installing dependencies (npm ci)...');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const entry = path.join(root, 'tools', 'dev', 'src', `${command}.ts`);
const child = spawn(process.execPath, ['--import', 'tsx', entry, ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
// Pass signals on so `kill <pid>` stops everything started below, as Ctrl-C does.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
