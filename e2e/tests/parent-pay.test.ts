/**
 * Issue 6, a parent paying online in the mini-program's H5 build. There is no
 * WeChat payment sheet in a browser: the H5 platform module sends the browser
 * to the WeChat Pay sandbox's payer page (确认支付 / 取消), which comes back to
 * the app with the outcome; the app then asks the server, which learns the
 * truth from WeChat Pay (the sandbox's signed notification or an order query).
 *
 *   1. Two bills of two payee accounts (the school and the canteen) in one
 *      checkout: two orders paid one after the other (the second cancelled
 *      once on the payer page, then paid with 重新支付), both shown paid
 *      with their receipts; the bills move to 已缴.
 *   2. Two bills of one payee account (one order): the parent cancels on the
 *      payer page; nothing is paid, the bills are still owed and can be paid
 *      again, and paying again works, with a receipt.
 *
 * Arranged through the server's services: payee accounts, fee items and the
 * issued bills (the admin flow that makes them is billing.test.ts). Binding
 * the child is done in the app, as a parent does it.
 */
import { displayYuan, formatYuan } from '@campuspay/shared';
import type { Page } from 'playwright-core';
import { checkPaymentInvariants } from '../../server/src/modules/payments/payment-invariants.ts';
import { arrangeIssuedFeeItem, arrangePayeeAccount } from './support/billing-setup.ts';
import { browserTest } from './support/browser-test.ts';
import { eventually, h5Login, see, seeText, taroButton, taroInput, type Platform } from './support/platform.ts';

const test = browserTest('parent-pay');

/** The child of test 1 (school + canteen bills) and of test 2 (two school bills). */
const CHECKOUT_CHILD = 'E2026002';
const CANCEL_CHILD = 'E2026003';

const TUITION = { name: '2026秋季学费', fen: 1_800_000 };
const MEALS = { name: '2026年秋季午餐费', fen: 45_000 };
const TEXTBOOKS = { name: '2026秋季教材费', fen: 32_050 };

interface Arranged {
  billIds: { tuition: Map<string, string>; meals: Map<string, string>; textbooks: Map<string, string> };
}

let arranged: Promise<Arranged> | undefined;

/** Once per file: the school's and the canteen's payee accounts and the three fee items issued to the two children. */
function arrange(platform: Platform): Promise<Arranged> {
  arranged ??= (async () => {
    const deps = platform.server.deps;
    const school = await arrangePayeeAccount(deps, '明德教育集团 基本户', '6222021001000000001');
    const canteen = await arrangePayeeAccount(deps, '明德食堂 收款户', '6222021001000000002');
    const tuition = await arrangeIssuedFeeItem(deps, { name: TUITION.name, category: 'tuition', amountFen: TUITION.fen, payeeAccountId: school }, [CHECKOUT_CHILD, CANCEL_CHILD]);
    const meals = await arrangeIssuedFeeItem(deps, { name: MEALS.name, category: 'meals', amountFen: MEALS.fen, payeeAccountId: canteen }, [CHECKOUT_CHILD]);
    const textbooks = await arrangeIssuedFeeItem(deps, { name: TEXTBOOKS.name, category: 'textbooks', amountFen: TEXTBOOKS.fen, payeeAccountId: school }, [CANCEL_CHILD]);
    return { billIds: { tuition: tuition.billIds, meals: meals.billIds, textbooks: textbooks.billIds } };
  })();
  return arranged;
}

type BillDoc = { _id: string; status: string; paidFen: number; outstandingFen: number; openOrderId: string | null };
type OrderDoc = { _id: string; status: string; totalFen: number; receiptNo: string | null; allocations: { billId: string; amountFen: number }[] };

function idOf(ids: Map<string, string>, studentNo: string): string {
  const id = ids.get(studentNo);
  if (!id) throw new Error(`no bill arranged for ${studentNo}`);
  return id;
}

/** 测试登录 with a fresh openid, then 绑定孩子 with the school code, number and name; done when the child is listed. */
async function loginAndBind(page: Page, platform: Platform, openid: string, studentNo: string): Promise<string> {
  const child = await platform.server.deps.db.collection<{ name: string }>('students').findOne({ campusId: 'campus_demo_east', studentNo });
  if (!child) throw new Error(`the demo roster has no ${studentNo}`);
  await h5Login(page, platform, openid);
  await taroButton(page, '绑定孩子').click();
  await seeText(page, '填写孩子信息');
  await taroInput(page, '请输入学校提供的学校代码').fill('MDE001');
  await taroInput(page, '请输入孩子的学号').fill(studentNo);
  await taroInput(page, '请输入孩子的姓名').fill(child.name);
  await taroButton(page, '确认绑定').click();
  await see(page.locator('.child-card').filter({ hasText: child.name }));
  return child.name;
}

/** On the sandbox's payer page: the amount shown, then 确认支付 or 取消. */
async function onPayerPage(page: Page, platform: Platform, amountFen: number, choice: 'confirm-pay' | 'cancel-pay'): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(`${platform.sandbox.url}/sandbox/payer`));
  // The sandbox's sheet shows plain yuan (¥18450.00).
  await see(page.getByTestId('pay-amount').getByText(`¥${formatYuan(amountFen)}`, { exact: true }));
  await page.getByTestId(choice).click();
}

