import { Schema } from 'mongoose';
import { idNumberCheckChar, type GuardianRelationship, type OrgNodeKind, type StaffRole } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { defineModel } from '../../platform/db/connection.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { nodeKeys } from '../org/org.service.ts';
import { StaffUserModel } from '../auth/staff-user.model.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { StudentModel, inviteCodeFor, studentId } from '../people/student.model.ts';
import { guardianDocument, personalDataCipher, sealIdNumber, type GuardianDoc } from '../people/people.service.ts';
import { ParentChildModel, ParentModel } from '../parents/parent.model.ts';
import { PayeeAccountModel, FeeItemModel } from '../billing/billing.models.ts';
import { billsService } from '../billing/bills.service.ts';
import { counterService } from '../counter/counter.service.ts';
import { StaffScope, type StaffPrincipal } from '../auth/principal.ts';

/** Remembers which one-off data loads have run, so `npm start` loads the demo once. */
const seedMarkerSchema = new Schema({ _id: String, at: Date, summary: Schema.Types.Mixed }, { versionKey: false });
const SeedMarkerModel = defineModel('SeedMarker', 'seed_markers', seedMarkerSchema);

export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_PARENT_OPENID = 'demo-parent-0001';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = ['子涵', '欣怡', '梓轩', '浩然', '一诺', '雨桐', '宇航', '思远', '佳怡', '俊熙', '若曦', '明轩', '诗涵', '博文', '可馨', '天佑', '语嫣', '皓轩', '梦瑶', '嘉懿'];
const PARENT_GIVEN_M = ['建国', '伟', '强', '军', '海涛', '志刚', '勇', '磊'];
const PARENT_GIVEN_F = ['丽', '芳', '静', '敏', '燕', '秀英', '娟', '霞'];

