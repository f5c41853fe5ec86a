import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

interface BuildTarget {
  name: string;
  /** Files whose content decides whether the build is current. */
  inputs: string[];
  output: string;
  command: string[];
}

export const ADMIN_WEB_DIST = path.join(repoRoot, 'admin-web', 'dist');
export const H5_DIST = path.join(repoRoot, 'miniprogram', 'dist', 'h5');

const TARGETS: BuildTarget[] = [
  {
    name: 'admin web app',
    inputs: ['admin-web/src', 'admin-web/index.html', 'admin-web/vite.config.ts', 'admin-web/package.json', 'shared/src'],
    output: ADMIN_WEB_DIST,
    command: ['npm', 'run', 'build', '-w', 'admin-web'],
  },
  {
    name: 'mini-program H5 build',
    inputs: ['miniprogram/src', 'miniprogram/config', 'miniprogram/package.json', 'miniprogram/babel.config.js', 'shared/src'],
    output: H5_DIST,
    command: ['npm', 'run', 'build:h5', '-w', 'miniprogram'],
  },
];

function hashInputs(inputs: string[]): string {
  const hash = createHash('sha256');
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
        visit(path.join(p, entry));
      }
    } else {
      hash.update(p.slice(repoRoot.length));
      hash.update(readFileSync(p));
    }
  };
  for (const input of inputs) visit(path.join(repoRoot, input));
  return hash.digest('hex');
}

/** Builds the web apps whose sources changed since their last build; a current build is reused. */
export function ensureWebBuilds(log: (line: string) => void = console.log): void {
  for (const target of TARGETS) {
    const stampFile = path.join(target.output, '.build-stamp');
    const digest = hashInputs(target.inputs);
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) continue;
    log(`Building the ${target.name}...`);
    const [cmd, ...args] = target.command;
    // A production build whatever the caller's NODE_ENV (ava sets it to test).
    const result = spawnSync(cmd as string, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    if (result.status !== 0) throw new Error(`Building the ${target.name} failed`);
    writeFileSync(stampFile, digest);
  }
}
