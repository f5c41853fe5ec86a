import type { Connection } from 'mongoose';
import { ReconciliationLineModel, reconciliationLineId } from './reconciliation-line.model.ts';
import { ReconciliationModel, reconciliationId } from './reconciliation.model.ts';

/**
 * A finished reconciliation and one open difference under an organisation
 * path (a school group's), for tests that need ids in and out of a scope
 * (the permission matrix).
 */
export async function insertReconciliationSamples(db: Connection, groupPath: string[], mchid: string, day = '2026-09-01'): Promise<{ reconciliation: string; line: string }> {
  const _id = reconciliationId(mchid, day);
  const line = reconciliationLineId(_id, 'P:4200000000202609010000000001');
  await ReconciliationModel(db).create({
    _id,
    mchid,
    day,
    payeeAccountIds: [`payee_${mchid}`],
    nodeId: groupPath[groupPath.length - 1],
    orgPath: groupPath,
    status: 'differences',
    runs: 1,
    counts: { billLines: 1, wechatPayments: 1, wechatRefunds: 0, platformPayments: 0, platformRefunds: 0, matched: 0, crossDay: 0, wechatOnly: 1, platformOnly: 0, amountDiffers: 0, statusDiffers: 0, autoFixed: 0, resolved: 0, open: 1 },
  });
  await ReconciliationLineModel(db).create({
    _id: line,
    reconciliationId: _id,
    mchid,
    day,
    key: 'P:4200000000202609010000000001',
    kind: 'payment',
    outcome: 'wechat_only',
    resolution: 'open',
    transactionId: '4200000000202609010000000001',
    outTradeNo: 'CP20260901SAMPLE',
    wechat: { time: `${day} 10:00:00`, status: 'SUCCESS', amountFen: 100, settledFen: 100, feeMilliFen: 1000, bankType: 'OTHERS' },
    summary: '样例差异',
    orgPath: groupPath,
  });
  return { reconciliation: _id, line };
}