test('a parent pays a school bill and a canteen bill in one checkout through the payer page (cancelling once) and sees both paid with receipts', async (t) => {
  const { page, platform } = t.context;
  const { billIds } = await arrange(platform);
  const db = platform.server.deps.db;
  const tuitionBill = idOf(billIds.tuition, CHECKOUT_CHILD);
  const mealsBill = idOf(billIds.meals, CHECKOUT_CHILD);
  const totalFen = TUITION.fen + MEALS.fen;

  const name = await loginAndBind(page, platform, 'e2e-pay-parent-1', CHECKOUT_CHILD);
  const card = page.locator('.child-card').filter({ hasText: name });
  await see(card.getByText('2 笔待缴'));
  await card.click();

  // Both compulsory bills are ticked; the total is their sum.
  await see(page.locator(`#bill-card-${tuitionBill}`));
  await see(page.locator(`#bill-card-${mealsBill}`));
  await see(page.locator(`#bill-${tuitionBill}.bill-card__check--on`));
  await see(page.locator(`#bill-${mealsBill}.bill-card__check--on`));
  await see(page.locator('#checkout-total').getByText(displayYuan(totalFen)));
  await page.locator('#pay-button').click();

  // Two payee accounts: two orders, paid one after the other on the checkout page.
  await seeText(page, '需分 2 笔支付');
  const orders = db.collection<OrderDoc>('orders');
  const created = await eventually(async () => {
    const found = await orders.find({ 'allocations.billId': { $in: [tuitionBill, mealsBill] } }).toArray();
    if (found.length !== 2) throw new Error(`${found.length} orders so far`);
    return found;
  });
  const orderOf = (billId: string) => created.find((o) => o.allocations.some((a) => a.billId === billId))!;
  const tuitionOrder = orderOf(tuitionBill);
  const mealsOrder = orderOf(mealsBill);
  t.deepEqual(tuitionOrder.allocations, [{ billId: tuitionBill, amountFen: TUITION.fen }]);
  t.deepEqual(mealsOrder.allocations, [{ billId: mealsBill, amountFen: MEALS.fen }]);
  await see(page.locator(`#order-state-${tuitionOrder._id}`).getByText('待支付'));
  await see(page.locator(`#order-state-${mealsOrder._id}`).getByText('待支付'));
  // The page pays them in the order it lists them.
  const firstId = (await page.locator('.checkout-order--current').getAttribute('id'))?.replace(/^order-/, '');
  const [first, second] = firstId === tuitionOrder._id ? [tuitionOrder, mealsOrder] : [mealsOrder, tuitionOrder];
  t.is(firstId, first._id);

  await page.locator('#pay-next').getByText('去支付').click();
  await onPayerPage(page, platform, first.totalFen, 'confirm-pay');
  // Back on the checkout page, which confirms the payment with the server.
  await see(page.locator('#checkout-notice').getByText('第 1 笔支付成功'));
  await see(page.locator(`#order-state-${first._id}`).getByText('已支付'));
  await see(page.locator(`#receipt-no-${first._id}`));
  await see(page.locator(`#order-state-${second._id}`).getByText('待支付'));
  await see(page.locator('#checkout-progress').getByText('已支付 1/2 笔'));

  // The second one the parent first cancels on the payer page: it stays to be paid, and 重新支付 pays it.
  await page.locator('#pay-next').getByText('支付下一笔').click();
  await onPayerPage(page, platform, second.totalFen, 'cancel-pay');
  await see(page.locator('#checkout-notice').getByText('第 2 笔已取消支付，账单仍待缴费，可重新支付'));
  await see(page.locator(`#order-state-${second._id}`).getByText('待支付'));
  await see(page.locator('#checkout-progress').getByText('已支付 1/2 笔'));
  const secondBill = second.allocations[0]!.billId;
  t.like(await db.collection<BillDoc>('bills').findOne({ _id: secondBill }), { status: 'unpaid', paidFen: 0 });
  await page.locator('#pay-next').getByText('重新支付').click();
  await onPayerPage(page, platform, second.totalFen, 'confirm-pay');
  await see(page.locator('#checkout-done').getByText('全部支付完成'));
  await see(page.locator(`#order-state-${second._id}`).getByText('已支付'));
  await see(page.locator('#checkout-progress').getByText('已支付 2/2 笔'));

  // Each order's receipt, as the server issued it.
  for (const order of [first, second]) {
    const paid = await orders.findOne({ _id: order._id });
    t.is(paid?.status, 'PAID');
    t.truthy(paid?.receiptNo, `order ${order._id} has a receipt`);
    await see(page.locator(`#receipt-no-${order._id}`).getByText(paid!.receiptNo!, { exact: true }));
  }
  // 查看收据 opens the PDF in a new tab.
  const tab = page.context().waitForEvent('page');
  await page.locator(`#view-receipt-${first._id}`).click();
  const receiptTab = await tab;
  await receiptTab.waitForURL(/^blob:/);
  await receiptTab.close();

  const bills = db.collection<BillDoc>('bills');
  t.like(await bills.findOne({ _id: tuitionBill }), { status: 'paid', paidFen: TUITION.fen, outstandingFen: 0, openOrderId: null });
  t.like(await bills.findOne({ _id: mealsBill }), { status: 'paid', paidFen: MEALS.fen, outstandingFen: 0, openOrderId: null });

  // The bills page: nothing left to pay, both under 已缴.
  await page.locator('#back-to-bills').click();
  await seeText(page, '没有待缴账单');
  await page.locator('#tab-settled').click();
  await see(page.locator(`#bill-card-${tuitionBill}`).getByText('已缴清'));
  await see(page.locator(`#bill-card-${mealsBill}`).getByText('已缴清'));
  t.deepEqual((await checkPaymentInvariants(db)).problems, []);
});

