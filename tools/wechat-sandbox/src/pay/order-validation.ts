import { parseRfc3339 } from '../time/shanghai-time.ts';
import {
  canonicalJson,
  checkNotifyUrl,
  checkPattern,
  isJsonObject,
  optionalObject,
  optionalString,
  requiredInteger,
  requiredObject,
  requiredString,
  type JsonObject,
} from './field-validation.ts';
import { paramError } from './wechat-pay-error.ts';

/** A JSAPI order request that passed WeChat's parameter rules. */
export interface JsapiOrderRequest {
  appid: string;
  mchid: string;
  description: string;
  outTradeNo: string;
  timeExpire?: number;
  attach?: string;
  notifyUrl: string;
  total: number;
  currency: string;
  openid: string;
  deviceId?: string;
  /** Everything but time_expire, which WeChat reads only on the first call. */
  fingerprint: string;
}

const OUT_TRADE_NO_PATTERN = /^[0-9A-Za-z_\-|*]{6,32}$/;
const LIMIT_PAY = new Set(['no_balance', 'no_credit', 'no_debit', 'balance_only']);

function checkDetail(detail: JsonObject): void {
  const goods = detail['goods_detail'];
  if (goods === undefined) return;
  if (!Array.isArray(goods)) throw paramError('body', '/detail/goods_detail', '字段类型错误，应为数组', goods);
  goods.forEach((item: unknown, index) => {
    const pointer = `/detail/goods_detail/${index}`;
    if (!isJsonObject(item)) throw paramError('body', pointer, '字段类型错误，应为对象', item);
    requiredString(item, 'merchant_goods_id', 32, `${pointer}/merchant_goods_id`);
    optionalString(item, 'goods_name', 256, `${pointer}/goods_name`);
    requiredInteger(item, 'quantity', `${pointer}/quantity`, 1);
    requiredInteger(item, 'unit_price', `${pointer}/unit_price`, 0);
  });
}

function checkSceneInfo(scene: JsonObject): string | undefined {
  requiredString(scene, 'payer_client_ip', 45, '/scene_info/payer_client_ip');
  const store = optionalObject(scene, 'store_info', '/scene_info/store_info');
  if (store) {
    requiredString(store, 'id', 32, '/scene_info/store_info/id');
    optionalString(store, 'name', 256, '/scene_info/store_info/name');
    optionalString(store, 'area_code', 32, '/scene_info/store_info/area_code');
    optionalString(store, 'address', 512, '/scene_info/store_info/address');
  }
  return optionalString(scene, 'device_id', 32, '/scene_info/device_id');
}

/** POST /v3/pay/transactions/jsapi body rules (field limits from WeChat's JSAPI order document). */
export function validateJsapiOrder(body: JsonObject): JsapiOrderRequest {
  const appid = requiredString(body, 'appid', 32);
  const mchid = requiredString(body, 'mchid', 32);
  const description = requiredString(body, 'description', 127);
  const outTradeNo = checkPattern(
    requiredString(body, 'out_trade_no', 32),
    OUT_TRADE_NO_PATTERN,
    '/out_trade_no',
    '商户订单号只能是6-32位数字、大小写字母或_-|*',
  );
  const timeExpireText = optionalString(body, 'time_expire', 64);
  let timeExpire: number | undefined;
  if (timeExpireText !== undefined) {
    timeExpire = parseRfc3339(timeExpireText);
    if (timeExpire === undefined) {
      throw paramError('body', '/time_expire', '时间格式错误，应为RFC3339格式，如2018-06-08T10:34:56+08:00', timeExpireText);
    }
  }
  const attach = optionalString(body, 'attach', 128);
  const notifyUrl = checkNotifyUrl(requiredString(body, 'notify_url', 255), '/notify_url');
  optionalString(body, 'goods_tag', 32);
  if (body['support_fapiao'] !== undefined && typeof body['support_fapiao'] !== 'boolean') {
    throw paramError('body', '/support_fapiao', '字段类型错误，应为布尔值', body['support_fapiao']);
  }
  const limitPay = body['limit_pay'];
  if (limitPay !== undefined) {
    if (!Array.isArray(limitPay) || !limitPay.every((v) => typeof v === 'string' && LIMIT_PAY.has(v))) {
      throw paramError('body', '/limit_pay', '取值不在枚举范围内', limitPay);
    }
  }
  const amount = requiredObject(body, 'amount');
  const total = requiredInteger(amount, 'total', '/amount/total', 1);
  const currency = optionalString(amount, 'currency', 16, '/amount/currency') ?? 'CNY';
  if (currency !== 'CNY') throw paramError('body', '/amount/currency', '境内商户号仅支持人民币CNY', currency);
  const payer = requiredObject(body, 'payer');
  const openid = requiredString(payer, 'openid', 128, '/payer/openid');
  const detail = optionalObject(body, 'detail');
  if (detail) checkDetail(detail);
  const scene = optionalObject(body, 'scene_info');
  const deviceId = scene ? checkSceneInfo(scene) : undefined;
  optionalObject(body, 'settle_info');

  const compared: JsonObject = { ...body };
  delete compared['time_expire'];
  const request: JsapiOrderRequest = {
    appid,
    mchid,
    description,
    outTradeNo,
    notifyUrl,
    total,
    currency,
    openid,
    fingerprint: canonicalJson({ ...compared, amount: { ...amount, currency } }),
  };
  if (timeExpire !== undefined) request.timeExpire = timeExpire;
  if (attach !== undefined) request.attach = attach;
  if (deviceId !== undefined) request.deviceId = deviceId;
  return request;
}
