/**
 * Issue 8, bank insights, leads and consent, as the people involved use them.
 *
 * Arranged through the server's API and the WeChat sandbox: tuition billed to
 * a class of each campus and paid online by four families with four banks'
 * cards (the bank's own ICBC debit and credit cards, an ABC debit card, a CMB
 * credit card), the daily rollups folded and the tag rules run. The rule
 * 他行卡支付 tags the two families that paid with other banks' cards; one of
 * them has consented to hear from the bank.
 *
 * The branch manager signs in, reads the dashboard (money collected, card
 * share, schools), drills into the east campus, opens the masked lead list
 * (only the consented family), and reveals one phone with a reason, which is
 * audited. The other tagged parent, in the H5 build, finds 银行联系授权 under
 * 我的, grants consent with the phone the school holds and withdraws it: the
 * lead appears for the bank and disappears again at once. Last, a platform
 * admin tightens the rules in 洞察规则 (a yuan threshold, a payment count)
 * and the families are re-tagged by the background job.
 */
import { isDeepStrictEqual } from 'node:util';
import { SandboxControl } from '@campuspay/wechat-sandbox';
import { maskPhone, type BankInsightSettings, type BillBatch, type FeeItem, type LeadsPage } from '@campuspay/shared';
import type { ApiClient } from '@campuspay/server/testing';
import type { Page } from 'playwright-core';
import { clickInDialog } from './support/antd.ts';
import { expectStatus, staffLogin, waitFor } from './support/api.ts';
import { browserTest } from './support/browser-test.ts';
import { DEMO_PASSWORD, adminLogin, eventually, h5Login, openMenu, see, seeText, taroButton, type Platform } from './support/platform.ts';
import { personalDataCipher } from '../../server/src/modules/people/people.service.ts';
import { rollupsService } from '../../server/src/modules/insights/rollups.service.ts';
import { registryService } from '../../server/src/modules/insights/registry.service.ts';
import { leadsService } from '../../server/src/modules/leads/leads.service.ts';
import { leadId } from '../../server/src/modules/leads/lead.models.ts';

const test = browserTest('insights');

const EAST_CLASS = 'campus_demo_east_div1_g4_c1';
const WEST_CLASS = 'campus_demo_west_div1_g1_c1';
const EAST_TUITION_FEN = 1_800_000;
const WEST_TUITION_FEN = 2_600_000;

interface Family {
  openid: string;
  studentNo: string;
  parentId: string;
  lead: string;
  /** The guardian phone the school holds for the child (decrypted here, never shown in lists). */
  phone: string;
  api: ApiClient;
}

interface Arranged {
  branch: ApiClient;
  /** Paid with a CMB credit card and consented: the lead the branch manager reveals. */
  consenting: Family;
  /** Paid with an ABC debit card, not consented yet: the parent in the H5 build. */
  h5Parent: Family;
}

let arranged: Promise<Arranged> | undefined;

