/**
 * Issue 7, the cash report (交班报表), as the east campus bursar 王芳
 * (demo.bursar) closes her counter for the day: in 柜台收费 she takes one
 * family's 校服费 in cash and another's 研学费 by POS, then reverses the
 * POS payment with a reason. In 对账管理 → 交班报表 she finds her section
 * with each line and the handover by method, and the figures are what the
 * counter's own records in the database say. She prints it (the PDF) and
 * exports it to Excel (the totals cells); both exports are in the audit log.
 *
 * Arranged through the server (./support/billing-setup.ts): the payee
 * account and the two bills, which billing.test.ts already issues by hand.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Locator } from 'playwright-core';
import { businessDay, formatYuan } from '@campuspay/shared';
import { arrangeIssuedFeeItem, arrangePayeeAccount } from './support/billing-setup.ts';
import { browserTest } from './support/browser-test.ts';
import { adminLogin, openMenu, see, type Page } from './support/platform.ts';

const test = browserTest('cash-report');

const BURSAR = '东校区出纳 王芳';
const UNIFORM = { name: '2026秋季校服费', studentNo: 'E2026002', amountFen: 36_000 } as const;
const TRIP = { name: '2026秋季研学费', studentNo: 'E2026003', amountFen: 45_000 } as const;
const POS_REFERENCE = 'POS-20260901-7781';
const REVERSE_REASON = '刷卡金额录错，重新收款';

type Totals = { cashFen: number; posFen: number; transferFen: number; totalFen: number };
type OfflineDoc = { _id: string; amountFen: number; method: 'cash' | 'pos' | 'transfer'; cashierId: string; receiptNo: string; reversed: boolean; reversedBy: string | null; reverseReason: string | null };

function byMethod(docs: readonly OfflineDoc[]): Totals {
  const t = { cashFen: 0, posFen: 0, transferFen: 0, totalFen: 0 };
  for (const d of docs) {
    t[`${d.method}Fen`] += d.amountFen;
    t.totalFen += d.amountFen;
  }
  return t;
}

/** 柜台收费: find the student, pay the one outstanding bill with `method`, and return the receipt number. */
async function takeCounterPayment(page: Page, studentNo: string, billId: string, method: string, reference?: string): Promise<string> {
  const search = page.getByTestId('counter-search');
  await search.fill(studentNo);
  await search.press('Enter');
  await see(page.locator(`[data-testid="counter-student"][data-student-no="${studentNo}"]`));
  await see(page.locator(`[data-testid="counter-bill-row"][data-bill-id="${billId}"]`));
  await page.getByTestId('counter-method').getByText(method, { exact: true }).click();
  if (reference) await page.getByTestId('counter-reference').fill(reference);
  await page.getByTestId('counter-pay').click();
  const receipt = page.getByTestId('counter-receipt');
  await see(receipt.locator(`[data-testid="counter-receipt-item"][data-bill-id="${billId}"]`));
  const receiptNo = ((await receipt.getByTestId('counter-receipt-no').first().textContent()) ?? '').trim();
  await page.getByTestId('counter-next').click();
  await receipt.waitFor({ state: 'hidden' });
  return receiptNo;
}

/** A handover row (收款 / 冲正 / 退款 / 应交) as the screen carries it, in fen. */
async function handoverRow(section: Locator, row: 'payments' | 'reversals' | 'refunds' | 'net'): Promise<Totals> {
  const el = section.locator(`[data-testid="cash-report-handover-row"][data-row="${row}"]`);
  await see(el);
  const read = async (name: string) => Number(await el.getAttribute(name));
  return { cashFen: await read('data-cash'), posFen: await read('data-pos'), transferFen: await read('data-transfer'), totalFen: await read('data-total') };
}

/** Reversals as the screen shows them, taken off the payments (`|| 0`: no −0 where nothing was reversed). */
const negate = (t: Totals): Totals => ({ cashFen: -t.cashFen || 0, posFen: -t.posFen || 0, transferFen: -t.transferFen || 0, totalFen: -t.totalFen || 0 });

