/**
 * Issue 5, the two pages that complete collection, as the east campus
 * bursar 王芳 (demo.bursar) uses them:
 *
 * 账单导入: she downloads the template, fills in a term's lunch fee for three
 * third-graders with two mistakes (an amount that is not a number, a student
 * number that does not exist). The file is refused whole: both problems are
 * listed with their rows and nothing is issued. Fixed, it issues the three
 * bills at their own amounts; the summary says how many and for how much.
 *
 * 催缴通知: she reminds 三年级 of that fee item now. One child's parent
 * allowed the subscribe message in the mini-program, another's did not
 * (WeChat answers 43101), the third child has no parent bound; the run shows
 * one sent, one refused, and WeChat received one message.
 *
 * Arranged through the server (a bursar cannot): the payee account and the
 * fee item (a group admin's), and the parents binding their children and
 * tapping 允许 in the mini-program (the sandbox's wx.login and subscription).
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { BILL_IMPORT_COLUMNS, BILL_IMPORT_SHEET, displayYuan } from '@campuspay/shared';
import { SandboxControl } from '@campuspay/wechat-sandbox';
import { feeItemsService } from '../../server/src/modules/billing/fee-items.service.ts';
import { checkBillLedgerInvariants } from '../../server/src/modules/ledger/invariants.ts';
import { confirmDialog, pickOption, pickTreeNode } from './support/antd.ts';
import { arrangePayeeAccount, groupAdminScope } from './support/billing-setup.ts';
import { browserTest } from './support/browser-test.ts';
import { adminLogin, eventually, openMenu, see, seeText, type Page, type Platform } from './support/platform.ts';

const test = browserTest('bill-import-reminders');

const FEE_ITEM = '2026秋季三年级午餐费';
const CLASS = 'campus_demo_east_div1_g3_c1';
/** The server's default subscribe-message template for reminders (config wechatReminderTemplateId). */
const REMINDER_TEMPLATE = 'campuspay-reminder';
const OPENID = { subscribed: 'e2e-reminder-allowed', unsubscribed: 'e2e-reminder-not-allowed' } as const;

type Student = { _id: string; studentNo: string; name: string };
type Cell = string | number | null;

async function arrangeFeeItem(platform: Platform): Promise<string> {
  const deps = platform.server.deps;
  const payeeAccountId = await arrangePayeeAccount(deps, '明德食堂 收款户', '6222021001000000777');
  const item = await feeItemsService(deps).create(await groupAdminScope(deps), {
    nodeId: 'campus_demo_east',
    name: FEE_ITEM,
    category: 'meals',
    period: { kind: 'term', academicYear: '2026-2027', term: 1 },
    prices: [{ nodeId: 'campus_demo_east_div1', amountFen: 30_000 }],
    dueDate: '2026-12-31',
    mandatory: true,
    allowPartial: false,
    minPaymentFen: null,
    refundable: true,
    payeeAccountId,
    description: '',
  });
  return item.id;
}

/** A parent signs in to the mini-program (the sandbox's wx.login) and binds the child. */
async function bindParent(platform: Platform, control: SandboxControl, openid: string, student: Student): Promise<void> {
  const { code } = await control.loginCode(openid);
  const login = await platform.server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code });
  if (login.status !== 200) throw new Error(`parent login: ${login.status} ${JSON.stringify(login.body)}`);
  const bound = await platform.server.api.withToken(login.body.token).post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: student.studentNo, studentName: student.name });
  if (bound.status !== 201) throw new Error(`binding ${student.studentNo}: ${bound.status} ${JSON.stringify(bound.body)}`);
}

