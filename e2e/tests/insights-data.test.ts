/**
 * Issue 8, the bank's own data: balances, baselines, the dashboard export and
 * the promotion slot, as the people involved use them.
 *
 * Arranged through the server's API and the WeChat sandbox: the school group
 * registers its settlement account at the bank, tuition is billed to a class
 * and one family pays online with the bank's own debit card; the daily
 * rollups are folded.
 *
 * The branch manager opens 数据导入 and uploads the core system's daily
 * balances: a file with bad rows is refused whole, every bad row listed, and
 * nothing is stored; the corrected file is taken. They set the school's
 * baseline period, see the uplift in the table and on 洞察概览's 存款拉动
 * card, and export the dashboard: the .xlsx names them in its watermark,
 * carries the collected money as numeric yuan cells, and the export is in
 * the audit log; the lead list exports the same way. Last, a platform
 * admin configures a promotion in 小程序推广位 and the paying parent, in the
 * H5 build, sees it on the home page where nothing showed before, and
 * follows it.
 */
import { readFileSync } from 'node:fs';
import { SandboxControl } from '@campuspay/wechat-sandbox';
import { addDays, businessDay, type BillBatch, type FeeItem } from '@campuspay/shared';
import type { ApiClient } from '@campuspay/server/testing';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { pickOption } from './support/antd.ts';
import { expectStatus, staffLogin, waitFor } from './support/api.ts';
import { browserTest } from './support/browser-test.ts';
import { DEMO_PASSWORD, adminLogin, eventually, h5Login, openMenu, see, seeText, type Platform } from './support/platform.ts';
import { rollupsService } from '../../server/src/modules/insights/rollups.service.ts';
import { registryService } from '../../server/src/modules/insights/registry.service.ts';

const test = browserTest('insights-data');

const PAYEE_ACCOUNT = '6222021001000000777';
const TUITION_FEN = 1_800_000;
const EAST_CLASS = 'campus_demo_east_div1_g5_c1';
const PARENT_OPENID = 'e2e-insights-data-icbc';

const today = businessDay();
/** Three days before onboarding, and the last three days (inside the dashboard's default 30 days). */
const BASELINE_DAYS = [addDays(today, -62), addDays(today, -61), addDays(today, -60)];
const RECENT_DAYS = [addDays(today, -3), addDays(today, -2), addDays(today, -1)];
/** ¥1,000,000.00 a day before; ¥3,000,000.00, ¥3,500,000.00, ¥4,000,000.00 lately: the average rose by ¥2,500,000.00. */
const UPLIFT_FEN = 250_000_000;

interface Arranged {
  branch: ApiClient;
}

let arranged: Promise<Arranged> | undefined;

/** The settlement account registered, one tuition bill paid online with an ICBC debit card, rollups folded. */
async function arrange(platform: Platform): Promise<Arranged> {
  const { server, sandbox } = platform;
  const db = server.deps.db;
  const control = new SandboxControl(sandbox.url);
  const group = await staffLogin(platform, 'demo.group');
  const branch = await staffLogin(platform, 'demo.branch');

  const payee = await expectStatus(
    'payee account',
    group.post<{ id: string }>('/api/v1/admin/payee-accounts', { name: '明德教育集团 基本户', mchid: sandbox.merchants[0]!.mchid, bankName: '示范商业银行城东支行', bankAccount: PAYEE_ACCOUNT, nodeId: 'group_demo' }),
    201,
  );
  const item = await expectStatus(
    'fee item',
    group.post<FeeItem>('/api/v1/admin/fee-items', {
      name: '学费',
      category: 'tuition',
      period: { kind: 'term', academicYear: '2026-2027', term: 1 },
      prices: [{ nodeId: 'campus_demo_east', amountFen: TUITION_FEN }],
      dueDate: '2026-09-10',
      mandatory: true,
      allowPartial: false,
      minPaymentFen: null,
      refundable: true,
      payeeAccountId: payee.id,
      nodeId: 'group_demo',
    }),
    201,
  );
  const draft = await expectStatus('bill batch', group.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.id, target: { nodeIds: [EAST_CLASS] } }), 201);
  await expectStatus('publishing', group.post(`/api/v1/admin/bill-batches/${draft.id}/publish`), 202);
  await waitFor('bills published', async () => (await group.get<BillBatch>(`/api/v1/admin/bill-batches/${draft.id}`)).body.status === 'published');

  const student = await db.collection<{ _id: string; studentNo: string; name: string }>('students').findOne({ classId: EAST_CLASS }, { sort: { studentNo: 1 } });
  const { code } = await control.loginCode(PARENT_OPENID);
  const { token } = await expectStatus('parent login', server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code }), 200);
  const parent = server.api.withToken(token);
  await expectStatus('binding', parent.post('/api/v1/parent/children', { schoolCode: 'MDE001', studentNo: student!.studentNo, studentName: student!.name }), 201);
  const bill = await db.collection('bills').findOne({ studentId: student!._id, feeItemId: item.id });
  const order = await expectStatus('order', parent.post<{ orderId: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [String(bill?._id)] }), 201);
  await control.pay(order.payParams.package.replace('prepay_id=', ''), { bankType: 'ICBC_DEBIT' });
  await waitFor('order applied', async () => (await db.collection('orders').findOne({ _id: order.orderId as never }))?.billsApplied === true);

  // What the scheduled jobs do: fold the day's payments into the rollups and count reach.
  await rollupsService(server.deps).foldAll();
  await registryService(server.deps).refresh();
  return { branch };
}

