import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '@campuspay/wechat-sandbox';
import { formatYuan, type Bill, type ReminderRun } from '@campuspay/shared';
import { startSeededServer, type SeededServer } from '../../testing/fixtures.ts';
import type { ApiClient } from '../../testing/index.ts';
import { checkBillLedgerInvariants } from '../ledger/invariants.ts';
import { createFeeItem, createPayee, issue, waitJob } from '../reports/report-test-support.ts';
import { fitName, fitThing, reminderMessageData } from './reminder-template.ts';

const TEMPLATE = 'campuspay-reminder';
const CLASS = 'campus_demo_east_div1_g3_c1';

let server: SeededServer;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dataDir: string;
let bursar: ApiClient;
let payee: string;
const family = {} as Record<'subscribed' | 'unsubscribed', { openid: string; studentId: string; studentNo: string }>;

type SandboxMessage = { touser: string; templateId: string; data: Record<string, { value: string }>; page?: string };

async function sandboxPost(pathname: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

async function sandboxMessages(): Promise<SandboxMessage[]> {
  const state = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()) as { messages: SandboxMessage[] };
  return state.messages;
}

async function parentBinding(openid: string, student: { studentNo: string; name: string }): Promise<void> {
  const { code } = (await sandboxPost('/sandbox/login-code', { openid })) as { code: string };
  const login = await server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
  if (login.status !== 200) throw new Error(JSON.stringify(login.body));
  const bound = await server.api.withToken(login.body.token).post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: student.studentNo, studentName: student.name });
  if (bound.status !== 201) throw new Error(JSON.stringify(bound.body));
}

async function remind(body: Record<string, unknown>): Promise<ReminderRun> {
  const res = await bursar.post<ReminderRun>('/api/v1/admin/reminders', body);
  if (res.status !== 202) throw new Error(JSON.stringify(res.body));
  return res.body;
}

async function finished(run: ReminderRun): Promise<ReminderRun> {
  const job = await waitJob(bursar, run.jobId);
  if (job.status !== 'succeeded') throw new Error(`reminder job ${job.status}: ${job.lastError}`);
  return (await bursar.get<ReminderRun>(`/api/v1/admin/reminders/${run.id}`)).body;
}

test.before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'campuspay-reminders-'));
  sandbox = await startSandbox({ port: 0, dataDir, quiet: true });
  server = await startSeededServer('reminders', { wechatAppId: sandbox.miniProgram.appid, wechatAppSecret: sandbox.miniProgram.secret, wechatApiBaseUrl: sandbox.url });
  bursar = await server.loginAs('demo.bursar');
  payee = await createPayee(await server.loginAs('demo.group'));
  const tuition = await createFeeItem(bursar, payee, { name: '学费', nodeId: 'campus_demo_east', dueDate: '2026-09-10', prices: [{ nodeId: 'campus_demo_east_div1_g3', amountFen: 500_000 }] });
  const books = await createFeeItem(bursar, payee, { name: '教材费', category: 'textbooks', nodeId: 'campus_demo_east', dueDate: '2026-09-05', prices: [{ nodeId: 'campus_demo_east_div1_g3', amountFen: 45_050 }] });
  await issue(bursar, tuition.id, [CLASS]);
  await issue(bursar, books.id, [CLASS]);
  const pupils = (await server.deps.db.collection('students').find({ classId: CLASS }).sort({ studentNo: 1 }).limit(2).toArray()) as unknown as { _id: string; studentNo: string; name: string }[];
  family.subscribed = { openid: 'parent-subscribed', studentId: pupils[0]!._id, studentNo: pupils[0]!.studentNo };
  family.unsubscribed = { openid: 'parent-unsubscribed', studentId: pupils[1]!._id, studentNo: pupils[1]!.studentNo };
  await parentBinding(family.subscribed.openid, pupils[0]!);
  await parentBinding(family.unsubscribed.openid, pupils[1]!);
  // The subscribed parent tapped "allow" in the mini-program (a few times: each message spends one).
  await sandboxPost('/sandbox/subscriptions', { openid: family.subscribed.openid, template_id: TEMPLATE, count: 5 });
});
test.after.always(async () => {
  await server?.stop();
  await sandbox?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});
test.afterEach.always(async (t) => {
  const report = await checkBillLedgerInvariants(server.deps.db);
  t.deepEqual(report.problems, [], 'bills = ledger');
});

test('template fields stay within WeChat’s limits', (t) => {
  t.is(fitThing('一二三四五六七八九十一二三四五六七八九十一'), '一二三四五六七八九十一二三四五六七八九…');
  t.is([...fitThing('a'.repeat(40))].length, 20);
  t.is(fitName('欧阳一二三四五六七八九'), '欧阳一二三四五六七八');
  const data = reminderMessageData('王小明', [
    { feeItemName: '学费', outstandingFen: 500_000, dueDate: '2026-09-10' },
    { feeItemName: '教材费', outstandingFen: 45_050, dueDate: '2026-09-05' },
  ], '2026-09-01');
  t.deepEqual(data, {
    thing1: { value: '教材费等2项' },
    name2: { value: '王小明' },
    amount3: { value: '5450.50元' },
    date4: { value: '2026-09-05' },
    thing5: { value: '请在截止日期前完成缴费' },
  });
  t.regex(reminderMessageData('王小明', [{ feeItemName: '学费', outstandingFen: 1, dueDate: '2026-09-10' }], '2026-09-11').thing5!.value, /已过缴费截止日期/);
});

