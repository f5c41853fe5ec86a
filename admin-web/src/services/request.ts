/**
 * The one request wrapper of the admin web app.
 *
 * It owns the base URL, JSON encoding, the bearer token and the status check,
 * and it throws: a typed `ApiError` for every non-2xx answer (the server's
 * `{code, message, details, requestId}` body), `NetworkError` when no answer
 * arrived, `UnexpectedResponseError` when a 2xx answer is not what the
 * contract promises. It never shows anything itself; pages decide how to
 * show errors, through `describeError` (./describe-error.ts).
 *
 * The factory `createRequestClient` is free of DOM and React so it is unit
 * tested in Node; the app's client at the bottom binds it to the session
 * store. Services (`./auth.ts`, …) call `api.get/post/…`, one typed function
 * per endpoint.
 */
import type { ErrorCode } from '@campuspay/shared';
import { sessionStore } from '../session/session-store.ts';

export const API_BASE = '/api/v1';

/** A code from the shared contract, or one a newer server invented. */
export type ApiErrorCode = ErrorCode | (string & {});

export interface ApiErrorInit {
  status: number;
  code: ApiErrorCode;
  message: string;
  details?: Record<string, unknown> | undefined;
  requestId: string;
  retryAfterSeconds?: number | undefined;
}

/** A non-2xx answer from the API. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string;
  /** From `Retry-After` or `details.retryAfterSeconds`, when the server says. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message); // the server's zh-CN text; may be empty
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** The request never got an answer (server down, offline, proxy refused). */
export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A 2xx answer whose body is not what the contract promises. */
export class UnexpectedResponseError extends Error {
  override name = 'UnexpectedResponseError';
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error as { name: unknown }).name === 'AbortError'
  );
}

// ---------------------------------------------------------------------------
// Pure helpers (unit tested)

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Readonly<Record<string, QueryValue | readonly QueryValue[]>>;

/** Builds `/api/v1<path>?<query>`, dropping empty values and repeating arrays. */
export function buildUrl(path: string, query?: QueryParams, base: string = API_BASE): string {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new TypeError(`API path must start with a single "/": ${path}`);
  }
  const params = new URLSearchParams();
  if (query) {
    for (const [key, raw] of Object.entries(query)) {
      const values: readonly QueryValue[] = Array.isArray(raw) ? raw : [raw as QueryValue];
      for (const value of values) {
        if (value === undefined || value === null || value === '') continue;
        params.append(key, String(value));
      }
    }
  }
  const search = params.toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

/** What the server would have said for a status, when its body is unusable. */
export function fallbackCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 422:
      return 'BUSINESS_RULE';
    case 429:
      return 'RATE_LIMITED';
    case 502:
      return 'UPSTREAM_ERROR';
    case 503:
    case 504:
      return 'UPSTREAM_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}

/** Reads `Retry-After` (seconds or an HTTP date) relative to `now`. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Minimal view of `Headers` so tests can pass a Map-like object. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Turns a non-2xx answer into an `ApiError`. The body should be
 * `{code, message, details?, requestId}`; anything else (an HTML page from a
 * proxy, an empty body) still yields a typed error with a code derived from
 * the status.
 */
export function parseErrorResponse(status: number, headers: HeaderReader, bodyText: string): ApiError {
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const headerRequestId = headers.get('x-request-id') ?? '';
  const headerRetryAfter = parseRetryAfter(headers.get('retry-after'));

  if (isPlainObject(body) && typeof body['code'] === 'string' && body['code'] !== '') {
    const details = isPlainObject(body['details']) ? body['details'] : undefined;
    const detailRetry = details?.['retryAfterSeconds'];
    return new ApiError({
      status,
      code: body['code'],
      message: typeof body['message'] === 'string' ? body['message'] : '',
      details,
      requestId: typeof body['requestId'] === 'string' ? body['requestId'] : headerRequestId,
      retryAfterSeconds:
        typeof detailRetry === 'number' && Number.isFinite(detailRetry) && detailRetry >= 0
          ? Math.ceil(detailRetry)
          : headerRetryAfter,
    });
  }
  return new ApiError({
    status,
    code: fallbackCodeForStatus(status),
    message: '',
    requestId: headerRequestId,
    retryAfterSeconds: headerRetryAfter,
  });
}

/**
 * The file name from a `Content-Disposition` header; prefers the RFC 5987
 * `filename*=UTF-8''…` form, which is how Chinese names travel.
 */
export function filenameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare?.[1] ?? null;
}

