/**
 * Roster import benchmark: a generated 20,000-row roster imported through the
 * real HTTP API of an in-process server (upload → validate → 202 → job), then
 * re-imported unchanged, then with some rows changed; and, in the same run, a
 * baseline: inserting the same student and guardian documents with the raw
 * driver's insertMany into an empty database with the same indexes.
 *
 *   npm run roster-import -w bench            (ROSTER_BENCH_ROWS=20000 ROSTER_BENCH_CHANGED=500)
 *
 * The database comes from MONGODB_URI when set, else a local mongod, else the
 * embedded FerretDB (SQLite); the source is printed with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { freePort, provideDatabase } from '@campuspay/dev';
import { loadConfig, startServer } from '@campuspay/server';
import { idNumberCheckChar } from '../../shared/src/index.ts';
import { seedDemo, DEMO_PASSWORD } from '../../server/src/modules/demo/demo-seed.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDatabase, ensureIndexes } from '../../server/src/platform/db/connection.ts';
import { databaseCapabilities } from '../../server/src/platform/db/capabilities.ts';
import { StaffScope, type StaffPrincipal } from '../../server/src/modules/auth/principal.ts';
import { rosterClassIndex } from '../../server/src/modules/people/roster-classes.ts';
import { ROSTER_COLUMNS, ROSTER_SHEET, type RosterField } from '../../server/src/modules/people/roster-layout.ts';
import { readRosterSheet, writeWorkbook } from '../../server/src/modules/people/roster-sheet.ts';
import { validateRoster } from '../../server/src/modules/people/roster-validate.ts';

const ROWS = Number(process.env.ROSTER_BENCH_ROWS ?? 20_000);
const CHANGED = Math.min(Number(process.env.ROSTER_BENCH_CHANGED ?? 500), ROWS);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const now = () => performance.now();

function idNumber(birth: string, serial: number): string {
  const first17 = `320102${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** Every east-campus class of the demo tree, round robin; one sibling pair in ten shares a mother. */
