/**
 * A WeChat Pay v3 failure: an HTTP status plus WeChat's error body
 * `{code, message, detail?}`. Services throw it; the gateway turns it into
 * the response.
 */
export class WechatPayError extends Error {
  override name = 'WechatPayError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): string {
    return JSON.stringify(this.detail ? { code: this.code, detail: this.detail, message: this.message } : { code: this.code, message: this.message });
  }
}

/** The status WeChat answers each documented code with, for faults that name only a code. */
const STATUS_BY_CODE: Record<string, number> = {
  USERPAYING: 202,
  USER_PAYING: 202,
  PARAM_ERROR: 400,
  INVALID_REQUEST: 400,
  APPID_MCHID_NOT_MATCH: 400,
  MCH_NOT_EXISTS: 400,
  ORDER_CLOSED: 400,
  NO_STATEMENT_EXIST: 400,
  STATEMENT_CREATING: 400,
  SIGN_ERROR: 401,
  ACCOUNT_ERROR: 403,
  NO_AUTH: 403,
  NOT_ENOUGH: 403,
  OUT_TRADE_NO_USED: 403,
  RULE_LIMIT: 403,
  TRADE_ERROR: 403,
  USER_ACCOUNT_ABNORMAL: 403,
  ORDER_NOT_EXIST: 404,
  ORDERNOTEXIST: 404,
  RESOURCE_NOT_EXISTS: 404,
  FREQUENCY_LIMITED: 429,
  SYSTEM_ERROR: 500,
  BANK_ERROR: 500,
  INVALID_TRANSACTIONID: 500,
  OPENID_MISMATCH: 500,
  SERVICE_UNAVAILABLE: 503,
};

const MESSAGE_BY_CODE: Record<string, string> = {
  SYSTEM_ERROR: '系统错误',
  FREQUENCY_LIMITED: '频率超限',
  SERVICE_UNAVAILABLE: '服务不可用，请稍后重试',
  BANK_ERROR: '银行系统异常',
  NOT_ENOUGH: '基本账户余额不足，请充值后重新发起',
  USER_ACCOUNT_ABNORMAL: '退款请求失败，用户账号异常',
  NO_AUTH: '商户无权限',
  PARAM_ERROR: '参数错误',
  INVALID_REQUEST: '无效请求',
  SIGN_ERROR: '签名错误，请检查后再试',
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

export function messageForCode(code: string): string {
  return MESSAGE_BY_CODE[code] ?? code;
}

/** PARAM_ERROR with WeChat's `detail` pointing at the field (JSON Pointer in a body, the name in a query or path). */
export function paramError(location: 'body' | 'query' | 'url', field: string, issue: string, value?: unknown): WechatPayError {
  const name = field.replace(/^\//, '');
  const detail: Record<string, unknown> = { field: location === 'body' ? `/${name}` : name, issue, location };
  if (value !== undefined) detail['value'] = value;
  return new WechatPayError(400, 'PARAM_ERROR', `输入源“/${location}/${name}”${issue}`, detail);
}
