import Pay from 'wechatpay-node-v3';
import { PayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.js';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { SandboxMerchantInfo } from '../identity/merchants.ts';

const WECHAT_PAY_HOST = 'https://api.mch.weixin.qq.com';

/** The client's own HTTP service, with WeChat's host swapped for the sandbox's. */
class SandboxRequest implements IPayRequest {
  private readonly inner = new PayRequest();

  constructor(private readonly sandboxUrl: string) {}

  private rebase(url: string): string {
    return url.startsWith(WECHAT_PAY_HOST) ? this.sandboxUrl + url.slice(WECHAT_PAY_HOST.length) : url;
  }

  post(url: string, params: Record<string, unknown>, headers: Record<string, unknown>): Promise<Output> {
    return this.inner.post(this.rebase(url), params, headers);
  }

  upload(url: string, params: Record<string, unknown>, headers: Record<string, unknown>): Promise<Output> {
    return this.inner.upload(this.rebase(url), params, headers);
  }

  get(url: string, headers: Record<string, unknown>): Promise<Output> {
    return this.inner.get(this.rebase(url), headers);
  }
}

/**
 * The real wechatpay-node-v3 client pointed at the sandbox. The package
 * hard-codes https://api.mch.weixin.qq.com: requests go through a swapped
 * HTTP service, and signing treats a sandbox URL (a bill's download_url) like
 * WeChat's by stripping the host before the client signs the path.
 */
export class SandboxPay extends Pay {
  private readonly sandboxUrl: string;

  constructor(sandboxUrl: string, merchant: SandboxMerchantInfo) {
    super({
      appid: merchant.appid,
      mchid: merchant.mchid,
      publicKey: Buffer.from(merchant.certificatePem),
      privateKey: Buffer.from(merchant.privateKeyPem),
      key: merchant.apiV3Key,
    });
    this.sandboxUrl = sandboxUrl;
    this.createHttp(new SandboxRequest(sandboxUrl));
  }

  protected override buildAuthorization(method: string, url: string, params?: Record<string, unknown>): string {
    const asWechat = url.startsWith(this.sandboxUrl) ? WECHAT_PAY_HOST + url.slice(this.sandboxUrl.length) : url;
    return super.buildAuthorization(method, asWechat, params);
  }

  /** The Authorization header this client would send, for requests a test makes itself to see raw bytes. */
  authorizationFor(method: string, pathAndQuery: string, body?: Record<string, unknown>): string {
    return this.buildAuthorization(method, WECHAT_PAY_HOST + pathAndQuery, body);
  }

  /** The serial the client derived from the certificate with its own X.509 parser. */
  get certificateSerial(): string {
    return this.serial_no;
  }
}

/** A signed request made with fetch, to look at the exact response bytes and headers. */
export async function signedFetch(
  pay: SandboxPay,
  sandboxUrl: string,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  options: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(sandboxUrl + pathAndQuery, {
    method,
    headers: {
      Accept: 'application/json',
      'User-Agent': 'campuspay-test',
      Authorization: pay.authorizationFor(method, pathAndQuery, options.body),
      ...(options.body ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
