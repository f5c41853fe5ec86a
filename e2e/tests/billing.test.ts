/**
 * Issue 5, a term's new fee from end to end, as the east campus bursar 王芳
 * (demo.bursar) does it in the admin app: 收费项目 → 新建 (price for 小学部,
 * the group's payee account) → 发布账单 to 一年级 with a preview → publish →
 * 账单: a 多子女优惠 on one child's bill → 柜台收费: that family pays the
 * rest in cash → 收费报表: the collection summary for the item, exported to
 * Excel, whose cells say what the screen says. Then a parent of another
 * first-year child, in the mini-program's H5 build, sees the new bill.
 *
 * Arranged through the server (a bursar cannot): the payee account, which
 * only a group admin creates.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { displayYuan } from '@campuspay/shared';
import { checkPaymentInvariants } from '../../server/src/modules/payments/payment-invariants.ts';
import { confirmDialog, pickOption, pickTreeNode } from './support/antd.ts';
import { arrangePayeeAccount } from './support/billing-setup.ts';
import { browserTest } from './support/browser-test.ts';
import { DEMO_PARENT_OPENID } from '../../server/src/modules/demo/demo-seed.ts';
import { adminLogin, h5Login, openMenu, pageTitle, see, seeText } from './support/platform.ts';

const test = browserTest('billing');

const FEE_ITEM = '2026秋季研学实践费';
const PRICE_FEN = 128_000;
/** The family granted the sibling concession and paying at the counter. */
const SIBLING_STUDENT_NO = 'E2026001';
/** 10% of the whole price: under the bursar's approval threshold, so it applies at once. */
const CONCESSION_FEN = 12_800;

type BillDoc = { _id: string; studentNo: string; feeItemId: string; amountDueFen: number; concessionFen: number; paidFen: number; outstandingFen: number; status: string; concessions: { kind: string; status: string; amountFen: number }[] };

/** A row of the exported sheet as plain values (numbers stay numbers). */
function rowValues(row: ExcelJS.Row): unknown[] {
  const values: unknown[] = [];
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    values[col - 1] = cell.value;
  });
  return values;
}