/** Chooses a file in the upload area of the visible tab, as a person picking it in the file dialog. */
async function upload(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('import-upload').filter({ visible: true }).locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
}

async function typeDay(page: Page, testId: string, day: string): Promise<void> {
  const input = page.getByTestId(testId).locator('input');
  await input.click();
  await input.fill(day);
  await input.press('Enter');
}

const csv = (rows: string[][]) => `${rows.map((r) => r.join(',')).join('\n')}\n`;

test('a branch manager uploads balances (a bad file refused whole), sets a baseline, sees the uplift and exports the dashboard', async (t) => {
  const { page, platform } = t.context;
  await (arranged ??= arrange(platform));
  const db = platform.server.deps.db;

  await adminLogin(page, platform, 'demo.branch');
  await openMenu(page, '经营洞察', '洞察概览');
  await see(page.getByTestId('insights-figure-uplift').getByText('暂无余额数据'));

  await openMenu(page, '经营洞察', '数据导入');
  // An account the bank does not serve here, an impossible day, an amount in tenths of a fen: all listed, nothing stored.
  const bad = csv([
    ['账号', '日期', '余额'],
    ...BASELINE_DAYS.map((day) => [PAYEE_ACCOUNT, day, '1000000.00']),
    ['6222999999999999', RECENT_DAYS[0]!, '5.00'],
    [PAYEE_ACCOUNT, '2026-02-30', '3000000.00'],
    [PAYEE_ACCOUNT, RECENT_DAYS[2]!, '4000000.005'],
  ]);
  await upload(page, '核心系统日终余额.csv', bad);
  await see(page.getByTestId('import-rejected'));
  await see(page.getByTestId('import-error-count').getByText('文件中有 3 处错误（涉及 3 行），未导入任何数据'));
  const errorRows = await page.getByTestId('import-error-row').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-row'), row.textContent ?? '']));
  t.deepEqual(
    errorRows.map(([row]) => Number(row)),
    [5, 6, 7],
  );
  t.regex(errorRows[0]![1], /账号.*不是本范围内学校的收款账户/);
  t.regex(errorRows[1]![1], /日期.*2026-02-30/);
  t.regex(errorRows[2]![1], /余额.*4000000\.005/);
  t.is(await db.collection('insight_account_balances').countDocuments({}), 0, 'nothing of the refused file is stored');

  // Corrected: every row taken.
  await page.getByRole('button', { name: /重新上传/ }).click();
  const good = csv([
    ['账号', '日期', '余额'],
    ...BASELINE_DAYS.map((day) => [PAYEE_ACCOUNT, day, '"1,000,000.00"']),
    [PAYEE_ACCOUNT, RECENT_DAYS[0]!, '3000000.00'],
    [PAYEE_ACCOUNT, RECENT_DAYS[1]!, '3500000'],
    [PAYEE_ACCOUNT, RECENT_DAYS[2]!, '4000000.00'],
  ]);
  await upload(page, '核心系统日终余额.csv', good);
  await see(page.getByTestId('balances-import-summary').getByText(`已导入 6 条日终余额（1 个账户，${BASELINE_DAYS[0]} 至 ${RECENT_DAYS[2]}）`, { exact: false }));
  const months = new Set([...BASELINE_DAYS, ...RECENT_DAYS].map((day) => day.slice(0, 7)));
  t.is(await db.collection('insight_account_balances').countDocuments({}), months.size, 'one account, a document per month');
  t.truthy(await db.collection('audit_logs').findOne({ action: 'insights.balances.import', 'actor.username': 'demo.branch' }));

  // The baseline period of the school: the uplift appears against it.
  await page.getByRole('tab', { name: '基准期' }).click();
  const row = page.locator('[data-testid="baseline-row"][data-node-id="group_demo"]');
  await see(row);
  t.is(await row.getAttribute('data-uplift'), '', 'no uplift before a baseline is set');
  await pickOption(page, page.getByTestId('baseline-school'), /^明德教育集团$/, '明德');
  await typeDay(page, 'baseline-from', BASELINE_DAYS[0]!);
  await typeDay(page, 'baseline-to', BASELINE_DAYS[2]!);
  await page.getByTestId('baseline-save').click();
  await seeText(page, /已设置「明德教育集团」的基准期：基准期日均余额 ¥1,000,000\.00（3 天）/);
  await see(page.locator(`[data-testid="baseline-row"][data-node-id="group_demo"][data-uplift="${UPLIFT_FEN}"]`));
  t.is(await page.getByTestId('baseline-total').getAttribute('data-uplift'), String(UPLIFT_FEN));
  t.like(await db.collection('audit_logs').findOne({ action: 'insights.baseline.set' }), { objectId: 'group_demo', after: { from: BASELINE_DAYS[0], to: BASELINE_DAYS[2], averageFen: 100_000_000 } });

  // 洞察概览: 存款拉动 against the baseline.
  await openMenu(page, '经营洞察', '洞察概览');
  const uplift = page.locator(`[data-testid="insights-figure-uplift"][data-value="${UPLIFT_FEN}"]`);
  await see(uplift);
  await see(uplift.getByText('¥2,500,000.00'));
  await see(uplift.getByText(/日均余额 ¥3,500,000\.00，基准 ¥1,000,000\.00（1 所学校设有基准期）/));
  await see(page.locator(`[data-testid="insights-figure-collected"][data-value="${TUITION_FEN}"]`));

  // Export: the file the server built for this node and period, watermarked and audited.
  const download = page.waitForEvent('download');
  await page.getByTestId('insights-export').click();
  const file = await download;
  t.regex(file.suggestedFilename(), /^存款拉动概览-.*\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  // The sheet holds yuan as exact decimals; an integer ÷ 100 is the same double as that decimal read back.
  await workbook.xlsx.load(readFileSync(await file.path()) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('概览');
  if (!sheet) throw new Error('the export has no 概览 sheet');
  const watermark = String(sheet.getCell('A1').value);
  t.regex(watermark, /导出人：客户经理 林涛（demo\.branch）/);
  t.is(sheet.getCell('A2').value, '存款拉动概览');
  let header = 0;
  sheet.eachRow((r, n) => {
    if (r.getCell(1).value === '范围') header = n;
  });
  t.true(header > 0, 'a header row');
  const headers = (sheet.getRow(header).values as unknown[]).slice(1);
  const branchRow = (sheet.getRow(header + 1).values as unknown[]).slice(1);
  t.is(branchRow[0], '滨江分行城东支行');
  t.is(branchRow[headers.indexOf('线上收款（元）')], TUITION_FEN / 100, 'numeric yuan built from fen');
  t.is(branchRow[headers.indexOf('线上笔数')], 1);
  t.is(sheet.getRow(header + 2).getCell(1).value, '明德教育集团');
  const lastRow = sheet.getRow(sheet.rowCount).getCell(1).value;
  t.is(lastRow, watermark, 'the watermark closes the sheet too');
  const audit = await db.collection('audit_logs').findOne({ action: 'insights.export', 'actor.username': 'demo.branch' });
  t.like(audit, { objectType: 'insights_export', after: { report: 'overview', format: 'xlsx', nodeId: 'branch_demo_sub', to: today, watermark } });
  t.true(watermark.includes(String(audit!.objectId)), 'the watermark names the audited export');

  // 商机线索 exports too: masked consented leads only (none here), watermarked and audited the same way.
  await openMenu(page, '经营洞察', '商机线索');
  const leadsDownload = page.waitForEvent('download');
  await page.getByTestId('leads-export').click();
  const leadsFile = await leadsDownload;
  const leadsBook = new ExcelJS.Workbook();
  await leadsBook.xlsx.load(readFileSync(await leadsFile.path()) as unknown as ArrayBuffer);
  const leadsSheet = leadsBook.getWorksheet('线索');
  t.regex(String(leadsSheet?.getCell('A1').value), /导出人：客户经理 林涛（demo\.branch）/);
  t.is(leadsSheet?.getCell('A2').value, '已授权家长线索');
  await waitFor('the leads export audited', async () => (await db.collection('audit_logs').countDocuments({ action: 'insights.export', 'after.report': 'leads', 'actor.username': 'demo.branch' })) === 1);
});

test('a platform admin configures the promotion slot, and a parent in H5 sees it on the home page where nothing showed before', async (t) => {
  const { page, platform } = t.context;
  await (arranged ??= arrange(platform));
  const db = platform.server.deps.db;

  // Nothing configured: once the home page has asked, no promotion at all.
  const asked = page.waitForResponse((response) => response.url().includes('/api/v1/parent/promotions'));
  await h5Login(page, platform, PARENT_OPENID);
  t.deepEqual(await (await asked).json(), { items: [] });
  await seeText(page, '暂无待缴');
  t.is(await page.locator('.promotion-banner').count(), 0);

  const admin = await platform.browser.newPage();
  try {
    await adminLogin(admin, platform, 'demo.platform');
    await openMenu(admin, '经营洞察', '小程序推广位');
    await see(admin.getByText('尚未配置推广，小程序不显示推广位'));
    await admin.getByTestId('promotion-add').click();
    await admin.getByTestId('promotion-form-title').fill('开学季 办卡礼');
    await admin.getByTestId('promotion-form-body').fill('新开本行借记卡缴学费，享开学好礼');
    await admin.getByTestId('promotion-form-cta').fill('去看看');
    await admin.getByTestId('promotion-form-link').fill('http://bank.example.com');
    await admin.getByTestId('promotion-form-submit').click();
    await see(admin.getByTestId('promotion-form-error').getByText('链接应为小程序页面路径或 https 地址'));
    await admin.getByTestId('promotion-form-link').fill('/pages/consent/index');
    await admin.getByTestId('promotion-form-submit').click();
    await see(admin.locator('[data-testid="promotion-row"][data-slot="home"][data-state="showing"]'));
    await admin.getByTestId('promotion-save').click();
    await seeText(admin, '已保存 1 条推广，家长下次打开小程序即可看到');
  } finally {
    await admin.close();
  }
  t.like(await db.collection('promotions').findOne({ bankId: 'bank_demo' }), { slot: 'home', title: '开学季 办卡礼', link: '/pages/consent/index', enabled: true, startDay: today });
  t.truthy(await db.collection('audit_logs').findOne({ action: 'promotions.update', 'actor.username': 'demo.platform' }));

  // The parent opens the mini-program again: the bank's promotion, and it leads where the bank set.
  await page.reload();
  const banner = page.locator('.promotion-banner');
  await see(banner.getByText('开学季 办卡礼', { exact: true }));
  await see(banner.getByText('新开本行借记卡缴学费，享开学好礼'));
  await see(banner.getByText('示范商业银行 · 推广'));
  t.is(await banner.count(), 1);
  await banner.getByText('去看看 ›').click();
  await seeText(page, '银行联系授权');
});
