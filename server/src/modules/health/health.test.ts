import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, provideDatabase } from '@campuspay/dev';
import { startTestServer } from '../../testing/index.ts';

test('healthz answers while the process runs', async (t) => {
  const server = await startTestServer('healthz');
  t.teardown(() => server.stop());
  const res = await server.api.get('/healthz');
  t.is(res.status, 200);
  t.deepEqual(res.body, { status: 'ok' });
});

test('readyz is 503 while the database is down and recovers when it returns', async (t) => {
  // This test needs a database it can stop, so it starts its own.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-readyz-'));
  const port = await freePort();
  let database = await provideDatabase({ port, dataDir, dbName: 'readyz', local: true });
  const server = await startTestServer('readyz', { mongodbUri: database.uri, jobsEnabled: false });
  t.teardown(async () => {
    await server.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  t.is((await server.api.get('/readyz')).status, 200);

  await database.stop();
  const down = await server.api.get('/readyz');
  t.is(down.status, 503);
  t.deepEqual(down.body, { status: 'not_ready', database: 'down' });
  t.is((await server.api.get('/healthz')).status, 200, 'liveness does not depend on the database');

  database = await provideDatabase({ port, dataDir, dbName: 'readyz', local: true });
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    status = (await server.api.get('/readyz')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  t.is(status, 200, 'the server reconnects on its own');
});
