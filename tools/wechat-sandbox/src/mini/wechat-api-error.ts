import { randomBytes } from 'node:crypto';

/**
 * A failure of WeChat's own (non-payment) APIs: HTTP 200 with
 * `{errcode, errmsg}`, errmsg suffixed with a request id as WeChat does.
 */
export class WechatApiError extends Error {
  override name = 'WechatApiError';

  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }

  toBody(): string {
    const rid = [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
    return JSON.stringify({ errcode: this.errcode, errmsg: `${this.errmsg}, rid: ${rid}` });
  }
}
