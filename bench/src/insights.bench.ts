/**
 * Bank dashboard at province scale: a million payments (plus refunds and
 * reversals) written straight into the ledger of a fresh database, rollups
 * built from it with the rebuild command, then the overview of the whole
 * bank over a term timed two ways in the same run and database:
 *
 *   rollups   – dashboardService.overview (what the API answers), reading
 *               the daily rollup documents by id;
 *   baseline  – the same figures computed straight from the ledger (one
 *               scan of the period's entries, plus the orders for payers).
 *
 * Both answers are compared figure by figure before timing is reported.
 *
 *   npm run insights -w bench            (PAYMENTS=200000 for a quicker run)
 *
 * The database is the embedded FerretDB (v1 over SQLite) started by
 * @campuspay/dev's provideDatabase (local: true, so MONGODB_URI is ignored).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, provideDatabase } from '@campuspay/dev';
import { loadConfig, startServer } from '@campuspay/server';
import { addDays, type InsightFigures } from '@campuspay/shared';
import { StaffScope, type StaffPrincipal } from '../../server/src/modules/auth/principal.ts';
import { nodeKeys } from '../../server/src/modules/org/org.service.ts';
import { dashboardService } from '../../server/src/modules/insights/dashboard.service.ts';
import { rollupsService } from '../../server/src/modules/insights/rollups.service.ts';
import { registryService } from '../../server/src/modules/insights/registry.service.ts';
import { settingsService } from '../../server/src/modules/insights/settings.service.ts';
import { classifyBankType, estimatedFee } from '../../server/src/modules/insights/figures.ts';

const PAYMENTS = Number(process.env.PAYMENTS ?? 1_000_000);
const BRANCHES = 10;
const SUBS_PER_BRANCH = 5;
const GROUPS_PER_SUB = 6;
const CAMPUSES_PER_GROUP = 2;
const TERM_START = '2026-08-20';
const TERM_DAYS = 120;
const CHUNK = 10_000;
const RUNS = 5;
const BANK_TYPES = ['ICBC_DEBIT', 'ICBC_DEBIT', 'ICBC_CREDIT', 'CMB_CREDIT', 'CCB_DEBIT', 'ABC_DEBIT', 'BOC_CREDIT', 'OTHERS', 'OTHERS', 'LQT'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => `${ms.toFixed(0)} ms`;
const n = (v: number) => v.toLocaleString('en-US');

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  console.log(`  ${label.padEnd(58)} ${seconds(ms)}`);
  return { value, ms };
}

/** A deterministic pseudo-random sequence, so every run writes the same province. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'campuspay-bench-insights-'));
  const database = await provideDatabase({ port: await freePort(), dataDir, dbName: 'bench_insights', local: true });
  const config = loadConfig({}, {
    profile: 'test',
    host: '127.0.0.1',
    port: 0,
    mongodbUri: database.uri,
    logLevel: 'warn',
    jobsEnabled: false,
    dataEncryptionKey: randomBytes(32).toString('base64'),
    lookupHashKey: randomBytes(32).toString('base64'),
  });
  const server = await startServer(config);
  try {
    const { deps } = server;
    const native = deps.db.db!;
    const info = (await native.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    console.log(`Insights benchmark: ${n(PAYMENTS)} payments over a ${TERM_DAYS}-day term`);
    console.log(`  database: ${database.source === 'ferretdb' ? `embedded FerretDB ${info.ferretdbVersion ?? '?'} (SQLite backend)` : `${database.source} ${info.version ?? ''}`}, data in ${dataDir}`);
    console.log(`  machine:  ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    // ---- a province: bank → branches → sub-branches → school groups → campuses → one class each ----
    const bank = 'bank_bench';
    type Node = { _id: string; kind: string; name: string; parentId: string | null; path: string[]; international?: boolean };
    const nodes: Node[] = [];
    const add = (_id: string, kind: string, name: string, parent: Node | null, extra: Partial<Node> = {}): Node => {
      const node = { _id, kind, name, parentId: parent?._id ?? null, path: [...(parent?.path ?? []), _id], ...extra };
      nodes.push(node);
      return node;
    };
    const root = add(bank, 'bank', '压测省分行', null);
    const classes: { path: string[]; campusId: string; groupId: string }[] = [];
    for (let b = 0; b < BRANCHES; b++) {
      const branch = add(`br${b}`, 'branch', `分行${b}`, root);
      for (let s = 0; s < SUBS_PER_BRANCH; s++) {
        const sub = add(`br${b}_s${s}`, 'branch', `支行${b}-${s}`, branch);
        for (let g = 0; g < GROUPS_PER_SUB; g++) {
          const group = add(`${sub._id}_g${g}`, 'school_group', `学校${b}-${s}-${g}`, sub);
          for (let c = 0; c < CAMPUSES_PER_GROUP; c++) {
            const campus = add(`${group._id}_c${c}`, 'campus', `校区${b}-${s}-${g}-${c}`, group);
            const division = add(`${campus._id}_d`, 'division', c === 1 && g % 3 === 0 ? '国际部' : '小学部', campus, { international: c === 1 && g % 3 === 0 });
            const grade = add(`${campus._id}_gr`, 'grade', '一年级', division);
            const klass = add(`${campus._id}_k`, 'class', '1班', grade);
            classes.push({ path: klass.path, campusId: campus._id, groupId: group._id });
          }
        }
      }
    }
    await native.collection('org_nodes').insertMany(nodes.map((x) => ({ ...x, ...nodeKeys(x), schoolCode: null, archived: false, createdAt: new Date() })) as never[]);
    console.log(`  organisation: ${n(nodes.length)} nodes, ${n(classes.length)} campuses`);

    // ---- the ledger and the orders, written directly ----
    const random = sequence(20260820);
    const dayOf = () => {
      // Term fees arrive in the first days: half in the first week, the rest spread over the term.
      const r = random();
      const offset = r < 0.5 ? Math.floor(random() * 7) : Math.floor(random() * TERM_DAYS);
      return addDays(TERM_START, offset);
    };
    const at = (day: string) => new Date(`${day}T10:00:00+08:00`);
    let ledgerBatch: Record<string, unknown>[] = [];
    let orderBatch: Record<string, unknown>[] = [];
    let written = { entries: 0, orders: 0 };
    const flush = async (force = false) => {
      if (ledgerBatch.length >= CHUNK || (force && ledgerBatch.length)) {
        await native.collection('ledger_entries').insertMany(ledgerBatch as never[], { ordered: false });
        written.entries += ledgerBatch.length;
        ledgerBatch = [];
      }
      if (orderBatch.length >= CHUNK || (force && orderBatch.length)) {
        await native.collection('orders').insertMany(orderBatch as never[], { ordered: false });
        written.orders += orderBatch.length;
        orderBatch = [];
      }
    };
    const entry = (id: string, kind: string, method: string, klass: (typeof classes)[number], billId: string, amountFen: number, day: string, extra: Record<string, unknown> = {}) => ({
      _id: id,
      kind,
      method,
      billId,
      amountFen,
      at: at(day),
      day,
      payeeAccountId: `payee_${klass.groupId}`,
      feeItemId: 'fee_bench',
      studentId: `stu_${billId}`,
      orgPath: klass.path,
      campusId: klass.campusId,
      groupId: klass.groupId,
      orderId: null,
      refundId: null,
      offlinePaymentId: null,
      transactionId: null,
      bankType: null,
      actorId: null,
      reference: null,
      ...extra,
    });
    const load = await timed(`writing ${n(PAYMENTS)} payments (+ refunds, reversals) and their orders`, async () => {
      let payments = 0;
      let order = 0;
      while (payments < PAYMENTS) {
        const klass = classes[Math.floor(random() * classes.length)]!;
        const day = dayOf();
        const amount = 50_000 + Math.floor(random() * 40) * 50_000;
        if (random() < 0.8) {
          // Online: an order of one or two bills of one family, paid with some bank's card.
          order += 1;
          const orderId = `ord${order}`;
          const tx = `tx${order}`;
          const parentId = `par_${klass.campusId}_${Math.floor(random() * 700)}`;
          const bankType = BANK_TYPES[Math.floor(random() * BANK_TYPES.length)]!;
          const bills = random() < 0.3 ? 2 : 1;
          const allocations = [];
          for (let i = 0; i < bills && payments < PAYMENTS; i++) {
            const billId = `b${order}_${i}`;
            allocations.push({ billId, amountFen: amount });
            ledgerBatch.push(entry(`wxpay:${tx}:${billId}`, 'payment', 'wechat', klass, billId, amount, day, { orderId, transactionId: tx, bankType }));
            payments += 1;
            if (random() < 0.02) ledgerBatch.push(entry(`wxrefund:${tx}:${billId}`, 'refund', 'wechat', klass, billId, Math.floor(amount / 2), addDays(day, 3) > addDays(TERM_START, TERM_DAYS - 1) ? day : addDays(day, 3), { orderId }));
          }
          orderBatch.push({ _id: orderId, outTradeNo: orderId, parentId, allocations, totalFen: amount * allocations.length, status: 'PAID', bankType, transactionId: tx, orgPath: klass.path.slice(0, -3), groupId: klass.groupId, billsApplied: true });
        } else {
          const billId = `c${payments}`;
          const method = random() < 0.6 ? 'cash' : random() < 0.5 ? 'pos' : 'transfer';
          ledgerBatch.push(entry(`counter:${billId}`, 'payment', method, klass, billId, amount, day));
          payments += 1;
          if (random() < 0.005) ledgerBatch.push(entry(`reversal:${billId}`, 'reversal', method, klass, billId, amount, day));
        }
        await flush();
      }
      await flush(true);
    });
    console.log(`    ${n(written.entries)} ledger entries, ${n(written.orders)} orders (${n(Math.round((written.entries + written.orders) / (load.ms / 1000)))} docs/s)`);

    // ---- rollups: the rebuild command, then the registry ----
    console.log('Rollups:');
    const rebuilt = await timed('rebuild from the ledger (rollupsService.rebuild)', () => rollupsService(deps).rebuild());
    console.log(`    ${n(rebuilt.value.monthDocuments)} month documents, ${n(rebuilt.value.rankDocuments)} ranking documents, ${n(rebuilt.value.markers)} markers`);
    await timed('registry of names and roster counts', () => registryService(deps).refresh());

    const principal: StaffPrincipal = { kind: 'staff', userId: 'bench', username: 'bench', displayName: '压测', role: 'platform_admin', nodeId: bank, nodePath: [bank], grantIndex: 0, sessionId: 'bench', requestId: 'bench', ip: null };
    const scope = new StaffScope(principal);
    const dashboard = dashboardService(deps);
    const settings = await settingsService(deps).get(bank);
    const from = TERM_START;
    const to = addDays(TERM_START, TERM_DAYS - 1);

    // ---- the same figures straight from the ledger ----
    async function fromLedger(nodeId: string): Promise<{ figures: Partial<InsightFigures>; ownShareBp: number }> {
      const parents = new Map<string, string>();
      for await (const o of native.collection('orders').find({ orgPath: nodeId }, { projection: { parentId: 1 } })) parents.set(String(o._id), String(o.parentId));
      const first = new Map<string, string>();
      const txs = new Set<string>();
      const onlineByDay = new Map<string, number>();
      const f = { onlineFen: 0, counterFen: 0, reversalFen: 0, refundFen: 0, settledNetFen: 0, estimatedFeeFen: 0 };
      let own = 0;
      let cards = 0;
      for await (const e of native.collection('ledger_entries').find({ orgPath: nodeId }, { projection: { kind: 1, method: 1, amountFen: 1, day: 1, orderId: 1, transactionId: 1, bankType: 1, groupId: 1 } })) {
        const online = e.method === 'wechat';
        if (online && e.kind === 'payment') {
          const who = `${e.groupId}|${parents.get(String(e.orderId))}`;
          if (!first.has(who) || e.day < first.get(who)!) first.set(who, e.day);
        }
        if (e.day < addDays(from, -1) || e.day > to) continue;
        const signed = e.kind === 'payment' ? e.amountFen : -e.amountFen;
        if (online) onlineByDay.set(e.day, (onlineByDay.get(e.day) ?? 0) + signed);
        if (e.day < from) continue;
        if (!online) f.settledNetFen += signed;
        if (e.kind === 'payment' && online) {
          f.onlineFen += e.amountFen;
          txs.add(String(e.transactionId));
          cards += e.amountFen;
          const cls = classifyBankType(String(e.bankType), settings.ownBankCodes.length ? settings.ownBankCodes : ['ICBC']);
          if (cls === 'own_debit' || cls === 'own_credit') own += e.amountFen;
        } else if (e.kind === 'payment') f.counterFen += e.amountFen;
        else if (e.kind === 'reversal') f.reversalFen += e.amountFen;
        else f.refundFen += e.amountFen;
      }
      for (const [day, net] of onlineByDay) {
        const settles = addDays(day, 1);
        if (settles < from || settles > to) continue;
        const fee = estimatedFee(net, settings.wechatFeeRateBp);
        f.estimatedFeeFen += fee;
        f.settledNetFen += net - fee;
      }
      const newPayers = [...first.values()].filter((d) => d >= from && d <= to).length;
      return { figures: { ...f, onlineCount: txs.size, newPayingParents: newPayers, netInflowFen: f.onlineFen + f.counterFen - f.reversalFen - f.refundFen } as never, ownShareBp: cards ? Math.floor((own * 10000) / cards) : 0 };
    }

    await settingsService(deps).update(scope, { ownBankCodes: ['ICBC'], wechatFeeRateBp: 60, rules: settings.rules, consent: settings.consent }).catch(() => undefined);
    const overview = await dashboard.overview(scope, { from, to });
    const baseline = await timed('baseline: the bank over the term, straight from the ledger', () => fromLedger(bank));
    const mismatches = Object.entries(baseline.value.figures).filter(([k, v]) => overview.figures[k as keyof InsightFigures] !== v);
    const ownShare = overview.cardShare.filter((r) => r.cardClass.startsWith('own_')).reduce((s, r) => s + r.amountFen, 0);
    const cardTotal = overview.cardShare.reduce((s, r) => s + r.amountFen, 0);
    if (mismatches.length > 0 || Math.floor((ownShare * 10000) / cardTotal) !== baseline.value.ownShareBp) {
      throw new Error(`rollups and ledger disagree: ${JSON.stringify(mismatches)} rollups=${JSON.stringify(overview.figures)}`);
    }
    console.log(`  rollups = ledger for every figure (net inflow ¥${n(Math.round(overview.figures.netInflowFen / 100))}, ${n(overview.figures.onlineCount)} WeChat transactions, ${n(overview.figures.newPayingParents)} new paying parents)`);

    // ---- timing the dashboard ----
    const time = async (label: string, fn: () => Promise<unknown>) => {
      await fn();
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await fn();
        samples.push(performance.now() - start);
      }
      samples.sort((a, b) => a - b);
      console.log(`  ${label.padEnd(58)} median ${millis(samples[Math.floor(RUNS / 2)]!)}, best ${millis(samples[0]!)}`);
      return samples[Math.floor(RUNS / 2)]!;
    };
    console.log(`Dashboard answers (${RUNS} runs after one warm-up):`);
    const bankOverview = await time(`overview, whole bank, ${TERM_DAYS} days (rollups)`, () => dashboard.overview(scope, { from, to }));
    await time('overview, one branch, 30 days (rollups)', () => dashboard.overview(scope, { nodeId: 'br3', from, to: addDays(from, 29) }));
    await time('overview, one school group, 7 days (rollups)', () => dashboard.overview(scope, { nodeId: 'br3_s2_g4', from, to: addDays(from, 6) }));
    await time(`trend by week, whole bank (rollups)`, () => dashboard.trend(scope, { from, to, granularity: 'week' }));
    await time(`card share by week, whole bank (rollups)`, () => dashboard.cardShare(scope, { from, to, granularity: 'week' }));
    await time(`school ranking, top 50 of ${classes.length} campuses (rollups)`, () => dashboard.schools(scope, { from, to, sort: 'net', limit: 50 }));
    const baselineRuns: number[] = [];
    for (let i = 0; i < 2; i++) {
      const start = performance.now();
      await fromLedger(bank);
      baselineRuns.push(performance.now() - start);
    }
    const baselineMs = Math.min(...baselineRuns);
    console.log(`  ${'overview, whole bank, straight from the ledger (baseline)'.padEnd(58)} best of 2 ${millis(baselineMs)}`);
    console.log(`  ratio: the rollups answer ${Math.round(baselineMs / bankOverview)}× faster (${millis(bankOverview)} vs ${millis(baselineMs)})`);

    // ---- folding live: what each new ledger entry costs ----
    const rollups = rollupsService(deps);
    const live = Number(process.env.LIVE_ENTRIES ?? 2_000);
    const sample = await native.collection('ledger_entries').find({}).limit(live).toArray();
    await native.collection('insight_contributions').deleteMany({});
    await timed(`record ${n(live)} new entries (the ledger hook)`, async () => {
      for (const e of sample) await rollups.record({ ...(e as unknown as Record<string, unknown>), _id: `live:${String(e._id)}`, orderId: e.orderId ? String(e.orderId) : null } as never);
    });
    const folded = await timed(`fold them into the rollups (the background folder)`, () => rollups.foldAll(30 * 60_000));
    console.log(`    ${n(Math.round(folded.value / (folded.ms / 1000)))} entries/s folded`);
  } finally {
    await server.stop();
    await database.stop();
    if (!process.env.KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
