import Taro from '@tarojs/taro';
import type { ObtainLoginCode } from './wechat-login';

/** wx.login: a code valid for 5 minutes, usable once, exchanged by the server. */
export const obtainLoginCode: ObtainLoginCode = async () => {
  let code: string | undefined;
  try {
    ({ code } = await Taro.login({ timeout: 10_000 }));
  } catch (err) {
    console.error('[wechat-login] Taro.login failed', err);
    throw new Error('微信登录失败，请稍后重试');
  }
  if (!code) throw new Error('未能获取微信登录凭证，请稍后重试');
  return code;
};