function rosterRows(classes: [string, string, string, string][], renamed = 0): Record<RosterField, string>[] {
  const rows: Record<RosterField, string>[] = [];
  for (let i = 0; i < ROWS; i++) {
    const [campus, division, grade, klass] = classes[i % classes.length]!;
    const sibling = i % 10 === 1;
    const motherOf = sibling ? i - 1 : i;
    rows.push({
      studentNo: `B${String(i + 1).padStart(6, '0')}`,
      name: `${i < renamed ? '改名' : ''}学生${i + 1}`,
      gender: i % 2 ? '女' : '男',
      idNumber: idNumber(`2015${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, i),
      campus,
      division,
      grade,
      klass,
      g1Name: `父亲${i + 1}`,
      g1Relationship: '父亲',
      g1Phone: `135${String(i).padStart(8, '0')}`,
      g1IdNumber: i % 2 ? idNumber('19850301', i) : '',
      g2Name: `母亲${motherOf + 1}`,
      g2Relationship: '母亲',
      g2Phone: `136${String(motherOf).padStart(8, '0')}`,
      g2IdNumber: '',
    });
  }
  return rows;
}

function rosterFile(rows: Record<RosterField, string>[]): Promise<Buffer> {
  return writeWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(ROSTER_SHEET);
    sheet.addRow(ROSTER_COLUMNS.map((c) => c.header)).commit();
    for (const row of rows) sheet.addRow(ROSTER_COLUMNS.map((c) => row[c.field])).commit();
    sheet.commit();
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-bench-roster-'));
  const database = await provideDatabase({ port: await freePort(), dataDir, dbName: `roster_bench_${randomBytes(3).toString('hex')}` });
  const config = loadConfig(
    {},
    {
      profile: 'test',
      host: '127.0.0.1',
      port: 0,
      mongodbUri: database.uri,
      logLevel: 'warn',
      jobPollMs: 100,
      uploadLimitBytes: 20 * 1024 * 1024,
      dataEncryptionKey: randomBytes(32).toString('base64'),
      lookupHashKey: randomBytes(32).toString('base64'),
    },
  );
  const server = await startServer(config, createLogger(config));
  const baselineUri = new URL(database.uri);
  baselineUri.pathname = `${baselineUri.pathname}_baseline`;
  const baselineDb = await connectDatabase(baselineUri.toString());
  try {
    const capabilities = await databaseCapabilities(server.deps.db);
    const version = capabilities.version === 'unknown' ? 'v1 (tools/ferretdb)' : capabilities.version;
    const source = database.source === 'ferretdb' ? `embedded FerretDB ${version}, SQLite backend` : `${database.source} (${capabilities.server} ${version})`;
    console.log(`database: ${source}`);
    console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average at start ${loadavg()[0]?.toFixed(1)}`);

    await seedDemo(server.deps);
    const login = await fetch(new URL('/api/v1/admin/auth/login', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.bursar', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };

    const principal: StaffPrincipal = {
      kind: 'staff',
      userId: 'bench',
      username: 'bench',
      displayName: 'bench',
      role: 'bursar',
      nodeId: 'campus_demo_east',
      nodePath: ['bank_demo', 'branch_demo_city', 'branch_demo_sub', 'group_demo', 'campus_demo_east'],
      grantIndex: 0,
      sessionId: '',
      requestId: 'bench',
      ip: null,
    };
    const scope = new StaffScope(principal);
    const index = await rosterClassIndex(server.deps.db, scope);
    const classes = index.classes.map((c) => c.names);

    let t = now();
    const rows = rosterRows(classes);
    const file = await rosterFile(rows);
    console.log(`generated: ${ROWS} rows, ${classes.length} classes, ${(file.length / 1024 / 1024).toFixed(2)} MB .xlsx in ${seconds(now() - t)}`);

    // In-process breakdown of the synchronous part (what the upload request does before answering 202).
    t = now();
    const sheet = await readRosterSheet(file, { maxRows: 50_000 });
    const parseMs = now() - t;
    t = now();
    const validation = validateRoster(sheet, await rosterClassIndex(server.deps.db, scope));
    const validateMs = now() - t;
    if (validation.errors.length > 0) throw new Error(`generated roster is invalid: ${JSON.stringify(validation.errors.slice(0, 3))}`);

    async function importOnce(bytes: Buffer, label: string) {
      const form = new FormData();
      form.append('file', new Blob([bytes]), `${label}.xlsx`);
      const started = now();
      const res = await fetch(new URL('/api/v1/admin/students/import', server.url), { method: 'POST', headers: auth, body: form });
      const body = (await res.json()) as { jobId?: string; message?: string };
      const submitMs = now() - started;
      if (res.status !== 202 || !body.jobId) throw new Error(`${label}: ${res.status} ${JSON.stringify(body)}`);
      for (;;) {
        const job = (await (await fetch(new URL(`/api/v1/admin/jobs/${body.jobId}`, server.url), { headers: auth })).json()) as {
          status: string;
          result: unknown;
          lastError: string | null;
        };
        if (job.status === 'succeeded' || job.status === 'failed') {
          const totalMs = now() - started;
          if (job.status === 'failed') throw new Error(`${label}: job failed: ${job.lastError}`);
          return { submitMs, writeMs: totalMs - submitMs, totalMs, result: job.result };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const first = await importOnce(file, 'first');
    const again = await importOnce(file, 'again');
    const changedFile = await rosterFile(rosterRows(classes, CHANGED));
    const changed = await importOnce(changedFile, 'changed');

    // The export of the whole campus (the import's 20,000 and the demo's students), masked, streamed.
    t = now();
    const exported = await fetch(new URL('/api/v1/admin/students/export', server.url), { headers: auth });
    const exportBytes = Buffer.from(await exported.arrayBuffer());
    const exportMs = now() - t;
    const exportRows = Number(exported.headers.get('x-row-count'));
    if (exported.status !== 200) throw new Error(`export: ${exported.status}`);

    // Baseline: the very documents the import wrote, inserted raw into an empty database with the same indexes.
    await ensureIndexes(baselineDb);
    const students = await server.deps.db.db!.collection('students').find({ studentNo: { $regex: '^B' } }).toArray();
    const studentIds = new Set(students.map((s) => s._id));
    const guardianIds = new Set(students.flatMap((s) => s.guardianIds as string[]));
    const guardians = (await server.deps.db.db!.collection('guardians').find({ groupId: 'group_demo' }).toArray()).filter((g) => guardianIds.has(String(g._id)));
    t = now();
    for (const [name, docs] of [['guardians', guardians], ['students', students]] as const) {
      for (let i = 0; i < docs.length; i += 1000) await baselineDb.db!.collection(name).insertMany(docs.slice(i, i + 1000), { ordered: false });
    }
    const baselineMs = now() - t;

    const pad = (s: string) => s.padEnd(44);
    console.log('');
    console.log(`${pad('rows')}${ROWS} (${studentIds.size} students, ${guardians.length} guardians written)`);
    console.log(`${pad('parse .xlsx (in-process)')}${seconds(parseMs)}`);
    console.log(`${pad('validate (in-process)')}${seconds(validateMs)}`);
    console.log(`${pad('upload request → 202 (parse+validate+stage)')}${seconds(first.submitMs)}`);
    console.log(`${pad('job: diff + write')}${seconds(first.writeMs)}`);
    console.log(`${pad('total (upload → job succeeded)')}${seconds(first.totalMs)}  ${perSecond(ROWS, first.totalMs)}`);
    console.log(`${pad('  result')}${JSON.stringify(first.result)}`);
    console.log(`${pad('re-import, same file: total')}${seconds(again.totalMs)} (request ${seconds(again.submitMs)}, job ${seconds(again.writeMs)})  ${JSON.stringify(again.result)}`);
    console.log(`${pad(`re-import, ${CHANGED} rows changed: total`)}${seconds(changed.totalMs)} (request ${seconds(changed.submitMs)}, job ${seconds(changed.writeMs)})  ${JSON.stringify(changed.result)}`);
    console.log(`${pad('export of the campus (.xlsx, masked)')}${seconds(exportMs)} (${exportRows} rows, ${(exportBytes.length / 1024 / 1024).toFixed(2)} MB)  ${perSecond(exportRows, exportMs)}`);
    console.log(`${pad('baseline: raw insertMany of the same docs')}${seconds(baselineMs)} (${students.length + guardians.length} documents, chunks of 1000)`);
    console.log(`${pad('ratio job write / baseline')}${(first.writeMs / baselineMs).toFixed(2)}×`);
    console.log(`${pad('ratio total / baseline')}${(first.totalMs / baselineMs).toFixed(2)}×`);
    console.log(`${pad('load average at the end (1 min)')}${loadavg()[0]?.toFixed(1)}`);
    console.log(`${pad('peak RSS of this process')}${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    await baselineDb.dropDatabase().catch(() => undefined);
    await baselineDb.close();
    await server.stop();
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
