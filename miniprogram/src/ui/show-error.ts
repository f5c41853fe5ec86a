import Taro from '@tarojs/taro';
import type { FieldIssue } from '@campuspay/shared';
import { isApiError } from '../services/api-error';
import { routes } from '../routes';

/**
 * The mini-program's one policy for presenting errors. The request wrapper
 * throws; pages catch and call showError (toast / modal) or describeError
 * (inline text).
 */

const TOAST_MAX_CHARS = 18;

function fieldIssues(details: Record<string, unknown> | undefined): FieldIssue[] {
  const fields = details?.fields;
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is FieldIssue =>
      typeof f === 'object' && f !== null && typeof (f as FieldIssue).message === 'string',
  );
}

/** A sentence the parent can read for any error. */
export function describeError(err: unknown, fallback = '操作失败，请稍后重试'): string {
  if (isApiError(err)) {
    const issues = fieldIssues(err.details);
    if (err.code === 'VALIDATION_FAILED' && issues.length > 0) {
      return issues.map((i) => i.message).join('；');
    }
    return err.message || fallback;
  }
  if (err instanceof Error && err.message) return err.message;
  return fallback;
}

/** Field-level messages of a VALIDATION_FAILED error, keyed by field path. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!isApiError(err) || err.code !== 'VALIDATION_FAILED') return {};
  const out: Record<string, string> = {};
  for (const issue of fieldIssues(err.details)) {
    if (issue.path && !out[issue.path]) out[issue.path] = issue.message;
  }
  return out;
}

export function isSessionExpired(err: unknown): boolean {
  return isApiError(err) && err.status === 401;
}

let sessionModalOpen = false;

/** Shows an error as a toast, or as a modal when it is long; a 401 sends the parent back to log in. */
export function showError(err: unknown, fallback?: string): void {
  if (!isApiError(err) && !(err instanceof Error)) console.error(err);
  if (isSessionExpired(err)) {
    if (sessionModalOpen) return;
    sessionModalOpen = true;
    void Taro.showModal({ title: '登录已失效', content: '请重新登录后继续操作', showCancel: false, confirmText: '去登录' })
      .catch(() => undefined)
      .finally(() => {
        sessionModalOpen = false;
        void Taro.reLaunch({ url: routes.home() });
      });
    return;
  }
  const message = describeError(err, fallback);
  if (message.length <= TOAST_MAX_CHARS) {
    void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
  } else {
    void Taro.showModal({ title: '提示', content: message, showCancel: false, confirmText: '知道了' });
  }
}
