import type { BillService } from './bill-service.ts';
import { certificatesJson } from './certificates.ts';
import { parseJsonBody, requiredString } from './field-validation.ts';
import { validateJsapiOrder } from './order-validation.ts';
import type { OrderService } from './orders.ts';
import type { PayContext, PayGateway } from './pay-gateway.ts';
import { refundJson, type RefundService } from './refunds.ts';
import { transactionQueryJson } from './transaction-view.ts';
import { paramError, WechatPayError } from './wechat-pay-error.ts';

/** The query string's mchid must be the merchant that signed the request. */
function checkQueryMchid(context: PayContext): void {
  const mchid = context.query.get('mchid');
  if (!mchid) throw paramError('query', 'mchid', '缺少必填参数');
  if (mchid !== context.merchant.mchid) {
    throw new WechatPayError(400, 'PARAM_ERROR', 'http header中的mchid与query中的mchid不匹配');
  }
}

/** WeChat Pay v3 under its real paths. */
export function registerPayRoutes(gateway: PayGateway, services: { orders: OrderService; refunds: RefundService; bills: BillService }): void {
  const { orders, refunds, bills } = services;
  gateway
    .route('GET', '/v3/certificates', {
      api: 'certificates',
      handle: ({ merchant }) => ({ status: 200, json: certificatesJson(merchant) }),
    })
    .route('POST', '/v3/pay/transactions/jsapi', {
      api: 'jsapi',
      handle: ({ merchant, call }) => ({ status: 200, json: orders.createJsapi(merchant, validateJsapiOrder(parseJsonBody(call.body))) }),
    })
    .route('GET', '/v3/pay/transactions/out-trade-no/:outTradeNo', {
      api: 'query',
      handle: (context) => {
        checkQueryMchid(context);
        return { status: 200, json: transactionQueryJson(orders.queryByOutTradeNo(context.merchant.mchid, context.params['outTradeNo'] ?? '')) };
      },
    })
    .route('GET', '/v3/pay/transactions/id/:transactionId', {
      api: 'query',
      handle: (context) => {
        checkQueryMchid(context);
        return { status: 200, json: transactionQueryJson(orders.queryByTransactionId(context.merchant.mchid, context.params['transactionId'] ?? '')) };
      },
    })
    .route('POST', '/v3/pay/transactions/out-trade-no/:outTradeNo/close', {
      api: 'close',
      handle: ({ merchant, call, params }) => {
        const mchid = requiredString(parseJsonBody(call.body), 'mchid', 32);
        if (mchid !== merchant.mchid) throw new WechatPayError(400, 'PARAM_ERROR', 'http header中的mchid与post payload中的mchid不匹配');
        orders.close(merchant.mchid, params['outTradeNo'] ?? '');
        return { status: 204 };
      },
    })
    .route('POST', '/v3/refund/domestic/refunds', {
      api: 'refund',
      handle: ({ merchant, call }) => ({ status: 200, json: refundJson(refunds.create(merchant, parseJsonBody(call.body))) }),
    })
    .route('GET', '/v3/refund/domestic/refunds/:outRefundNo', {
      api: 'refund-query',
      handle: ({ merchant, params }) => ({ status: 200, json: refundJson(refunds.query(merchant.mchid, params['outRefundNo'] ?? '')) }),
    })
    .route('GET', '/v3/bill/tradebill', {
      api: 'tradebill',
      handle: ({ merchant, query }) => ({ status: 200, json: bills.applyTradeBill(merchant, query) }),
    })
    .route('GET', '/v3/bill/fundflowbill', {
      api: 'fundflowbill',
      handle: ({ merchant, query }) => ({ status: 200, json: bills.applyFundFlowBill(merchant, query) }),
    })
    .route('GET', '/v3/billdownload/file', {
      api: 'billdownload',
      handle: ({ merchant, query }) => {
        const download = bills.download(merchant, query);
        return { status: 200, file: download.content, contentType: download.contentType };
      },
    });
}
