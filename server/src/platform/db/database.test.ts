import test from 'ava';
import Koa from 'koa';
import Router from '@koa/router';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Schema } from 'mongoose';
import { z } from 'zod';
import pino from 'pino';
import { connectDatabase, defineModel, ensureIndexes } from './connection.ts';
import { testDatabaseUri, ApiClient } from '../../testing/index.ts';
import { errorHandler } from '../http/error-handler.ts';
import { requestContext } from '../http/request-context.ts';
import { jsonBody } from '../http/body.ts';
import { mountRoutes, route } from '../http/route.ts';
import type { AppState } from '../http/context.ts';

const probeSchema = new Schema({ code: { type: String, required: true }, label: String }, { versionKey: false });
probeSchema.index({ code: 1 }, { unique: true });
const ProbeModel = defineModel('WireProbe', 'wire_probes', probeSchema);

test('data written by one connection is read by another, and a unique index violation is a typed 409', async (t) => {
  const uri = testDatabaseUri('wire');
  const writer = await connectDatabase(uri);
  const reader = await connectDatabase(uri);
  t.teardown(async () => {
    await writer.close();
    await reader.close();
  });
  await ensureIndexes(writer);

  await ProbeModel(writer).create({ code: 'A-1', label: '第一条' });
  const seen = await ProbeModel(reader).findOne({ code: 'A-1' }).lean();
  t.is(seen?.label, '第一条');

  const app = new Koa<AppState>();
  app.use(errorHandler());
  app.use(requestContext(pino({ level: 'silent' })));
  app.use(jsonBody({ limitBytes: 4096 }));
  const router = new Router<AppState>();
  mountRoutes(
    router,
    [
      route({
        method: 'post',
        path: '/probes',
        summary: 'create a probe',
        tags: ['test'],
        auth: 'public',
        body: z.object({ code: z.string().min(1, '必填'), label: z.string() }),
        status: 201,
        handler: async ({ body }) => {
          const doc = await ProbeModel(reader).create(body);
          return { id: String(doc._id) };
        },
      }),
      route({
        method: 'get',
        path: '/explode',
        summary: 'an unexpected failure',
        tags: ['test'],
        auth: 'public',
        handler: () => {
          throw new Error('secret internals: connection string mongodb://user:pw@host');
        },
      }),
    ],
    {},
  );
  app.use(router.routes());
  const server = createServer(app.callback()).listen(0, '127.0.0.1');
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise((r) => server.once('listening', r));
  const api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

  const created = await api.post('/probes', { code: 'B-2', label: '第二条' });
  t.is(created.status, 201);
  const duplicate = await api.post<Record<string, unknown>>('/probes', { code: 'B-2', label: '重复' });
  t.is(duplicate.status, 409);
  t.is(duplicate.body.code, 'DUPLICATE');
  // MongoDB names the violated key; FerretDB v1 reports only the collection.
  const details = duplicate.body.details as { fields?: string[] } | undefined;
  if (details) t.deepEqual(details.fields, ['code']);
  t.is(await ProbeModel(writer).countDocuments({ code: 'B-2' }), 1, 'the second write did not land');

  const invalid = await api.post<{ code: string; details: { fields: { path: string; message: string }[] } }>('/probes', {
    code: '',
    label: 3,
  });
  t.is(invalid.status, 400);
  t.is(invalid.body.code, 'VALIDATION_FAILED');
  t.deepEqual(
    invalid.body.details.fields.map((f) => f.path),
    ['code', 'label'],
    'every bad field is listed',
  );

  const boom = await api.get<Record<string, unknown>>('/explode');
  t.is(boom.status, 500);
  t.is(boom.body.code, 'INTERNAL');
  t.false(JSON.stringify(boom.body).includes('secret'), 'internals are not revealed');
  t.truthy(boom.body.requestId);
});

test('start-up fails loudly when an index cannot be created', async (t) => {
  const uri = testDatabaseUri('badindex');
  const db = await connectDatabase(uri);
  t.teardown(() => db.close());
  await db.collection('wire_probes').insertMany([{ code: 'same' }, { code: 'same' }]);
  const error = await t.throwsAsync(() => ensureIndexes(db));
  t.regex(error.message, /WireProbe \(wire_probes\)/);
});
