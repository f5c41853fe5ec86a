import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { cacheDir, repoRoot } from './paths.ts';
import { startProcess, waitFor, type ManagedProcess } from './processes.ts';

export type DatabaseSource = 'MONGODB_URI' | 'mongod' | 'ferretdb';

export interface DatabaseHandle {
  /** Connection string including the database name. */
  uri: string;
  source: DatabaseSource;
  /** Stops what was started (nothing for MONGODB_URI). */
  stop(): Promise<void>;
  /** The process this handle owns, when it owns one. */
  process?: ManagedProcess;
}

export interface DatabaseOptions {
  /** Port for a locally started server. */
  port: number;
  /** Where a locally started server keeps its files. */
  dataDir: string;
  /** Database name appended to the URI. */
  dbName: string;
  /** Ignore MONGODB_URI and start a local server (tests that stop the database need one they own). */
  local?: boolean;
  logFile?: string;
  log?: (line: string) => void;
}

const ferretdbModuleDir = path.join(repoRoot, 'tools', 'ferretdb');

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The cached binary is keyed by the module's sources, so a go.sum change rebuilds it. */
function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(ferretdbModuleDir, file)));
  return path.join(cacheDir, 'ferretdb', hash.digest('hex').slice(0, 16), 'campuspay-ferretdb');
}

/** Builds the embedded FerretDB once (minutes on 2 cores) and reuses it after. */
export function ensureFerretdbBinary(log: (line: string) => void = console.log): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;
  if (!onPath('go')) throw new Error(missingDatabaseMessage());
  mkdirSync(path.dirname(binary), { recursive: true });
  log('Building the embedded database (FerretDB v1 over SQLite) once; this takes a few minutes...');
  const tmp = `${binary}.tmp`;
  const build = spawnSync('go', ['build', '-o', tmp, '.'], {
    cwd: ferretdbModuleDir,
    stdio: 'inherit',
    env: { ...process.env, GOFLAGS: '-mod=mod', GOSUMDB: process.env.GOSUMDB ?? 'off' },
  });
  if (build.status !== 0) throw new Error('Building tools/ferretdb failed (see the Go output above).');
  renameSync(tmp, binary);
  return binary;
}

export function missingDatabaseMessage(): string {
  return [
    'CampusPay needs a MongoDB-compatible database and found none. Choose one:',
    '  1. set MONGODB_URI to a MongoDB 6+ server (e.g. mongodb://127.0.0.1:27017/?directConnection=true);',
    '  2. put `mongod` on PATH;',
    '  3. install Go 1.24+ so the embedded FerretDB in tools/ferretdb can be built.',
  ].join('\n');
}

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  if (!url.searchParams.has('directConnection') && !url.hostname.includes(',')) url.searchParams.set('directConnection', 'true');
  return url.toString();
}

export async function pingDatabase(uri: string, timeoutMs = 1500): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db().command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Decides where the database comes from: MONGODB_URI, else a mongod on PATH,
 * else the embedded FerretDB, else a message naming the three options. Waits
 * until it answers.
 */
export async function provideDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const log = options.log ?? (() => undefined);
  const external = process.env.MONGODB_URI;
  if (external && !options.local) {
    const uri = withDatabase(external, options.dbName);
    await waitFor('MongoDB at MONGODB_URI', () => pingDatabase(uri), { timeoutMs: 30_000 });
    log(`Database: MONGODB_URI (${new URL(uri).host})`);
    return { uri, source: 'MONGODB_URI', stop: async () => undefined };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = options.logFile ?? path.join(options.dataDir, 'database.log');
  const base = `mongodb://127.0.0.1:${options.port}/`;
  let proc: ManagedProcess;
  let source: DatabaseSource;
  if (onPath('mongod')) {
    source = 'mongod';
    proc = startProcess('mongod', 'mongod', ['--port', String(options.port), '--bind_ip', '127.0.0.1', '--dbpath', options.dataDir], {
      logFile,
    });
  } else {
    source = 'ferretdb';
    const binary = ensureFerretdbBinary(log);
    proc = startProcess('ferretdb', binary, ['-listen', `127.0.0.1:${options.port}`, '-data-dir', options.dataDir], {
      logFile,
    });
  }
  const uri = withDatabase(base, options.dbName);
  await waitFor(`${source} on port ${options.port}`, () => pingDatabase(uri, 500), { timeoutMs: 60_000, exited: proc.exited });
  log(`Database: ${source} on 127.0.0.1:${options.port} (data in ${options.dataDir})`);
  return { uri, source, process: proc, stop: () => proc.stop() };
}
