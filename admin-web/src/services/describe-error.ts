/**
 * The one request-error policy: what the user reads when a call fails.
 *
 * Every code of the shared contract has a fixed Chinese text. Where the
 * server's own message is more specific than any fixed text could be (a
 * business rule, a state conflict, an import problem) and the server sent
 * one, that message wins; the server writes its messages in zh-CN. Codes this
 * client does not know yet show the server's message. Server faults carry the
 * request id so support can find the log line.
 */
import type { ErrorCode, FieldIssue } from '@campuspay/shared';
import { isAbortError, isApiError, NetworkError, UnexpectedResponseError, type ApiError } from './request.ts';

interface ErrorText {
  text: string;
  /** Show the server's message instead of `text` when it sent one. */
  preferServerMessage?: boolean;
  /** Append the request id (server-side faults). */
  withRequestId?: boolean;
}

/** Exhaustive: adding a code to the shared contract fails the build here. */
export const ERROR_TEXTS: Readonly<Record<ErrorCode, ErrorText>> = {
  BAD_JSON: { text: '请求格式有误，请刷新页面后重试' },
  VALIDATION_FAILED: { text: '提交的内容有误，请检查后重试', preferServerMessage: true },
  BAD_REQUEST: { text: '请求有误，请检查后重试', preferServerMessage: true },
  UNAUTHENTICATED: { text: '请先登录' },
  INVALID_CREDENTIALS: { text: '用户名或密码错误' },
  SESSION_EXPIRED: { text: '登录已过期，请重新登录' },
  FORBIDDEN: { text: '没有权限执行此操作' },
  PASSWORD_CHANGE_REQUIRED: { text: '请先修改初始密码' },
  NOT_FOUND: { text: '要访问的内容不存在或已被删除' },
  CONFLICT: { text: '数据已被他人修改，请刷新后重试', preferServerMessage: true },
  DUPLICATE: { text: '数据已存在，请勿重复提交', preferServerMessage: true },
  IDEMPOTENCY_KEY_REUSED: { text: '重复提交的内容与首次不一致，请刷新页面后重试' },
  STATE_CONFLICT: { text: '当前状态不允许此操作，请刷新后重试', preferServerMessage: true },
  PAYLOAD_TOO_LARGE: { text: '文件或提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { text: '不支持的文件格式' },
  IMPORT_INVALID: { text: '导入文件中有错误，未导入任何数据', preferServerMessage: true },
  BUSINESS_RULE: { text: '该操作不符合业务规则', preferServerMessage: true },
  TOO_MANY_ATTEMPTS: { text: '尝试次数过多，请稍后再试' },
  RATE_LIMITED: { text: '操作过于频繁，请稍后再试' },
  INTERNAL: { text: '服务器出错了，请稍后重试', withRequestId: true },
  UPSTREAM_ERROR: { text: '外部服务（如微信支付）返回错误，请稍后重试', withRequestId: true },
  UPSTREAM_UNAVAILABLE: { text: '外部服务暂时不可用，请稍后重试', withRequestId: true },
  NOT_READY: { text: '服务正在启动，请稍后重试' },
};

function knownText(code: string): ErrorText | undefined {
  return Object.hasOwn(ERROR_TEXTS, code) ? ERROR_TEXTS[code as ErrorCode] : undefined;
}

/** `details.fields` of a VALIDATION_FAILED answer, when well formed. */
export function fieldIssuesOf(error: unknown): FieldIssue[] {
  if (!isApiError(error)) return [];
  const fields = error.details?.['fields'];
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (item): item is FieldIssue =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { path?: unknown }).path === 'string' &&
      typeof (item as { message?: unknown }).message === 'string',
  );
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} 秒`;
  return `${Math.ceil(seconds / 60)} 分钟`;
}

function describeApiError(error: ApiError): string {
  const known = knownText(error.code);
  const serverMessage = error.message.trim();
  let text: string;
  if (!known) {
    text = serverMessage || (error.status >= 500 ? ERROR_TEXTS.INTERNAL.text : '操作失败，请稍后重试');
  } else if (known.preferServerMessage && serverMessage) {
    text = serverMessage;
  } else {
    text = known.text;
  }

  if (error.code === 'VALIDATION_FAILED') {
    const issues = fieldIssuesOf(error);
    if (issues.length > 0) {
      const shown = issues.slice(0, 3).map((issue) => issue.message);
      const more = issues.length > 3 ? ` 等 ${issues.length} 处` : '';
      text = `提交的内容有误：${shown.join('；')}${more}`;
    }
  }
  if ((error.code === 'TOO_MANY_ATTEMPTS' || error.code === 'RATE_LIMITED') && error.retryAfterSeconds) {
    text = `${text.replace(/，请稍后再试$/, '')}，请 ${formatWait(error.retryAfterSeconds)}后再试`;
  }
  const withRequestId = known ? known.withRequestId === true : error.status >= 500;
  if (withRequestId && error.requestId) {
    text = `${text}（请求编号：${error.requestId}）`;
  }
  return text;
}

/** One line of Chinese text for any error a service call can throw. */
export function describeError(error: unknown): string {
  if (isApiError(error)) return describeApiError(error);
  if (error instanceof NetworkError) return '无法连接服务器，请检查网络后重试';
  if (error instanceof UnexpectedResponseError) return '服务器返回了无法识别的数据，请刷新页面后重试';
  if (isAbortError(error)) return '请求已取消';
  return '操作失败，请稍后重试';
}
