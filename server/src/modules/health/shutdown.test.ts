import test from 'ava';
import { request } from 'node:http';
import { startTestServer } from '../../testing/index.ts';

test('graceful shutdown: a request in flight is answered, then new connections are refused and the database is closed', async (t) => {
  const server = await startTestServer('shutdown', { jobsEnabled: true });
  const body = JSON.stringify({ username: 'nobody', password: 'whatever-at-all' });
  const url = new URL('/api/v1/admin/auth/login', server.url);
  const arrived = new Promise<void>((resolve) => server.server.once('request', () => resolve()));
  // Send the headers and half the body, so the request is in flight when stop() begins.
  const answered = new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    // The rest of the body follows only once shutdown has begun.
    void arrived.then(() => setTimeout(() => req.end(body.slice(10)), 300));
  });
  await arrived;
  const stopping = server.stop();
  t.is(await answered, 401, 'the in-flight request got its real answer');
  await stopping;
  const refused = await fetch(`${server.url}/healthz`).then(
    () => false,
    () => true,
  );
  t.true(refused, 'no new connections after shutdown');
  t.is(server.deps.db.readyState, 0, 'the database connection is closed');
});