/** A deterministic pseudo-random sequence so the demo looks the same every time. */
function sequence(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function demoIdNumber(region: string, birth: string, serial: number): string {
  const first17 = `${region}${birth}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

interface NodeSpec {
  id: string;
  kind: OrgNodeKind;
  name: string;
  parent: string | null;
  schoolCode?: string;
  level?: number;
  international?: boolean;
}

/** The demo organisation, roster and accounts; with `billing`, also fee items, bills and counter payments (npm start, not tests). */
export async function seedDemo(
  deps: ServerDeps,
  log: (line: string) => void = () => undefined,
  { billing = false }: { billing?: boolean } = {},
): Promise<{ seeded: boolean; students: number }> {
  const markers = SeedMarkerModel(deps.db);
  if (await markers.findById('demo-v1').lean()) return { seeded: false, students: await StudentModel(deps.db).countDocuments() };
  const random = sequence(20260901);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const specs: NodeSpec[] = [
    { id: 'bank_demo', kind: 'bank', name: '示范商业银行', parent: null },
    { id: 'branch_demo_city', kind: 'branch', name: '示范银行滨江分行', parent: 'bank_demo' },
    { id: 'branch_demo_sub', kind: 'branch', name: '滨江分行城东支行', parent: 'branch_demo_city' },
    { id: 'group_demo', kind: 'school_group', name: '明德教育集团', parent: 'branch_demo_sub' },
  ];
  const campuses = [
    { id: 'campus_demo_east', name: '明德东校区', code: 'MDE001', divisions: [['小学部', 6, false], ['初中部', 3, false]] as const },
    { id: 'campus_demo_west', name: '明德西校区', code: 'MDW001', divisions: [['高中部', 3, false], ['国际部', 3, true]] as const },
  ];
  const classes: { id: string; campusId: string }[] = [];
  for (const campus of campuses) {
    specs.push({ id: campus.id, kind: 'campus', name: campus.name, parent: 'group_demo', schoolCode: campus.code });
    campus.divisions.forEach(([divisionName, grades, international], d) => {
      const divisionId = `${campus.id}_div${d + 1}`;
      specs.push({ id: divisionId, kind: 'division', name: divisionName, parent: campus.id, international });
      const gradeNames = divisionName === '小学部' ? ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'] : divisionName === '初中部' ? ['七年级', '八年级', '九年级'] : ['高一', '高二', '高三'];
      for (let g = 1; g <= grades; g++) {
        const gradeId = `${divisionId}_g${g}`;
        specs.push({ id: gradeId, kind: 'grade', name: gradeNames[g - 1] ?? `${g}年级`, parent: divisionId, level: g });
        for (let c = 1; c <= 2; c++) {
          const classId = `${gradeId}_c${c}`;
          specs.push({ id: classId, kind: 'class', name: `${c}班`, parent: gradeId });
          classes.push({ id: classId, campusId: campus.id });
        }
      }
    });
  }
  const paths = new Map<string, string[]>();
  const nodeDocs = specs.map((s, i) => {
    const path = [...(s.parent ? (paths.get(s.parent) ?? []) : []), s.id];
    paths.set(s.id, path);
    const doc = {
      _id: s.id,
      kind: s.kind,
      name: s.name,
      parentId: s.parent,
      path,
      schoolCode: s.schoolCode ?? null,
      level: s.level ?? null,
      international: Boolean(s.international),
      sortOrder: i,
    };
    return { ...doc, ...nodeKeys(doc) };
  });
  await OrgNodeModel(deps.db).insertMany(nodeDocs);
  log(`  organisation: ${nodeDocs.length} nodes (2 campuses, ${classes.length} classes)`);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts: { username: string; displayName: string; role: StaffRole; nodeId: string }[] = [
    { username: 'demo.platform', displayName: '平台运营 周敏', role: 'platform_admin', nodeId: 'bank_demo' },
    { username: 'demo.branch', displayName: '客户经理 林涛', role: 'branch_manager', nodeId: 'branch_demo_sub' },
    { username: 'demo.group', displayName: '集团财务总监 陈静', role: 'group_admin', nodeId: 'group_demo' },
    { username: 'demo.bursar', displayName: '东校区出纳 王芳', role: 'bursar', nodeId: 'campus_demo_east' },
    { username: 'demo.bursar.west', displayName: '西校区出纳 赵磊', role: 'bursar', nodeId: 'campus_demo_west' },
    { username: 'demo.auditor', displayName: '审计 刘洋', role: 'auditor', nodeId: 'group_demo' },
  ];
  await StaffUserModel(deps.db).insertMany(
    accounts.map((a) => ({
      username: a.username,
      displayName: a.displayName,
      passwordHash,
      grants: [{ role: a.role, nodeId: a.nodeId }],
      grantPaths: [a.nodeId],
      mustChangePassword: false,
      passwordChangedAt: new Date(Date.now() - 60_000),
    })),
  );

  const cipher = personalDataCipher(deps);
  const studentDocs = [];
  const guardians = new Map<string, GuardianDoc>();
  const perClass = Math.ceil(1000 / classes.length);
  let serial = 0;
  for (const klass of classes) {
    const path = paths.get(klass.id) ?? [];
    for (let i = 0; i < perClass && serial < 1000; i++, serial++) {
      const surname = pick([...SURNAMES]);
      const no = `${klass.campusId === 'campus_demo_east' ? 'E' : 'W'}${String(2026000 + serial)}`;
      const id = studentId(klass.campusId, no);
      const father = guardianDocument(
        cipher,
        'group_demo',
        { name: surname + pick(PARENT_GIVEN_M), relationship: 'father', phone: `139${String(10000000 + serial * 2).slice(-8)}`, idNumber: demoIdNumber('330106', '19820315', serial) },
        path,
      );
      const mother = guardianDocument(
        cipher,
        'group_demo',
        { name: pick([...SURNAMES]) + pick(PARENT_GIVEN_F), relationship: 'mother', phone: `138${String(10000001 + serial * 2).slice(-8)}` },
        path,
      );
      guardians.set(father._id, father);
      guardians.set(mother._id, mother);
      const links: { guardianId: string; relationship: GuardianRelationship; primary: boolean }[] = [
        { guardianId: father._id, relationship: 'father', primary: false },
        { guardianId: mother._id, relationship: 'mother', primary: true },
      ];
      studentDocs.push({
        _id: id,
        studentNo: no,
        name: surname + pick(GIVEN),
        gender: random() < 0.5 ? 'male' : 'female',
        ...sealIdNumber(cipher, demoIdNumber('330106', `2014${String(1 + (serial % 12)).padStart(2, '0')}15`, serial)),
        status: 'enrolled',
        classId: klass.id,
        campusId: klass.campusId,
        groupId: 'group_demo',
        orgPath: path,
        inviteCode: inviteCodeFor(id),
        guardians: links,
        guardianIds: links.map((l) => l.guardianId),
      });
    }
  }
  await GuardianModel(deps.db).insertMany([...guardians.values()]);
  await StudentModel(deps.db).insertMany(studentDocs);
  log(`  roster: ${studentDocs.length} students, ${guardians.size} guardians`);

  const parent = await ParentModel(deps.db).create({ openid: DEMO_PARENT_OPENID, appid: deps.config.wechatAppId ?? null });
  const child = studentDocs[0];
  if (child) {
    await ParentChildModel(deps.db).create({ _id: `${parent._id}:${child._id}`, parentId: String(parent._id), studentId: child._id, via: 'student-no' });
  }
  const billed = billing ? await seedBilling(deps, log) : { bills: 0 };
  await markers.create({ _id: 'demo-v1', at: new Date(), summary: { students: studentDocs.length, ...billed } });
  return { seeded: true, students: studentDocs.length };
}

/**
 * Payee accounts (the school's basic account and the canteen's, on the
 * configured WeChat Pay merchant), a term's tuition and a month's meals issued
 * to every student through the real issuance path, and a few counter
 * payments, so every screen has something to show.
 */
async function seedBilling(deps: ServerDeps, log: (line: string) => void): Promise<{ bills: number }> {
  const mchid = deps.wechatPay?.merchants.all()[0]?.mchid ?? deps.config.wechatPayMchid ?? '1900000109';
  const cipher = personalDataCipher(deps);
  const groupPath = ['bank_demo', 'branch_demo_city', 'branch_demo_sub', 'group_demo'];
  const payees = [
    { _id: 'payee_demo_school', name: '明德教育集团 基本户', bankAccount: '6222021001000000001' },
    { _id: 'payee_demo_canteen', name: '明德食堂 收款户', bankAccount: '6222021001000000002' },
  ];
  await PayeeAccountModel(deps.db).insertMany(
    payees.map((p) => ({ _id: p._id, name: p.name, mchid, bankName: '示范商业银行城东支行', bankAccountEnc: cipher.encrypt(p.bankAccount), bankAccountMasked: `****${p.bankAccount.slice(-4)}`, nodeId: 'group_demo', orgPath: groupPath })),
  );
  const term = { kind: 'term' as const, academicYear: '2026-2027', term: 1 as const };
  const items = [
    { _id: 'fee_demo_tuition', name: '学费', category: 'tuition', period: term, periodKey: '2026-2027-T1', prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 1_800_000 }, { nodeId: 'campus_demo_east_div2', amountFen: 2_200_000 }, { nodeId: 'campus_demo_west_div1', amountFen: 2_600_000 }, { nodeId: 'campus_demo_west_div2', amountFen: 9_000_000 }], mandatory: true, allowPartial: true, minPaymentFen: 500_000, refundable: true, payeeAccountId: 'payee_demo_school' },
    { _id: 'fee_demo_meals', name: '午餐费', category: 'meals', period: { kind: 'month' as const, month: '2026-09' }, periodKey: '2026-09', prices: [{ nodeId: 'group_demo', amountFen: 45_000 }], mandatory: false, allowPartial: false, minPaymentFen: null, refundable: true, payeeAccountId: 'payee_demo_canteen' },
    { _id: 'fee_demo_insurance', name: '学生平安保险', category: 'insurance', period: term, periodKey: '2026-2027-T1', prices: [{ nodeId: 'group_demo', amountFen: 10_000 }], mandatory: false, allowPartial: false, minPaymentFen: null, refundable: false, payeeAccountId: 'payee_demo_school' },
  ];
  await FeeItemModel(deps.db).insertMany(items.map((i) => ({ ...i, nodeId: 'group_demo', orgPath: groupPath, dueDate: '2026-09-10', description: '' })));
  const seeder: StaffPrincipal = {
    kind: 'staff', userId: 'demo-seed', username: 'demo-seed', displayName: '演示数据', role: 'group_admin',
    nodeId: 'group_demo', nodePath: groupPath, grantIndex: 0, sessionId: 'demo-seed', requestId: 'demo-seed', ip: null,
  };
  const scope = new StaffScope(seeder);
  const bills = billsService(deps);
  let issued = 0;
  for (const item of items) {
    const batch = await bills.createBatch(scope, { feeItemId: item._id, target: { nodeIds: ['campus_demo_east', 'campus_demo_west'], studentIds: [], excludeStudentIds: [] }, concessionRuleIds: [], note: '演示数据' });
    issued += (await bills.runPublish({ batchId: batch.id, principal: seeder }, async () => undefined)).bills;
  }
  const counter = counterService(deps);
  const firstBills = await bills.list(scope, { page: 1, pageSize: 12, feeItemId: 'fee_demo_tuition', status: 'unpaid' });
  for (const [i, bill] of firstBills.items.entries()) {
    if (bill.studentNo === 'E2026000') continue;
    await counter.take(scope, { billId: bill.id, amountFen: bill.outstandingFen, method: i % 3 === 0 ? 'cash' : i % 3 === 1 ? 'pos' : 'transfer', reference: i % 3 === 0 ? undefined : `DEMO${i}` });
  }
  log(`  billing: ${issued} bills (tuition, meals, insurance), ${firstBills.items.length - 1} counter payments`);
  return { bills: issued };
}
