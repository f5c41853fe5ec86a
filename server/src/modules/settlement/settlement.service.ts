import type { z } from 'zod';
import { addDays, businessDay, daysBetween, MAX_RECONCILIATION_DAYS, type SettlementRow, type SettlementView, type settlementQuerySchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { StaffScope } from '../auth/principal.ts';
import { PayeeAccountModel } from '../billing/billing.models.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { ReconciliationModel, type ReconciliationDoc } from '../reconciliation/reconciliation.model.ts';
import { reconciliationService } from '../reconciliation/reconciliation.service.ts';

type LedgerFigure = { kind: 'payment' | 'refund' | 'reversal'; method: 'wechat' | 'cash' | 'pos' | 'transfer'; amountFen: number; day: string; payeeAccountId: string };

function add(a: number, b: number): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) throw new AppError('INTERNAL', '金额合计超出安全整数范围');
  return total;
}

/**
 * Settlement per payee account and day, the figures the bank's insights
 * build on: WeChat Pay collected and refunded (from the books), WeChat's fee
 * (from the day's reconciled bill), the net WeChat settles T+1, and the
 * counter's takings by method. Where the day's fund-flow bill was read, its
 * net is set against the expected net settlement.
 */
export function settlementService(deps: ServerDeps) {
  const ledger = LedgerEntryModel(deps.db);
  const payees = PayeeAccountModel(deps.db);
  const recons = ReconciliationModel(deps.db);
  const reconciliations = reconciliationService(deps);

  async function view(scope: StaffScope, query: z.output<typeof settlementQuerySchema>): Promise<SettlementView> {
    const today = businessDay();
    const to = query.to ?? (query.from && query.from > today ? query.from : today);
    const from = query.from ?? addDays(to, -6);
    if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
    if (addDays(from, MAX_RECONCILIATION_DAYS - 1) < to) throw new AppError('VALIDATION_FAILED', `期间最长 ${MAX_RECONCILIATION_DAYS} 天`);
    const mine = await reconciliations.payeesInScope(scope);
    const chosen = query.payeeAccountId ? mine.filter((p) => p._id === query.payeeAccountId) : mine;
    if (query.payeeAccountId && chosen.length === 0) throw notFound('收款账户');
    chosen.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a._id.localeCompare(b._id));
    const ids = chosen.map((p) => p._id);
    const mchids = [...new Set(chosen.map((p) => p.mchid))];

    // How many payee accounts share each merchant: a merchant's fee belongs to one payee account only when it has just one.
    const sharing = new Map<string, number>();
    for (const p of await payees.find({ mchid: { $in: mchids } }, { mchid: 1 }).lean<{ mchid: string }[]>()) sharing.set(p.mchid, (sharing.get(p.mchid) ?? 0) + 1);
    const reconByKey = new Map<string, ReconciliationDoc>();
    for (const r of await recons.find({ mchid: { $in: mchids }, day: { $gte: from, $lte: to } }).lean<ReconciliationDoc[]>()) reconByKey.set(`${r.mchid}|${r.day}`, r);

    const rows = new Map<string, SettlementRow>();
    const days = daysBetween(from, to).reverse();
    for (const day of days) {
      for (const p of chosen) {
        rows.set(`${day}|${p._id}`, {
          day,
          payeeAccountId: p._id,
          payeeName: p.name,
          mchid: p.mchid,
          onlineGrossFen: 0,
          onlineRefundFen: 0,
          wechatFeeFen: null,
          netSettlementFen: 0,
          settlementDate: addDays(day, 1),
          cashFen: 0,
          posFen: 0,
          transferFen: 0,
          counterNetFen: 0,
          reconciliationStatus: null,
          fundFlowNetFen: null,
          fundFlowDifferenceFen: null,
        } as SettlementRow);
      }
    }
    const field = { cash: 'cashFen', pos: 'posFen', transfer: 'transferFen' } as const;
    const cursor = ledger
      .find({ payeeAccountId: { $in: ids }, day: { $gte: from, $lte: to } }, { kind: 1, method: 1, amountFen: 1, day: 1, payeeAccountId: 1 })
      .lean()
      .cursor({ batchSize: 2000 });
    for await (const doc of cursor) {
      const e = doc as unknown as LedgerFigure;
      const row = rows.get(`${e.day}|${e.payeeAccountId}`);
      if (!row) continue;
      if (e.method === 'wechat') {
        if (e.kind === 'payment') row.onlineGrossFen = add(row.onlineGrossFen, e.amountFen);
        else if (e.kind === 'refund') row.onlineRefundFen = add(row.onlineRefundFen, e.amountFen);
        continue;
      }
      const signed = e.kind === 'payment' ? e.amountFen : -e.amountFen;
      row[field[e.method]] = add(row[field[e.method]], signed);
      row.counterNetFen = add(row.counterNetFen, signed);
    }
    for (const row of rows.values()) {
      const recon = reconByKey.get(`${row.mchid}|${row.day}`);
      const sole = (sharing.get(row.mchid) ?? 0) === 1;
      const reconciled = recon && recon.amounts && (recon.status === 'clean' || recon.status === 'differences' || recon.status === 'pending' || recon.status === 'running');
      row.reconciliationStatus = recon?.status ?? null;
      if (reconciled && sole) row.wechatFeeFen = recon.amounts!.wechatFeeFen;
      row.netSettlementFen = row.onlineGrossFen - row.onlineRefundFen - (row.wechatFeeFen ?? 0);
      if (recon?.fundFlow && sole) {
        row.fundFlowNetFen = recon.fundFlow.netFen;
        row.fundFlowDifferenceFen = recon.fundFlow.netFen - row.netSettlementFen;
      }
    }
    const list = [...rows.values()];
    const sum = (pick: (r: SettlementRow) => number | null) => list.reduce((n, r) => add(n, pick(r) ?? 0), 0);
    const anyFundFlow = list.some((r) => r.fundFlowNetFen !== null);
    return {
      from,
      to,
      rows: list,
      totals: {
        onlineGrossFen: sum((r) => r.onlineGrossFen),
        onlineRefundFen: sum((r) => r.onlineRefundFen),
        wechatFeeFen: list.some((r) => r.wechatFeeFen !== null) ? sum((r) => r.wechatFeeFen) : null,
        netSettlementFen: sum((r) => r.netSettlementFen),
        cashFen: sum((r) => r.cashFen),
        posFen: sum((r) => r.posFen),
        transferFen: sum((r) => r.transferFen),
        counterNetFen: sum((r) => r.counterNetFen),
        fundFlowNetFen: anyFundFlow ? sum((r) => r.fundFlowNetFen) : null,
        fundFlowDifferenceFen: anyFundFlow ? sum((r) => r.fundFlowDifferenceFen) : null,
      } as SettlementView['totals'],
    };
  }

  return { view };
}
