import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { connectDatabase, ensureIndexes } from './platform/db/connection.ts';
import { JobQueue } from './modules/jobs/job-queue.ts';
import type { ServerDeps } from './deps.ts';
import { seedDemo } from './modules/demo/demo-seed.ts';
import { auditService } from './modules/audit/audit.service.ts';
import { wechatPayFromConfig } from './modules/wechatpay/wechatpay-from-config.ts';
import { checkPaymentInvariants } from './modules/payments/payment-invariants.ts';

/** Operator commands that run against the configured database, outside the server. */
const commands: Record<string, (deps: ServerDeps) => Promise<number>> = {
  async 'seed-demo'(deps) {
    console.log('Loading demo data (once)...');
    const result = await seedDemo(deps, (line) => console.log(line), { billing: true });
    console.log(result.seeded ? `Demo data loaded: ${result.students} students.` : `Demo data already present (${result.students} students).`);
    return 0;
  },
  async 'check-invariants'(deps) {
    const report = await checkPaymentInvariants(deps.db, process.argv[3]);
    if (report.ok) console.log(`Books balance: ${report.bills} bills, ${report.entries} ledger entries; bills = orders = ledger.`);
    else for (const problem of report.problems) console.error(`  ✘ ${problem}`);
    return report.ok ? 0 : 2;
  },
  async 'verify-audit'(deps) {
    const result = await auditService(deps.db).verify();
    if (result.ok) console.log(`Audit chain intact: ${result.entries} entries.`);
    else console.error(`Audit chain BROKEN at entry ${result.brokenAt}: ${result.problem}`);
    return result.ok ? 0 : 2;
  },
};

const name = process.argv[2] ?? '';
const command = commands[name];
if (!command) {
  console.error(`usage: cli.ts <${Object.keys(commands).join('|')}>`);
  process.exit(64);
}
const config = loadConfig(process.env, { jobsEnabled: false, logLevel: 'warn' });
const log = createLogger(config);
const db = await connectDatabase(config.mongodbUri);
try {
  await ensureIndexes(db);
  const deps: ServerDeps = { config, db, log, jobs: new JobQueue(db, log, { leaseMs: 1000, pollMs: 1000 }), wechatPay: wechatPayFromConfig(config, log) };
  process.exitCode = await command(deps);
} finally {
  await db.close();
}
