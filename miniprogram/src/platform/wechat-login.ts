/**
 * Getting a one-time WeChat login code: the shared type of the platform variants.
 *
 * `import { obtainLoginCode } from '../platform/wechat-login'` is resolved at
 * build time by Taro's MultiPlatformPlugin (webpack5 runner) to
 * `wechat-login.<TARO_ENV>.ts` when that file exists:
 *   - wechat-login.weapp.ts: Taro.login (wx.login);
 *   - wechat-login.h5.ts: the WeChat sandbox's POST /sandbox/login-code.
 * TypeScript (and any other target) sees this file. Variants may import only
 * *types* from here: a value import would resolve back to the variant itself.
 */

export interface LoginCodeRequest {
  /** h5 only: the sandbox openid of the demo parent to log in as. Ignored on weapp. */
  demoOpenid?: string;
}

export type ObtainLoginCode = (request: LoginCodeRequest) => Promise<string>;

/** Fallback for targets without a variant. */
export const obtainLoginCode: ObtainLoginCode = () =>
  Promise.reject(new Error('当前平台暂不支持微信登录'));
