import type { ApiFault, FaultRegistry, MiniApiName } from '../faults/fault-registry.ts';
import { Router } from '../http/router.ts';
import { jsonReply, type IncomingCall, type Reply } from '../http/types.ts';
import type { Scheduler } from '../time/scheduler.ts';
import type { AccessTokenService } from './access-tokens.ts';
import type { LoginService } from './login.ts';
import type { SubscribeMessageService } from './subscribe-messages.ts';
import { WechatApiError } from './wechat-api-error.ts';

interface MiniRoute {
  api: MiniApiName;
  handle(call: IncomingCall): unknown;
}

function parseBody(call: IncomingCall): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(call.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to WeChat's answer for a body it cannot read.
  }
  throw new WechatApiError(47001, 'data format error');
}

function faultError(fault: Extract<ApiFault, { type: 'api-error' }>): WechatApiError {
  return new WechatApiError(fault.errcode ?? -1, fault.errmsg ?? 'system error');
}

export interface MiniGatewayDeps {
  login: LoginService;
  tokens: AccessTokenService;
  messages: SubscribeMessageService;
  faults: FaultRegistry;
  scheduler: Scheduler;
  onError(error: unknown): void;
}

/** api.weixin.qq.com for the mini-program's server side: always HTTP 200, errors as {errcode, errmsg}. */
export class MiniGateway {
  private readonly router = new Router<MiniRoute>();

  constructor(private readonly deps: MiniGatewayDeps) {
    const { login, tokens, messages } = deps;
    this.router
      .add('GET', '/sns/jscode2session', { api: 'jscode2session', handle: (call) => login.code2Session(call.url.searchParams) })
      .add('GET', '/cgi-bin/token', { api: 'token', handle: (call) => tokens.token(call.url.searchParams) })
      .add('POST', '/cgi-bin/stable_token', { api: 'stable_token', handle: (call) => tokens.stableToken(parseBody(call)) })
      .add('POST', '/cgi-bin/message/subscribe/send', {
        api: 'subscribe-send',
        handle: (call) => messages.send(tokens.appFor(call.url.searchParams.get('access_token')), parseBody(call)),
      });
  }

  async handle(call: IncomingCall): Promise<Reply> {
    const match = this.router.match(call.method, call.url.pathname);
    if (match === undefined) return { kind: 'response', status: 404, headers: {}, body: '' };
    if (match === 'method-not-allowed') return jsonReply(200, { errcode: 43002, errmsg: 'require POST method' });
    try {
      const fault = this.deps.faults.takeApiFault(match.value.api);
      if (fault?.type === 'api-error') throw faultError(fault);
      if (fault?.type === 'api-delay') await this.deps.scheduler.sleep(fault.ms);
      if (fault?.type === 'api-timeout') {
        if (fault.processed) {
          try {
            match.value.handle(call);
          } catch {
            // The answer is lost either way.
          }
        }
        await this.deps.scheduler.sleep(fault.ms);
        return { kind: 'abandon' };
      }
      return jsonReply(200, match.value.handle(call));
    } catch (error) {
      if (error instanceof WechatApiError) {
        return { kind: 'response', status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: error.toBody() };
      }
      this.deps.onError(error);
      return jsonReply(200, { errcode: -1, errmsg: 'system error' });
    }
  }
}