test('a payment cancelled on the payer page leaves the bills unpaid and payable; paying again works', async (t) => {
  const { page, platform } = t.context;
  const { billIds } = await arrange(platform);
  const db = platform.server.deps.db;
  const tuitionBill = idOf(billIds.tuition, CANCEL_CHILD);
  const textbooksBill = idOf(billIds.textbooks, CANCEL_CHILD);
  const totalFen = TUITION.fen + TEXTBOOKS.fen;
  const bills = db.collection<BillDoc>('bills');
  const orders = db.collection<OrderDoc>('orders');

  const name = await loginAndBind(page, platform, 'e2e-pay-parent-2', CANCEL_CHILD);
  await page.locator('.child-card').filter({ hasText: name }).click();
  await see(page.locator(`#bill-${tuitionBill}.bill-card__check--on`));
  await see(page.locator(`#bill-${textbooksBill}.bill-card__check--on`));
  await see(page.locator('#checkout-total').getByText(displayYuan(totalFen)));

  // One payee account: one order for both bills, straight to the payer page, where the parent cancels.
  await page.locator('#pay-button').click();
  await onPayerPage(page, platform, totalFen, 'cancel-pay');
  await see(page.locator('#pay-result-title').getByText('支付未完成'));
  await seeText(page, '您已取消支付，账单仍待缴费，可重新支付');
  const order = await orders.findOne({ 'allocations.billId': tuitionBill });
  t.truthy(order);
  t.deepEqual(order!.allocations.map((a) => a.billId).sort(), [tuitionBill, textbooksBill].sort(), 'one order holds both bills');
  t.not(order!.status, 'PAID');
  for (const id of [tuitionBill, textbooksBill]) t.like(await bills.findOne({ _id: id }), { status: 'unpaid', paidFen: 0 });
  t.is(await db.collection('ledger_entries').countDocuments({ billId: { $in: [tuitionBill, textbooksBill] } }), 0, 'nothing was paid');
  t.deepEqual((await checkPaymentInvariants(db)).problems, []);

  // Back to the bills: still owed, still ticked, payable.
  await page.locator('#back-to-bills').click();
  await see(page.locator(`#bill-${tuitionBill}.bill-card__check--on`));
  await see(page.locator(`#bill-${textbooksBill}.bill-card__check--on`));
  await see(page.locator('#checkout-total').getByText(displayYuan(totalFen)));
  await page.locator('#pay-button').click();
  await onPayerPage(page, platform, totalFen, 'confirm-pay');
  await see(page.locator('#pay-result-title').getByText('支付成功'));
  const paid = await eventually(async () => {
    const found = await orders.find({ 'allocations.billId': tuitionBill, status: 'PAID' }).toArray();
    if (found.length !== 1 || !found[0]!.receiptNo) throw new Error('no paid order with a receipt yet');
    return found[0]!;
  });
  t.is(paid.totalFen, totalFen);
  await see(page.locator('#receipt-no').getByText(paid.receiptNo!, { exact: true }));
  for (const [id, fen] of [[tuitionBill, TUITION.fen], [textbooksBill, TEXTBOOKS.fen]] as const) {
    t.like(await bills.findOne({ _id: id }), { status: 'paid', paidFen: fen, outstandingFen: 0, openOrderId: null });
  }
  // Exactly one payment for each bill, whatever happened to the cancelled attempt.
  t.is(await db.collection('ledger_entries').countDocuments({ billId: { $in: [tuitionBill, textbooksBill] }, kind: 'payment' }), 2);
  t.is(await orders.countDocuments({ 'allocations.billId': tuitionBill, status: { $in: ['PAID', 'REFUNDED', 'PARTIALLY_REFUNDED'] } }), 1);

  // The bill's detail lists its receipt.
  await page.locator('#back-to-bills').click();
  await page.locator('#tab-settled').click();
  await page.locator(`#bill-detail-${tuitionBill}`).click();
  await see(page.locator(`#receipt-${paid.receiptNo}`));
  t.deepEqual((await checkPaymentInvariants(db)).problems, []);
});
