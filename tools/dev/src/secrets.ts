import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Parses a KEY=VALUE env file (comments and blank lines ignored). */
export function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (m?.[1]) env[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/**
 * Development secrets, generated once per checkout and kept out of git. In
 * production these come from the environment (a secret manager), never files.
 */
export function developmentSecrets(dir: string): Record<string, string> {
  const file = path.join(dir, 'secrets.env');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const lines = [
      '# Generated for local development by `npm start`; never used in production.',
      `DATA_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
      `LOOKUP_HASH_KEY=${randomBytes(32).toString('base64')}`,
      `SESSION_SECRET=${randomBytes(32).toString('base64')}`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  }
  return readEnvFile(file);
}