test.serial('reminders: the subscribed parent gets one message, the unsubscribed one is recorded refused (43101), a second run within the quiet period sends nothing, WeChat failures keep their errcode', async (t) => {
  const first = await finished(await remind({ target: { nodeId: CLASS } }));
  const students = await server.deps.db.collection('students').countDocuments({ classId: CLASS });
  t.like(first, { status: 'done', quietHours: 72 });
  t.deepEqual(first.counts, { bills: students * 2, unboundBills: (students - 2) * 2, quiet: 0, messages: 2, sent: 1, refused: 1, failed: 0, unknown: 0 });

  const messages = await sandboxMessages();
  t.is(messages.length, 1);
  const bills = (await bursar.get<{ items: Bill[] }>(`/api/v1/admin/bills?studentId=${family.subscribed.studentId}`)).body.items;
  t.like(messages[0], { touser: family.subscribed.openid, templateId: TEMPLATE, page: `pages/bills/index?studentId=${family.subscribed.studentId}` });
  t.deepEqual(messages[0]!.data, {
    thing1: { value: '教材费等2项' },
    name2: { value: bills[0]!.studentName },
    amount3: { value: `${formatYuan(bills.reduce((n, b) => n + b.outstandingFen, 0))}元` },
    date4: { value: '2026-09-05' },
    thing5: { value: '已过缴费截止日期，请尽快缴费' },
  });
  const outcomes = await server.deps.db.collection('reminder_messages').find({ runId: first.id }).toArray();
  t.deepEqual(outcomes.map((o) => [o.openid, o.outcome, o.errcode, o.billIds.length]).sort(), [
    [family.subscribed.openid, 'sent', null, 2],
    [family.unsubscribed.openid, 'refused', 43101, 2],
  ]);

  const second = await finished(await remind({ target: { nodeId: CLASS } }));
  t.like(second.counts, { sent: 0, quiet: 2, refused: 1, messages: 1 }, 'the reminded parent is quiet; the refusing one is asked again');
  t.is((await sandboxMessages()).length, 1, 'nothing new reached WeChat users');

  // WeChat answering "system busy" is recorded as a failure with its errcode.
  await sandboxPost('/sandbox/faults', { type: 'api-error', api: 'subscribe-send', errcode: -1, errmsg: 'system error' });
  const third = await finished(await remind({ target: { feeItemId: bills[0]!.feeItemId } }));
  t.like(third.counts, { sent: 0, refused: 0, failed: 1, quiet: 1 });
  t.deepEqual(third.failuresByErrcode, { '-1': 1 });

  const west = await server.loginAs('demo.bursar.west');
  t.is((await west.get(`/api/v1/admin/reminders/${first.id}`)).status, 404, 'another campus’s run does not exist for them');
  t.is((await west.post('/api/v1/admin/reminders', { target: { nodeId: CLASS } })).status, 404);
  t.is((await bursar.post('/api/v1/admin/reminders', { target: { feeItemId: 'fee_nope' } })).status, 404);
  t.is((await bursar.post('/api/v1/admin/reminders', { scheduleAt: '2020-01-01T08:00:00+08:00' })).status, 400);
  const list = await bursar.get<ReminderRun[]>('/api/v1/admin/reminders');
  t.deepEqual(list.body.slice(0, 3).map((r) => r.id), [third.id, second.id, first.id]);
  const auditor = await server.loginAs('demo.auditor');
  const logs = await auditor.get<{ items: { action: string; objectId: string }[] }>(`/api/v1/admin/audit-logs?objectId=${first.id}`);
  t.deepEqual(logs.body.items.map((e) => e.action).sort(), ['reminder.create', 'reminder.run']);
});

test.serial('a scheduled reminder waits for its time, then reminds of the bills unpaid at that moment', async (t) => {
  const uniform = await createFeeItem(bursar, payee, { name: '校服费', category: 'other', nodeId: 'campus_demo_east', dueDate: '2099-09-01', prices: [{ nodeId: 'campus_demo_east_div1_g3', amountFen: 12_000 }] });
  await issue(bursar, uniform.id, [CLASS]);
  const before = (await sandboxMessages()).length;
  const at = new Date(Date.now() + 2500);
  const scheduled = await remind({ target: { feeItemId: uniform.id }, scheduleAt: at.toISOString() });
  t.is(scheduled.status, 'scheduled');
  t.is(scheduled.scheduleAt, at.toISOString());
  await new Promise((r) => setTimeout(r, 1000));
  t.is((await bursar.get<ReminderRun>(`/api/v1/admin/reminders/${scheduled.id}`)).body.status, 'scheduled', 'not before its time');
  t.is((await sandboxMessages()).length, before);
  const done = await finished(scheduled);
  t.true(new Date(done.startedAt!).getTime() >= at.getTime(), 'ran at its time');
  t.like(done.counts, { sent: 1, refused: 1, quiet: 0 });
  const latest = (await sandboxMessages()).slice(before);
  t.is(latest.length, 1);
  t.like(latest[0]!.data, { thing1: { value: '校服费' }, amount3: { value: '120.00元' }, date4: { value: '2099-09-01' }, thing5: { value: '请在截止日期前完成缴费' } });
});
