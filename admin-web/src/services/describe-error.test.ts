import test from 'ava';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '@campuspay/shared';
import { ERROR_TEXTS, describeError, fieldIssuesOf } from './describe-error.ts';
import { ApiError, NetworkError, UnexpectedResponseError } from './request.ts';

function apiError(code: string, message = '', extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) {
  const status = (ERROR_STATUS as Record<string, number>)[code] ?? 400;
  return new ApiError({ status, code, message, requestId: 'req-123', ...extra });
}

test('every contract code has Chinese text', (t) => {
  t.deepEqual(Object.keys(ERROR_TEXTS).sort(), [...ERROR_CODES].sort());
  for (const code of ERROR_CODES) {
    t.regex(ERROR_TEXTS[code].text, /[\u4e00-\u9fff]/, code);
    t.truthy(describeError(apiError(code)), code);
  }
});

test('fixed texts win over server messages for auth and permission codes', (t) => {
  t.is(describeError(apiError('INVALID_CREDENTIALS', 'invalid credentials')), '用户名或密码错误');
  t.is(describeError(apiError('FORBIDDEN', 'forbidden')), '没有权限执行此操作');
  t.is(describeError(apiError('SESSION_EXPIRED', 'x')), '登录已过期，请重新登录');
});

test('specific server messages win for business codes', (t) => {
  const specific: ErrorCode[] = ['BUSINESS_RULE', 'STATE_CONFLICT', 'IMPORT_INVALID', 'DUPLICATE', 'CONFLICT', 'BAD_REQUEST'];
  for (const code of specific) {
    t.is(describeError(apiError(code, '账单已发布，不能修改')), '账单已发布，不能修改', code);
    t.is(describeError(apiError(code, '  ')), ERROR_TEXTS[code].text, `${code} without a message`);
  }
});

test('unknown codes fall back to the server message, then to a generic text', (t) => {
  t.is(describeError(apiError('SOMETHING_NEW', '新的错误说明')), '新的错误说明');
  t.is(describeError(apiError('SOMETHING_NEW', '', { status: 418 })), '操作失败，请稍后重试');
  t.is(
    describeError(apiError('SOMETHING_NEW', '', { status: 500 })),
    '服务器出错了，请稍后重试（请求编号：req-123）',
  );
});

test('server faults show the request id', (t) => {
  t.is(describeError(apiError('INTERNAL', 'stack trace?')), '服务器出错了，请稍后重试（请求编号：req-123）');
  t.regex(describeError(apiError('UPSTREAM_ERROR')), /请求编号：req-123/);
  t.is(describeError(apiError('INTERNAL', '', { requestId: '' })), '服务器出错了，请稍后重试');
  t.notRegex(describeError(apiError('NOT_FOUND')), /请求编号/);
});

test('validation problems list the fields', (t) => {
  const error = apiError('VALIDATION_FAILED', 'Validation failed', {
    details: {
      fields: [
        { path: 'username', message: '请输入用户名' },
        { path: 'password', message: '请输入密码' },
        { path: 'a', message: '甲' },
        { path: 'b', message: '乙' },
        { path: 'c', bad: true },
      ],
    },
  });
  t.is(describeError(error), '提交的内容有误：请输入用户名；请输入密码；甲 等 4 处');
  t.deepEqual(fieldIssuesOf(error).map((issue) => issue.path), ['username', 'password', 'a', 'b']);
  t.deepEqual(fieldIssuesOf(new Error('x')), []);
  t.is(describeError(apiError('VALIDATION_FAILED', '金额必须大于 0')), '金额必须大于 0');
});

test('too many attempts says how long to wait', (t) => {
  t.is(describeError(apiError('TOO_MANY_ATTEMPTS', '', { retryAfterSeconds: 300 })), '尝试次数过多，请 5 分钟后再试');
  t.is(describeError(apiError('RATE_LIMITED', '', { retryAfterSeconds: 20 })), '操作过于频繁，请 20 秒后再试');
  t.is(describeError(apiError('TOO_MANY_ATTEMPTS')), '尝试次数过多，请稍后再试');
});

test('errors that are not API answers', (t) => {
  t.is(describeError(new NetworkError('x')), '无法连接服务器，请检查网络后重试');
  t.is(describeError(new UnexpectedResponseError(200, 'x')), '服务器返回了无法识别的数据，请刷新页面后重试');
  t.is(describeError(new DOMException('aborted', 'AbortError')), '请求已取消');
  t.is(describeError(new Error('TypeError: undefined is not a function')), '操作失败，请稍后重试');
  t.is(describeError('string thrown'), '操作失败，请稍后重试');
  t.is(describeError(undefined), '操作失败，请稍后重试');
});
