import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { loadMerchants } from './merchants.ts';
import { createWechatPayGateway, type WechatPayGateway } from './wechatpay-gateway.ts';

/** WeChat Pay when at least one merchant is configured; otherwise online payment stays off and says so. */
export function wechatPayFromConfig(config: Config, log: Logger): WechatPayGateway | null {
  const merchants = loadMerchants(config);
  if (merchants.all().length === 0) {
    log.warn('no WeChat Pay merchant configured: online payment is unavailable');
    return null;
  }
  return createWechatPayGateway({ baseUrl: config.wechatPayBaseUrl, merchants, log });
}
