import test from 'ava';
import type { StaffRole } from '@campuspay/shared';
import { apiRoutes } from '../index.ts';
import { PERMISSIONS, isPermission, roleHas } from './permissions.ts';
import { DEMO_EAST_CLASS, OTHER, insertBillingSamples, startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { StaffUserModel } from './staff-user.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { nodeKeys } from '../org/org.service.ts';
import { studentId } from '../people/student.model.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { RosterImportReportModel } from '../people/roster-import-report.model.ts';
import { RefundModel } from '../refunds/refund.model.ts';
import { PaymentExceptionModel } from '../exceptions/payment-exception.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { ReminderRunModel } from '../reminders/reminder-run.model.ts';
import { LeadFamilyModel, leadId } from '../leads/lead.models.ts';
import { ConsentModel, consentId } from '../consent/consent.model.ts';
import { insertReconciliationSamples } from '../reconciliation/testing-samples.ts';

const ROLE_ACCOUNTS: Record<StaffRole, string> = {
  platform_admin: 'demo.platform',
  branch_manager: 'demo.branch',
  group_admin: 'demo.group',
  bursar: 'demo.bursar',
  auditor: 'demo.auditor',
};

interface Samples {
  inScope: string;
  outOfScope: string;
}

let server: SeededServer;
const clients = {} as Record<StaffRole, ApiClient>;
/** Objects per path parameter, by the resource the route names. A route with a new kind of object fails until it has samples here. */
const samples = new Map<string, Samples>();

test.before(async () => {
  server = await startSeededServer('matrix');
  for (const [role, username] of Object.entries(ROLE_ACCOUNTS)) clients[role as StaffRole] = await server.loginAs(username);
  const db = server.deps.db;
  // A leaf the DELETE route may archive without disturbing anything else.
  const leafPath = [...((await OrgNodeModel(db).findById(DEMO_EAST_CLASS).lean())?.path.slice(0, -1) ?? []), 'class_matrix_leaf'];
  const leaf = { _id: 'class_matrix_leaf', kind: 'class' as const, name: '矩阵测试班', parentId: leafPath[leafPath.length - 2], path: leafPath };
  await OrgNodeModel(db).create({ ...leaf, ...nodeKeys(leaf) });
  const eastStudent = studentId('campus_demo_east', 'E2026000');
  const eastGuardian = (await GuardianModel(db).findOne({ orgPath: 'campus_demo_east' }).lean())?._id ?? '';
  const eastBursar = String((await StaffUserModel(db).findOne({ username: 'demo.bursar' }).lean())?._id);
  const otherBursar = String((await StaffUserModel(db).findOne({ username: OTHER.username }).lean())?._id);
  const inJob = await server.deps.jobs.enqueue('matrix-probe', {}, { scopeNodeId: 'campus_demo_east' });
  const outJob = await server.deps.jobs.enqueue('matrix-probe', {}, { scopeNodeId: OTHER.campus });
  samples.set('/admin/org-nodes/:id', { inScope: 'class_matrix_leaf', outOfScope: OTHER.klass });
  samples.set('/admin/students/:id', { inScope: eastStudent, outOfScope: OTHER.student });
  samples.set('/admin/guardians/:id', { inScope: eastGuardian, outOfScope: server.guardianOfOther });
  samples.set('/admin/users/:id', { inScope: eastBursar, outOfScope: otherBursar });
  samples.set('/admin/jobs/:id', { inScope: inJob.id, outOfScope: outJob.id });
  const eastClassPath = (await OrgNodeModel(db).findById(DEMO_EAST_CLASS).lean())!.path;
  const otherClassPath = (await OrgNodeModel(db).findById(OTHER.klass).lean())!.path;
  const inside = await insertBillingSamples(server, eastClassPath, 'matrix_in');
  const outside = await insertBillingSamples(server, otherClassPath, 'matrix_out');
  samples.set('/admin/fee-items/:id', { inScope: inside.feeItem, outOfScope: outside.feeItem });
  samples.set('/admin/bill-batches/:id', { inScope: inside.batch, outOfScope: outside.batch });
  samples.set('/admin/bills/:id', { inScope: inside.bill, outOfScope: outside.bill });
  samples.set('/admin/offline-payments/:id', { inScope: inside.offline, outOfScope: outside.offline });
  samples.set('/admin/receipts/:id', { inScope: inside.receipt, outOfScope: outside.receipt });
  const sealed = personalDataCipher(server.deps).encrypt(Buffer.from('matrix').toString('base64'));
  for (const [id, orgPath] of [['rpt_matrix_in', eastClassPath.slice(0, -3)], ['rpt_matrix_out', otherClassPath.slice(0, -3)]] as const) {
    await RosterImportReportModel(db).create({ _id: id, orgPath, createdBy: 'matrix', filename: 'matrix.xlsx', badRows: 1, errorCount: 1, xlsxSealed: sealed, expiresAt: new Date(Date.now() + 3600_000) });
  }
  for (const [suffix, classPath] of [['in', eastClassPath], ['out', otherClassPath]] as const) {
    await RefundModel(db).create({ _id: `rfd_matrix_${suffix}`, outRefundNo: `RFMATRIX${suffix.toUpperCase()}`, billId: `bill_matrix_${suffix}`, channel: 'counter', amountFen: 1, reason: '样例', status: 'PENDING_APPROVAL', orgPath: classPath });
    await PaymentExceptionModel(db).create({ _id: `exc_matrix_${suffix}`, kind: 'pending_too_long', summary: '样例', orgPath: classPath });
  }
  samples.set('/admin/refunds/:id', { inScope: 'rfd_matrix_in', outOfScope: 'rfd_matrix_out' });
  samples.set('/admin/exceptions/:id', { inScope: 'exc_matrix_in', outOfScope: 'exc_matrix_out' });
  samples.set('/admin/students/import-reports/:reportId', { inScope: 'rpt_matrix_in', outOfScope: 'rpt_matrix_out' });
  const reminderRun = (id: string, orgPath: string[]) => ({ _id: id, orgPath, target: { overdueOnly: false }, status: 'done', jobId: `reminders.run:${id}`, createdBy: 'matrix', quietHours: 72 });
  await ReminderRunModel(db).insertMany([reminderRun('rem_matrix_in', eastClassPath.slice(0, -3)), reminderRun('rem_matrix_out', otherClassPath.slice(0, -3))]);
  samples.set('/admin/reminders/:id', { inScope: 'rem_matrix_in', outOfScope: 'rem_matrix_out' });
  const reconIn = await insertReconciliationSamples(db, eastClassPath.slice(0, -4), '1900000901');
  const reconOut = await insertReconciliationSamples(db, otherClassPath.slice(0, -4), '1900000902');
  samples.set('/admin/reconciliations/:id', { inScope: reconIn.reconciliation, outOfScope: reconOut.reconciliation });
  samples.set('/admin/reconciliation-lines/:id', { inScope: reconIn.line, outOfScope: reconOut.line });
  // Consented leads (a lead exists for the bank only while its consent is granted), one per bank.
  const leadSample = async (bankId: string, parentId: string, orgPath: string[]) => {
    const id = leadId(bankId, parentId);
    await LeadFamilyModel(db).create({ _id: id, bankId, parentId, orgPath, schools: [], tags: ['multi_child'], evidence: { multi_child: [] }, consented: true, computedAt: new Date(), rulesVersion: 1 });
    const phone = personalDataCipher(server.deps).encrypt('13900000000');
    await ConsentModel(db).create({ _id: consentId(bankId, parentId), bankId, parentId, status: 'granted', grantedVersion: 1, grantedAt: new Date(), phoneEnc: phone, phoneHash: 'matrix', phoneMasked: '139****0000', contactNameMasked: '矩*' });
    return id;
  };
  samples.set('/admin/insights/leads/:id', {
    inScope: await leadSample('bank_demo', 'matrix-parent-in', eastClassPath.slice(0, -2)),
    outOfScope: await leadSample(OTHER.bank, 'matrix-parent-out', otherClassPath.slice(0, -2)),
  });
});
test.after.always(() => server?.stop());

function samplesFor(path: string): Samples | undefined {
  const prefix = path.replace(/\/:[A-Za-z]+.*$/, '/:id');
  return samples.get(path) ?? samples.get(prefix);
}

test('every staff route declares a permission from the table', (t) => {
  const staffRoutes = apiRoutes(server.deps).filter((r) => r.auth === 'staff');
  t.true(staffRoutes.length > 10);
  for (const r of staffRoutes) t.true(Boolean(r.permission && isPermission(r.permission)), `${r.method} ${r.path} declares a known permission`);
});

test('every admin route × every role: allowed, denied (403) or not found outside scope (404) as the table says', async (t) => {
  const staffRoutes = apiRoutes(server.deps)
    .filter((r) => r.auth === 'staff')
    // Ending the session is checked last, so it does not end the test's own session midway.
    .sort((a, b) => Number(a.path.includes('logout')) - Number(b.path.includes('logout')));
  let checks = 0;
  for (const r of staffRoutes) {
    const hasParam = r.path.includes('/:');
    const objects = hasParam ? samplesFor(r.path) : undefined;
    if (hasParam && !objects) {
      t.fail(`no in/out-of-scope samples for ${r.path}: add them to the matrix test`);
      continue;
    }
    for (const role of Object.keys(ROLE_ACCOUNTS) as StaffRole[]) {
      const allowed = roleHas(role, r.permission as keyof typeof PERMISSIONS);
      const call = (id?: string) => {
        const path = `/api/v1${id ? r.path.replace(/:[A-Za-z]+/, id) : r.path}`;
        return clients[role].request(r.method.toUpperCase(), path, r.method === 'get' ? {} : { body: {} });
      };
      if (!allowed) {
        const res = await call(objects?.inScope);
        t.is(res.status, 403, `${role} ${r.method} ${r.path} must be forbidden`);
      } else if (objects) {
        // Another tenant's object is answered exactly like one that does not exist.
        const outside = await call(objects.outOfScope);
        const missing = await call('no-such-object-000000000000');
        const label = `${role} ${r.method} ${r.path} outside the scope`;
        t.deepEqual([outside.status, (outside.body as { code?: string }).code], [missing.status, (missing.body as { code?: string }).code], `${label} answers like a missing object`);
        t.true(outside.status === 404 || (r.method !== 'get' && outside.status === 400), `${label}: got ${outside.status}`);
        const inside = await call(objects.inScope);
        t.false([401, 403, 404].includes(inside.status), `${role} ${r.method} ${r.path} inside the scope: got ${inside.status} ${JSON.stringify(inside.body)}`);
      } else {
        const res = await call();
        t.false([401, 403].includes(res.status), `${role} ${r.method} ${r.path}: got ${res.status} ${JSON.stringify(res.body)}`);
      }
      checks += 1;
    }
  }
  t.log(`${checks} route × role checks`);
});

test('a parent token is not a staff token, and no token is nobody', async (t) => {
  const anonymous = await server.api.get<Record<string, string>>('/api/v1/admin/students');
  t.is(anonymous.status, 401);
  t.is(anonymous.body.code, 'UNAUTHENTICATED');
  const forged = await server.api.get<Record<string, string>>('/api/v1/admin/students', { authorization: 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
  t.is(forged.status, 401);
});
