import test from 'ava';
import { startSandbox } from '@campuspay/wechat-sandbox';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSeededServer, OTHER, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';

let server: SeededServer;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dataDir: string;

test.before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-parents-'));
  sandbox = await startSandbox({ port: 0, dataDir, quiet: true });
  server = await startSeededServer('parents', { wechatAppId: sandbox.miniProgram.appid, wechatAppSecret: sandbox.miniProgram.secret, wechatApiBaseUrl: sandbox.url });
});
test.after.always(async () => {
  await server?.stop();
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function parentLogin(openid: string): Promise<ApiClient> {
  const code = await (await fetch(`${sandbox.url}/sandbox/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })).json() as { code: string };
  const res = await server.api.post<{ token: string; parent: { id: string } }>('/api/v1/parent/auth/wechat', { code: code.code });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return server.api.withToken(res.body.token);
}

test('WeChat login: a code works once; a bad code is refused clearly', async (t) => {
  const code = (await (await fetch(`${sandbox.url}/sandbox/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'parent-once' }) })).json()) as { code: string };
  t.is((await server.api.post('/api/v1/parent/auth/wechat', { code: code.code })).status, 200);
  const again = await server.api.post<Record<string, string>>('/api/v1/parent/auth/wechat', { code: code.code });
  t.is(again.status, 400);
  t.regex(again.body.message ?? '', /登录凭证/);
});

test('binding: right details bind; a wrong name and an unknown student answer alike; a parent sees only their own children', async (t) => {
  const parent = await parentLogin('parent-binder');
  const bound = await parent.post<{ id: string; name: string; campusName: string }>('/api/v1/parent/children', { schoolCode: 'mde001', studentNo: 'E2026005', studentName: (await studentName('E2026005')) });
  t.is(bound.status, 201);
  t.is(bound.body.campusName, '明德东校区');
  const again = await parent.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: 'E2026005', studentName: await studentName('E2026005') });
  t.is(again.status, 201, 'binding twice is harmless');

  const wrongName = await parent.post<Record<string, string>>('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: 'E2026006', studentName: '不是这个名字' });
  const unknown = await parent.post<Record<string, string>>('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: 'E9999999', studentName: '不是这个名字' });
  t.deepEqual([wrongName.status, wrongName.body.code, wrongName.body.message], [unknown.status, unknown.body.code, unknown.body.message]);
  t.is(wrongName.status, 404);

  const children = await parent.get<{ id: string }[]>('/api/v1/parent/children');
  t.deepEqual(children.body.map((c) => c.id), [bound.body.id]);
  const other = await parentLogin('parent-other');
  t.deepEqual((await other.get('/api/v1/parent/children')).body, []);
  t.is((await other.request('DELETE', `/api/v1/parent/children/${bound.body.id}`)).status, 404, 'another family’s child does not exist for them');
  t.is((await parent.request('DELETE', `/api/v1/parent/children/${bound.body.id}`)).status, 204);
  t.deepEqual((await parent.get('/api/v1/parent/children')).body, []);
  t.is((await parent.get('/api/v1/admin/students')).status, 401, 'a parent token opens no staff route');
});

test('binding by invitation code', async (t) => {
  const parent = await parentLogin('parent-invite');
  const student = await server.deps.db.collection('students').findOne({ _id: OTHER.student as never });
  const res = await parent.post<{ id: string }>('/api/v1/parent/children/by-invite', { inviteCode: String(student?.inviteCode).toLowerCase(), studentName: '外校学生' });
  t.is(res.status, 201);
  t.is(res.body.id, OTHER.student);
});

test('binding attempts are rate-limited per student number', async (t) => {
  const results: number[] = [];
  for (let i = 0; i < 7; i++) {
    const p = await parentLogin(`prober-${i}`);
    results.push((await p.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: 'E2026010', studentName: `猜${i}` })).status);
  }
  t.deepEqual(results.slice(0, 5), [404, 404, 404, 404, 404]);
  t.deepEqual(results.slice(5), [429, 429]);
});

async function studentName(no: string): Promise<string> {
  const s = await server.deps.db.collection('students').findOne({ studentNo: no });
  return String(s?.name);
}
