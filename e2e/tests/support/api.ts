/**
 * Arranging data through the server's HTTP API, for the steps a browser test
 * sets up rather than performs.
 */
import type { ApiClient } from '@campuspay/server/testing';
import { DEMO_PASSWORD, eventually, type Platform } from './platform.ts';

/** A signed-in API client for a demo staff account. */
export async function staffLogin(platform: Platform, username: string): Promise<ApiClient> {
  const res = await platform.server.api.post<{ token: string }>('/api/v1/admin/auth/login', { username, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return platform.server.api.withToken(res.body.token);
}

/** The body of an answer that must have `status`; anything else stops the arrangement with what came back. */
export async function expectStatus<T>(what: string, pending: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const res = await pending;
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function waitFor(what: string, probe: () => Promise<boolean>): Promise<void> {
  await eventually(async () => {
    if (!(await probe())) throw new Error(`timed out waiting for ${what}`);
  });
}
