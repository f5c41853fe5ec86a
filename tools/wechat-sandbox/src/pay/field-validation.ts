import { paramError, WechatPayError } from './wechat-pay-error.ts';

/** Small checks shared by the v3 request validators; each failure is WeChat's PARAM_ERROR with a detail pointer. */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonBody(body: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WechatPayError(400, 'PARAM_ERROR', '请求报文格式错误，无法解析为JSON');
  }
  if (!isJsonObject(parsed)) throw new WechatPayError(400, 'PARAM_ERROR', '请求报文格式错误，应为JSON对象');
  return parsed;
}

/** Characters beyond three UTF-8 bytes (emoji and rarer CJK) are rejected by v3 APIs. */
function hasAstralCharacters(value: string): boolean {
  for (const ch of value) if ((ch.codePointAt(0) ?? 0) > 0xffff) return true;
  return false;
}

export function requiredString(object: JsonObject, field: string, maxLength: number, pointer = `/${field}`): string {
  const value = object[field];
  if (value === undefined || value === null) throw paramError('body', pointer, '缺少必填字段');
  return checkString(value, maxLength, pointer);
}

export function optionalString(object: JsonObject, field: string, maxLength: number, pointer = `/${field}`): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  return checkString(value, maxLength, pointer);
}

function checkString(value: unknown, maxLength: number, pointer: string): string {
  if (typeof value !== 'string') throw paramError('body', pointer, '字段类型错误，应为字符串', value);
  if (value.length === 0) throw paramError('body', pointer, '字符串长度不能为0', value);
  if ([...value].length > maxLength) throw paramError('body', pointer, `字符串长度超过上限 ${maxLength}`, value);
  if (hasAstralCharacters(value)) throw paramError('body', pointer, '含有不支持的字符（仅支持 1-3 字节的 UTF-8 字符）', value);
  return value;
}

export function requiredInteger(object: JsonObject, field: string, pointer: string, minimum: number): number {
  const value = object[field];
  if (value === undefined || value === null) throw paramError('body', pointer, '缺少必填字段');
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw paramError('body', pointer, '字段类型错误，应为整数', value);
  if (value < minimum) throw paramError('body', pointer, `值低于最小值 ${minimum}`, value);
  return value;
}

export function requiredObject(object: JsonObject, field: string, pointer = `/${field}`): JsonObject {
  const value = object[field];
  if (value === undefined || value === null) throw paramError('body', pointer, '缺少必填字段');
  if (!isJsonObject(value)) throw paramError('body', pointer, '字段类型错误，应为对象', value);
  return value;
}

export function optionalObject(object: JsonObject, field: string, pointer = `/${field}`): JsonObject | undefined {
  return object[field] === undefined || object[field] === null ? undefined : requiredObject(object, field, pointer);
}

export function checkPattern(value: string, pattern: RegExp, pointer: string, issue: string): string {
  if (!pattern.test(value)) throw paramError('body', pointer, issue, value);
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

/**
 * WeChat demands an HTTPS notify_url without a query string. A local sandbox
 * also takes plain http on the loopback interface, where the server runs in
 * development; any other http URL is refused as WeChat would.
 */
export function checkNotifyUrl(value: string, pointer: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw paramError('body', pointer, '不是合法的URL', value);
  }
  if (value.includes('?') || url.search) throw paramError('body', pointer, '通知地址不允许携带查询串', value);
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (!allowed) throw paramError('body', pointer, '通知地址必须为https地址', value);
  return value;
}

/** Same members, same values, any key order: the identity of "the same parameters". */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