test('a bursar creates a fee item, issues it to a grade, grants a sibling concession, takes a counter payment and exports the report; a parent sees the bill', async (t) => {
  const { page, platform } = t.context;
  const db = platform.server.deps.db;
  await arrangePayeeAccount(platform.server.deps, '明德教育集团 研学专户', '6222021001000000901');
  const gradeStudents = await db.collection('students').countDocuments({ orgPath: 'campus_demo_east_div1_g1', status: 'enrolled' });
  t.true(gradeStudents > 2, 'the demo east campus has a first grade');
  const billedFen = gradeStudents * PRICE_FEN;

  await adminLogin(page, platform, 'demo.bursar');

  // 1. 收费项目 → 新建收费项目.
  await openMenu(page, '收费管理', '收费项目');
  await page.getByTestId('fee-item-create').click();
  const drawer = page.getByTestId('fee-item-drawer');
  await see(drawer.getByText('新建收费项目'));
  await page.getByTestId('fee-item-form-name').fill(FEE_ITEM);
  await pickOption(page, page.getByTestId('fee-item-form-category'), '其他');
  // The bursar's one campus is the school already; the term defaults to this one (2026-2027 第一学期).
  await see(drawer.getByText('明德东校区'));
  await pickTreeNode(page, page.getByTestId('fee-item-form-price-node-0'), '小学部');
  await page.getByTestId('fee-item-form-price-amount-0').fill('1280');
  const dueDate = page.getByTestId('fee-item-form-due-date');
  await dueDate.click();
  await dueDate.fill('2026-12-31');
  await dueDate.press('Enter');
  // The group's only payee account is chosen for the bursar.
  await see(drawer.getByText(/明德教育集团 研学专户/));
  await page.getByTestId('fee-item-form-submit').click();
  const itemRow = page.locator(`[data-testid="fee-item-row"][data-fee-item-name="${FEE_ITEM}"]`);
  await see(itemRow);
  const feeItem = await db.collection<{ _id: string; prices: { nodeId: string; amountFen: number }[]; dueDate: string; periodKey: string }>('fee_items').findOne({ name: FEE_ITEM });
  t.truthy(feeItem, 'the fee item was saved');
  t.deepEqual(feeItem!.prices, [{ nodeId: 'campus_demo_east_div1', amountFen: PRICE_FEN }]);
  t.is(feeItem!.dueDate, '2026-12-31');
  t.is(feeItem!.periodKey, '2026-2027-T1');

  // 2. 发布账单 → 一年级, preview, publish.
  await itemRow.getByTestId('fee-item-publish').click();
  await see(pageTitle(page, '账单发布'));
  await see(page.getByTestId('batch-fee-item').getByText(new RegExp(FEE_ITEM)));
  await pickTreeNode(page, page.getByTestId('batch-target-nodes'), '一年级', { multiple: true });
  await page.getByTestId('batch-preview').click();
  const preview = page.getByTestId('batch-preview-card');
  await see(preview);
  t.is(await preview.getByTestId('batch-preview-count').getAttribute('data-value'), String(gradeStudents));
  t.is(await preview.getByTestId('batch-preview-total').getAttribute('data-value'), String(billedFen));
  t.is(await preview.getByTestId('batch-preview-concession').getAttribute('data-value'), '0');
  t.is(await preview.getByTestId('batch-preview-skipped-existing').getAttribute('data-value'), '0');
  t.is(await db.collection('bills').countDocuments({ feeItemId: feeItem!._id }), 0, 'a preview issues nothing');
  await page.getByTestId('batch-publish').click();
  await confirmDialog(page.getByTestId('batch-publish-confirm'));
  await see(page.getByTestId('batch-published'), 60_000);
  await seeText(page, `已发布 ${gradeStudents} 张账单`);
  const bills = db.collection<BillDoc>('bills');
  t.is(await bills.countDocuments({ feeItemId: feeItem!._id, amountDueFen: PRICE_FEN, status: 'unpaid' }), gradeStudents);
  t.is(await bills.countDocuments({ feeItemId: feeItem!._id, orgPath: { $ne: 'campus_demo_east_div1_g1' } }), 0, 'only the first grade');

  // 3. 账单: the sibling concession on one child's bill.
  await page.getByTestId('batch-view-bills').click();
  await see(pageTitle(page, '账单'));
  await see(page.getByTestId('bill-total').getByText(`共 ${gradeStudents} 张`));
  const search = page.getByTestId('bill-search');
  await search.fill(SIBLING_STUDENT_NO);
  await search.press('Enter');
  await see(page.getByTestId('bill-total').getByText('共 1 张'));
  const billRow = page.locator(`[data-testid="bill-row"][data-student-no="${SIBLING_STUDENT_NO}"]`);
  await see(billRow);
  await billRow.getByTestId('bill-action-concession').click();
  // The test id sits on the modal's root, which has no box of its own; the dialog inside it is what shows.
  const concessionModal = page.getByTestId('concession-modal').getByRole('dialog');
  await see(concessionModal);
  await pickOption(page, page.getByTestId('concession-kind'), '多子女优惠');
  await page.getByTestId('concession-percent').fill('10');
  await page.getByTestId('concession-reason').fill('姐姐在本校五年级就读，按多子女政策优惠 10%');
  await see(page.locator(`[data-testid="concession-preview"][data-value="${CONCESSION_FEN}"]`));
  await page.getByTestId('concession-submit').click();
  await concessionModal.waitFor({ state: 'hidden' });
  await see(billRow.locator(`[data-testid="bill-concession"][data-value="${CONCESSION_FEN}"]`));
  await see(billRow.locator(`[data-testid="bill-outstanding"][data-value="${PRICE_FEN - CONCESSION_FEN}"]`));
  const concededBill = await bills.findOne({ feeItemId: feeItem!._id, studentNo: SIBLING_STUDENT_NO });
  t.like(concededBill, { concessionFen: CONCESSION_FEN, outstandingFen: PRICE_FEN - CONCESSION_FEN, status: 'unpaid' });
  t.deepEqual(concededBill!.concessions.map((c) => [c.kind, c.status, c.amountFen]), [['sibling', 'applied', CONCESSION_FEN]]);

  // 4. 柜台收费: the family pays what is left, in cash.
  await openMenu(page, '收费管理', '柜台收费');
  const counterSearch = page.getByTestId('counter-search');
  await counterSearch.fill(SIBLING_STUDENT_NO);
  await counterSearch.press('Enter');
  await see(page.locator(`[data-testid="counter-student"][data-student-no="${SIBLING_STUDENT_NO}"]`));
  const counterLine = page.locator(`[data-testid="counter-bill-row"][data-bill-id="${concededBill!._id}"]`);
  await see(counterLine);
  await see(counterLine.getByText(`已优惠 ${displayYuan(CONCESSION_FEN)}`));
  t.is(await page.getByTestId('counter-bill-row').count(), 1, 'the student owes only the new bill');
  const payButton = page.getByTestId('counter-pay');
  await see(page.locator(`[data-testid="counter-pay"][data-total="${PRICE_FEN - CONCESSION_FEN}"]`));
  await page.getByTestId('counter-payer').fill('测试家长');
  await payButton.click();
  const receipt = page.getByTestId('counter-receipt');
  await see(receipt);
  await see(receipt.locator(`[data-testid="counter-receipt-item"][data-bill-id="${concededBill!._id}"]`));
  const receiptNo = ((await receipt.getByTestId('counter-receipt-no').first().textContent()) ?? '').trim();
  t.regex(receiptNo, /\S{6,}/, 'a receipt number is shown');
  t.like(await bills.findOne({ _id: concededBill!._id }), { paidFen: PRICE_FEN - CONCESSION_FEN, outstandingFen: 0, status: 'paid' });
  t.is(await db.collection('offline_payments').countDocuments({ billId: concededBill!._id }), 1);

  // 5. 收费报表: the summary for the item, on screen and in the exported workbook.
  await openMenu(page, '报表', '收费报表');
  await pickOption(page, page.getByTestId('report-fee-item'), new RegExp(FEE_ITEM), FEE_ITEM);
  const outstandingFen = billedFen - CONCESSION_FEN - (PRICE_FEN - CONCESSION_FEN);
  const totals = page.locator(`[data-testid="report-total-row"][data-billed="${billedFen}"]`);
  await see(totals);
  t.is(await totals.getAttribute('data-net-collected'), String(PRICE_FEN - CONCESSION_FEN));
  t.is(await totals.getAttribute('data-outstanding'), String(outstandingFen));
  const download = page.waitForEvent('download');
  await page.getByTestId('report-export').click();
  const file = await download;
  t.regex(file.suggestedFilename(), /^收费汇总表-.*\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('收费汇总');
  t.truthy(sheet, 'the workbook has the 收费汇总 sheet');
  const rows: unknown[][] = [];
  sheet!.eachRow((row) => rows.push(rowValues(row)));
  t.true(rows.some((r) => typeof r[0] === 'string' && r[0].includes(`收费项目：${FEE_ITEM}`)), 'the sheet names the fee item');
  const header = rows.find((r) => r[0] === '校区');
  t.deepEqual(header, ['校区', '账单数', '应收金额（元）', '优惠减免（元）', '应缴净额（元）', '线上实收（元）', '线下实收（元）', '退款（元）', '实收净额（元）', '未缴金额（元）', '收缴率']);
  // The sheet holds yuan as exact decimals; an integer ÷ 100 is the same double as that decimal read back.
  const yuan = (fen: number) => fen / 100;
  const expected = [
    gradeStudents,
    yuan(billedFen),
    yuan(CONCESSION_FEN),
    yuan(billedFen - CONCESSION_FEN),
    0,
    yuan(PRICE_FEN - CONCESSION_FEN),
    0,
    yuan(PRICE_FEN - CONCESSION_FEN),
    yuan(outstandingFen),
  ];
  const campusRow = rows.find((r) => r[0] === '明德东校区');
  const totalRow = rows.find((r) => r[0] === '合计');
  t.deepEqual(campusRow?.slice(1, 10), expected, 'the campus row');
  t.deepEqual(totalRow?.slice(1, 10), expected, 'the totals row');
  // 收缴率 = 实收净额 ÷ 应缴净额, as a fraction of a percent-formatted cell, to the basis point.
  const rateBp = Math.floor(((PRICE_FEN - CONCESSION_FEN) * 10_000) / (billedFen - CONCESSION_FEN));
  t.is(Math.round(Number(totalRow?.[10]) * 10_000), rateBp);
  t.deepEqual((await checkPaymentInvariants(db)).problems, []);

  // 6. A parent of another first-year child sees the new bill in the H5 build.
  await h5Login(page, platform, DEMO_PARENT_OPENID);
  const card = page.locator('.child-card');
  await see(card.getByText('1 笔待缴'));
  await see(card.getByText(displayYuan(PRICE_FEN)));
  await card.click();
  const newBill = page.locator('.bill-card').filter({ hasText: FEE_ITEM });
  await see(newBill);
  await see(newBill.getByText('2026-2027学年第一学期'));
  await see(newBill.getByText('缴费截止 2026-12-31'));
  await see(newBill.locator('.bill-card__outstanding-value').getByText(displayYuan(PRICE_FEN)));
});
