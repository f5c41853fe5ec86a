/**
 * Billing data the browser tests arrange before a person takes over, through
 * the server's own services (the same code the admin API calls), acting as
 * the demo group admin 陈静 (demo.group). The harness seeds the demo
 * organisation, roster and accounts but no payee accounts, fee items or
 * bills (seedDemo's `billing` option is for `npm start`).
 *
 * Only what a bursar cannot do in the admin app belongs here: payee accounts
 * need a group admin (billing.approve); tests that are about the parent side
 * also arrange fee items and bills here rather than replaying the admin flow
 * billing.test.ts already drives.
 */
import type { FeeCategory } from '@campuspay/shared';
import type { TestServer } from '@campuspay/server/testing';
import { StaffScope, type StaffPrincipal } from '../../../server/src/modules/auth/principal.ts';
import { billsService } from '../../../server/src/modules/billing/bills.service.ts';
import { feeItemsService } from '../../../server/src/modules/billing/fee-items.service.ts';
import { StaffUserModel } from '../../../server/src/modules/auth/staff-user.model.ts';
import { OrgNodeModel } from '../../../server/src/modules/org/org-node.model.ts';

type Deps = TestServer['deps'];

/** The demo group admin as the services see a signed-in user (the audit log names her). */
export async function groupAdminScope(deps: Deps): Promise<StaffScope> {
  const user = await StaffUserModel(deps.db).findOne({ username: 'demo.group' }).lean();
  if (!user) throw new Error('the demo seed has no demo.group');
  const group = await OrgNodeModel(deps.db).findById('group_demo').lean();
  if (!group) throw new Error('the demo seed has no group_demo');
  const principal: StaffPrincipal = {
    kind: 'staff',
    userId: String(user._id),
    username: user.username,
    displayName: user.displayName,
    role: 'group_admin',
    nodeId: 'group_demo',
    nodePath: group.path,
    grantIndex: 0,
    sessionId: 'e2e-arrange',
    requestId: 'e2e-arrange',
    ip: null,
  };
  return new StaffScope(principal);
}

/**
 * A payee account of the demo school group on the sandbox's merchant (so
 * online payments to it go through the WeChat Pay sandbox). Returns its id.
 */
export async function arrangePayeeAccount(deps: Deps, name: string, bankAccount: string): Promise<string> {
  const mchid = deps.wechatPay?.merchants.all()[0]?.mchid;
  if (!mchid) throw new Error('the test server has no WeChat Pay merchant');
  const payee = await feeItemsService(deps).createPayee(await groupAdminScope(deps), {
    name,
    mchid,
    bankName: '示范商业银行城东支行',
    bankAccount,
    nodeId: 'group_demo',
  });
  return payee.id;
}

export interface ArrangedFeeItem {
  name: string;
  category: FeeCategory;
  amountFen: number;
  payeeAccountId: string;
}

/**
 * A fee item of the east campus at one price for everyone (2026-2027 first
 * term, due at the end of the year), issued to the listed students through
 * the real issuance path (a bill batch, published). Returns the fee item's
 * id and the bills' ids by student number.
 */
export async function arrangeIssuedFeeItem(deps: Deps, item: ArrangedFeeItem, studentNos: string[]): Promise<{ feeItemId: string; billIds: Map<string, string> }> {
  const scope = await groupAdminScope(deps);
  const feeItem = await feeItemsService(deps).create(scope, {
    nodeId: 'campus_demo_east',
    name: item.name,
    category: item.category,
    period: { kind: 'term', academicYear: '2026-2027', term: 1 },
    prices: [{ nodeId: 'campus_demo_east_div1', amountFen: item.amountFen }],
    dueDate: '2026-12-31',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    refundable: true,
    payeeAccountId: item.payeeAccountId,
    description: '',
  });
  const students = await deps.db
    .collection<{ _id: string; studentNo: string }>('students')
    .find({ campusId: 'campus_demo_east', studentNo: { $in: studentNos } })
    .toArray();
  if (students.length !== studentNos.length) throw new Error(`the demo roster lacks some of ${studentNos.join(', ')}`);
  const bills = billsService(deps);
  const batch = await bills.createBatch(scope, {
    feeItemId: feeItem.id,
    target: { nodeIds: [], studentIds: students.map((s) => s._id), excludeStudentIds: [] },
    concessionRuleIds: [],
    note: 'e2e',
  });
  await bills.runPublish({ batchId: batch.id, principal: scope.principal }, async () => undefined);
  const issued = await deps.db
    .collection<{ _id: string; studentNo: string }>('bills')
    .find({ feeItemId: feeItem.id })
    .toArray();
  if (issued.length !== studentNos.length) throw new Error(`issued ${issued.length} bills of ${item.name}, expected ${studentNos.length}`);
  return { feeItemId: feeItem.id, billIds: new Map(issued.map((b) => [b.studentNo, String(b._id)])) };
}
