import { randomBytes, randomUUID } from 'node:crypto';
import { encryptWithApiV3Key } from '../crypto/aead.ts';
import { SIGNATURE_SCHEME } from '../crypto/signing.ts';
import type { FaultRegistry, ReorderFault } from '../faults/fault-registry.ts';
import type { SandboxSettings } from '../settings.ts';
import type { StateStore } from '../state/store.ts';
import type { DeliveryAttempt, NotificationRecord, OrderRecord, RefundRecord } from '../state/types.ts';
import type { SandboxClock } from '../time/clock.ts';
import type { Scheduler } from '../time/scheduler.ts';
import { formatRfc3339 } from '../time/shanghai-time.ts';
import type { MerchantRegistry } from './merchant-registry.ts';
import { signAsWechatPay } from './response-signing.ts';
import { transactionNotificationPlaintext } from './transaction-view.ts';

/** WeChat's documented retry schedule after a failed delivery: 15 retries, 24h4m in all. */
export const RETRY_SCHEDULE_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

/** WeChat waits this long for the merchant's answer. */
const ANSWER_TIMEOUT_MS = 5000;

const REFUND_SUMMARY: Record<string, string> = {
  SUCCESS: '退款成功',
  ABNORMAL: '退款异常',
  CLOSED: '退款关闭',
};

export interface NotificationDeps {
  store: StateStore;
  clock: SandboxClock;
  scheduler: Scheduler;
  faults: FaultRegistry;
  merchants: MerchantRegistry;
  settings: SandboxSettings;
}

/**
 * Sends WeChat's notifications to merchants' notify_url: encrypted resource,
 * Wechatpay-* signature headers, the documented retry schedule until the
 * merchant answers 2xx, and whatever the notification faults ask for.
 */
export class NotificationDispatcher {
  /** Bumped by a redelivery so an already scheduled retry knows it is stale. */
  private readonly generation = new Map<string, number>();
  private readonly probes = new Set<string>();
  private readonly duplicates = new Map<string, number>();
  private held: { faultId: string; record: NotificationRecord }[] = [];

  constructor(private readonly deps: NotificationDeps) {}

  enqueueTransaction(order: OrderRecord): NotificationRecord {
    return this.create({
      mchid: order.mchid,
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resourceType: 'transaction',
      plaintext: transactionNotificationPlaintext(order),
      notifyUrl: order.notifyUrl,
      outTradeNo: order.outTradeNo,
    });
  }

