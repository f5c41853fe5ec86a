/**
 * Issue 7, reconciliation, as a bursar does it. A day of sandbox activity
 * for the canteen's payee account: two parents pay 午餐费 through WeChat
 * Pay, and the platform's books hold one of them at 449.00 where WeChat took
 * 450.00 (injected in the ledger, as reconciliation.test.ts does).
 * Arranged through the server: the payee account and the bills
 * (./support/billing-setup.ts), and the parents' payments (the sandbox's
 * wx.login and payment sheet, driven by its control API). The
 * bursar runs 对账 for that day and follows the job, finds the one
 * difference in the run and in 异常队列, resolves it with a note (a missing
 * note is refused), and exports the report, which lists the difference as
 * resolved with the note.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { businessDay } from '@campuspay/shared';
import { SandboxControl } from '@campuspay/wechat-sandbox';
import { clickInDialog, pickOption } from './support/antd.ts';
import { arrangeIssuedFeeItem, arrangePayeeAccount } from './support/billing-setup.ts';
import { browserTest } from './support/browser-test.ts';
import { adminLogin, eventually, openMenu, pageTitle, see, seeText, type Page } from './support/platform.ts';
import type { Platform } from './support/platform.ts';

const test = browserTest('reconciliation');

const CANTEEN = '明德食堂 收款户';
const PAYERS = ['E2026005', 'E2026006'] as const;
const MEALS_FEN = 45_000;
const BOOKED_FEN = 44_900;
const NOTE = '已与微信商户平台核实：实收 450.00 元，平台记为 449.00 元系录入错误';

interface OrderAnswer {
  orderId: string;
  outTradeNo: string;
  totalFen: number;
  payParams: { package: string } | null;
}

/** A parent signs in through the sandbox's wx.login, binds the child and pays the bill in WeChat's payment sheet. */
async function payBill(platform: Platform, control: SandboxControl, openid: string, studentNo: string, billId: string): Promise<OrderAnswer> {
  const db = platform.server.deps.db;
  const student = await db.collection<{ _id: string; studentNo: string; name: string }>('students').findOne({ studentNo });
  if (!student) throw new Error(`no student ${studentNo}`);
  const { code } = await control.loginCode(openid);
  const login = await platform.server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
  const parent = platform.server.api.withToken(login.body.token);
  const bound = await parent.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo, studentName: student.name });
  if (bound.status !== 201) throw new Error(`binding ${studentNo}: ${bound.status} ${JSON.stringify(bound.body)}`);
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds: [billId] }, { 'Idempotency-Key': randomUUID() });
  if (order.status !== 201 || !order.body.payParams) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
  await control.pay(order.body.payParams.package.replace('prepay_id=', ''));
  await eventually(async () => {
    const doc = await db.collection<{ _id: string; billsApplied?: boolean }>('orders').findOne({ _id: order.body.orderId });
    if (doc?.billsApplied !== true) throw new Error(`order ${order.body.orderId} not applied yet`);
  });
  return order.body;
}

/** Types a day into an antd DatePicker (its wrapper carries the test id) and confirms it with Enter. */
async function typeDay(page: Page, testId: string, day: string): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

/** The rows of a report sheet below its header row (the one starting with 日期), as plain values. */
function sheetRows(workbook: ExcelJS.Workbook, name: string): unknown[][] {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`the report has no ${name} sheet`);
  const rows: unknown[][] = [];
  let header = 0;
  sheet.eachRow((row, number) => {
    const values = (row.values as unknown[]).slice(1);
    if (header === 0 && values[0] === '日期') header = number;
    else if (header > 0) rows.push(values.map((v) => v ?? ''));
  });
  if (header === 0) throw new Error(`${name} has no header row`);
  return rows;
}

