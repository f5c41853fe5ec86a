import Taro from '@tarojs/taro';
import { getClientConfig } from '../services/client-config';
import { DEMO_OPENID_PATTERN, getDemoOpenid, saveDemoOpenid } from './demo-openid';
import type { ObtainLoginCode } from './wechat-login';

/**
 * In a browser there is no wx.login. The WeChat sandbox hands out the code
 * WeChat would give the chosen openid: POST {sandbox}/sandbox/login-code
 * {openid} → {code}. The sandbox URL comes from the server
 * (GET /api/v1/public/client-config); null means no sandbox (production).
 */
export const obtainLoginCode: ObtainLoginCode = async ({ demoOpenid }) => {
  const openid = (demoOpenid ?? getDemoOpenid()).trim();
  if (!DEMO_OPENID_PATTERN.test(openid)) {
    throw new Error('测试账号只能包含字母、数字、“-”和“_”，最长 64 位');
  }

  const { wechatSandboxUrl } = await getClientConfig();
  if (!wechatSandboxUrl) {
    throw new Error('当前环境未开启测试登录，请在微信小程序中使用');
  }

  const response = await Taro.request<unknown>({
    url: `${wechatSandboxUrl.replace(/\/+$/, '')}/sandbox/login-code`,
    method: 'POST',
    header: { 'Content-Type': 'application/json' },
    data: { openid },
    dataType: 'json',
    timeout: 10_000,
  }).catch((err: unknown) => {
    console.error('[wechat-login] sandbox login-code failed', err);
    throw new Error('无法连接微信模拟服务，请确认其已启动');
  });

  const data = response.data as { code?: unknown } | null | undefined;
  if (response.statusCode < 200 || response.statusCode >= 300 || typeof data?.code !== 'string' || !data.code) {
    throw new Error(`获取登录凭证失败（${response.statusCode}）`);
  }
  saveDemoOpenid(openid);
  return data.code;
};