test('a bursar takes a cash and a POS payment, reverses one, and hands over with the cash report on screen, in print and in Excel', async (t) => {
  const { page, platform } = t.context;
  const deps = platform.server.deps;
  const db = deps.db;
  const today = businessDay();
  const payee = await arrangePayeeAccount(deps, '明德教育集团 代收专户', '6222021001000000977');
  const uniform = await arrangeIssuedFeeItem(deps, { name: UNIFORM.name, category: 'other', amountFen: UNIFORM.amountFen, payeeAccountId: payee }, [UNIFORM.studentNo]);
  const trip = await arrangeIssuedFeeItem(deps, { name: TRIP.name, category: 'other', amountFen: TRIP.amountFen, payeeAccountId: payee }, [TRIP.studentNo]);
  const uniformBill = uniform.billIds.get(UNIFORM.studentNo)!;
  const tripBill = trip.billIds.get(TRIP.studentNo)!;

  await adminLogin(page, platform, 'demo.bursar');

  // 1. 柜台收费: cash for the uniform, POS for the trip, then the POS payment reversed with a reason.
  await openMenu(page, '收费管理', '柜台收费');
  const cashReceipt = await takeCounterPayment(page, UNIFORM.studentNo, uniformBill, '现金');
  const posReceipt = await takeCounterPayment(page, TRIP.studentNo, tripBill, 'POS 刷卡', POS_REFERENCE);
  const posRow = page.locator(`[data-testid="counter-today-row"][data-receipt-no="${posReceipt}"]`);
  await see(posRow);
  await posRow.getByTestId('counter-reverse').click();
  await page.getByTestId('counter-reverse-reason').fill(REVERSE_REASON);
  await page.getByTestId('counter-reverse-submit').click();
  await see(page.locator(`[data-testid="counter-today-row"][data-receipt-no="${posReceipt}"][data-reversed="true"]`));

  const bursar = await db.collection<{ _id: unknown; username: string }>('staff_users').findOne({ username: 'demo.bursar' });
  t.truthy(bursar, 'the demo seed has demo.bursar');
  const bursarId = String(bursar!._id);
  const taken = await db.collection<OfflineDoc>('offline_payments').find({ cashierId: bursarId, day: today }).toArray();
  t.deepEqual(taken.map((d) => [d.receiptNo, d.method, d.amountFen, d.reversed]).sort(), [
    [cashReceipt, 'cash', UNIFORM.amountFen, false],
    [posReceipt, 'pos', TRIP.amountFen, true],
  ].sort());
  t.like(taken.find((d) => d.reversed), { reversedBy: bursarId, reverseReason: REVERSE_REASON });
  // What she must hand over, from the counter's own records (the report reads the ledger).
  const payments = byMethod(taken);
  const reversals = byMethod(taken.filter((d) => d.reversed));
  const net = byMethod(taken.filter((d) => !d.reversed));
  t.deepEqual(net, { cashFen: UNIFORM.amountFen, posFen: 0, transferFen: 0, totalFen: UNIFORM.amountFen });

  // 2. 对账管理 → 交班报表: today and her scope by default.
  await openMenu(page, '(^|\\s)报表$', '对账管理');
  await page.getByTestId('reconciliation-tabs').getByRole('tab', { name: '交班报表' }).click();
  t.is(await page.getByTestId('cash-report-day').locator('input').inputValue(), today);
  const section = page.locator(`[data-testid="cash-report-cashier"][data-cashier-name="${BURSAR}"]`);
  await see(section);
  await see(section.getByText(`收款人：${BURSAR}`));
  t.is(await page.getByTestId('cash-report-cashier').count(), 1, 'nobody else worked the counter today');
  const lines = section.getByTestId('cash-report-line');
  await see(lines.nth(2));
  const shownLines = await lines.evaluateAll((rows) =>
    rows.map((row) => [row.getAttribute('data-kind'), row.getAttribute('data-method'), Number(row.getAttribute('data-value')), row.getAttribute('data-receipt-no'), row.getAttribute('data-reversed')]),
  );
  t.deepEqual(shownLines, [
    ['payment', 'cash', UNIFORM.amountFen, cashReceipt, 'false'],
    ['payment', 'pos', TRIP.amountFen, posReceipt, 'true'],
    ['reversal', 'pos', -TRIP.amountFen, posReceipt, 'false'],
  ]);
  const posLine = lines.nth(1);
  await see(posLine.getByText(TRIP.name));
  await see(posLine.getByText(POS_REFERENCE));
  await see(posLine.getByText('收款（已冲正）'));
  t.deepEqual(await handoverRow(section, 'payments'), payments);
  t.deepEqual(await handoverRow(section, 'reversals'), negate(reversals));
  t.deepEqual(await handoverRow(section, 'refunds'), { cashFen: 0, posFen: 0, transferFen: 0, totalFen: 0 });
  t.deepEqual(await handoverRow(section, 'net'), net);
  await see(section.locator('[data-testid="cash-report-handover-row"][data-row="net"]').getByText(`¥${formatYuan(UNIFORM.amountFen)}`).first());
  const grand = page.getByTestId('cash-report-grand-total');
  t.deepEqual(await handoverRow(grand, 'net'), net, 'she is the only cashier: the grand total is hers');

  // 3. 打印: the PDF opens in a new tab, from a blob the page fetched with the bearer token; read it back from that page.
  const popup = page.waitForEvent('popup');
  await page.getByTestId('cash-report-print').click();
  const tab = await popup;
  await tab.waitForURL(/^blob:/);
  const pdfBase64 = await page.evaluate<string>(
    `fetch(${JSON.stringify(tab.url())}).then((r) => r.arrayBuffer()).then((b) => { let s = ''; for (const byte of new Uint8Array(b)) s += String.fromCharCode(byte); return btoa(s); })`,
  );
  const pdf = Buffer.from(pdfBase64, 'base64');
  t.true(pdf.length > 1000, `a real PDF (${pdf.length} bytes)`);
  t.is(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  await tab.close();

  // 4. 导出 Excel: the summary sheet's rows for her and the totals row, in yuan.
  const download = page.waitForEvent('download');
  await page.getByTestId('cash-report-export').click();
  const file = await download;
  t.regex(file.suggestedFilename(), new RegExp(`^柜台收款交接单_${today}\\.xlsx$`));
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('按收款人汇总');
  t.truthy(sheet, 'the workbook has the 按收款人汇总 sheet');
  const rows: unknown[][] = [];
  sheet!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  // Yuan cells are the exact decimals of the fen amounts (formatYuan), read back as numbers.
  const yuan = (x: Totals) => [x.cashFen, x.posFen, x.transferFen, x.totalFen].map((f) => Number(formatYuan(f)));
  t.deepEqual(rows.find((r) => r[0] === '收款人'), ['收款人', '项目', '现金（元）', 'POS（元）', '转账（元）', '合计（元）']);
  t.deepEqual(rows.find((r) => r[0] === BURSAR && r[1] === '收款'), [BURSAR, '收款', ...yuan(payments)]);
  t.deepEqual(rows.find((r) => r[0] === BURSAR && r[1] === '冲正'), [BURSAR, '冲正', ...yuan(reversals)]);
  t.deepEqual(rows.find((r) => r[0] === BURSAR && r[1] === '应交'), [BURSAR, '应交', ...yuan(net)]);
  t.deepEqual(rows.find((r) => r[0] === '合计'), ['合计', '应交', ...yuan(net)]);

  // 5. Both exports are in the audit log, as hers.
  const audited = await db
    .collection<{ action: string; objectId: string; actor: { username: string }; after: { format: string; day: string } }>('audit_logs')
    .find({ action: 'report.export', objectId: 'cash-report' })
    .toArray();
  t.deepEqual(audited.map((e) => [e.actor.username, e.after.format, e.after.day]).sort(), [
    ['demo.bursar', 'pdf', today],
    ['demo.bursar', 'xlsx', today],
  ]);
});