// ---------------------------------------------------------------------------
// The client

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data (the browser sets the boundary). */
  form?: FormData;
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
  /** For POSTs that move money; a repeat with the same key returns the first result. */
  idempotencyKey?: string;
  /** Send the bearer token (default true). The login call sends none. */
  auth?: boolean;
  /**
   * Validates and narrows the JSON body, e.g. `staffUserSchema.parse` from
   * the shared contract. A throw becomes `UnexpectedResponseError`.
   */
  parse?: (value: unknown) => T;
}

export interface DownloadedFile {
  blob: Blob;
  /** From `Content-Disposition`, when the server names the file. */
  filename: string | null;
  contentType: string | null;
}

export interface UnauthenticatedEvent {
  code: ApiErrorCode;
  /** The token the failed request carried; a newer session is left alone. */
  token: string | null;
}

export interface RequestClientDeps {
  getToken: () => string | null;
  /** 401 UNAUTHENTICATED / SESSION_EXPIRED: end the session, show the login page. */
  onUnauthenticated?: (event: UnauthenticatedEvent) => void;
  /** 403 PASSWORD_CHANGE_REQUIRED: send the user to change the password. */
  onPasswordChangeRequired?: () => void;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  baseUrl?: string;
}

export interface RequestClient {
  request<T>(method: HttpMethod, path: string, options?: RequestOptions<T>): Promise<T>;
  get<T>(path: string, options?: RequestOptions<T>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: RequestOptions<T>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: RequestOptions<T>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: RequestOptions<T>): Promise<T>;
  del<T>(path: string, options?: RequestOptions<T>): Promise<T>;
  /** POST multipart/form-data, e.g. an .xlsx import. */
  upload<T>(path: string, form: FormData, options?: RequestOptions<T>): Promise<T>;
  /** GET a file (e.g. `?format=xlsx`) as a Blob. */
  download(path: string, options?: Omit<RequestOptions<never>, 'parse'>): Promise<DownloadedFile>;
}

const AUTH_FAILURE_CODES: ReadonlySet<string> = new Set<ErrorCode>(['UNAUTHENTICATED', 'SESSION_EXPIRED']);

export function createRequestClient(deps: RequestClientDeps): RequestClient {
  // Call fetch through a wrapper: an unbound `window.fetch` throws "Illegal invocation".
  const fetchImpl = deps.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  const baseUrl = deps.baseUrl ?? API_BASE;

  async function send(
    method: HttpMethod,
    path: string,
    options: RequestOptions<unknown>,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    let body: BodyInit | undefined;
    if (options.form !== undefined) {
      body = options.form;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const token = options.auth === false ? null : deps.getToken();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    Object.assign(headers, options.headers);

    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = body;
    if (options.signal) init.signal = options.signal;

    let response: Response;
    try {
      response = await fetchImpl(buildUrl(path, options.query, baseUrl), init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new NetworkError('无法连接服务器', { cause: error });
    }
    if (response.ok) return response;

    const text = await response.text().catch(() => '');
    const error = parseErrorResponse(response.status, response.headers, text);
    if (error.status === 401 && AUTH_FAILURE_CODES.has(error.code)) {
      deps.onUnauthenticated?.({ code: error.code, token });
    } else if (error.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED') {
      deps.onPasswordChangeRequired?.();
    }
    throw error;
  }

  async function request<T>(method: HttpMethod, path: string, options: RequestOptions<T> = {}): Promise<T> {
    const response = await send(method, path, options, 'application/json');
    const text = response.status === 204 ? '' : await response.text();
    let value: unknown;
    if (text === '') {
      value = undefined;
    } else {
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new UnexpectedResponseError(response.status, '服务器返回的不是 JSON', { cause });
      }
    }
    if (!options.parse) return value as T;
    try {
      return options.parse(value);
    } catch (cause) {
      throw new UnexpectedResponseError(response.status, '服务器返回的数据与约定不符', { cause });
    }
  }

  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    put: (path, body, options) => request('PUT', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    del: (path, options) => request('DELETE', path, options),
    upload: (path, form, options) => request('POST', path, { ...options, form }),
    async download(path, options = {}) {
      const response = await send('GET', path, options, '*/*');
      return {
        blob: await response.blob(),
        filename: filenameFromContentDisposition(response.headers.get('content-disposition')),
        contentType: response.headers.get('content-type'),
      };
    },
  };
}

/**
 * The app's client: bearer token from the session store; a rejected token
 * ends that session (the guards then show the login page), and a forced
 * password change sends the user to change it.
 */
export const api: RequestClient = createRequestClient({
  getToken: () => sessionStore.getToken(),
  onUnauthenticated: ({ token }) => sessionStore.expire(token),
  onPasswordChangeRequired: () => sessionStore.requirePasswordChange(),
});