test('a bursar reconciles a day with one difference, resolves it with a note and exports the report', async (t) => {
  const { page, platform } = t.context;
  const db = platform.server.deps.db;
  const today = businessDay();
  const control = new SandboxControl(platform.sandbox.url);
  const mchid = platform.sandbox.merchants[0]!.mchid;

  // Arrange: today's WeChat Pay activity on the canteen's account, then one amount altered in the books.
  const payeeAccountId = await arrangePayeeAccount(platform.server.deps, CANTEEN, '6222021001000000002');
  const { billIds } = await arrangeIssuedFeeItem(platform.server.deps, { name: '午餐费', category: 'meals', amountFen: MEALS_FEN, payeeAccountId }, [...PAYERS]);
  const [matchedNo, alteredNo] = PAYERS;
  const matched = await payBill(platform, control, 'e2e-recon-parent-1', matchedNo, billIds.get(matchedNo)!);
  const altered = await payBill(platform, control, 'e2e-recon-parent-2', alteredNo, billIds.get(alteredNo)!);
  t.is(matched.totalFen, MEALS_FEN);
  const ledger = db.collection<{ orderId: string; amountFen: number; method: string; payeeAccountId: string }>('ledger_entries');
  const changed = await ledger.updateOne({ orderId: altered.orderId, method: 'wechat' }, { $set: { amountFen: BOOKED_FEN } });
  t.is(changed.modifiedCount, 1);
  const alteredTx = (await db.collection<{ _id: string; transactionId: string }>('orders').findOne({ _id: altered.orderId }))?.transactionId;
  t.truthy(alteredTx);

  await adminLogin(page, platform, 'demo.bursar');
  await openMenu(page, '(^|\\s)报表$', '对账管理');

  // 1. Run the day for the canteen's merchant and follow the job to its end.
  await pickOption(page, page.getByTestId('reconciliation-payee'), CANTEEN);
  await typeDay(page, 'reconciliation-day', today);
  t.is(await page.getByTestId('reconciliation-day').locator('input').inputValue(), today);
  await page.getByTestId('reconciliation-run').click();
  const progress = page.locator('[data-testid="reconciliation-progress"][data-done="true"]');
  await see(progress, 60_000);
  t.is(await progress.getAttribute('data-status'), 'differences');
  await see(progress.getByText('1 笔差异待处理'));

  // The run in the list: two payments on each side, WeChat's 900.00 against the books' 899.00.
  const row = page.locator(`[data-testid="reconciliation-row"][data-day="${today}"][data-mchid="${mchid}"]`);
  await see(row.filter({ has: page.locator('[data-status="differences"]') }));
  t.is(await row.getAttribute('data-open'), '1');
  const wechat = row.getByTestId('reconciliation-wechat');
  const books = row.getByTestId('reconciliation-platform');
  t.is(await wechat.getAttribute('data-count'), '2');
  t.is(await wechat.getAttribute('data-value'), String(2 * MEALS_FEN));
  t.is(await books.getAttribute('data-count'), '2');
  t.is(await books.getAttribute('data-value'), String(MEALS_FEN + BOOKED_FEN));
  await see(wechat.getByText('2 笔 · ¥900.00'));
  await see(books.getByText('2 笔 · ¥899.00'));
  t.is(await row.getByTestId('reconciliation-difference').getAttribute('data-value'), '100');

  // 2. The same difference waits in 异常队列.
  await openMenu(page, '收费管理', '异常队列');
  const queued = page.locator('[data-testid="exception-row"][data-kind="reconciliation_difference"]');
  await see(queued);
  t.is(await queued.count(), 1);
  await see(queued.getByText(/微信 ¥450\.00，平台 ¥449\.00/));

  // 3. Back to the run: its one difference, resolved with a note.
  await page.goBack();
  await see(pageTitle(page, '对账管理'));
  await row.getByTestId('reconciliation-view').click();
  const drawer = page.getByTestId('reconciliation-drawer');
  await see(drawer);
  const line = drawer.getByTestId('reconciliation-line');
  await see(line);
  t.is(await line.count(), 1);
  t.is(await line.getAttribute('data-outcome'), 'amount_differs');
  t.is(await line.getAttribute('data-resolution'), 'open');
  t.is(await line.getAttribute('data-out-trade-no'), altered.outTradeNo);
  t.is(await line.getByTestId('reconciliation-line-wechat').getAttribute('data-value'), String(MEALS_FEN));
  t.is(await line.getByTestId('reconciliation-line-platform').getAttribute('data-value'), String(BOOKED_FEN));
  await see(line.getByText('金额不一致'));
  await see(line.getByText('待处理'));

  await line.getByTestId('reconciliation-line-resolve').click();
  await see(page.getByTestId('reconciliation-resolve-modal'));
  // No note: refused in the form, nothing sent.
  await clickInDialog(page.getByTestId('reconciliation-resolve-submit'));
  await seeText(page, '请填写处理说明');
  const lines = db.collection<{ _id: string; reconciliationId: string; resolution: string; action: string | null; resolvedBy: string | null; exceptionId: string | null }>('reconciliation_lines');
  t.is((await lines.findOne({ outTradeNo: altered.outTradeNo }))?.resolution, 'open');
  await page.getByTestId('reconciliation-resolve-note').fill(NOTE);
  await page.getByTestId('reconciliation-resolve-submit').click();
  await page.getByTestId('reconciliation-resolve-modal').waitFor({ state: 'hidden' });
  await see(drawer.locator('[data-testid="reconciliation-line"][data-resolution="resolved"]'));
  await see(drawer.getByText(NOTE));
  await see(page.locator('[data-testid="reconciliation-drawer-status"][data-status="clean"]'));
  t.is(await drawer.getByTestId('reconciliation-drawer-open').getAttribute('data-value'), '0');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await see(page.locator(`[data-testid="reconciliation-row"][data-day="${today}"][data-mchid="${mchid}"][data-status="clean"][data-open="0"]`));

  // 4. The report, downloaded the way the bursar gets it.
  const download = page.waitForEvent('download');
  await page.getByTestId('reconciliation-export').click();
  const file = await download;
  t.regex(file.suggestedFilename(), /\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
  t.deepEqual(
    workbook.worksheets.map((w) => w.name),
    ['按日汇总', '按商户', '差异明细'],
  );
  const differences = sheetRows(workbook, '差异明细');
  t.deepEqual(differences, [[today, mchid, '支付', '金额不一致', '已处理', altered.outTradeNo, alteredTx, '', 450, 449, NOTE]]);
  const merchants = sheetRows(workbook, '按商户');
  const merchantRow = merchants.find((r) => r[0] === today && r[1] === mchid);
  t.truthy(merchantRow, `the run is listed: ${JSON.stringify(merchants)}`);
  t.is(merchantRow![3], '一致', 'resolved: the day now reads as agreeing');

  // End state: the line, its queue item and the run agree; the resolution and the export are audited.
  const resolved = await lines.findOne({ outTradeNo: altered.outTradeNo });
  t.like(resolved, { resolution: 'resolved', action: NOTE });
  const bursar = await db.collection<{ _id: unknown; username: string }>('staff_users').findOne({ username: 'demo.bursar' });
  t.is(resolved?.resolvedBy, String(bursar?._id));
  const exception = await db.collection<{ _id: string; status: string; resolution: string | null }>('payment_exceptions').findOne({ _id: resolved!.exceptionId! });
  t.like(exception, { status: 'resolved', resolution: NOTE });
  const run = await db.collection<{ _id: string; status: string; counts: { open: number; resolved: number; amountDiffers: number; matched: number } }>('reconciliations').findOne({ _id: resolved!.reconciliationId });
  t.like(run, { status: 'clean', counts: { open: 0, resolved: 1, amountDiffers: 1, matched: 1 } });
  const audit = db.collection<{ action: string; objectId: string | null; reason: string | null; actor: { username: string } }>('audit_logs');
  t.truthy(await audit.findOne({ action: 'reconciliation-line.resolve', objectId: resolved!._id, reason: NOTE, 'actor.username': 'demo.bursar' }));
  t.truthy(await audit.findOne({ action: 'reconciliation.run', objectId: resolved!.reconciliationId, 'actor.username': 'demo.bursar' }));
  t.truthy(await audit.findOne({ action: 'report.export', objectId: 'reconciliation', 'actor.username': 'demo.bursar' }));
});
