import { DEMO_PASSWORD, seedDemo } from '../modules/demo/demo-seed.ts';
import { OrgNodeModel } from '../modules/org/org-node.model.ts';
import { nodeKeys } from '../modules/org/org.service.ts';
import { StaffUserModel } from '../modules/auth/staff-user.model.ts';
import { hashPassword } from '../modules/auth/auth.service.ts';
import { StudentModel, inviteCodeFor, studentId } from '../modules/people/student.model.ts';
import { GuardianModel } from '../modules/people/guardian.model.ts';
import { guardianDocument, personalDataCipher } from '../modules/people/people.service.ts';
import type { ConfigInput } from '../config.ts';
import { startTestServer, type ApiClient, type TestServer } from './index.ts';

/** Ids of the second bank's objects: outside every demo user's scope. */
export const OTHER = {
  bank: 'bank_other',
  campus: 'campus_other',
  klass: 'class_other',
  student: studentId('campus_other', 'X0001'),
  username: 'other.bursar',
};

export const DEMO_EAST_CLASS = 'campus_demo_east_div1_g1_c1';
export const DEMO_WEST_CLASS = 'campus_demo_west_div1_g1_c1';

export interface SeededServer extends TestServer {
  /** Signs in and returns an API client carrying the token. */
  loginAs(username: string, password?: string): Promise<ApiClient>;
  guardianOfOther: string;
}

