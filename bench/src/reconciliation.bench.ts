/**
 * Reconciliation of a large WeChat trade bill in bounded memory.
 *
 * For each size (default 100,000 and 1,000,000 detail lines) it writes a
 * trade bill in WeChat's documented ALL layout (backticked values, yuan with
 * 2 decimals, fees with 5, summary), seeds the platform's books for that day
 * (one WeChat Pay ledger entry per bill line, a few differences on each side)
 * and measures, each in a fresh child process sampling its memory every 10 ms:
 *
 *   baseline   reading and parsing the same file, nothing else
 *   reconcile  the real reconciliation (reconcileDay().run): SHA1-checked copy,
 *              parse + validation + external sort, the books streamed and
 *              sorted, the merge join, differences written and queued; its
 *              own timings per step are printed too
 *
 * Peak RSS and heap of the reconcile run should not grow with the bill.
 *
 *   npm run reconciliation -w bench               (SIZES=100000,1000000)
 *
 * The database is the embedded FerretDB (v1) on a free port: over SQLite in a
 * fresh data directory by default, over PostgreSQL when
 * BENCH_FERRETDB_POSTGRESQL_URL names an (empty) PostgreSQL database, or a
 * MongoDB when MONGODB_URI is set. FerretDB v1 decodes every document it
 * scans in Go (SQLite: only _id filters are pushed down), so the books step
 * runs at its document-decoding speed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFerretdbBinary, freePort, pingDatabase, provideDatabase, startProcess, waitFor } from '@campuspay/dev';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDatabase, ensureIndexes } from '../../server/src/platform/db/connection.ts';
import type { ServerDeps } from '../../server/src/deps.ts';
import type { WechatPayGateway } from '../../server/src/modules/wechatpay/wechatpay-gateway.ts';
import { reconcileDay } from '../../server/src/modules/reconciliation/reconcile-day.ts';
import { parseTradeBillFile } from '../../server/src/modules/reconciliation/trade-bill-parser.ts';
import { formatMilliFen } from '../../server/src/modules/reconciliation/bill-amounts.ts';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger-entry.model.ts';

const SIZES = (process.env.SIZES ?? '100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const DAY = '2026-09-01';
const MCHID = '1900000109';
const PAYEE = 'payee_bench';
const GROUP_PATH = ['bank_bench', 'branch_bench', 'group_bench'];
const ORG_PATH = [...GROUP_PATH, 'campus_bench', 'campus_bench_d1', 'campus_bench_d1_g1', 'campus_bench_d1_g1_c1'];
/** Differences on each side, so the run also writes lines and queues them. */
const WECHAT_ONLY = 3;
const PLATFORM_ONLY = 3;
const INSERT_CHUNK = 10_000;

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const thisFile = fileURLToPath(import.meta.url);

interface Measured {
  ms: number;
  idleRss: number;
  peakRss: number;
  peakHeap: number;
  result: unknown;
}

/** Runs `fn` sampling memory every 10 ms; idle RSS is taken before it starts. */
async function measure(fn: () => Promise<unknown>): Promise<Measured> {
  global.gc?.();
  const idleRss = process.memoryUsage().rss;
  let peakRss = idleRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  clearInterval(timer);
  sample();
  return { ms, idleRss, peakRss, peakHeap, result };
}

// ---- the bill and the books ----

const amountOf = (i: number) => 100 + ((i * 7919) % 500_000);
const feeFenOf = (fen: number) => Math.floor((fen * 60 + 5000) / 10_000);
const txidOf = (i: number) => `42000${String(i).padStart(23, '0')}`;

/** Line i of the bill: every 20th line refunds half of the payment before it. */
function lineKind(i: number): 'payment' | 'refund' {
  return i % 20 === 19 ? 'refund' : 'payment';
}

