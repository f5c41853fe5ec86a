import test from 'ava';
import { staffUserSchema } from '@campuspay/shared';
import {
  ApiError,
  NetworkError,
  UnexpectedResponseError,
  buildUrl,
  createRequestClient,
  fallbackCodeForStatus,
  filenameFromContentDisposition,
  parseErrorResponse,
  parseRetryAfter,
  type RequestClientDeps,
  type UnauthenticatedEvent,
} from './request.ts';

const noHeaders = { get: () => null };

function headersOf(values: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()] ?? null };
}

interface Call {
  url: string;
  init: RequestInit;
}

/** A client whose fetch answers with `respond` and records every call. */
function clientWith(respond: (call: Call) => Response | Promise<Response>, deps: Partial<RequestClientDeps> = {}) {
  const calls: Call[] = [];
  const client = createRequestClient({
    getToken: () => 'tok-1',
    fetch: async (url, init) => {
      const call = { url, init };
      calls.push(call);
      return respond(call);
    },
    ...deps,
  });
  return { client, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

function headerOf(call: Call | undefined, name: string): string | null {
  return new Headers(call?.init.headers).get(name);
}

const USER = {
  id: '64b000000000000000000001',
  username: 'bursar1',
  displayName: '王会计',
  role: 'bursar',
  scope: { nodeId: '64b0000000000000000000aa', kind: 'campus', name: '东校区' },
  mustChangePassword: false,
};

// --- pure helpers ---------------------------------------------------------

test('buildUrl prefixes the API base and drops empty query values', (t) => {
  t.is(buildUrl('/admin/me'), '/api/v1/admin/me');
  t.is(
    buildUrl('/admin/bills', { status: 'PAID', campusId: undefined, classId: null, studentId: '', page: 2, all: false }),
    '/api/v1/admin/bills?status=PAID&page=2&all=false',
  );
  t.is(buildUrl('/admin/bills', { status: ['PAID', 'UNPAID'] }), '/api/v1/admin/bills?status=PAID&status=UNPAID');
  t.is(buildUrl('/x', { q: '张 三&1' }), '/api/v1/x?q=%E5%BC%A0+%E4%B8%89%261');
});

test('buildUrl refuses paths that are not API-relative', (t) => {
  t.throws(() => buildUrl('admin/me'), { instanceOf: TypeError });
  t.throws(() => buildUrl('//evil.example/x'), { instanceOf: TypeError });
});

test('parseErrorResponse reads the contract body', (t) => {
  const error = parseErrorResponse(
    422,
    noHeaders,
    JSON.stringify({ code: 'BUSINESS_RULE', message: '账单已发布，不能修改', details: { billId: 'b1' }, requestId: 'req-9' }),
  );
  t.true(error instanceof ApiError);
  t.is(error.status, 422);
  t.is(error.code, 'BUSINESS_RULE');
  t.is(error.message, '账单已发布，不能修改');
  t.deepEqual(error.details, { billId: 'b1' });
  t.is(error.requestId, 'req-9');
  t.is(error.retryAfterSeconds, undefined);
});

test('parseErrorResponse keeps codes it does not know', (t) => {
  const error = parseErrorResponse(409, noHeaders, JSON.stringify({ code: 'BRAND_NEW', message: '新错误', requestId: 'r' }));
  t.is(error.code, 'BRAND_NEW');
});

test('parseErrorResponse copes with bodies that are not the contract', (t) => {
  const html = parseErrorResponse(502, headersOf({ 'X-Request-Id': 'edge-1' }), '<html>Bad Gateway</html>');
  t.is(html.code, 'UPSTREAM_ERROR');
  t.is(html.message, '');
  t.is(html.requestId, 'edge-1');
  t.is(html.details, undefined);

  t.is(parseErrorResponse(401, noHeaders, '').code, 'UNAUTHENTICATED');
  t.is(parseErrorResponse(500, noHeaders, '[]').code, 'INTERNAL');
  t.is(parseErrorResponse(400, noHeaders, JSON.stringify({ code: 42 })).code, 'BAD_REQUEST');
  const noDetails = parseErrorResponse(400, noHeaders, JSON.stringify({ code: 'BAD_REQUEST', message: 'x', details: [1] }));
  t.is(noDetails.details, undefined);
  t.is(noDetails.requestId, '');
});

test('parseErrorResponse reads retry hints from details or Retry-After', (t) => {
  const fromDetails = parseErrorResponse(
    429,
    headersOf({ 'Retry-After': '5' }),
    JSON.stringify({ code: 'TOO_MANY_ATTEMPTS', message: 'm', details: { retryAfterSeconds: 299.2 }, requestId: 'r' }),
  );
  t.is(fromDetails.retryAfterSeconds, 300);
  const fromHeader = parseErrorResponse(
    429,
    headersOf({ 'Retry-After': '120' }),
    JSON.stringify({ code: 'RATE_LIMITED', message: 'm', requestId: 'r' }),
  );
  t.is(fromHeader.retryAfterSeconds, 120);
});

test('parseRetryAfter handles seconds, dates and garbage', (t) => {
  t.is(parseRetryAfter('30'), 30);
  t.is(parseRetryAfter(null), undefined);
  t.is(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2025-01-01T00:00:00Z');
  t.is(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', now), 60);
  t.is(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
});

test('fallbackCodeForStatus', (t) => {
  t.is(fallbackCodeForStatus(403), 'FORBIDDEN');
  t.is(fallbackCodeForStatus(404), 'NOT_FOUND');
  t.is(fallbackCodeForStatus(413), 'PAYLOAD_TOO_LARGE');
  t.is(fallbackCodeForStatus(503), 'UPSTREAM_UNAVAILABLE');
  t.is(fallbackCodeForStatus(418), 'BAD_REQUEST');
  t.is(fallbackCodeForStatus(599), 'INTERNAL');
});

test('filenameFromContentDisposition prefers the UTF-8 form', (t) => {
  t.is(
    filenameFromContentDisposition(
      `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent('收费报表-2025-03.xlsx')}`,
    ),
    '收费报表-2025-03.xlsx',
  );
  t.is(filenameFromContentDisposition('attachment; filename="a \\"b\\".xlsx"'), 'a "b".xlsx');
  t.is(filenameFromContentDisposition('attachment; filename=plain.xlsx'), 'plain.xlsx');
  t.is(filenameFromContentDisposition("attachment; filename*=UTF-8''%E0%A4%A; filename=fallback.xlsx"), 'fallback.xlsx');
  t.is(filenameFromContentDisposition('attachment'), null);
  t.is(filenameFromContentDisposition(null), null);
});

// --- the client -----------------------------------------------------------

test('GET sends the bearer token and Accept, parses JSON', async (t) => {
  const { client, calls } = clientWith(() => json(200, USER));
  const user = await client.get('/admin/me', { parse: (v) => staffUserSchema.parse(v) });
  t.is(user.displayName, '王会计');
  t.is(calls[0]?.url, '/api/v1/admin/me');
  t.is(calls[0]?.init.method, 'GET');
  t.is(headerOf(calls[0], 'authorization'), 'Bearer tok-1');
  t.is(headerOf(calls[0], 'accept'), 'application/json');
  t.is(headerOf(calls[0], 'content-type'), null);
  t.is(calls[0]?.init.body, undefined);
});

test('POST sends JSON; auth:false sends no token; idempotency key is passed on', async (t) => {
  const { client, calls } = clientWith(() => json(201, { ok: true }));
  await client.post('/admin/auth/login', { username: 'a', password: 'b' }, { auth: false });
  t.is(headerOf(calls[0], 'authorization'), null);
  t.is(headerOf(calls[0], 'content-type'), 'application/json');
  t.is(calls[0]?.init.body, JSON.stringify({ username: 'a', password: 'b' }));

  await client.post('/admin/offline-payments', { amountFen: 100 }, { idempotencyKey: 'key-1' });
  t.is(headerOf(calls[1], 'idempotency-key'), 'key-1');
  t.is(headerOf(calls[1], 'authorization'), 'Bearer tok-1');
});

test('no token: no Authorization header', async (t) => {
  const { client, calls } = clientWith(() => json(200, {}), { getToken: () => null });
  await client.get('/admin/me');
  t.is(headerOf(calls[0], 'authorization'), null);
});

test('204 and empty bodies resolve to undefined', async (t) => {
  const { client } = clientWith(() => new Response(null, { status: 204 }));
  t.is(await client.post<void>('/admin/auth/logout'), undefined);
});

test('non-2xx throws a typed ApiError', async (t) => {
  const { client } = clientWith(() =>
    json(404, { code: 'NOT_FOUND', message: '账单不存在', requestId: 'req-404' }),
  );
  const error = await t.throwsAsync(client.get('/admin/bills/x'), { instanceOf: ApiError });
  t.is(error?.status, 404);
  t.is(error?.code, 'NOT_FOUND');
  t.is(error?.requestId, 'req-404');
});

test('401 UNAUTHENTICATED / SESSION_EXPIRED reports the token that failed', async (t) => {
  for (const code of ['UNAUTHENTICATED', 'SESSION_EXPIRED'] as const) {
    const events: UnauthenticatedEvent[] = [];
    const { client } = clientWith(() => json(401, { code, message: '请登录', requestId: 'r' }), {
      onUnauthenticated: (event) => events.push(event),
    });
    await t.throwsAsync(client.get('/admin/me'), { instanceOf: ApiError });
    t.deepEqual(events, [{ code, token: 'tok-1' }]);
  }
});

test('401 INVALID_CREDENTIALS (a failed login) does not end the session', async (t) => {
  let ended = 0;
  const { client } = clientWith(
    () => json(401, { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', requestId: 'r' }),
    { onUnauthenticated: () => ended++ },
  );
  const error = await t.throwsAsync(client.post('/admin/auth/login', {}, { auth: false }), { instanceOf: ApiError });
  t.is(error?.code, 'INVALID_CREDENTIALS');
  t.is(ended, 0);
});

test('403 PASSWORD_CHANGE_REQUIRED asks for a password change', async (t) => {
  let asked = 0;
  const { client } = clientWith(
    () => json(403, { code: 'PASSWORD_CHANGE_REQUIRED', message: '请先修改密码', requestId: 'r' }),
    { onPasswordChangeRequired: () => asked++, onUnauthenticated: () => t.fail() },
  );
  await t.throwsAsync(client.get('/admin/bills'), { instanceOf: ApiError });
  t.is(asked, 1);
});

test('a failed fetch becomes a NetworkError; an abort stays an abort', async (t) => {
  const { client } = clientWith(() => {
    throw new TypeError('fetch failed');
  });
  await t.throwsAsync(client.get('/admin/me'), { instanceOf: NetworkError });

  const controller = new AbortController();
  controller.abort();
  const aborting = createRequestClient({
    getToken: () => null,
    fetch: (_url, init) => {
      if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      return Promise.resolve(json(200, {}));
    },
  });
  // DOMException is not an Error subclass in Node 20, so no t.throwsAsync here.
  const outcome = await aborting.get('/admin/me', { signal: controller.signal }).then(
    () => 'resolved',
    (error: unknown) => (error as { name?: string }).name,
  );
  t.is(outcome, 'AbortError');
});

test('a 2xx that is not JSON, or not the contract, is an UnexpectedResponseError', async (t) => {
  const html = clientWith(() => new Response('<html></html>', { status: 200 }));
  await t.throwsAsync(html.client.get('/admin/me'), { instanceOf: UnexpectedResponseError });

  const wrong = clientWith(() => json(200, { id: 1 }));
  await t.throwsAsync(
    wrong.client.get('/admin/me', { parse: (v) => staffUserSchema.parse(v) }),
    { instanceOf: UnexpectedResponseError },
  );
});

test('upload sends multipart form data without a JSON content type', async (t) => {
  const { client, calls } = clientWith(() => json(200, { imported: 3 }));
  const form = new FormData();
  form.append('file', new Blob(['xlsx-bytes']), '学生名单.xlsx');
  const result = await client.upload<{ imported: number }>('/admin/students/import', form);
  t.is(result.imported, 3);
  t.is(calls[0]?.init.method, 'POST');
  t.is(calls[0]?.init.body, form);
  t.is(headerOf(calls[0], 'content-type'), null);
  t.is(headerOf(calls[0], 'authorization'), 'Bearer tok-1');
});

test('upload errors carry the import problems', async (t) => {
  const { client } = clientWith(() =>
    json(422, {
      code: 'IMPORT_INVALID',
      message: '第 3 行学号重复',
      details: { rows: [{ row: 3, message: '学号重复' }] },
      requestId: 'r',
    }),
  );
  const error = await t.throwsAsync(client.upload('/admin/students/import', new FormData()), { instanceOf: ApiError });
  t.deepEqual(error?.details, { rows: [{ row: 3, message: '学号重复' }] });
});

test('download returns the blob and the server-given file name', async (t) => {
  const { client, calls } = clientWith(
    () =>
      new Response(new Uint8Array([80, 75, 3, 4]), {
        status: 200,
        headers: {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent('收费报表.xlsx')}`,
        },
      }),
  );
  const file = await client.download('/admin/reports/collection', { query: { format: 'xlsx', from: '2025-03-01' } });
  t.is(calls[0]?.url, '/api/v1/admin/reports/collection?format=xlsx&from=2025-03-01');
  t.is(headerOf(calls[0], 'accept'), '*/*');
  t.is(file.filename, '收费报表.xlsx');
  t.is(file.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  t.is(file.blob.size, 4);
});

test('download errors are ApiErrors too (JSON error body)', async (t) => {
  const { client } = clientWith(() => json(403, { code: 'FORBIDDEN', message: '无权限', requestId: 'r' }));
  const error = await t.throwsAsync(client.download('/admin/reports/collection'), { instanceOf: ApiError });
  t.is(error?.code, 'FORBIDDEN');
});
