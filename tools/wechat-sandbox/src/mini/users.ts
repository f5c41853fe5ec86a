import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../time/clock.ts';
import type { StateStore } from '../state/store.ts';
import type { SandboxUser } from '../state/types.ts';

const OPENID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 28 characters starting with `o`, like oUpF8uMuAJO_M2pxb1Q9zNjWeS6o. */
function newOpenid(): string {
  let out = 'o';
  for (const byte of randomBytes(27)) out += OPENID_ALPHABET[byte % OPENID_ALPHABET.length];
  return out;
}

const NICKNAMES = ['张家长', '李家长', '王家长', '赵家长', '陈家长', '刘家长'];

/** WeChat users as a mini-program sees them: an openid is per appid. */
export class UserDirectory {
  constructor(
    private readonly store: StateStore,
    private readonly clock: SandboxClock,
  ) {}

  /** Returns the existing user when the openid is already known for that app. */
  create(input: { appid: string; openid?: string; nickname?: string; unionid?: string }): SandboxUser {
    const existing = input.openid ? this.find(input.appid, input.openid) : undefined;
    if (existing) return existing;
    const user: SandboxUser = {
      openid: input.openid ?? newOpenid(),
      appid: input.appid,
      nickname: input.nickname ?? NICKNAMES[this.store.state.users.length % NICKNAMES.length] ?? '家长',
      createdAt: this.clock.now(),
    };
    if (input.unionid) user.unionid = input.unionid;
    this.store.state.users.push(user);
    this.store.changed();
    return user;
  }

  find(appid: string, openid: string): SandboxUser | undefined {
    return this.store.state.users.find((u) => u.appid === appid && u.openid === openid);
  }

  knownInAnotherApp(appid: string, openid: string): boolean {
    return this.store.state.users.some((u) => u.appid !== appid && u.openid === openid);
  }
}