/** Payments with four banks' cards at both campuses, rollups folded, tags computed, one consent granted. */
async function arrange(platform: Platform): Promise<Arranged> {
  const { server, sandbox } = platform;
  const db = server.deps.db;
  const control = new SandboxControl(sandbox.url);
  const group = await staffLogin(platform, 'demo.group');
  const operator = await staffLogin(platform, 'demo.platform');
  const branch = await staffLogin(platform, 'demo.branch');

  // The bank's own cards are ICBC's; the 他行卡支付 rule fires after one payment with another bank's card.
  const settings = await expectStatus('tag rules', operator.get<BankInsightSettings>('/api/v1/admin/insights/tag-rules'), 200);
  settings.rules.otherBankCard = { enabled: true, minPayments: 1 };
  await expectStatus(
    'saving tag rules',
    operator.request('PUT', '/api/v1/admin/insights/tag-rules', {
      body: { ownBankCodes: ['ICBC'], wechatFeeRateBp: 60, rules: settings.rules, consent: { title: settings.consent.title, text: settings.consent.text } },
    }),
    200,
  );

  const payee = await expectStatus(
    'payee account',
    group.post<{ id: string }>('/api/v1/admin/payee-accounts', { name: '明德教育集团 基本户', mchid: sandbox.merchants[0]!.mchid, bankName: '示范商业银行城东支行', bankAccount: '6222021001000000001', nodeId: 'group_demo' }),
    201,
  );
  const item = await expectStatus(
    'fee item',
    group.post<FeeItem>('/api/v1/admin/fee-items', {
      name: '学费',
      category: 'tuition',
      period: { kind: 'term', academicYear: '2026-2027', term: 1 },
      prices: [
        { nodeId: 'campus_demo_east', amountFen: EAST_TUITION_FEN },
        { nodeId: 'campus_demo_west', amountFen: WEST_TUITION_FEN },
      ],
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
  const draft = await expectStatus('bill batch', group.post<BillBatch>('/api/v1/admin/bill-batches', { feeItemId: item.id, target: { nodeIds: [EAST_CLASS, WEST_CLASS] } }), 201);
  await expectStatus('publishing', group.post(`/api/v1/admin/bill-batches/${draft.id}/publish`), 202);
  await waitFor('bills published', async () => (await group.get<BillBatch>(`/api/v1/admin/bill-batches/${draft.id}`)).body.status === 'published');

  const cipher = personalDataCipher(server.deps);
  const students = db.collection<{ _id: string; studentNo: string; name: string; campusId: string; guardianIds: string[] }>('students');
  const east = await students.find({ classId: EAST_CLASS }).sort({ studentNo: 1 }).limit(3).toArray();
  const west = await students.find({ classId: WEST_CLASS }).sort({ studentNo: 1 }).limit(1).toArray();

  async function familyPaying(openid: string, student: (typeof east)[number], bankType: string): Promise<Family> {
    const { code } = await control.loginCode(openid);
    const { token } = await expectStatus('parent login', server.api.post<{ token: string }>('/api/v1/parent/auth/wechat', { code }), 200);
    const api = server.api.withToken(token);
    const schoolCode = student.campusId === 'campus_demo_east' ? 'MDE001' : 'MDW001';
    await expectStatus(`binding ${student.studentNo}`, api.post('/api/v1/parent/children', { schoolCode, studentNo: student.studentNo, studentName: student.name }), 201);
    const bill = await db.collection('bills').findOne({ studentId: student._id, feeItemId: item.id });
    const order = await expectStatus('order', api.post<{ orderId: string; payParams: { package: string } }>('/api/v1/parent/orders', { billIds: [String(bill?._id)] }), 201);
    await control.pay(order.payParams.package.replace('prepay_id=', ''), { bankType });
    await waitFor(`order ${order.orderId} applied`, async () => (await db.collection('orders').findOne({ _id: order.orderId as never }))?.billsApplied === true);
    const parent = await db.collection('parents').findOne({ openid });
    const guardian = await db.collection('guardians').findOne({ _id: student.guardianIds[0] as never });
    return { openid, studentNo: student.studentNo, parentId: String(parent!._id), lead: leadId('bank_demo', String(parent!._id)), phone: cipher.decrypt(String(guardian!.phoneEnc)), api };
  }

  const consenting = await familyPaying('e2e-insights-cmb', east[0]!, 'CMB_CREDIT');
  await familyPaying('e2e-insights-icbc', east[1]!, 'ICBC_DEBIT');
  const h5Parent = await familyPaying('e2e-insights-abc', east[2]!, 'ABC_DEBIT');
  await familyPaying('e2e-insights-west', west[0]!, 'ICBC_CREDIT');

  // What the scheduled jobs do: fold the day's payments into the rollups, count reach, tag families.
  await rollupsService(server.deps).foldAll();
  await registryService(server.deps).refresh();
  await leadsService(server.deps).recomputeBank('bank_demo');

  const consents = await expectStatus('consents', consenting.api.get<{ items: { version: number }[] }>('/api/v1/parent/consents'), 200);
  await expectStatus(
    'granting consent',
    consenting.api.post('/api/v1/parent/consents', { action: 'grant', bankId: 'bank_demo', version: consents.items[0]!.version, phone: consenting.phone }),
    200,
  );
  return { branch, consenting, h5Parent };
}

/**
 * Waits until `read` answers `expected` (a page still loading, a background job still running) and
 * returns the last answer for the test to assert on; a failed ava assertion inside the retries would
 * fail the test even if a later try passed.
 */
async function settlesTo<T>(read: () => Promise<T>, expected: T, timeout?: number): Promise<T> {
  let last: T | undefined;
  try {
    await eventually(
      async () => {
        last = await read();
        if (!isDeepStrictEqual(last, expected)) throw new Error(`not yet: ${JSON.stringify(last)}`);
      },
      timeout ? { timeout, interval: 500 } : {},
    );
  } catch {
    // The caller's assertion reports the difference.
  }
  return last as T;
}

async function leadIds(branch: ApiClient): Promise<string[]> {
  const page = await expectStatus('leads', branch.get<LeadsPage>('/api/v1/admin/insights/leads'), 200);
  return page.items.map((lead) => lead.id);
}

async function dataValue(page: Page, testId: string): Promise<string | null> {
  return page.getByTestId(testId).first().getAttribute('data-value');
}

/** The rendered card-class rows: class → [amount in fen, count]. */
async function cardRows(page: Page): Promise<Record<string, [number, number]>> {
  const rows = await page.getByTestId('insights-card-row').evaluateAll((els) =>
    els.map((el) => [el.getAttribute('data-card-class'), Number(el.getAttribute('data-amount')), Number(el.getAttribute('data-count'))] as const),
  );
  return Object.fromEntries(rows.map(([cardClass, amount, count]) => [String(cardClass), [amount, count]]));
}

test('a branch manager reads the dashboard, drills into a school, and reveals one consented lead with a reason', async (t) => {
  const { page, platform } = t.context;
  const { branch, consenting, h5Parent } = await (arranged ??= arrange(platform));

  await adminLogin(page, platform, 'demo.branch');
  await openMenu(page, '经营洞察', '洞察概览');

  // The branch: both campuses, every payment.
  await see(page.locator('[data-testid="insights-node"][data-node-id="branch_demo_sub"]'));
  const total = 3 * EAST_TUITION_FEN + WEST_TUITION_FEN;
  t.is(await settlesTo(() => dataValue(page, 'insights-figure-collected'), String(total)), String(total));
  t.is(await dataValue(page, 'insights-figure-payers'), '4', 'four parents paid online');
  await see(page.getByTestId('insights-figure-collected').getByText('¥80,000.00'));
  await see(page.getByTestId('insights-figure-uplift').getByText('暂无余额数据'));
  await see(page.getByTestId('insights-trend-chart').locator('canvas'));
  await see(page.getByTestId('insights-card-share-chart').locator('canvas'));
  t.deepEqual(await cardRows(page), {
    own_debit: [EAST_TUITION_FEN, 1],
    own_credit: [WEST_TUITION_FEN, 1],
    other_debit: [EAST_TUITION_FEN, 1],
    other_credit: [EAST_TUITION_FEN, 1],
  });
  t.is(await dataValue(page, 'insights-own-card-share'), '5500', 'ICBC cards carried ¥44,000 of ¥80,000');
  await see(page.locator('[data-testid="insights-bank-type-row"][data-bank-type="CMB_CREDIT"][data-card-class="other_credit"]'));
  const east = page.locator('[data-testid="insights-school-row"][data-campus-id="campus_demo_east"]');
  await see(east);
  t.is(await east.getAttribute('data-net'), String(3 * EAST_TUITION_FEN));
  t.is(await page.locator('[data-testid="insights-school-row"][data-campus-id="campus_demo_west"]').getAttribute('data-net'), String(WEST_TUITION_FEN));

  // Drill into the east campus: its own figures and card share, nothing of the west.
  await east.getByTestId('insights-school-open').click();
  await see(page.locator('[data-testid="insights-node"][data-node-id="campus_demo_east"]'));
  await see(page.getByTestId('insights-node').getByText(/明德东校区/));
  t.is(await settlesTo(() => dataValue(page, 'insights-figure-collected'), String(3 * EAST_TUITION_FEN)), String(3 * EAST_TUITION_FEN));
  t.is(await dataValue(page, 'insights-figure-payers'), '3');
  const eastCards: Record<string, [number, number]> = { own_debit: [EAST_TUITION_FEN, 1], other_debit: [EAST_TUITION_FEN, 1], other_credit: [EAST_TUITION_FEN, 1] };
  t.deepEqual(await settlesTo(() => cardRows(page), eastCards), eastCards);
  t.is(await page.getByTestId('insights-school-row').count(), 0, 'a single campus has no ranking below it');
  await page.getByTestId('insights-back').click();
  await see(page.locator('[data-testid="insights-node"][data-node-id="branch_demo_sub"]'));

  // Leads: two families tagged, only the consenting one listed, masked.
  await openMenu(page, '经营洞察', '商机线索');
  const otherCard = page.locator('[data-testid="lead-tag-count"][data-tag="other_bank_card"]');
  await see(otherCard);
  t.is(await otherCard.getAttribute('data-families'), '2');
  t.is(await otherCard.getAttribute('data-consented'), '1');
  const row = page.locator(`[data-testid="lead-row"][data-lead-id="${consenting.lead}"]`);
  await see(row);
  t.is(await page.getByTestId('lead-row').count(), 1, 'the family without consent is not listed');
  t.is(await page.locator(`[data-testid="lead-row"][data-lead-id="${h5Parent.lead}"]`).count(), 0);
  await see(row.getByTestId('lead-phone-masked').getByText(maskPhone(consenting.phone), { exact: true }));
  await see(row.locator('[data-testid="lead-tag"][data-tag="other_bank_card"]'));
  await see(row.getByText('明德东校区 小学部'));
  t.false((await page.content()).includes(consenting.phone), 'the full phone is nowhere on the page');
  // The evidence behind the tag.
  await row.locator('.ant-table-row-expand-icon').click();
  await see(page.getByTestId('lead-evidence').getByText(/CMB_CREDIT/));
  await see(page.getByTestId('lead-evidence').getByText(/¥18,000.00/));

  // Reveal: a reason is required, then the number shows once, and the reveal is audited.
  const audits = platform.server.deps.db.collection('audit_logs');
  t.is(await audits.countDocuments({ action: 'lead.reveal' }), 0);
  await row.getByTestId('lead-reveal').click();
  const modal = page.getByTestId('lead-reveal-modal');
  await see(modal.getByText('查看原因'));
  await clickInDialog(page.getByTestId('lead-reveal-submit'));
  await see(modal.getByText('请说明查看完整手机号的原因（至少 4 个字）'));
  t.is(await audits.countDocuments({ action: 'lead.reveal' }), 0, 'nothing revealed without a reason');
  const reason = '家长预约办理信用卡，电话确认时间';
  await page.getByTestId('lead-reveal-reason').fill(reason);
  await page.getByTestId('lead-reveal-submit').click();
  await see(page.getByTestId('lead-revealed-phone').getByText(consenting.phone, { exact: true }));
  const audit = await audits.findOne({ action: 'lead.reveal', objectId: consenting.lead });
  t.like(audit, { reason, objectType: 'lead', actor: { username: 'demo.branch' } });
  t.false(JSON.stringify(audit).includes(consenting.phone), 'the audit entry keeps the masked phone only');
  await page.getByTestId('lead-reveal-close').click();
  await page.getByTestId('lead-revealed-phone').waitFor({ state: 'detached' });
  t.false((await page.content()).includes(consenting.phone), 'closed: the number is gone from the page');

  // The same list, as the bank's API answers it.
  t.deepEqual(await leadIds(branch), [consenting.lead]);
});

test('a parent in the H5 build grants consent under 我的, then withdraws it, and the lead goes at once', async (t) => {
  const { page, platform } = t.context;
  const { branch, consenting, h5Parent } = await (arranged ??= arrange(platform));
  const consents = platform.server.deps.db.collection('consents');

  await h5Login(page, platform, h5Parent.openid);
  await page.locator('.home__me').click();
  await seeText(page, '银行联系授权');
  await page.getByText('银行联系授权', { exact: true }).click();

  // What is shared, with whom, and the exact text being agreed to.
  await seeText(page, '这是一项单独的、可选的授权，与缴费无关。您可以随时同意或撤回。');
  const card = page.locator('.consent-card');
  await see(card.getByText('示范商业银行', { exact: true }));
  await see(card.getByText('未同意', { exact: true }));
  await see(card.getByText(/示范商业银行（本缴费平台的运营银行），不会提供给其他机构/));
  await see(card.getByText(/孩子的姓名、学号、班级和成绩/));
  await see(card.getByText(/同意示范商业银行联系我介绍金融服务（第 1 版）/));
  await see(card.getByText(/不同意也可以正常缴费/).first());

  // A number the school does not hold for the child is refused.
  const phoneBox = page.getByRole('spinbutton', { name: '请输入学校登记的监护人手机号', exact: true });
  await phoneBox.fill('13799998888');
  await taroButton(page, '我已阅读并同意').click();
  await seeText(page, '该手机号与学校登记的监护人手机号不一致，请填写学校登记的手机号');
  t.is(await consents.countDocuments({ parentId: h5Parent.parentId, status: 'granted' }), 0);

  // The guardian phone the school holds: granted, and the family becomes a lead for the bank.
  await phoneBox.fill(h5Parent.phone);
  await taroButton(page, '我已阅读并同意').click();
  await see(card.getByText('已同意', { exact: true }));
  await see(card.getByText(new RegExp(`同意第 1 版说明，联系手机 ${maskPhone(h5Parent.phone).replace(/\*/g, '\\*')}`)));
  t.like(await consents.findOne({ parentId: h5Parent.parentId }), { status: 'granted', grantedVersion: 1, phoneMasked: maskPhone(h5Parent.phone) });
  t.deepEqual((await leadIds(branch)).sort(), [consenting.lead, h5Parent.lead].sort());

  // Withdrawn: gone from the bank's list and unrevealable straight away.
  await taroButton(page, '撤回同意').click();
  await see(card.getByText('已撤回', { exact: true }));
  t.like(await consents.findOne({ parentId: h5Parent.parentId }), { status: 'withdrawn', phoneEnc: null, phoneMasked: null });
  t.deepEqual(await leadIds(branch), [consenting.lead]);
  const reveal = await branch.post<{ code: string }>(`/api/v1/admin/insights/leads/${h5Parent.lead}/reveal`, { reason: '核实家长身份' });
  t.is(reveal.status, 404, 'a withdrawn lead cannot be revealed');

  // Kept by the server: a fresh load shows the withdrawal.
  await page.reload();
  await see(page.locator('.consent-card').getByText('已撤回', { exact: true }));
});

test('a platform admin changes the tag rules in 洞察规则: thresholds are typed in yuan, saved in fen, and families re-tagged', async (t) => {
  const { page, platform } = t.context;
  const { branch } = await (arranged ??= arrange(platform));
  const operator = await staffLogin(platform, 'demo.platform');
  const counts = async () =>
    Object.fromEntries((await expectStatus('leads', branch.get<LeadsPage>('/api/v1/admin/insights/leads'), 200)).summary.map((s) => [s.tag, s.families]));
  t.like(await counts(), { high_net_worth: 0, other_bank_card: 2 });

  await adminLogin(page, platform, 'demo.platform');
  await openMenu(page, '经营洞察', '洞察规则');
  const annual = page.getByTestId('insight-rule-annual-fees');
  t.is(await settlesTo(() => annual.inputValue(), '50000.00'), '50000.00');
  // ¥20,000 a year makes the west family (¥26,000 tuition) high-net-worth; two payments with other banks' cards are now needed.
  await annual.fill('20,000');
  await page.getByTestId('insight-rule-other-bank-card').getByRole('spinbutton').fill('2');
  await page.getByTestId('insight-rules-save').click();
  await seeText(page, '已保存，正在按新规则重算家庭标签');

  const saved = await expectStatus('tag rules', operator.get<BankInsightSettings>('/api/v1/admin/insights/tag-rules'), 200);
  t.is(saved.rules.highNetWorth.annualFeesFen, 2_000_000);
  t.is(saved.rules.otherBankCard.minPayments, 2);
  t.deepEqual(saved.ownBankCodes, ['ICBC'], 'the rest of the settings are kept');
  t.is(saved.consent.version, 1, 'an unchanged consent text keeps its version');
  const retagged = async () => {
    const now = await counts();
    return { high_net_worth: now.high_net_worth, other_bank_card: now.other_bank_card };
  };
  t.deepEqual(await settlesTo(retagged, { high_net_worth: 1, other_bank_card: 0 }, 60_000), { high_net_worth: 1, other_bank_card: 0 });
});