/** Fills the downloaded template's bill sheet below its header. */
async function fillTemplate(template: Buffer, rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(BILL_IMPORT_SHEET);
  if (!sheet) throw new Error(`the template has no ${BILL_IMPORT_SHEET} sheet`);
  rows.forEach((row, i) => {
    const sheetRow = sheet.getRow(2 + i);
    row.forEach((value, col) => {
      if (value !== null) sheetRow.getCell(col + 1).value = value;
    });
    sheetRow.commit();
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(page: Page, name: string, bytes: Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByText('点击或将 .xlsx 文件拖到此处上传').click();
  await (await chooser).setFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bytes });
}

/** The error table as shown: one [行号, 列, 问题] per line. */
async function listedProblems(page: Page): Promise<string[][]> {
  return page.getByTestId('import-error-row').evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => ((cell as { textContent: string | null }).textContent ?? '').trim())),
  );
}

test('a bursar imports bills (a file with bad rows is refused whole, the fixed one issues them) and sends a 催缴 for them: one parent reached, one not subscribed', async (t) => {
  const { page, platform } = t.context;
  const db = platform.server.deps.db;
  const control = new SandboxControl(platform.sandbox.url);
  const feeItemId = await arrangeFeeItem(platform);
  const [s1, s2, s3] = await db.collection<Student>('students').find({ classId: CLASS, status: 'enrolled' }).sort({ studentNo: 1 }).limit(3).toArray();
  if (!s1 || !s2 || !s3) throw new Error(`the demo roster has fewer than 3 students in ${CLASS}`);
  t.is(await db.collection('parent_children').countDocuments({ studentId: { $in: [s1._id, s2._id, s3._id] } }), 0, 'nobody has bound these children yet');
  await bindParent(platform, control, OPENID.subscribed, s1);
  await bindParent(platform, control, OPENID.unsubscribed, s2);
  // Only the first parent tapped 允许 when the mini-program asked for reminders.
  await control.grantSubscription(OPENID.subscribed, REMINDER_TEMPLATE, 1);
  const bills = db.collection<{ _id: string; studentNo: string; amountDueFen: number; outstandingFen: number; status: string; published: boolean }>('bills');

  await adminLogin(page, platform, 'demo.bursar');
  await openMenu(page, '收费管理', '账单导入');

  // The template, downloaded the way the bursar gets it; it lists the fee item with its id.
  const download = page.waitForEvent('download');
  await page.getByTestId('import-template').click();
  const template = await readFile(await (await download).path());
  const templateBook = new ExcelJS.Workbook();
  await templateBook.xlsx.load(template as unknown as ArrayBuffer);
  t.deepEqual((templateBook.getWorksheet(BILL_IMPORT_SHEET)?.getRow(1).values as unknown[]).slice(1), Object.values(BILL_IMPORT_COLUMNS));
  t.true(templateBook.getWorksheet('收费项目')!.getColumn(2).values.includes(feeItemId), 'the template lists the fee item’s id');

  // 1. Two mistakes: an amount that is not a number (row 3), a student number that does not exist (row 4).
  const bad = await fillTemplate(template, [
    [s1.studentNo, FEE_ITEM, null, '320.50'],
    [s2.studentNo, FEE_ITEM, null, '三百'],
    ['E9999999', FEE_ITEM, null, '300'],
    [s3.studentNo, null, feeItemId, 288],
  ]);
  await upload(page, '三年级午餐费.xlsx', bad);
  await see(page.getByTestId('import-rejected'));
  await see(page.getByTestId('import-error-count').getByText('文件中有 2 处错误（涉及 2 行），未导入任何账单'));
  const problems = await eventually(async () => {
    const shown = await listedProblems(page);
    if (shown.length < 2) throw new Error(`only ${shown.length} problems listed yet`);
    return shown;
  });
  t.deepEqual(
    problems.map(([row, column]) => [row, column]),
    [
      ['第 3 行', BILL_IMPORT_COLUMNS.amount],
      ['第 4 行', BILL_IMPORT_COLUMNS.studentNo],
    ],
    `every problem and nothing else: ${JSON.stringify(problems)}`,
  );
  t.regex(problems[0]![2]!, /三百/, 'the amount problem quotes the amount');
  t.regex(problems[1]![2]!, /E9999999 不存在/);
  // Nothing issued, not even the good rows.
  t.is(await bills.countDocuments({ feeItemId }), 0);
  t.is(await db.collection('bill_imports').countDocuments({}), 0);

  // 2. The fixed file.
  await page.getByRole('button', { name: /重新上传/ }).click();
  await page.getByTestId('import-rejected').waitFor({ state: 'detached' });
  const fixed = await fillTemplate(template, [
    [s1.studentNo, FEE_ITEM, null, '320.50'],
    [s2.studentNo, FEE_ITEM, null, '300'],
    [s3.studentNo, null, feeItemId, 288],
  ]);
  await upload(page, '三年级午餐费.xlsx', fixed);
  const summary = page.getByTestId('bill-import-summary');
  await see(summary, 60_000);
  const totalFen = 32_050 + 30_000 + 28_800;
  await seeText(page, `共 3 行：新开账单 3 张，应收合计 ${displayYuan(totalFen)}。`);
  t.is(await summary.getByTestId('bill-import-issued').getAttribute('data-value'), '3');
  t.is(await summary.getByTestId('bill-import-total').getAttribute('data-value'), String(totalFen));
  t.is(await summary.getByTestId('bill-import-unchanged').getAttribute('data-value'), '0');
  const issued = await bills.find({ feeItemId }).sort({ studentNo: 1 }).toArray();
  t.deepEqual(
    issued.map((b) => [b.studentNo, b.amountDueFen, b.outstandingFen, b.status, b.published]),
    [
      [s1.studentNo, 32_050, 32_050, 'unpaid', true],
      [s2.studentNo, 30_000, 30_000, 'unpaid', true],
      [s3.studentNo, 28_800, 28_800, 'unpaid', true],
    ],
  );

  // 3. 催缴 for that fee item, to 三年级, now.
  await openMenu(page, '收费管理', '催缴通知');
  await pickTreeNode(page, page.getByTestId('reminder-node'), '三年级');
  await pickOption(page, page.getByTestId('reminder-fee-item'), FEE_ITEM, FEE_ITEM);
  await page.getByTestId('reminder-send').click();
  await seeText(page, /三年级 · 2026秋季三年级午餐费/);
  await confirmDialog(page.getByTestId('reminder-send-confirm'));

  // The new run opens and is followed until it ends.
  const drawer = page.getByTestId('reminder-run-drawer');
  await see(drawer.locator('[data-testid="reminder-run-drawer-status"][data-status="done"]'), 60_000);
  const figure = async (key: string) => drawer.getByTestId(`reminder-figure-${key}`).getAttribute('data-value');
  t.deepEqual(
    {
      bills: await figure('bills'),
      unboundBills: await figure('unboundBills'),
      messages: await figure('messages'),
      sent: await figure('sent'),
      refused: await figure('refused'),
      failed: await figure('failed'),
      quiet: await figure('quiet'),
    },
    { bills: '3', unboundBills: '1', messages: '2', sent: '1', refused: '1', failed: '0', quiet: '0' },
  );
  await see(drawer.getByText('家长未订阅（43101）'));
  const messages = (await control.state()).messages.filter((m) => m.templateId === REMINDER_TEMPLATE);
  t.deepEqual(messages.map((m) => m.touser), [OPENID.subscribed], 'WeChat received one message, for the parent who allowed it');
  t.is(messages[0]?.data['amount3']?.value, '320.50元');

  // The run in the list, with the same counts.
  await drawer.getByRole('button', { name: /^(关闭|Close)$/ }).click();
  await drawer.waitFor({ state: 'hidden' });
  const row = page.locator('[data-testid="reminder-run-row"][data-status="done"]');
  await see(row);
  t.is(await row.count(), 1);
  t.is(await row.getByTestId('reminder-run-sent').getAttribute('data-value'), '1');
  t.is(await row.getByTestId('reminder-run-refused').getAttribute('data-value'), '1');
  t.is(await row.getByTestId('reminder-run-failed').getAttribute('data-value'), '0');

  t.deepEqual((await checkBillLedgerInvariants(db)).problems, [], 'bills = ledger');
});
