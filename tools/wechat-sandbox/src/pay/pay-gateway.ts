import type { ApiFault, FaultRegistry, PayApiName } from '../faults/fault-registry.ts';
import { randomHex } from '../crypto/signing.ts';
import type { MerchantIdentity } from '../identity/merchants.ts';
import { Router } from '../http/router.ts';
import { header, type IncomingCall, type Reply } from '../http/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import type { Scheduler } from '../time/scheduler.ts';
import type { MerchantRegistry } from './merchant-registry.ts';
import { authenticateMerchantRequest } from './request-authentication.ts';
import { signAsWechatPay } from './response-signing.ts';
import { messageForCode, statusForCode, WechatPayError } from './wechat-pay-error.ts';

export interface PayContext {
  call: IncomingCall;
  params: Record<string, string>;
  merchant: MerchantIdentity;
  query: URLSearchParams;
}

export type PayResult =
  | { status: 200; json: unknown }
  | { status: 204 }
  /** A file download: sent as is and, as WeChat documents, without a signature. */
  | { status: 200; file: Buffer; contentType: string };

export interface PayRoute {
  api: PayApiName;
  handle(context: PayContext): PayResult | Promise<PayResult>;
}

export interface PayGatewayDeps {
  clock: SandboxClock;
  scheduler: Scheduler;
  faults: FaultRegistry;
  merchants: MerchantRegistry;
  onError(error: unknown): void;
}

function errorReply(error: WechatPayError, requestId: string): Reply {
  // WeChat's 4xx/5xx answers carry no Wechatpay-* signature headers.
  return {
    kind: 'response',
    status: error.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Request-ID': requestId },
    body: error.toBody(),
  };
}

function faultError(fault: Extract<ApiFault, { type: 'api-error' }>): WechatPayError {
  const code = fault.code ?? 'SYSTEM_ERROR';
  return new WechatPayError(fault.status ?? statusForCode(code), code, fault.message ?? messageForCode(code));
}

/**
 * The front door of api.mch.weixin.qq.com: route, header checks,
 * Authorization, the Wechatpay-Serial a request names, injected faults, then
 * the handler, and WeChat's signature on every 2xx answer.
 */
export class PayGateway {
  private readonly router = new Router<PayRoute>();

  constructor(private readonly deps: PayGatewayDeps) {}

  route(method: 'GET' | 'POST', path: string, route: PayRoute): this {
    this.router.add(method, path, route);
    return this;
  }

  async handle(call: IncomingCall): Promise<Reply> {
    const requestId = randomHex(20);
    const match = this.router.match(call.method, call.url.pathname);
    // Unknown paths and wrong methods answer with an empty body, as the real host does.
    if (match === undefined) return { kind: 'response', status: 404, headers: { 'Request-ID': requestId }, body: '' };
    if (match === 'method-not-allowed') return { kind: 'response', status: 405, headers: { 'Request-ID': requestId }, body: '' };
    const transactionsPath = call.url.pathname.startsWith('/v3/pay/transactions/');
    try {
      // Observed on the real host: outside /v3/pay/transactions/ a missing User-Agent or Accept is refused before the signature.
      if (!transactionsPath && (!header(call, 'user-agent') || !header(call, 'accept'))) {
        throw new WechatPayError(400, 'INVALID_REQUEST', 'Http头缺少Accept或User-Agent');
      }
      const merchant = authenticateMerchantRequest(call, {
        nowSeconds: this.deps.clock.nowSeconds(),
        transactionsPath,
        findMerchant: (mchid) => this.deps.merchants.find(mchid),
      });
      const serialHeader = header(call, 'wechatpay-serial');
      const usesPublicKey = serialHeader === merchant.publicKeyId;
      if (serialHeader !== undefined && !usesPublicKey && serialHeader !== merchant.platformCertificateSerial) {
        throw new WechatPayError(400, 'PARAM_ERROR', '平台证书序列号Wechatpay-Serial错误');
      }
      if (usesPublicKey) this.deps.merchants.markUsesPublicKey(merchant.mchid);

      const context: PayContext = { call, params: match.params, merchant, query: call.url.searchParams };
      const fault = this.deps.faults.takeApiFault(match.value.api);
      if (fault?.type === 'api-error') throw faultError(fault);
      if (fault?.type === 'api-delay') await this.deps.scheduler.sleep(fault.ms);
      if (fault?.type === 'api-timeout') {
        if (fault.processed) {
          // WeChat acted on the call; only the answer is lost.
          await Promise.resolve()
            .then(() => match.value.handle(context))
            .catch(() => undefined);
        }
        await this.deps.scheduler.sleep(fault.ms);
        return { kind: 'abandon' };
      }
      const result = await match.value.handle(context);
      if ('file' in result) {
        return { kind: 'response', status: 200, headers: { 'Content-Type': result.contentType, 'Request-ID': requestId }, body: result.file };
      }
      const body = result.status === 204 ? '' : JSON.stringify(result.json);
      const signature = signAsWechatPay(merchant, usesPublicKey ? 'public_key' : 'platform', body, this.deps.clock.nowSeconds());
      const headers: Record<string, string> = { ...signature, 'Request-ID': requestId };
      if (result.status === 200) headers['Content-Type'] = 'application/json; charset=utf-8';
      return { kind: 'response', status: result.status, headers, body };
    } catch (error) {
      if (error instanceof WechatPayError) return errorReply(error, requestId);
      this.deps.onError(error);
      return errorReply(new WechatPayError(500, 'SYSTEM_ERROR', '系统错误'), requestId);
    }
  }
}
