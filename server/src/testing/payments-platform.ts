import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@campuspay/dev';
import { SandboxControl, startSandbox } from '@campuspay/wechat-sandbox';
import type { Bill, BillBatch, FeeItem, PayeeAccount } from '@campuspay/shared';
import type { ConfigInput } from '../config.ts';
import { checkPaymentInvariants } from '../modules/payments/payment-invariants.ts';
import type { InvariantReport } from '../modules/ledger/invariants.ts';
import { startSeededServer, type SeededServer } from './fixtures.ts';
import type { ApiClient } from './index.ts';

export interface PaymentsPlatform {
  server: SeededServer;
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  control: SandboxControl;
  group: ApiClient;
  bursar: ApiClient;
  payees: PayeeAccount[];
  /** Signs a parent in through the sandbox's wx.login and binds the given students. */
  parent(openid: string, studentNos?: string[]): Promise<ApiClient>;
  /** Issues a fee item to a class; returns its bills. */
  issue(fee: Partial<Record<string, unknown>> & { classId: string; amountFen: number; payee?: number }): Promise<Bill[]>;
  /** Bills = orders = ledger, for one org node's subtree or everything. */
  invariants(scopeNodeId?: string): Promise<InvariantReport>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

let feeCounter = 0;

/** The whole payment path for tests: WeChat sandbox (two merchants), a seeded server using it, payee accounts per merchant. */
export async function startPaymentsPlatform(label: string, overrides: Partial<ConfigInput> = {}): Promise<PaymentsPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `campuspay-${label}-`));
  const sandbox = await startSandbox({ port: 0, dataDir, quiet: true, timeScale: 0.001, merchants: 2, billsReadyImmediately: true, refundProcessingSeconds: 1 });
  const port = await freePort();
  const server = await startSeededServer(label, {
    port,
    publicBaseUrl: `http://127.0.0.1:${port}`,
    wechatPayBaseUrl: sandbox.url,
    wechatPayMerchantsFile: sandbox.merchantsFile,
    wechatAppId: sandbox.miniProgram.appid,
    wechatAppSecret: sandbox.miniProgram.secret,
    wechatApiBaseUrl: sandbox.url,
    paymentSweepSeconds: 1,
    orderQueryAfterSeconds: 2,
    ...overrides,
  });
  const control = new SandboxControl(sandbox.url);
  const group = await server.loginAs('demo.group');
  const bursar = await server.loginAs('demo.bursar');
  const payees: PayeeAccount[] = [];
  for (const [i, m] of sandbox.merchants.entries()) {
    const res = await group.post<PayeeAccount>('/api/v1/admin/payee-accounts', { name: i === 0 ? '学校基本户' : '食堂收款户', mchid: m.mchid, bankName: '示范银行城东支行', bankAccount: `62220000111${i}2222`, nodeId: 'group_demo' });
    payees.push(res.body);
  }

  const waitFor: PaymentsPlatform['waitFor'] = async (what, probe, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value as never;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  async function parent(openid: string, studentNos: string[] = []): Promise<ApiClient> {
    const { code } = await control.loginCode(openid);
    const res = await server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
    const api = server.api.withToken(res.body.token);
    for (const no of studentNos) {
      const s = await server.deps.db.collection('students').findOne({ studentNo: no });
      const campus = String(s?.campusId) === 'campus_demo_east' ? 'MDE001' : 'MDW001';
      const bound = await api.post('/api/v1/parent/children', { schoolCode: campus, studentNo: no, studentName: s?.name });
      if (bound.status !== 201) throw new Error(`binding ${no}: ${JSON.stringify(bound.body)}`);
    }
    return api;
  }

  async function issue(fee: Partial<Record<string, unknown>> & { classId: string; amountFen: number; payee?: number }): Promise<Bill[]> {
    const { classId, amountFen, payee = 0, ...rest } = fee;
    feeCounter += 1;
    const item = await bursar.post<FeeItem>('/api/v1/admin/fee-items', {
      name: `测试收费${feeCounter}`,
      category: 'tuition',
      period: { kind: 'term', academicYear: '2026-2027', term: 1 },
      prices: [{ nodeId: 'campus_demo_east', amountFen }],
      dueDate: '2026-09-10',
      mandatory: true,
      allowPartial: false,
      minPaymentFen: null,
      refundable: true,
      payeeAccountId: payees[payee]!.id,
      nodeId: 'campus_demo_east',
      ...rest,
    });
    if (item.status !== 201) throw new Error(JSON.stringify(item.body));
    const draft = await bursar.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.body.id, target: { nodeIds: [classId] } });
    const published = await bursar.post<BillBatch>(`/api/v1/admin/bill-batches/${draft.body.id}/publish`);
    await waitFor('bill batch', async () => (await bursar.get<BillBatch>(`/api/v1/admin/bill-batches/${published.body.id}`)).body.status === 'published');
    return (await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?feeItemId=${item.body.id}&pageSize=200`)).body.items;
  }

  return {
    server,
    sandbox,
    control,
    group,
    bursar,
    payees,
    parent,
    issue,
    invariants: (scopeNodeId?: string) => checkPaymentInvariants(server.deps.db, scopeNodeId),
    waitFor,
    async stop() {
      await server.stop();
      await sandbox.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
