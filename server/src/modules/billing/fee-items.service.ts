import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { periodKey, periodLabel, type FeeItem, type FeePeriod, type PayeeAccount, type createFeeItemSchema, type createPayeeAccountSchema, type updateFeeItemSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { FeeItemModel, PayeeAccountModel } from './billing.models.ts';

export type FeeItemDoc = {
  _id: string;
  nodeId: string;
  orgPath: string[];
  name: string;
  category: FeeItem['category'];
  period: FeePeriod;
  periodKey: string;
  prices: { nodeId: string; amountFen: number }[];
  dueDate: string;
  mandatory: boolean;
  allowPartial: boolean;
  minPaymentFen: number | null;
  refundable: boolean;
  payeeAccountId: string;
  description: string;
  archived: boolean;
};

export function toFeeItem(doc: FeeItemDoc): FeeItem {
  return {
    id: doc._id,
    nodeId: doc.nodeId,
    name: doc.name,
    category: doc.category,
    period: doc.period,
    prices: doc.prices.map((p) => ({ nodeId: p.nodeId, amountFen: p.amountFen })),
    dueDate: doc.dueDate,
    mandatory: doc.mandatory,
    allowPartial: doc.allowPartial,
    minPaymentFen: doc.minPaymentFen ?? null,
    refundable: doc.refundable,
    payeeAccountId: doc.payeeAccountId,
    description: doc.description ?? '',
    periodKey: doc.periodKey,
    periodLabel: periodLabel(doc.period),
    archived: Boolean(doc.archived),
  };
}

/** The price for a student: the row whose node is deepest on the student's path; null when none applies. */
export function resolvePrice(prices: { nodeId: string; amountFen: number }[], studentPath: string[]): number | null {
  let best: { depth: number; amountFen: number } | null = null;
  for (const row of prices) {
    const depth = studentPath.indexOf(row.nodeId);
    if (depth >= 0 && (!best || depth > best.depth)) best = { depth, amountFen: row.amountFen };
  }
  return best?.amountFen ?? null;
}

export function feeItemsService(deps: ServerDeps) {
  const items = FeeItemModel(deps.db);
  const payees = PayeeAccountModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);
  const cipher = personalDataCipher(deps);

  async function nodeInScope(scope: StaffScope, nodeId: string, kinds: string[], what: string) {
    const node = await nodes.findById(nodeId).lean();
    if (!node || !scope.contains(node.path)) throw new AppError('VALIDATION_FAILED', `${what}不存在或不在您的管理范围内`);
    if (!kinds.includes(node.kind)) throw new AppError('VALIDATION_FAILED', `${what}应选择${kinds.includes('campus') ? '学校或校区' : '学部、年级或班级'}`);
    return node;
  }

  async function listPayees(scope: StaffScope): Promise<PayeeAccount[]> {
    // Payee accounts defined above the user (at the school group) are usable below it too.
    const docs = await payees.find({ orgPath: { $in: [scope.nodeId, ...scope.principal.nodePath] } }).lean();
    return docs
      .filter((d) => d.orgPath.includes(scope.nodeId) || scope.principal.nodePath.includes(d.nodeId))
      .map((d) => ({ id: d._id, name: d.name, mchid: d.mchid, bankName: d.bankName, bankAccountMasked: d.bankAccountMasked, nodeId: d.nodeId }));
  }

  async function createPayee(scope: StaffScope, input: z.output<typeof createPayeeAccountSchema>): Promise<PayeeAccount> {
    const node = await nodeInScope(scope, input.nodeId, ['school_group', 'campus'], '所属学校');
    const doc = {
      _id: `payee_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      name: input.name,
      mchid: input.mchid,
      bankName: input.bankName,
      bankAccountEnc: cipher.encrypt(input.bankAccount),
      bankAccountMasked: `****${input.bankAccount.slice(-4)}`,
      nodeId: node._id,
      orgPath: node.path,
    };
    await payees.create(doc);
    await audit.append(scope.principal, { action: 'payee-account.create', objectType: 'payee_account', objectId: doc._id, orgPath: doc.orgPath, after: doc });
    return { id: doc._id, name: doc.name, mchid: doc.mchid, bankName: doc.bankName, bankAccountMasked: doc.bankAccountMasked, nodeId: doc.nodeId };
  }

  async function payeeUsableIn(scope: StaffScope, payeeId: string, nodePath: string[]) {
    const payee = await payees.findById(payeeId).lean();
    if (!payee || !nodePath.includes(payee.nodeId) || !(scope.contains(payee.orgPath) || scope.principal.nodePath.includes(payee.nodeId))) {
      throw new AppError('VALIDATION_FAILED', '收款账户不存在或不适用于该学校');
    }
    return payee;
  }

  async function checkPrices(scope: StaffScope, nodePath: string[], prices: { nodeId: string }[]) {
    for (const p of prices) {
      const node = await nodes.findById(p.nodeId).lean();
      if (!node || !node.path.includes(nodePath[nodePath.length - 1] ?? '') || !scope.contains(node.path)) {
        throw new AppError('VALIDATION_FAILED', '价格表中的学部/年级/班级不属于该收费项目的适用范围');
      }
    }
  }

  async function list(scope: StaffScope, { includeArchived = false } = {}): Promise<FeeItem[]> {
    // A school group's fee items apply to all its campuses: a campus bursar sees and issues them, but edits only their own.
    const docs = await items.find({ $or: [scope.filter(), { nodeId: { $in: scope.principal.nodePath } }] }).sort({ createdAt: -1 }).lean<FeeItemDoc[]>();
    return docs.filter((d) => includeArchived || !d.archived).map(toFeeItem);
  }

  /** A fee item the user may see and issue: one inside their scope, or one a node above them defines for everything below it. */
  async function getDoc(scope: StaffScope, id: string): Promise<FeeItemDoc> {
    const doc = await items.findById(id).lean<FeeItemDoc>();
    if (!doc || !(scope.contains(doc.orgPath) || scope.principal.nodePath.includes(doc.nodeId))) throw notFound('收费项目');
    return doc;
  }

  /** A fee item the user may change: only one inside their scope. */
  async function getOwnDoc(scope: StaffScope, id: string): Promise<FeeItemDoc> {
    const doc = await getDoc(scope, id);
    if (!scope.contains(doc.orgPath)) throw new AppError('FORBIDDEN', '该收费项目由上级单位设置，只能由其修改或停用');
    return doc;
  }

  async function create(scope: StaffScope, input: z.output<typeof createFeeItemSchema>): Promise<FeeItem> {
    const node = await nodeInScope(scope, input.nodeId, ['school_group', 'campus'], '适用学校');
    await payeeUsableIn(scope, input.payeeAccountId, node.path);
    await checkPrices(scope, node.path, input.prices);
    const { nodeId: _n, ...fields } = input;
    const doc: FeeItemDoc = {
      ...fields,
      _id: `fee_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      nodeId: node._id,
      orgPath: node.path,
      periodKey: periodKey(input.period),
      minPaymentFen: input.allowPartial ? input.minPaymentFen : null,
      archived: false,
    };
    await items.create(doc);
    await audit.append(scope.principal, { action: 'fee-item.create', objectType: 'fee_item', objectId: doc._id, orgPath: doc.orgPath, after: doc });
    return toFeeItem(doc);
  }

  /** Edits apply to bills issued from now on; bills already issued keep their own copy of every term. */
  async function update(scope: StaffScope, id: string, input: z.output<typeof updateFeeItemSchema>): Promise<FeeItem> {
    const before = await getOwnDoc(scope, id);
    if (input.payeeAccountId) await payeeUsableIn(scope, input.payeeAccountId, before.orgPath);
    if (input.prices) await checkPrices(scope, before.orgPath, input.prices);
    const next: FeeItemDoc = { ...before, ...input, periodKey: input.period ? periodKey(input.period) : before.periodKey };
    if (next.allowPartial && !(next.minPaymentFen && next.minPaymentFen > 0)) throw new AppError('VALIDATION_FAILED', '允许部分缴费时须设置最低缴费金额');
    if (!next.allowPartial) next.minPaymentFen = null;
    const { _id, ...set } = next;
    await items.updateOne({ _id: id }, { $set: set });
    await audit.append(scope.principal, { action: 'fee-item.update', objectType: 'fee_item', objectId: id, orgPath: before.orgPath, before, after: next });
    return toFeeItem(next);
  }

  async function archive(scope: StaffScope, id: string): Promise<void> {
    const before = await getOwnDoc(scope, id);
    await items.updateOne({ _id: id }, { $set: { archived: true } });
    await audit.append(scope.principal, { action: 'fee-item.archive', objectType: 'fee_item', objectId: id, orgPath: before.orgPath });
  }

  return { list, getDoc, create, update, archive, listPayees, createPayee };
}