async function writeBill(file: string, n: number): Promise<{ sha1: string; bytes: number }> {
  const out = createWriteStream(file);
  const hash = createHash('sha1');
  let bytes = 0;
  const put = async (line: string) => {
    const chunk = Buffer.from(`${line}\r\n`, 'utf8');
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await put('交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注');
  let settled = 0;
  let refunded = 0;
  let fees = 0;
  const row = (v: string[]) => v.map((x) => `\`${x}`).join(',');
  for (let i = 0; i < n; i++) {
    const time = `${DAY} ${String(8 + Math.floor((i / n) * 14)).padStart(2, '0')}:00:00`;
    if (lineKind(i) === 'payment') {
      const fen = amountOf(i);
      const fee = feeFenOf(fen) * 1000;
      settled += fen;
      fees += fee;
      await put(row([time, 'wx2421b1c4370ec43b', MCHID, '0', '', txidOf(i), `CPB${i}`, `o${i}`, 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', yuan(fen), '0.00', '0', '0', '0.00', '0.00', '', '', '学费', '', formatMilliFen(fee), '0.60%', yuan(fen), '0.00', '']));
    } else {
      const paid = amountOf(i - 1);
      const fen = Math.floor(paid / 2);
      const fee = -feeFenOf(fen) * 1000;
      refunded += fen;
      fees += fee;
      await put(row([time, 'wx2421b1c4370ec43b', MCHID, '0', '', txidOf(i - 1), `CPB${i - 1}`, `o${i - 1}`, 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', `503${String(i).padStart(25, '0')}`, `RFB${i}`, yuan(fen), '0.00', 'ORIGINAL', 'SUCCESS', '学费', '', formatMilliFen(fee), '0.60%', '0.00', yuan(fen), '']));
    }
  }
  await put('总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额');
  await put(row([String(n), yuan(settled), yuan(refunded), '0.00', formatMilliFen(fees), yuan(settled), yuan(refunded)]));
  out.end();
  await once(out, 'finish');
  return { sha1: hash.digest('hex'), bytes };
}

/** The platform's books: one ledger entry per bill line except the last WECHAT_ONLY payments, plus PLATFORM_ONLY of its own. */
async function seedBooks(uri: string, n: number): Promise<void> {
  const db = await connectDatabase(uri);
  try {
    await ensureIndexes(db);
    const native = db.db!;
    const ledger = native.collection('ledger_entries');
    await native.collection('payee_accounts').insertOne({ _id: PAYEE as never, name: '学校基本户', mchid: MCHID, bankName: '示范银行', bankAccountEnc: 'x', bankAccountMasked: '****0000', nodeId: 'group_bench', orgPath: GROUP_PATH });
    const at = new Date(`${DAY}T12:00:00+08:00`);
    const base = { method: 'wechat', at, day: DAY, payeeAccountId: PAYEE, feeItemId: 'fee_bench', orgPath: ORG_PATH, campusId: 'campus_bench', groupId: 'group_bench', offlinePaymentId: null, bankType: 'OTHERS', actorId: null, reference: null };
    let chunk: Record<string, unknown>[] = [];
    const flush = async () => {
      if (chunk.length > 0) await ledger.insertMany(chunk as never[], { ordered: false });
      chunk = [];
    };
    const skipFrom = n - WECHAT_ONLY * 3;
    for (let i = 0; i < n; i++) {
      // A few payments near the end are left out of the books: WeChat has them, the platform does not know the order.
      if (i >= skipFrom && lineKind(i) === 'payment' && (i - skipFrom) % 3 === 0) continue;
      if (lineKind(i) === 'payment') chunk.push({ ...base, _id: `wxpay:${txidOf(i)}:bill_${i}`, kind: 'payment', billId: `bill_${i}`, studentId: `stu_${i}`, amountFen: amountOf(i), orderId: `ord_${i}`, transactionId: txidOf(i), refundId: null });
      else chunk.push({ ...base, _id: `wxrefund:RFB${i}`, kind: 'refund', billId: `bill_${i - 1}`, studentId: `stu_${i - 1}`, amountFen: Math.floor(amountOf(i - 1) / 2), orderId: `ord_${i - 1}`, transactionId: null, refundId: `rfd_${i}` });
      if (chunk.length >= INSERT_CHUNK) await flush();
    }
    for (let k = 0; k < PLATFORM_ONLY; k++) chunk.push({ ...base, _id: `wxpay:4200000000000000000000${k}:bill_x${k}`, kind: 'payment', billId: `bill_x${k}`, studentId: `stu_x${k}`, amountFen: 12_345, orderId: `ord_missing_${k}`, transactionId: `4200000000000000000000${k}`, refundId: null });
    await flush();
  } finally {
    await db.close();
  }
}

function wechatOnlyCount(n: number): number {
  const skipFrom = n - WECHAT_ONLY * 3;
  let count = 0;
  for (let i = skipFrom; i < n; i++) if (lineKind(i) === 'payment' && (i - skipFrom) % 3 === 0) count += 1;
  return count;
}

// ---- the measured runs, each in its own process ----

async function child(args: string[]): Promise<void> {
  const [mode, file, uri, sha1] = args;
  let measured: Measured;
  if (mode === 'baseline') {
    measured = await measure(async () => {
      let rows = 0;
      const parsed = await parseTradeBillFile(file!, { onRow: () => void (rows += 1) });
      return { rows, summary: parsed.summary.count };
    });
  } else {
    const config = loadConfig({}, { profile: 'test', host: '127.0.0.1', port: 0, mongodbUri: uri!, logLevel: 'warn', jobsEnabled: false, dataEncryptionKey: randomBytes(32).toString('base64'), lookupHashKey: randomBytes(32).toString('base64') });
    const db = await connectDatabase(uri!);
    try {
      const merchant = { mchid: MCHID, appid: 'wx2421b1c4370ec43b' };
      // WeChat's side, served from the file: its SHA1 as WeChat would give it; no order or refund is known to this "WeChat".
      const gateway = {
        merchants: { get: () => merchant, all: () => [merchant] },
        streamBill: async (_mchid: string, kind: string) => (kind === 'tradebill' ? { hashType: 'SHA1', hashValue: sha1!, body: createReadStream(file!) } : null),
        queryOrder: async () => null,
        queryRefund: async () => null,
      } as unknown as WechatPayGateway;
      const deps = { config, db, log: createLogger(config), jobs: undefined, wechatPay: gateway } as unknown as ServerDeps;
      measured = await measure(() =>
        reconcileDay(deps, gateway).run({ id: `rec_${MCHID}_bench`, mchid: MCHID, day: DAY, payeeAccountIds: [PAYEE], orgPath: GROUP_PATH }, async () => undefined),
      );
    } finally {
      await db.close();
    }
  }
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

/** FerretDB's own binary over a PostgreSQL database (FerretDB creates its schema there). */
async function ferretdbOverPostgres(postgresqlUrl: string, dataDir: string): Promise<{ uri: string; source: 'ferretdb'; backend: string; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = startProcess('ferretdb', ensureFerretdbBinary(), ['-listen', `127.0.0.1:${port}`, '-handler', 'postgresql', '-postgresql-url', postgresqlUrl], { logFile: path.join(dataDir, 'ferretdb.log') });
  const uri = `mongodb://127.0.0.1:${port}/bench_recon?directConnection=true`;
  await waitFor('ferretdb (postgresql)', () => pingDatabase(uri, 500), { timeoutMs: 60_000, exited: proc.exited });
  return { uri, source: 'ferretdb', backend: 'PostgreSQL', stop: () => proc.stop() };
}

function runChild(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, thisFile, '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`child ${args[0]} exited with ${code}: ${out}`));
      else resolve(JSON.parse(last) as Measured);
    });
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'campuspay-bench-recon-'));
  const database = process.env.BENCH_FERRETDB_POSTGRESQL_URL ? await ferretdbOverPostgres(process.env.BENCH_FERRETDB_POSTGRESQL_URL, dataDir) : await provideDatabase({ port: await freePort(), dataDir: path.join(dataDir, 'db'), dbName: 'bench_recon', local: !process.env.MONGODB_URI });
  const info = await (async () => {
    const c = await connectDatabase(database.uri);
    try {
      return (await c.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
    } finally {
      await c.close();
    }
  })();
  console.log(`Reconciliation benchmark: trade bills of ${SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} lines`);
  console.log(`  database: ${database.source === 'ferretdb' ? `embedded FerretDB v1 (${'backend' in database ? database.backend : 'SQLite'} backend; reports MongoDB ${info.version ?? '?'})` : `${database.source} ${info.version ?? ''}`}`);
  console.log(`  machine:  ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, temp files in ${os.tmpdir()}`);
  const rows: string[] = [];
  try {
    for (const n of SIZES) {
      const file = path.join(dataDir, `tradebill-${n}.csv`);
      const uri = (() => {
        const u = new URL(database.uri);
        u.pathname = `/bench_recon_${n}`;
        return u.toString();
      })();
      const started = performance.now();
      const bill = await writeBill(file, n);
      console.log(`  ${n.toLocaleString('en-US')} lines: bill written (${mb(bill.bytes)}) in ${seconds(performance.now() - started)}`);
      const seeded = performance.now();
      await seedBooks(uri, n);
      console.log(`  ${n.toLocaleString('en-US')} lines: books seeded (${(n + PLATFORM_ONLY - wechatOnlyCount(n)).toLocaleString('en-US')} ledger entries, driver insertMany) in ${seconds(performance.now() - seeded)}`);

      const baseline = await runChild(['baseline', file]);
      const recon = await runChild(['reconcile', file, uri, bill.sha1]);
      const outcome = recon.result as { kind: string; status?: string; counts?: Record<string, number>; timings?: Record<string, number>; error?: string };
      if (outcome.kind !== 'done') throw new Error(`reconciliation did not finish: ${JSON.stringify(outcome)}`);
      const c = outcome.counts!;
      const expectWechatOnly = wechatOnlyCount(n);
      if (c.matched !== n - expectWechatOnly || c.wechatOnly !== expectWechatOnly || c.platformOnly !== PLATFORM_ONLY) {
        throw new Error(`unexpected counts: ${JSON.stringify(c)}`);
      }
      console.log(`  ${n.toLocaleString('en-US')} lines: ${outcome.status}, ${c.matched.toLocaleString('en-US')} matched, ${c.wechatOnly} WeChat only, ${c.platformOnly} platform only (as seeded)`);
      const steps = Object.entries(outcome.timings ?? {}).map(([k, v]) => `${k.replace(/Ms$/, '')} ${seconds(v)}`).join(', ');
      console.log(`  ${n.toLocaleString('en-US')} lines: reconcile steps: ${steps}`);
      const line = (label: string, m: Measured) =>
        `  ${n.toLocaleString('en-US').padStart(9)}  ${label.padEnd(10)} ${seconds(m.ms).padStart(8)}  ${Math.round((n / m.ms) * 1000).toLocaleString('en-US').padStart(9)} lines/s  peak RSS ${mb(m.peakRss).padStart(7)} (+${mb(m.peakRss - m.idleRss)} over idle)  peak heap ${mb(m.peakHeap).padStart(7)}`;
      rows.push(line('baseline', baseline), line('reconcile', recon));
      rmSync(file, { force: true });
    }
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log('Result (each row a fresh process; memory sampled every 10 ms):');
  console.log('      lines  run            time      rate                  memory');
  for (const r of rows) console.log(r);
}

if (process.argv[2] === '--child') {
  child(process.argv.slice(3)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
