import { randomBytes } from 'node:crypto';
import { loadConfig, type ConfigInput } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../runtime.ts';

/**
 * The database every server test talks to over the wire. `npm test` starts
 * one on a free port and passes its address; each test file gets its own
 * database name so files run in parallel without seeing each other.
 */
export function testDatabaseUri(label: string): string {
  const base = process.env.CAMPUSPAY_TEST_MONGODB_URI;
  if (!base) {
    throw new Error('CAMPUSPAY_TEST_MONGODB_URI is not set: run the tests with `npm test` from the repository root, which starts a database.');
  }
  const url = new URL(base);
  const safe = label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30);
  url.pathname = `/t_${safe}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** Fresh keys per test process: tests must never depend on a fixed key. */
export const TEST_KEYS = {
  dataEncryptionKey: randomBytes(32).toString('base64'),
  lookupHashKey: randomBytes(32).toString('base64'),
};

export interface TestServer extends RunningServer {
  api: ApiClient;
}

export async function startTestServer(label: string, overrides: Partial<ConfigInput> = {}): Promise<TestServer> {
  const config = loadConfig(
    {},
    {
      profile: 'test',
      host: '127.0.0.1',
      port: 0,
      mongodbUri: overrides.mongodbUri ?? testDatabaseUri(label),
      logLevel: (process.env.TEST_LOG_LEVEL as ConfigInput['logLevel']) ?? 'silent',
      jobPollMs: 50,
      shutdownTimeoutMs: 3000,
      dataEncryptionKey: TEST_KEYS.dataEncryptionKey,
      lookupHashKey: TEST_KEYS.lookupHashKey,
      ...overrides,
    },
  );
  const running = await startServer(config, createLogger(config));
  return { ...running, api: new ApiClient(running.url) };
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small fetch client for tests: JSON in, JSON (or text) out, never throws on HTTP status. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
  }

  get<T = Record<string, unknown>>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { headers });
  }

  post<T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { body, headers });
  }
}
