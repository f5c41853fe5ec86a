import Taro from '@tarojs/taro';
import { ApiError } from './api-error';
import { clearParentSession, getParentToken } from './session';

/**
 * The one way the mini-program talks to the CampusPay API. It owns the base
 * URL, the parent's bearer token and the status check, and throws ApiError on
 * anything but a 2xx. It never shows UI: pages decide how to present errors
 * (see ui/show-error.ts).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Sent as `Idempotency-Key`; required by the API on POSTs that move money. */
  idempotencyKey?: string;
  /** Overrides the default 15 s, for calls that wait on WeChat (creating orders). */
  timeoutMs?: number;
}

/** Fixed at build time by config/index.ts: `/api/v1` on h5, TARO_APP_API_BASE on weapp. */
export const API_BASE: string = process.env.TARO_APP_API_BASE;

const TIMEOUT_MS = 15_000;

type QueryValue = string | number | boolean | null | undefined;

/** Builds `path?query`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data === '') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function errorFromResponse(status: number, data: unknown, headers: unknown): ApiError {
  const body = parseBody(data);
  const requestIdHeader = headerValue(headers, 'x-request-id');
  if (isRecord(body) && typeof body.code === 'string' && typeof body.message === 'string') {
    return new ApiError({
      status,
      code: body.code,
      message: body.message,
      details: isRecord(body.details) ? body.details : undefined,
      requestId: typeof body.requestId === 'string' ? body.requestId : requestIdHeader,
    });
  }
  return new ApiError({
    status,
    code: status === 401 ? 'UNAUTHENTICATED' : status >= 500 ? 'INTERNAL' : 'INVALID_RESPONSE',
    message: status >= 500 ? `服务暂时不可用，请稍后重试（${status}）` : `请求失败（${status}）`,
    requestId: requestIdHeader,
  });
}

function networkError(err: unknown): ApiError {
  const detail = isRecord(err) && typeof err.errMsg === 'string' ? err.errMsg : String(err);
  const timedOut = /timeout|timed out|abort|超时/i.test(detail);
  return new ApiError({
    status: 0,
    code: 'NETWORK_ERROR',
    message: timedOut ? '请求超时，请检查网络后重试' : '网络连接失败，请检查网络后重试',
    details: { errMsg: detail },
  });
}

export async function request<T>(
  method: HttpMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const header: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) header['Content-Type'] = 'application/json';
  const token = getParentToken();
  if (token) header.Authorization = `Bearer ${token}`;
  if (options.idempotencyKey) header['Idempotency-Key'] = options.idempotencyKey;

  const response = await Taro.request<unknown>({
    url: `${API_BASE}${path}`,
    method,
    header,
    timeout: options.timeoutMs ?? TIMEOUT_MS,
    dataType: 'json',
    ...(body !== undefined ? { data: body } : {}),
  }).catch((err: unknown) => {
    throw networkError(err);
  });

  const { statusCode, data } = response;
  if (statusCode >= 200 && statusCode < 300) {
    return parseBody(data) as T;
  }
  if (statusCode === 401) clearParentSession();
  throw errorFromResponse(statusCode, data, response.header);
}

/** The absolute URL of an API path, for the platform calls that do not go through request() (file downloads). */
export function apiUrl(path: string): string {
  return `${API_BASE}${path}`;
}

/** The parent's Authorization header, for the same calls. */
export function authHeader(): Record<string, string> {
  const token = getParentToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Reads an error body that arrived as bytes (a binary request answered with JSON). */
function decodeErrorBytes(data: unknown): unknown {
  if (!(data instanceof ArrayBuffer) || typeof TextDecoder === 'undefined') return data;
  try {
    return new TextDecoder('utf-8').decode(new Uint8Array(data));
  } catch {
    return undefined;
  }
}

/**
 * GET of a binary resource (a receipt PDF) as bytes, with the same base URL,
 * bearer token and status check as request(); throws ApiError otherwise.
 */
export async function requestArrayBuffer(path: string): Promise<ArrayBuffer> {
  const response = await Taro.request<ArrayBuffer>({
    url: apiUrl(path),
    method: 'GET',
    header: { Accept: 'application/pdf, application/json', ...authHeader() },
    timeout: TIMEOUT_MS,
    responseType: 'arraybuffer',
  }).catch((err: unknown) => {
    throw networkError(err);
  });
  const { statusCode, data } = response;
  if (statusCode >= 200 && statusCode < 300 && data instanceof ArrayBuffer) return data;
  if (statusCode === 401) clearParentSession();
  throw errorFromResponse(statusCode >= 200 && statusCode < 300 ? 502 : statusCode, decodeErrorBytes(data), response.header);
}
