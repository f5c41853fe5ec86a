import { AppError } from '../../platform/errors.ts';
import type { Config } from '../../config.ts';

/** WeChat's mini-program server APIs the platform uses, behind one small interface. */
export interface MiniProgramApi {
  code2Session(code: string): Promise<{ openid: string; unionid: string | null }>;
}

interface WechatErrorBody {
  errcode?: number;
  errmsg?: string;
}

/** What each documented errcode means for a parent trying to sign in. */
function loginError(body: WechatErrorBody): AppError {
  switch (body.errcode) {
    case 40029:
    case 40163:
      return new AppError('BAD_REQUEST', '登录凭证无效或已使用，请重新进入小程序');
    case 45011:
      return new AppError('RATE_LIMITED', '登录过于频繁，请稍后再试');
    case 40226:
      return new AppError('FORBIDDEN', '微信判定该账号存在风险，暂不能登录');
    case -1:
      return new AppError('UPSTREAM_UNAVAILABLE', '微信服务繁忙，请稍后再试');
    default:
      return new AppError('UPSTREAM_ERROR', `微信登录失败（${body.errcode ?? '未知'}：${body.errmsg ?? ''}）`, { details: { errcode: body.errcode } });
  }
}

export function miniProgramClient(config: Pick<Config, 'wechatAppId' | 'wechatAppSecret' | 'wechatApiBaseUrl'>): MiniProgramApi {
  return {
    async code2Session(code) {
      if (!config.wechatAppId || !config.wechatAppSecret) {
        throw new AppError('UPSTREAM_UNAVAILABLE', '未配置小程序 AppID/AppSecret（WECHAT_APPID、WECHAT_APP_SECRET）');
      }
      const url = new URL('/sns/jscode2session', config.wechatApiBaseUrl);
      url.searchParams.set('appid', config.wechatAppId);
      url.searchParams.set('secret', config.wechatAppSecret);
      url.searchParams.set('js_code', code);
      url.searchParams.set('grant_type', 'authorization_code');
      let body: WechatErrorBody & { openid?: string; unionid?: string };
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        body = (await res.json()) as typeof body;
      } catch (error) {
        throw new AppError('UPSTREAM_UNAVAILABLE', '无法连接微信服务，请稍后再试', { cause: error });
      }
      if (body.errcode || !body.openid) throw loginError(body);
      return { openid: body.openid, unionid: body.unionid ?? null };
    },
  };
}