  enqueueRefund(refund: RefundRecord, notifyUrl: string): NotificationRecord {
    const plaintext: Record<string, unknown> = {
      mchid: refund.mchid,
      out_trade_no: refund.outTradeNo,
      transaction_id: refund.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: refund.status,
      ...(refund.successTime !== undefined ? { success_time: formatRfc3339(refund.successTime) } : {}),
      user_received_account: refund.userReceivedAccount,
      amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund },
    };
    return this.create({
      mchid: refund.mchid,
      eventType: `REFUND.${refund.status}`,
      summary: REFUND_SUMMARY[refund.status] ?? '退款状态变更',
      resourceType: 'refund',
      plaintext,
      notifyUrl,
      outTradeNo: refund.outTradeNo,
      outRefundNo: refund.outRefundNo,
    });
  }

  private create(input: {
    mchid: string;
    eventType: string;
    summary: string;
    resourceType: 'transaction' | 'refund';
    plaintext: Record<string, unknown>;
    notifyUrl: string;
    outTradeNo: string;
    outRefundNo?: string;
  }): NotificationRecord {
    const merchant = this.deps.merchants.find(input.mchid);
    if (!merchant) throw new Error(`unknown merchant ${input.mchid}`);
    const now = this.deps.clock.now();
    const id = randomUUID();
    const encrypted = encryptWithApiV3Key(JSON.stringify(input.plaintext), merchant.apiV3Key, input.resourceType);
    const body = JSON.stringify({
      id,
      create_time: formatRfc3339(now),
      resource_type: 'encrypt-resource',
      event_type: input.eventType,
      summary: input.summary,
      resource: { original_type: input.resourceType, ...encrypted },
    });
    const record: NotificationRecord = {
      id,
      mchid: input.mchid,
      eventType: input.eventType,
      resourceType: input.resourceType,
      outTradeNo: input.outTradeNo,
      notifyUrl: input.notifyUrl,
      body,
      plaintext: input.plaintext,
      createdAt: now,
      status: 'PENDING',
      attempts: [],
      retriesUsed: 0,
    };
    if (input.outRefundNo !== undefined) record.outRefundNo = input.outRefundNo;
    this.deps.store.state.notifications.push(record);
    this.deps.store.changed();
    this.dispatchNew(record);
    return record;
  }

  private dispatchNew(record: NotificationRecord): void {
    const faults = this.deps.faults.takeNotificationFaults(record.outTradeNo, record.eventType);
    if (faults.drop) {
      record.status = 'DROPPED';
      record.note = `dropped by fault ${faults.drop.id}`;
      this.deps.store.changed();
      return;
    }
    if (faults.signTest) this.probes.add(record.id);
    if (faults.copies && faults.copies > 1) this.duplicates.set(record.id, faults.copies);
    if (faults.reorder) {
      this.hold(record, faults.reorder);
      return;
    }
    this.scheduleAttempt(record, faults.delayMs ?? 0);
  }

  private hold(record: NotificationRecord, fault: ReorderFault): void {
    record.status = 'HELD';
    record.note = `held by reorder fault ${fault.id}`;
    this.held.push({ faultId: fault.id, record });
    this.deps.store.changed();
    if (fault.remaining <= 0) void this.release((entry) => entry.faultId === fault.id);
  }

  /** Delivers held notifications one after another, newest first. */
  private async release(which: (entry: { faultId: string; record: NotificationRecord }) => boolean): Promise<void> {
    const batch = this.held.filter(which).reverse();
    this.held = this.held.filter((entry) => !which(entry));
    for (const { record } of batch) {
      record.status = 'PENDING';
      await this.deliver(record, 'normal');
    }
  }

  /** Clearing faults lets held notifications go. */
  releaseHeld(): Promise<void> {
    return this.release(() => true);
  }

  private scheduleAttempt(record: NotificationRecord, delayMs: number): void {
    const generation = (this.generation.get(record.id) ?? 0) + 1;
    this.generation.set(record.id, generation);
    record.nextAttemptAt = this.deps.clock.now() + delayMs;
    this.deps.store.changed();
    this.deps.scheduler.after(delayMs, async () => {
      if (this.generation.get(record.id) === generation) await this.deliver(record, 'normal');
    });
  }

  private async deliver(record: NotificationRecord, kind: 'normal' | 'manual'): Promise<void> {
    record.nextAttemptAt = undefined;
    if (this.probes.delete(record.id)) await this.send(record, 'signtest');
    const copies = this.duplicates.get(record.id) ?? 1;
    this.duplicates.delete(record.id);
    const attempts = await Promise.all(
      Array.from({ length: copies }, (_, index) => this.send(record, index === 0 ? kind : 'duplicate')),
    );
    if (attempts.some((attempt) => attempt.accepted)) {
      record.status = 'DELIVERED';
      record.note = undefined;
    } else if (record.retriesUsed < RETRY_SCHEDULE_SECONDS.length) {
      const delay = (RETRY_SCHEDULE_SECONDS[record.retriesUsed] ?? 0) * 1000 * this.deps.settings.timeScale;
      record.retriesUsed += 1;
      record.status = 'PENDING';
      this.scheduleAttempt(record, delay);
    } else {
      record.status = 'FAILED';
      record.note = 'the retry schedule ran out without a 2xx answer';
    }
    this.deps.store.changed();
  }

  private async send(record: NotificationRecord, kind: DeliveryAttempt['kind']): Promise<DeliveryAttempt> {
    const merchant = this.deps.merchants.find(record.mchid);
    if (!merchant) throw new Error(`unknown merchant ${record.mchid}`);
    const signer = this.deps.merchants.notificationSigner(record.mchid);
    const signature = signAsWechatPay(merchant, signer, record.body, this.deps.clock.nowSeconds());
    if (kind === 'signtest') {
      signature['Wechatpay-Signature'] = `WECHATPAY/SIGNTEST/${randomBytes(192).toString('base64')}`;
    }
    const started = Date.now();
    const attempt: DeliveryAttempt = {
      at: this.deps.clock.now(),
      kind,
      signer,
      serial: signature['Wechatpay-Serial'],
      durationMs: 0,
      accepted: false,
    };
    try {
      const response = await fetch(record.notifyUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Mozilla/4.0',
          ...signature,
          'Wechatpay-Signature-Type': SIGNATURE_SCHEME,
        },
        body: record.body,
        signal: AbortSignal.any([AbortSignal.timeout(ANSWER_TIMEOUT_MS), this.deps.scheduler.signal]),
      });
      attempt.httpStatus = response.status;
      attempt.responseBody = (await response.text()).slice(0, 2000);
      attempt.accepted = response.status >= 200 && response.status < 300;
    } catch (error) {
      attempt.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    attempt.durationMs = Date.now() - started;
    record.attempts.push(attempt);
    this.deps.store.changed();
    return attempt;
  }

  /**
   * Sends a notification again now, whatever its state. A dropped or failed
   * one starts the retry schedule afresh, as a merchant-platform resend would.
   */
  async redeliver(id: string): Promise<NotificationRecord | undefined> {
    const record = this.deps.store.state.notifications.find((n) => n.id === id);
    if (!record) return undefined;
    if (record.status === 'FAILED' || record.status === 'DROPPED') record.retriesUsed = 0;
    this.held = this.held.filter((entry) => entry.record !== record);
    this.generation.set(record.id, (this.generation.get(record.id) ?? 0) + 1);
    record.status = 'PENDING';
    await this.deliver(record, 'manual');
    return record;
  }

  /** After a restart: pick up where the saved schedule left off (faults do not survive a restart). */
  resume(): void {
    const now = this.deps.clock.now();
    for (const record of this.deps.store.state.notifications) {
      if (record.status !== 'PENDING' && record.status !== 'HELD') continue;
      record.status = 'PENDING';
      this.scheduleAttempt(record, Math.max(0, (record.nextAttemptAt ?? now) - now));
    }
  }
}