/** A test server with the demo organisation and a second, unrelated bank. */
export async function startSeededServer(label: string, overrides: Partial<ConfigInput> = {}): Promise<SeededServer> {
  const server = await startTestServer(label, overrides);
  await seedDemo(server.deps);
  const nodes = [
    { _id: OTHER.bank, kind: 'bank', name: '另一家银行', parentId: null, path: [OTHER.bank] },
    { _id: 'branch_other', kind: 'branch', name: '另一家支行', parentId: OTHER.bank, path: [OTHER.bank, 'branch_other'] },
    { _id: 'group_other', kind: 'school_group', name: '另一所学校', parentId: 'branch_other', path: [OTHER.bank, 'branch_other', 'group_other'] },
    { _id: OTHER.campus, kind: 'campus', name: '另一校区', parentId: 'group_other', path: [OTHER.bank, 'branch_other', 'group_other', OTHER.campus], schoolCode: 'OTH001' },
    { _id: 'div_other', kind: 'division', name: '小学部', parentId: OTHER.campus, path: [OTHER.bank, 'branch_other', 'group_other', OTHER.campus, 'div_other'] },
    { _id: 'grade_other', kind: 'grade', name: '一年级', parentId: 'div_other', path: [OTHER.bank, 'branch_other', 'group_other', OTHER.campus, 'div_other', 'grade_other'], level: 1 },
    { _id: OTHER.klass, kind: 'class', name: '1班', parentId: 'grade_other', path: [OTHER.bank, 'branch_other', 'group_other', OTHER.campus, 'div_other', 'grade_other', OTHER.klass] },
  ];
  await OrgNodeModel(server.deps.db).insertMany(nodes.map((n) => ({ ...n, ...nodeKeys(n) })));
  const classPath = nodes[nodes.length - 1]!.path;
  const guardian = guardianDocument(personalDataCipher(server.deps), 'group_other', { name: '外校家长', relationship: 'father', phone: '13700000001' }, classPath);
  await GuardianModel(server.deps.db).create(guardian);
  await StudentModel(server.deps.db).create({
    _id: OTHER.student,
    studentNo: 'X0001',
    name: '外校学生',
    status: 'enrolled',
    classId: OTHER.klass,
    campusId: OTHER.campus,
    groupId: 'group_other',
    orgPath: classPath,
    inviteCode: inviteCodeFor(OTHER.student),
    guardians: [{ guardianId: guardian._id, relationship: 'father', primary: true }],
    guardianIds: [guardian._id],
  });
  await StaffUserModel(server.deps.db).create({
    username: OTHER.username,
    displayName: '外校出纳',
    passwordHash: await hashPassword(DEMO_PASSWORD),
    grants: [{ role: 'bursar', nodeId: OTHER.campus }],
    grantPaths: [OTHER.campus],
    mustChangePassword: false,
    passwordChangedAt: new Date(Date.now() - 60_000),
  });
  const loginAs = async (username: string, password = DEMO_PASSWORD) => {
    const res = await server.api.post<{ token: string }>('/api/v1/admin/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return server.api.withToken(res.body.token);
  };
  return { ...server, loginAs, guardianOfOther: guardian._id };
}

/** One of each billing object under a class, for tests that need ids in and out of a scope. */
export async function insertBillingSamples(server: TestServer, classPath: string[], suffix: string) {
  const { FeeItemModel, BillModel, BillBatchModel, PayeeAccountModel } = await import('../modules/billing/billing.models.ts');
  const { OfflinePaymentModel } = await import('../modules/counter/offline-payment.model.ts');
  const { ReceiptModel } = await import('../modules/receipts/receipt.model.ts');
  const db = server.deps.db;
  const campusPath = classPath.slice(0, -3);
  const campusId = campusPath[campusPath.length - 1]!;
  const groupId = campusPath[campusPath.length - 2]!;
  const ids = { payee: `payee_${suffix}`, feeItem: `fee_${suffix}`, batch: `batch_${suffix}`, bill: `bill_${suffix}`, offline: `off_${suffix}`, receipt: `R_${suffix}` };
  await PayeeAccountModel(db).create({ _id: ids.payee, name: '样例账户', mchid: '1900000109', bankName: '样例银行', bankAccountEnc: 'x', bankAccountMasked: '****0000', nodeId: campusId, orgPath: campusPath });
  const period = { kind: 'term', academicYear: '2026-2027', term: 1 };
  await FeeItemModel(db).create({ _id: ids.feeItem, nodeId: campusId, orgPath: campusPath, name: '样例', category: 'other', period, periodKey: '2026-2027-T1', prices: [{ nodeId: campusId, amountFen: 100 }], dueDate: '2026-09-10', mandatory: true, allowPartial: false, refundable: true, payeeAccountId: ids.payee });
  await BillBatchModel(db).create({ _id: ids.batch, feeItemId: ids.feeItem, feeItemName: '样例', orgPath: campusPath, target: { nodeIds: [], studentIds: [], excludeStudentIds: [] }, status: 'draft', preview: { bills: 0, totalFen: 0, concessionFen: 0, skippedExisting: 0, skippedNoPrice: 0 }, createdBy: 'fixture' });
  await BillModel(db).create({ _id: ids.bill, studentId: `stu_${suffix}`, studentNo: 'S1', studentName: '样例', orgPath: classPath, campusId, groupId, feeItemId: ids.feeItem, feeItemName: '样例', category: 'other', period: '2026-2027-T1', periodLabel: '样例', payeeAccountId: ids.payee, dueDate: '2026-09-10', mandatory: true, allowPartial: false, refundable: true, amountDueFen: 100, outstandingFen: 100, status: 'unpaid', published: true });
  await OfflinePaymentModel(db).create({ _id: ids.offline, billId: ids.bill, amountFen: 1, method: 'cash', cashierId: 'x', cashierName: 'x', receiptNo: ids.receipt, day: '2026-09-01', orgPath: classPath });
  await ReceiptModel(db).create({ _id: ids.receipt, source: 'counter', sourceId: ids.offline, schoolName: 'x', campusName: 'x', studentId: `stu_${suffix}`, studentName: '样例', studentNo: 'S1', lines: [{ billId: ids.bill, feeItemName: '样例', periodLabel: '样例', amountFen: 1 }], totalFen: 1, method: 'cash', paidAt: new Date(), verificationCode: 'X', orgPath: classPath });
  return ids;
}
