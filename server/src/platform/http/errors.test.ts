import test from 'ava';
import { request as httpRequest } from 'node:http';
import { startTestServer, type TestServer } from '../../testing/index.ts';

let server: TestServer;
test.before(async () => {
  server = await startTestServer('errors', { bodyLimitBytes: 1024, jobsEnabled: false });
});
test.after.always(() => server?.stop());

test('unknown routes answer 404 NOT_FOUND with a request id', async (t) => {
  const res = await server.api.get<Record<string, string>>('/api/v1/no-such-thing');
  t.is(res.status, 404);
  t.is(res.body.code, 'NOT_FOUND');
  t.truthy(res.body.message);
  t.is(res.body.requestId, res.headers.get('x-request-id') ?? undefined);
});

test('a well-formed incoming request id is kept', async (t) => {
  const res = await server.api.get<Record<string, string>>('/api/v1/nowhere', { 'x-request-id': 'lb-req-12345678' });
  t.is(res.body.requestId, 'lb-req-12345678');
});

test('malformed JSON answers 400 BAD_JSON', async (t) => {
  const res = await server.api.request<Record<string, string>>('POST', '/api/v1/public/client-config', {
    rawBody: '{"broken": ',
    headers: { 'content-type': 'application/json' },
  });
  t.is(res.status, 400);
  t.is(res.body.code, 'BAD_JSON');
});

test('a body over the limit answers 413 PAYLOAD_TOO_LARGE', async (t) => {
  const res = await server.api.request<Record<string, unknown>>('POST', '/api/v1/public/client-config', {
    rawBody: JSON.stringify({ padding: 'x'.repeat(4096) }),
    headers: { 'content-type': 'application/json' },
  });
  t.is(res.status, 413);
  t.is(res.body.code, 'PAYLOAD_TOO_LARGE');
});

test('a body over the limit without content-length (chunked) also answers 413', async (t) => {
  const url = new URL('/api/v1/public/client-config', server.url);
  const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (let i = 0; i < 8; i++) req.write('x'.repeat(512));
    req.end();
  });
  t.is(result.status, 413);
  t.is(JSON.parse(result.body).code, 'PAYLOAD_TOO_LARGE');
});

test('a non-JSON body answers 415', async (t) => {
  const res = await server.api.request<Record<string, string>>('POST', '/api/v1/public/client-config', {
    rawBody: 'a=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  t.is(res.status, 415);
  t.is(res.body.code, 'UNSUPPORTED_MEDIA_TYPE');
});

test('the OpenAPI document is generated from the route schemas', async (t) => {
  const res = await server.api.get<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
    '/api/v1/openapi.json',
  );
  t.is(res.status, 200);
  t.is(res.body.openapi, '3.1.0');
  const op = res.body.paths['/api/v1/public/client-config']?.get;
  t.truthy(op);
  t.truthy(op?.responses['200']);
});
