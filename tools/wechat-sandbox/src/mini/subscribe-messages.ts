import type { StateStore } from '../state/store.ts';
import type { SentMessageRecord, SubscriptionRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import { checkTemplateData } from './template-data.ts';
import type { UserDirectory } from './users.ts';
import { WechatApiError } from './wechat-api-error.ts';

const MINIPROGRAM_STATES = new Set(['developer', 'trial', 'formal']);
const LANGS = new Set(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']);

/**
 * One-time subscriptions (granted through the controls, as a user tapping
 * "allow" would) and /cgi-bin/message/subscribe/send, which spends one.
 */
export class SubscribeMessageService {
  private nextMsgid = Date.now();

  constructor(
    private readonly store: StateStore,
    private readonly clock: SandboxClock,
    private readonly users: UserDirectory,
  ) {}

  grant(input: { appid: string; openid: string; templateId: string; count: number }): SubscriptionRecord {
    this.users.create({ appid: input.appid, openid: input.openid });
    let record = this.store.state.subscriptions.find(
      (s) => s.appid === input.appid && s.openid === input.openid && s.templateId === input.templateId,
    );
    if (!record) {
      record = { appid: input.appid, openid: input.openid, templateId: input.templateId, remaining: 0 };
      this.store.state.subscriptions.push(record);
    }
    record.remaining += input.count;
    this.store.changed();
    return record;
  }

  send(appid: string, body: Record<string, unknown>): { errcode: 0; errmsg: 'ok'; msgid: number } {
    const touser = body['touser'];
    const templateId = body['template_id'];
    if (typeof touser !== 'string' || !this.users.find(appid, touser)) throw new WechatApiError(40003, 'invalid openid');
    // A template is known once some user of the app has been offered it (a grant through the controls).
    if (typeof templateId !== 'string' || !this.store.state.subscriptions.some((s) => s.appid === appid && s.templateId === templateId)) {
      throw new WechatApiError(40037, 'invalid template_id');
    }
    const page = body['page'];
    if (page !== undefined && typeof page !== 'string') throw new WechatApiError(47003, 'argument invalid! page invalid');
    const state = body['miniprogram_state'];
    if (state !== undefined && (typeof state !== 'string' || !MINIPROGRAM_STATES.has(state))) {
      throw new WechatApiError(47003, 'argument invalid! miniprogram_state invalid');
    }
    const lang = body['lang'];
    if (lang !== undefined && (typeof lang !== 'string' || !LANGS.has(lang))) throw new WechatApiError(47003, 'argument invalid! lang invalid');
    const problem = checkTemplateData(body['data']);
    if (problem) throw new WechatApiError(47003, problem);
    const subscription = this.store.state.subscriptions.find((s) => s.appid === appid && s.openid === touser && s.templateId === templateId);
    if (!subscription || subscription.remaining <= 0) throw new WechatApiError(43101, 'user refuse to accept the msg');
    subscription.remaining -= 1;
    this.nextMsgid += 1;
    const message: SentMessageRecord = {
      msgid: this.nextMsgid,
      appid,
      touser,
      templateId,
      data: body['data'] as Record<string, { value: string }>,
      sentAt: this.clock.now(),
    };
    if (typeof page === 'string') message.page = page;
    if (typeof state === 'string') message.miniprogramState = state;
    if (typeof lang === 'string') message.lang = lang;
    this.store.state.messages.push(message);
    this.store.changed();
    return { errcode: 0, errmsg: 'ok', msgid: message.msgid };
  }
}
