import { randomUUID } from 'node:crypto';
import {
  fen,
  isDayKey,
  parseYuan,
  type BalanceImportResult,
  type BalanceSummary,
  type BalancesReport,
  type SetBaselineRequest,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { withDocumentLock } from '../../platform/db/document-lock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/multipart.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { PayeeAccountModel } from '../billing/billing.models.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { AccountBalanceMonthModel, BalanceBaselineModel, InsightAccountModel, NodeBalanceMonthModel, type BaselineDoc, type NodeBalanceMonthDoc } from './balance.models.ts';
import { monthsBetween } from './figures.ts';
import { InsightNodeModel, type InsightNodeDoc } from './insight-settings.model.ts';
import { nodeRef, periodOf, resolveRoot, type InsightRoot } from './insight-root.ts';
import { forEachLimit } from '../../platform/concurrency.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { column, normaliseDay, readTable } from './tabular-file.ts';

const MAX_ROWS = 200_000;
const MAX_ERRORS = 200;

export interface RowError {
  row: number;
  field: string;
  message: string;
}

/** Half-up integer division of non-negative or negative sums. */
function averageOf(total: number, days: number): number | null {
  if (days === 0) return null;
  return total >= 0 ? Math.floor((2 * total + days) / (2 * days)) : -Math.floor((2 * -total + days) / (2 * days));
}

const digitsOnly = (v: string) => v.replace(/[\s-]/g, '');

/** Sum and count of days with data over [from, to] from per-month documents ("DD" → [sum, accounts]). */
function averageOver(monthDocs: Map<string, { days: Record<string, number[]> }>, id: (month: string) => string, from: string, to: string) {
  let total = 0;
  let days = 0;
  let accounts = 0;
  for (const month of monthsBetween(from, to)) {
    const doc = monthDocs.get(id(month));
    if (!doc) continue;
    for (const [dd, value] of Object.entries(doc.days)) {
      const day = `${month}-${dd}`;
      if (day < from || day > to) continue;
      const [sum = 0, n = 1] = value;
      total += sum;
      days += 1;
      accounts = Math.max(accounts, n);
    }
  }
  return { averageFen: averageOf(total, days), days, accounts };
}

/**
 * Daily balances of schools' settlement accounts from the bank's core
 * system: uploaded as .xlsx or CSV (account, date, balance), validated
 * completely before anything is written (one bad row refuses the file),
 * then kept per account and month and summed per node and month, so the
 * dashboard reads a handful of documents by id.
 */
export function balancesService(deps: ServerDeps) {
  const { db } = deps;
  const accounts = InsightAccountModel(db);
  const accountMonths = AccountBalanceMonthModel(db);
  const nodeMonths = NodeBalanceMonthModel(db);
  const baselines = BalanceBaselineModel(db);
  const audit = auditService(db);
  const cipher = personalDataCipher(deps);

  /** The payee accounts in the scope, by account number (digits). */
  async function accountsInScope(scope: StaffScope) {
    const payees = await PayeeAccountModel(db)
      .find({ orgPath: scope.nodeId }, { name: 1, bankAccountEnc: 1, bankAccountMasked: 1, nodeId: 1, orgPath: 1 })
      .lean<{ _id: string; name: string; bankAccountEnc: string; bankAccountMasked: string; nodeId: string; orgPath: string[] }[]>();
    const byNumber = new Map<string, (typeof payees)[number]>();
    for (const p of payees) {
      try {
        byNumber.set(digitsOnly(cipher.decrypt(p.bankAccountEnc)), p);
      } catch {
        deps.log.warn({ payeeAccountId: p._id }, 'payee account number cannot be decrypted');
      }
    }
    return byNumber;
  }

  async function recomputeNodeMonth(nodeId: string, month: string): Promise<void> {
    const id = `${nodeId}|${month}`;
    await withDocumentLock(db, `insight_balance_months:${id}`, async () => {
      const under = await accounts.find({ orgPath: nodeId }, { schoolId: 1 }).lean<{ _id: string; schoolId: string }[]>();
      const docs = await findByIds<{ _id: string; days: Record<string, number> }>(db, accountMonths.collection.collectionName, under.map((a) => `${a._id}|${month}`));
      const days: Record<string, [number, number]> = {};
      const schools = new Set<string>();
      for (const a of under) {
        const doc = docs.get(`${a._id}|${month}`);
        if (!doc) continue;
        schools.add(a.schoolId);
        for (const [dd, value] of Object.entries(doc.days)) {
          const slot = (days[dd] ??= [0, 0]);
          slot[0] += value;
          slot[1] += 1;
        }
      }
      await nodeMonths.collection.replaceOne({ _id: id as never }, { nodeId, month, days, schools: [...schools].sort() }, { upsert: true });
    });
  }

  async function recomputeBaseline(schoolId: string): Promise<BaselineDoc | null> {
    const baseline = await baselines.findById(schoolId).lean<BaselineDoc>();
    if (!baseline) return null;
    const docs = await findByIds<NodeBalanceMonthDoc>(db, nodeMonths.collection.collectionName, monthsBetween(baseline.from, baseline.to).map((m) => `${schoolId}|${m}`));
    const avg = averageOver(docs, (m) => `${schoolId}|${m}`, baseline.from, baseline.to);
    await baselines.updateOne({ _id: schoolId }, { $set: { averageFen: avg.averageFen, daysWithData: avg.days } });
    return { ...baseline, averageFen: avg.averageFen, daysWithData: avg.days };
  }

  async function importFile(scope: StaffScope, file: UploadedFile): Promise<BalanceImportResult> {
    const table = await readTable(file.bytes, file.filename, MAX_ROWS);
    const col = {
      account: column(table.headers, ['账号', '账户', '账户号', '银行账号', 'account', 'account_no', 'accountno']),
      date: column(table.headers, ['日期', '余额日期', '记账日期', 'date']),
      balance: column(table.headers, ['余额', '日终余额', '账户余额', 'balance']),
    };
    const missing = Object.entries(col)
      .filter(([, i]) => i < 0)
      .map(([k]) => ({ account: '账号', date: '日期', balance: '余额' })[k]);
    if (missing.length > 0) throw new AppError('IMPORT_INVALID', `缺少列：${missing.join('、')}（表头应为 账号、日期、余额）`, { details: { errors: [], errorCount: 1 } });
    if (table.rows.length === 0) throw new AppError('IMPORT_INVALID', '文件中没有数据行', { details: { errors: [], errorCount: 1 } });

    const known = await accountsInScope(scope);
    const errors: RowError[] = [];
    const seen = new Set<string>();
    const valid: { accountId: string; day: string; fen: number }[] = [];
    for (const r of table.rows) {
      const number = digitsOnly(r.cells[col.account] ?? '');
      const dayText = r.cells[col.date] ?? '';
      const balanceText = (r.cells[col.balance] ?? '').replace(/[,，¥￥\s]/g, '');
      const payee = known.get(number);
      const day = normaliseDay(dayText);
      let amount: number | null = null;
      if (!number) errors.push({ row: r.row, field: '账号', message: '账号为空' });
      else if (!payee) errors.push({ row: r.row, field: '账号', message: '不是本范围内学校的收款账户' });
      if (!day || !isDayKey(day)) errors.push({ row: r.row, field: '日期', message: `日期无效：「${dayText}」` });
      try {
        amount = parseYuan(balanceText);
      } catch {
        errors.push({ row: r.row, field: '余额', message: `金额无效：「${r.cells[col.balance] ?? ''}」（元，最多两位小数）` });
      }
      if (payee && day) {
        const key = `${payee._id}|${day}`;
        if (seen.has(key)) errors.push({ row: r.row, field: '日期', message: '同一账号同一天出现了两次' });
        seen.add(key);
        if (amount !== null) valid.push({ accountId: payee._id, day, fen: amount });
      }
    }
    if (errors.length > 0) {
      throw new AppError('IMPORT_INVALID', `有 ${errors.length} 处错误，整个文件未导入，请改正后重新上传`, { details: { errors: errors.slice(0, MAX_ERRORS), errorCount: errors.length } });
    }

    const payees = new Map([...known.values()].map((p) => [p._id, p]));
    const used = [...new Set(valid.map((v) => v.accountId))];
    for (const id of used) {
      const p = payees.get(id)!;
      const number = [...known.entries()].find(([, v]) => v._id === id)![0];
      await accounts.collection.replaceOne(
        { _id: id as never },
        { accountHash: cipher.lookupHash(number), accountMasked: p.bankAccountMasked, name: p.name, schoolId: p.nodeId, orgPath: p.orgPath },
        { upsert: true },
      );
    }
    const byMonth = new Map<string, { accountId: string; month: string; days: Record<string, number> }>();
    for (const v of valid) {
      const month = v.day.slice(0, 7);
      const key = `${v.accountId}|${month}`;
      const slot = byMonth.get(key) ?? { accountId: v.accountId, month, days: {} };
      slot.days[v.day.slice(8, 10)] = v.fen;
      byMonth.set(key, slot);
    }
    await forEachLimit([...byMonth.entries()], 8, ([id, slot]) =>
      withDocumentLock(db, `insight_account_balances:${id}`, async () => {
        const existing = await accountMonths.findById(id).lean<{ days: Record<string, number> }>();
        await accountMonths.collection.replaceOne({ _id: id as never }, { accountId: slot.accountId, month: slot.month, days: { ...(existing?.days ?? {}), ...slot.days } }, { upsert: true });
      }),
    );
    const nodeIds = new Set(used.flatMap((id) => payees.get(id)!.orgPath));
    const months = new Set([...byMonth.values()].map((s) => s.month));
    await forEachLimit(
      [...nodeIds].flatMap((n) => [...months].map((m) => [n, m] as const)),
      4,
      ([n, m]) => recomputeNodeMonth(n, m),
    );
    for (const school of new Set(used.map((id) => payees.get(id)!.nodeId))) await recomputeBaseline(school);

    const days = valid.map((v) => v.day).sort();
    const result: BalanceImportResult = { rows: valid.length, accounts: used.length, from: days[0]!, to: days[days.length - 1]! };
    await audit.append(scope.principal, {
      action: 'insights.balances.import',
      objectType: 'balance_import',
      objectId: randomUUID(),
      orgPath: scope.principal.nodePath,
      after: { filename: file.filename, ...result },
    });
    return result;
  }

  async function setBaseline(scope: StaffScope, input: SetBaselineRequest) {
    const school = await OrgNodeModel(db).findById(input.nodeId, { kind: 1, name: 1, path: 1 }).lean<{ kind: string; name: string; path: string[] }>();
    const path = school?.path;
    if (!school || !path || !scope.contains(path)) throw notFound('学校');
    if (school.kind !== 'school_group' && school.kind !== 'campus') throw new AppError('VALIDATION_FAILED', '基准期只能按学校或校区设置');
    const before = await baselines.findById(input.nodeId).lean<BaselineDoc>();
    await baselines.collection.replaceOne(
      { _id: input.nodeId as never },
      { name: school.name, orgPath: path, from: input.from, to: input.to, averageFen: null, daysWithData: 0, setBy: scope.principal.username, updatedAt: new Date() },
      { upsert: true },
    );
    const after = await recomputeBaseline(input.nodeId);
    await audit.append(scope.principal, {
      action: 'insights.baseline.set',
      objectType: 'balance_baseline',
      objectId: input.nodeId,
      orgPath: path,
      before: before ? { from: before.from, to: before.to } : null,
      after: { from: input.from, to: input.to, averageFen: after?.averageFen ?? null },
    });
    return { nodeId: input.nodeId, from: input.from, to: input.to, averageBalanceFen: after?.averageFen ?? null, daysWithData: after?.daysWithData ?? 0 };
  }

  /** Average balance of the node over the period, its schools' baselines and the uplift. */
  async function summary(root: InsightRoot, from: string, to: string): Promise<BalanceSummary> {
    const docs = await findByIds<NodeBalanceMonthDoc>(db, nodeMonths.collection.collectionName, monthsBetween(from, to).map((m) => `${root._id}|${m}`));
    const avg = averageOver(docs, (m) => `${root._id}|${m}`, from, to);
    const schools = new Set([...docs.values()].flatMap((d) => d.schools));
    const under = await baselines.find({ orgPath: root._id }).lean<BaselineDoc[]>();
    const withAverage = under.filter((b) => b.averageFen !== null);
    const baselineAverage = withAverage.length > 0 ? withAverage.reduce((s, b) => s + b.averageFen!, 0) : null;
    const covered = new Set(withAverage.map((b) => b._id));
    const complete = schools.size > 0 && [...schools].every((s) => covered.has(s));
    return {
      averageBalanceFen: avg.averageFen === null ? null : fen(avg.averageFen),
      baselineAverageFen: baselineAverage === null ? null : fen(baselineAverage),
      upliftFen: complete && avg.averageFen !== null && baselineAverage !== null ? fen(avg.averageFen - baselineAverage) : null,
      daysWithData: avg.days,
      accounts: avg.accounts,
      schoolsWithBaseline: withAverage.length,
    };
  }

  async function report(scope: StaffScope, query: { from?: string | undefined; to?: string | undefined; nodeId?: string | undefined }): Promise<BalancesReport> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const { from, to } = periodOf(query);
    const months = monthsBetween(from, to);
    const rootDocs = await findByIds<NodeBalanceMonthDoc>(db, nodeMonths.collection.collectionName, months.map((m) => `${root._id}|${m}`));
    const under = await baselines.find({ orgPath: root._id }).lean<BaselineDoc[]>();
    const schoolIds = [...new Set([...[...rootDocs.values()].flatMap((d) => d.schools), ...under.map((b) => b._id)])].sort();
    const schoolDocs = await findByIds<NodeBalanceMonthDoc>(db, nodeMonths.collection.collectionName, schoolIds.flatMap((s) => months.map((m) => `${s}|${m}`)));
    const names = await findByIds<InsightNodeDoc>(db, InsightNodeModel(db).collection.collectionName, schoolIds, { name: 1 });
    const baselineOf = new Map(under.map((b) => [b._id, b]));
    const schools = schoolIds.map((id) => {
      const avg = averageOver(schoolDocs, (m) => `${id}|${m}`, from, to);
      const b = baselineOf.get(id) ?? null;
      return {
        node: { id, name: names.get(id)?.name ?? b?.name ?? id },
        accounts: avg.accounts,
        averageBalanceFen: avg.averageFen === null ? null : fen(avg.averageFen),
        daysWithData: avg.days,
        baseline: b ? { from: b.from, to: b.to, averageBalanceFen: b.averageFen === null ? null : fen(b.averageFen), daysWithData: b.daysWithData } : null,
        upliftFen: avg.averageFen !== null && b?.averageFen != null ? fen(avg.averageFen - b.averageFen) : null,
      };
    });
    return { node: nodeRef(root), from, to, summary: await summary(root, from, to), schools };
  }

  return { importFile, setBaseline, summary, report };
}

export type BalancesService = ReturnType<typeof balancesService>;
