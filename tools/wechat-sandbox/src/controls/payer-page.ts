import { yuan } from '../pay/bill-csv.ts';
import type { OrderRecord } from '../state/types.ts';
import { escapeHtml, PAGE_STYLE, scriptJson } from './html.ts';
import { withPayResult } from './payer-redirect.ts';

/** Bank types a payer can choose, as bank_type reports them. */
const PAYER_BANK_TYPES: { value: string; label: string }[] = [
  { value: 'OTHERS', label: '零钱' },
  { value: 'ICBC_DEBIT', label: '工商银行储蓄卡' },
  { value: 'CMB_CREDIT', label: '招商银行信用卡' },
  { value: 'CCB_DEBIT', label: '建设银行储蓄卡' },
];

export interface PayerPageInput {
  order: OrderRecord;
  prepayId: string;
  merchantName: string;
  redirect?: string;
  /** wx.requestPayment parameters the H5 build passed along, checked when the payer confirms. */
  requestPayment?: Record<string, string>;
}

/**
 * The payment sheet of the mini-program's H5 build: amount, merchant,
 * description, confirm or cancel. It posts the payer's choice to
 * /sandbox/pay, then returns to `redirect` with payResult appended.
 */
export function renderPayerPage(input: PayerPageInput): string {
  const { order } = input;
  const e = escapeHtml;
  const targets = input.redirect
    ? {
        SUCCESS: withPayResult(input.redirect, 'SUCCESS'),
        CANCEL: withPayResult(input.redirect, 'CANCEL'),
        FAIL: withPayResult(input.redirect, 'FAIL'),
      }
    : undefined;
  const payable = order.tradeState === 'NOTPAY';
  const config = { prepayId: input.prepayId, targets, requestPayment: input.requestPayment };
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>微信支付</title><style>${PAGE_STYLE}
  .sheet { max-width: 420px; margin: 40px auto; background: #fff; border-radius: 12px; padding: 24px; text-align: center; }
  .amount { font-size: 36px; font-weight: 600; margin: 12px 0; }
  select, button { width: 100%; font-size: 16px; padding: 12px; margin-top: 12px; border-radius: 8px; }
  button { border: 0; cursor: pointer; }
  .confirm { background: #07c160; color: #fff; } .cancel { background: #f2f2f2; color: #222; } .fail { background: #fff; color: #d93026; border: 1px solid #eee; }
</style></head>
<body><div class="sheet">
  <div class="muted">微信支付（沙箱）</div>
  <div data-testid="merchant-name">${e(input.merchantName)}</div>
  <div class="amount" data-testid="pay-amount">¥${e(yuan(order.total))}</div>
  <div data-testid="pay-description">${e(order.description)}</div>
  ${
    payable
      ? `<label class="muted" for="bank-type">付款方式</label>
  <select id="bank-type" data-testid="bank-type">${PAYER_BANK_TYPES.map((b) => `<option value="${e(b.value)}">${e(b.label)}</option>`).join('')}</select>
  <button type="button" class="confirm" data-testid="confirm-pay" data-result="SUCCESS">确认支付</button>
  <button type="button" class="cancel" data-testid="cancel-pay" data-result="CANCEL">取消</button>
  <button type="button" class="fail" data-testid="fail-pay" data-result="FAIL">模拟支付失败</button>`
      : `<p class="bad" data-testid="pay-unavailable">订单状态为 ${e(order.tradeState)}，无法支付</p>`
  }
  <p class="bad" data-testid="pay-error" id="pay-error"></p>
</div>
<script>
const config = ${scriptJson(config)};
for (const button of document.querySelectorAll('button[data-result]')) {
  button.addEventListener('click', async () => {
    const result = button.dataset.result;
    document.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    const body = { prepay_id: config.prepayId, result, bank_type: document.getElementById('bank-type').value };
    if (config.requestPayment) body.request_payment = config.requestPayment;
    const response = await fetch('/sandbox/pay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) {
      document.getElementById('pay-error').textContent = answer.message;
      if (config.targets) setTimeout(() => { location.href = config.targets.FAIL; }, 1500);
      return;
    }
    if (config.targets) location.href = config.targets[result];
    else document.getElementById('pay-error').textContent = answer.errMsg;
  });
}
</script>
</body></html>`;
}
