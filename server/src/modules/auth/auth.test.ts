import test from 'ava';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';

let server: SeededServer;
test.before(async () => {
  server = await startSeededServer('auth', { loginMaxFailures: 3, loginLockMinutes: 1 });
});
test.after.always(() => server?.stop());

test('sign-in answers the contract shape; wrong credentials are 401 INVALID_CREDENTIALS alike for unknown users', async (t) => {
  const ok = await server.api.post<{ token: string; user: Record<string, unknown> }>('/api/v1/admin/auth/login', { username: 'demo.group', password: 'Demo@2026' });
  t.is(ok.status, 200);
  t.like(ok.body.user, { username: 'demo.group', role: 'group_admin', scope: { nodeId: 'group_demo', kind: 'school_group', name: '明德教育集团' } });
  const wrong = await server.api.post<Record<string, string>>('/api/v1/admin/auth/login', { username: 'demo.group', password: 'nope' });
  const unknown = await server.api.post<Record<string, string>>('/api/v1/admin/auth/login', { username: 'nobody.here', password: 'nope' });
  t.is(wrong.status, 401);
  t.is(wrong.body.code, 'INVALID_CREDENTIALS');
  t.deepEqual([unknown.status, unknown.body.code, unknown.body.message], [wrong.status, wrong.body.code, wrong.body.message]);
});

test('repeated failures lock the account: 429 TOO_MANY_ATTEMPTS with Retry-After, even for the right password', async (t) => {
  for (let i = 0; i < 3; i++) await server.api.post('/api/v1/admin/auth/login', { username: 'demo.auditor', password: `wrong-${i}` });
  const locked = await server.api.post<{ code: string; details: { retryAfterSeconds: number } }>('/api/v1/admin/auth/login', {
    username: 'demo.auditor',
    password: 'Demo@2026',
  });
  t.is(locked.status, 429);
  t.is(locked.body.code, 'TOO_MANY_ATTEMPTS');
  const retryAfter = Number(locked.headers.get('retry-after'));
  t.true(retryAfter > 0 && retryAfter <= 60);
  t.is(locked.body.details.retryAfterSeconds, retryAfter);
});

test('logout revokes the session', async (t) => {
  const api = await server.loginAs('demo.bursar');
  t.is((await api.get('/api/v1/admin/me')).status, 200);
  t.is((await api.post('/api/v1/admin/auth/logout')).status, 204);
  const after = await api.get<Record<string, string>>('/api/v1/admin/me');
  t.is(after.status, 401);
  t.is(after.body.code, 'SESSION_EXPIRED');
});

test('a created account must change its password first; the change ends other sessions', async (t) => {
  const admin = await server.loginAs('demo.group');
  const created = await admin.post<{ id: string; mustChangePassword: boolean }>('/api/v1/admin/users', {
    username: 'new.bursar',
    displayName: '新出纳',
    initialPassword: 'Initial1234',
    grants: [{ role: 'bursar', nodeId: 'campus_demo_west' }],
  });
  t.is(created.status, 201);
  t.true(created.body.mustChangePassword);

  const first = await server.loginAs('new.bursar', 'Initial1234');
  const second = await server.loginAs('new.bursar', 'Initial1234');
  const blocked = await first.get<Record<string, string>>('/api/v1/admin/students');
  t.is(blocked.status, 403);
  t.is(blocked.body.code, 'PASSWORD_CHANGE_REQUIRED');
  t.is((await first.get('/api/v1/admin/me')).status, 200, 'who-am-I still works');

  const weak = await first.post<Record<string, string>>('/api/v1/admin/auth/change-password', { currentPassword: 'Initial1234', newPassword: 'short' });
  t.is(weak.status, 400);
  const changed = await first.post<{ token: string; user: { mustChangePassword: boolean } }>('/api/v1/admin/auth/change-password', {
    currentPassword: 'Initial1234',
    newPassword: 'Changed5678x',
  });
  t.is(changed.status, 200);
  t.false(changed.body.user.mustChangePassword);
  t.is((await first.get('/api/v1/admin/me')).status, 401, 'the old token is revoked');
  t.is((await second.get('/api/v1/admin/me')).status, 401, 'other sessions are revoked');
  const fresh = server.api.withToken(changed.body.token);
  t.is((await fresh.get('/api/v1/admin/students')).status, 200);

  const grantOutside = await admin.post<Record<string, string>>('/api/v1/admin/users', {
    username: 'sneaky',
    displayName: '越权',
    initialPassword: 'Initial1234',
    grants: [{ role: 'platform_admin', nodeId: 'bank_demo' }],
  });
  t.is(grantOutside.status, 403, 'nobody grants more than they hold');
});

test('a user with two grants switches between them and the scope follows', async (t) => {
  const admin = await server.loginAs('demo.platform');
  const created = await admin.post<{ id: string }>('/api/v1/admin/users', {
    username: 'two.hats',
    displayName: '两个校区的出纳',
    initialPassword: 'Initial1234',
    grants: [
      { role: 'bursar', nodeId: 'campus_demo_east' },
      { role: 'bursar', nodeId: 'campus_demo_west' },
    ],
  });
  t.is(created.status, 201);
  const first = await server.loginAs('two.hats', 'Initial1234');
  const changed = await first.post<{ token: string }>('/api/v1/admin/auth/change-password', { currentPassword: 'Initial1234', newPassword: 'TwoHats12345' });
  const api = server.api.withToken(changed.body.token);
  const east = await api.get<{ items: { campusId: string }[] }>('/api/v1/admin/students?pageSize=5');
  t.true(east.body.items.every((s) => s.campusId === 'campus_demo_east'));
  const grants = await api.get<{ index: number; nodeName: string; active: boolean }[]>('/api/v1/admin/me/grants');
  t.deepEqual(grants.body.map((g) => [g.nodeName, g.active]), [['明德东校区', true], ['明德西校区', false]]);
  const switched = await api.post<{ scope: { nodeId: string } }>('/api/v1/admin/auth/switch-grant', { grantIndex: 1 });
  t.is(switched.body.scope.nodeId, 'campus_demo_west');
  const west = await api.get<{ items: { campusId: string }[] }>('/api/v1/admin/students?pageSize=5');
  t.true(west.body.items.length > 0 && west.body.items.every((s) => s.campusId === 'campus_demo_west'));
});
