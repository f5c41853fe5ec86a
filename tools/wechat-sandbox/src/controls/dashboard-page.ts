import { yuan } from '../pay/bill-csv.ts';
import { formatRfc3339 } from '../time/shanghai-time.ts';
import type { SandboxStateView } from './state-view.ts';
import { escapeHtml, PAGE_STYLE } from './html.ts';

function time(ms: number | undefined): string {
  return ms === undefined ? '' : formatRfc3339(ms).replace('T', ' ').replace('+08:00', '');
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">（无）</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** GET /sandbox/: a read-only page of everything the sandbox holds, refreshing itself, for demos. */
export function renderDashboard(view: SandboxStateView): string {
  const e = escapeHtml;
  const merchants = table(
    ['商户号', '名称', 'AppID', '商户证书序列号', '平台证书序列号', '微信支付公钥ID', '通知签名'],
    view.merchants.map((m) => [e(m.mchid), e(m.name), e(m.appid), `<code>${e(m.serialNo)}</code>`, `<code>${e(m.platformCertificateSerial)}</code>`, `<code>${e(m.publicKeyId)}</code>`, e(`${m.notificationSigner}${m.usesPublicKey ? '（已用公钥）' : ''}`)]),
  );
  const orders = table(
    ['创建时间', '商户号', '商户订单号', '描述', '金额', '状态', '微信订单号', '付款银行', '支付时间', '付款人'],
    [...view.orders].reverse().map((o) => [
      e(time(o.createdAt)), e(o.mchid), e(o.outTradeNo), e(o.description), e(yuan(o.total)),
      `<span class="${o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND' ? 'ok' : ''}">${e(o.tradeState)}</span>${o.closeReason ? ` <span class="muted">${e(o.closeReason)}</span>` : ''}`,
      e(o.transactionId), e(o.bankType), e(time(o.successTime)), `<code>${e(o.payerOpenid)}</code>`,
    ]),
  );
  const refunds = table(
    ['申请时间', '商户退款单号', '商户订单号', '退款金额', '状态', '成功时间', '退回账户'],
    [...view.refunds].reverse().map((r) => [e(time(r.createdAt)), e(r.outRefundNo), e(r.outTradeNo), e(yuan(r.refund)), e(r.status), e(time(r.successTime)), e(r.userReceivedAccount)]),
  );
  const notifications = table(
    ['创建时间', '事件', '单号', '通知地址', '状态', '投递记录（时间 / 类型 / 签名 / 应答）'],
    [...view.notifications].reverse().map((n) => [
      e(time(n.createdAt)), e(n.eventType), e(n.outRefundNo ?? n.outTradeNo), `<code>${e(n.notifyUrl)}</code>`,
      `<span class="${n.status === 'DELIVERED' ? 'ok' : n.status === 'PENDING' || n.status === 'HELD' ? '' : 'bad'}">${e(n.status)}</span>${n.note ? `<br><span class="muted">${e(n.note)}</span>` : ''}${n.nextAttemptAt ? `<br><span class="muted">下次 ${e(time(n.nextAttemptAt))}</span>` : ''}`,
      n.attempts
        .map((a) => `${e(time(a.at))} ${e(a.kind)} ${e(a.signer)} → <span class="${a.accepted ? 'ok' : 'bad'}">${e(a.httpStatus ?? a.error)}</span> ${a.responseBody ? `<code>${e(a.responseBody.slice(0, 120))}</code>` : ''}`)
        .join('<br>'),
    ]),
  );
  const messages = table(
    ['发送时间', '用户', '模板', '页面', '内容'],
    [...view.messages].reverse().map((m) => [e(time(m.sentAt)), `<code>${e(m.touser)}</code>`, e(m.templateId), e(m.page), e(Object.entries(m.data).map(([k, v]) => `${k}: ${v.value}`).join('；'))]),
  );
  const users = table(
    ['AppID', 'openid', '昵称', '订阅（模板: 剩余次数）'],
    view.users.map((u) => [e(u.appid), `<code>${e(u.openid)}</code>`, e(u.nickname), e(view.subscriptions.filter((s) => s.openid === u.openid && s.appid === u.appid).map((s) => `${s.templateId}: ${s.remaining}`).join('；'))]),
  );
  const faults = table(['类型', '剩余次数', '内容'], view.faults.map((f) => [e(f.type), e(f.remaining), `<code>${e(JSON.stringify(f))}</code>`]));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>微信沙箱</title><style>${PAGE_STYLE}</style></head>
<body><main>
<h1>微信支付 / 小程序沙箱</h1>
<p class="muted">沙箱时间 ${e(view.now)}（时钟偏移 ${e(view.clock.skewSeconds)} 秒，时间倍率 ${e(view.settings.timeScale)}）。本页只读，每 5 秒刷新。</p>
<h2>商户</h2>${merchants}
<h2>订单</h2>${orders}
<h2>退款</h2>${refunds}
<h2>通知</h2>${notifications}
<h2>订阅消息</h2>${messages}
<h2>用户</h2>${users}
<h2>故障</h2>${faults}
</main></body></html>`;
}
