import test from 'ava';
import ExcelJS from 'exceljs';
import { INSIGHT_EXPORTS, addDays, businessDay, maskPhone, type BankInsightSettings, type BillBatch, type FeeItem, type LeadsPage, type ParentConsent } from '@campuspay/shared';
import { startPaymentsPlatform, type PaymentsPlatform } from '../../testing/payments-platform.ts';
import type { ApiClient } from '../../testing/index.ts';
import { apiRoutes } from '../index.ts';
import { DEMO_PASSWORD } from '../demo/demo-seed.ts';
import { hashPassword } from '../auth/auth.service.ts';
import { StaffUserModel } from '../auth/staff-user.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { rollupsService } from '../insights/rollups.service.ts';
import { registryService } from '../insights/registry.service.ts';
import { leadId, type LeadFamilyDoc } from './lead.models.ts';

/**
 * Families and what the rules should make of them (thresholds set below):
 *   hnw     – paid ¥24,000 tuition with an ICBC debit card      → high_net_worth (annual fees)
 *   card    – paid a 留学 fee item with a CMB credit card        → study_abroad (fee items), other_bank_card
 *   intl    – a child in the west campus's international division → high_net_worth + study_abroad (division)
 *   multi   – two children bound                                  → multi_child
 *   teacher – the child's mother is on the school's staff list    → payroll_prospect
 *   plain   – a child with no bills                               → nothing
 */

interface OrderAnswer {
  orderId: string;
  payParams: { package: string } | null;
}
interface Family {
  openid: string;
  studentNos: string[];
  api: ApiClient;
  parentId: string;
  lead: string;
  /** Every guardian phone of the family's children, and names: must never leak without consent. */
  phones: string[];
  names: string[];
}

let p: PaymentsPlatform;
let branch: ApiClient;
let platform: ApiClient;
const fam = {} as Record<'hnw' | 'card' | 'intl' | 'multi' | 'teacher' | 'plain', Family>;
const TUITION_CLASS = 'campus_demo_east_div1_g4_c1';
const ABROAD_CLASS = 'campus_demo_east_div1_g4_c2';
const PLAIN_CLASS = 'campus_demo_east_div1_g5_c1';
const INTL_CLASS = 'campus_demo_west_div2_g2_c1';
const today = businessDay();

const db = () => p.server.deps.db;

async function students(classId: string, n: number, skip = 0): Promise<{ no: string; id: string; name: string; guardianIds: string[] }[]> {
  return (await db().collection('students').find({ classId }).sort({ studentNo: 1 }).skip(skip).limit(n).toArray()).map((s) => ({
    no: String(s.studentNo),
    id: String(s._id),
    name: String(s.name),
    guardianIds: s.guardianIds as string[],
  }));
}

async function guardiansOf(guardianIds: string[]): Promise<{ phone: string; name: string }[]> {
  const cipher = personalDataCipher(p.server.deps);
  const docs = await db().collection('guardians').find({ _id: { $in: guardianIds as never[] } }).toArray();
  return docs.map((g) => ({ phone: cipher.decrypt(String(g.phoneEnc)), name: String(g.name) }));
}

async function family(key: keyof typeof fam, openid: string, list: { no: string; guardianIds: string[]; name: string }[]): Promise<Family> {
  const api = await p.parent(openid, list.map((s) => s.no));
  const parent = await db().collection('parents').findOne({ openid });
  const gs = await guardiansOf(list.flatMap((s) => s.guardianIds));
  const f: Family = {
    openid,
    studentNos: list.map((s) => s.no),
    api,
    parentId: String(parent!._id),
    lead: leadId('bank_demo', String(parent!._id)),
    phones: gs.map((g) => g.phone),
    names: [...gs.map((g) => g.name), ...list.map((s) => s.name)],
  };
  fam[key] = f;
  return f;
}

async function billOf(studentNo: string, feeItemId: string): Promise<string> {
  const s = await db().collection('students').findOne({ studentNo });
  return String((await db().collection('bills').findOne({ studentId: s?._id, feeItemId }))?._id);
}

async function payOnline(parent: ApiClient, billIds: string[], bankType: string): Promise<void> {
  const order = await parent.post<OrderAnswer>('/api/v1/parent/orders', { billIds });
  if (order.status !== 201) throw new Error(JSON.stringify(order.body));
  await p.control.pay(order.body.payParams!.package.replace('prepay_id=', ''), { bankType });
  await p.waitFor('applied', async () => (await db().collection('orders').findOne({ _id: order.body.orderId as never }))?.billsApplied === true);
}

async function settings(): Promise<BankInsightSettings> {
  return (await platform.get<BankInsightSettings>('/api/v1/admin/insights/tag-rules')).body;
}

async function saveRules(change: (r: BankInsightSettings['rules']) => void): Promise<string> {
  const s = await settings();
  change(s.rules);
  const res = await platform.request<{ recomputeJobId: string }>('PUT', '/api/v1/admin/insights/tag-rules', {
    body: { ownBankCodes: ['ICBC'], wechatFeeRateBp: 60, rules: s.rules, consent: { title: s.consent.title, text: s.consent.text } },
  });
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res.body.recomputeJobId;
}

async function jobDone(id: string): Promise<void> {
  await p.waitFor(`job ${id}`, async () => {
    const job = await db().collection('jobs').findOne({ _id: id as never });
    if (job?.status === 'failed') throw new Error(`job ${id} failed: ${job.lastError}`);
    return job?.status === 'succeeded';
  });
}

async function tagsOf(f: Family): Promise<LeadFamilyDoc | null> {
  return (await db().collection('lead_families').findOne({ _id: f.lead as never })) as unknown as LeadFamilyDoc | null;
}

async function grant(f: Family, phone = f.phones[0]!): Promise<{ status: number; body: ParentConsent & { code?: string } }> {
  const current = (await f.api.get<{ items: ParentConsent[] }>('/api/v1/parent/consents')).body.items[0]!;
  return f.api.post<ParentConsent & { code?: string }>('/api/v1/parent/consents', { action: 'grant', bankId: 'bank_demo', version: current.version, phone });
}

test.before(async (t) => {
  // Six families, two fee items and sandbox payments: minutes on a busy machine.
  t.timeout(10 * 60_000);
  p = await startPaymentsPlatform('leads', { insightsFoldSeconds: 3600 });
  branch = await p.server.loginAs('demo.branch');
  platform = await p.server.loginAs('demo.platform');
  await saveRules((r) => {
    r.highNetWorth = { enabled: true, annualFeesFen: 2_000_000, singleBillFen: 2_500_000, internationalDivision: true };
    r.studyAbroad = { enabled: true, internationalDivision: true, feeItemKeywords: ['留学'] };
    r.otherBankCard = { enabled: true, minPayments: 1 };
    r.multiChild = { enabled: true, minChildren: 2 };
    r.payrollProspect = { enabled: true };
  });

  const tuition = await p.issue({ classId: TUITION_CLASS, amountFen: 2_400_000 });
  const abroad = await p.issue({ classId: ABROAD_CLASS, amountFen: 50_000, name: '留学预备课程费', category: 'other' });
  const tuitionKids = await students(TUITION_CLASS, 5);
  const a = await students(ABROAD_CLASS, 1);
  await family('hnw', 'lead-hnw', [tuitionKids[0]!]);
  await family('multi', 'lead-multi', [tuitionKids[1]!, tuitionKids[2]!]);
  await family('teacher', 'lead-teacher', [tuitionKids[3]!]);
  await family('card', 'lead-card', [a[0]!]);
  await family('intl', 'lead-intl', await students(INTL_CLASS, 1));
  await family('plain', 'lead-plain', await students(PLAIN_CLASS, 1));

  await payOnline(fam.hnw.api, [await billOf(fam.hnw.studentNos[0]!, tuition[0]!.feeItemId)], 'ICBC_DEBIT');
  await payOnline(fam.card.api, [await billOf(fam.card.studentNos[0]!, abroad[0]!.feeItemId)], 'CMB_CREDIT');

  // The school shares its staff list: the teacher family's mother is on it.
  const mother = (await guardiansOf(tuitionKids[3]!.guardianIds)).map((g) => g.phone);
  const csv = `姓名,手机号\n张老师,${mother[1]}\n李老师,13711112222\n`;
  const form = new FormData();
  form.set('nodeId', 'group_demo');
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'staff.csv');
  const shared = await fetch(new URL('/api/v1/admin/insights/staff-lists/import', p.server.url), { method: 'POST', body: form, headers: { authorization: `Bearer ${(p.group as unknown as { token: string }).token}` } });
  if (shared.status !== 201) throw new Error(`staff list: ${shared.status} ${await shared.text()}`);

  await rollupsService(p.server.deps).foldAll();
  await registryService(p.server.deps).refresh();
});
test.after.always(() => p?.stop());

test.serial('tags follow payments as they happen, then the nightly job tags every family with its evidence', async (t) => {
  // The folder queued a refresh for the families whose bills moved.
  const hnw = await p.waitFor('hnw tagged', () => tagsOf(fam.hnw));
  t.deepEqual(hnw.tags, ['high_net_worth']);
  t.like(hnw.evidence.high_net_worth?.[0], { rule: 'annual_fees', figures: { netFeesFen: 2_400_000, thresholdFen: 2_000_000 } });
  const card = await p.waitFor('card tagged', () => tagsOf(fam.card));
  t.deepEqual(card.tags, ['study_abroad', 'other_bank_card']);
  t.like(card.evidence.other_bank_card?.[0], { rule: 'other_bank_card', figures: { payments: 1, amountFen: 50_000, bankTypes: ['CMB_CREDIT'] } });
  t.like(card.evidence.study_abroad?.[0], { rule: 'study_abroad_fee_items', figures: { feeItems: 1, keywords: ['留学'] } });

  const nightly = await p.server.deps.jobs.enqueue('insights.nightly', {}, { id: 'nightly-test-1' });
  await jobDone(nightly.id);
  const intl = (await tagsOf(fam.intl))!;
  t.deepEqual(intl.tags, ['high_net_worth', 'study_abroad']);
  t.deepEqual(intl.evidence.high_net_worth?.map((e) => e.rule), ['international_division']);
  t.deepEqual(intl.evidence.study_abroad?.[0]?.figures.schools, ['明德西校区 国际部']);
  t.deepEqual(intl.schools.map((s) => [s.campusName, s.divisionName, s.international]), [['明德西校区', '国际部', true]]);
  t.deepEqual((await tagsOf(fam.multi))!.tags, ['multi_child']);
  t.like((await tagsOf(fam.multi))!.evidence.multi_child?.[0], { figures: { children: 2, threshold: 2 } });
  t.deepEqual((await tagsOf(fam.teacher))!.tags, ['payroll_prospect']);
  t.deepEqual((await tagsOf(fam.teacher))!.evidence.payroll_prospect?.[0]?.figures.schools, ['明德教育集团']);
  t.is(await tagsOf(fam.plain), null);
  // Nothing about the children beyond school and division is kept with a tag.
  for (const f of Object.values(fam)) {
    const doc = JSON.stringify(await tagsOf(f));
    for (const n of f.names) t.false(doc.includes(n), `family ${f.openid} keeps no name`);
    for (const no of f.studentNos) t.false(doc.includes(no));
    t.false(/_g\d+(_c\d+)?\b/.test(doc), 'no grade or class');
  }

  const page = await branch.get<LeadsPage>('/api/v1/admin/insights/leads');
  t.is(page.status, 200);
  t.deepEqual(page.body.items, [], 'nobody consented yet: no list');
  const counts = Object.fromEntries(page.body.summary.map((s) => [s.tag, [s.families, s.consented]]));
  t.deepEqual(counts, { high_net_worth: [2, 0], study_abroad: [2, 0], other_bank_card: [1, 0], multi_child: [1, 0], payroll_prospect: [1, 0] });
});

test.serial('rules react to setting changes: thresholds are settings, tags are recomputed', async (t) => {
  await jobDone(await saveRules((r) => (r.highNetWorth.annualFeesFen = 3_000_000)));
  t.is(await tagsOf(fam.hnw), null, '¥24,000 is below ¥30,000 now');
  await jobDone(await saveRules((r) => (r.highNetWorth.singleBillFen = 2_000_000)));
  for (const f of [fam.hnw, fam.multi, fam.teacher]) {
    const doc = (await tagsOf(f))!;
    t.true(doc.tags.includes('high_net_worth'), f.openid);
    t.like(doc.evidence.high_net_worth?.find((e) => e.rule === 'single_bill'), { figures: { largestBillFen: 2_400_000, thresholdFen: 2_000_000 } });
  }
  await jobDone(
    await saveRules((r) => {
      r.highNetWorth.annualFeesFen = 2_000_000;
      r.highNetWorth.singleBillFen = 2_500_000;
      r.multiChild.enabled = false;
    }),
  );
  t.is(await tagsOf(fam.multi), null);
  t.deepEqual((await tagsOf(fam.hnw))!.tags, ['high_net_worth']);
  await jobDone(await saveRules((r) => (r.multiChild.enabled = true)));
  t.deepEqual((await tagsOf(fam.multi))!.tags, ['multi_child']);
});

test.serial('consent: the parent reads the exact text and version, confirms a guardian phone, and becomes a lead with masked contact and evidence', async (t) => {
  const list = await fam.hnw.api.get<{ items: ParentConsent[] }>('/api/v1/parent/consents');
  t.is(list.status, 200);
  t.is(list.body.items.length, 1);
  const c = list.body.items[0]!;
  t.like(c, { bankId: 'bank_demo', bankName: '示范商业银行', status: 'none', version: 1 });
  t.regex(c.text, /不同意也可以正常缴费/);
  t.regex(c.text, /随时.*撤回/);

  const stranger = await fam.hnw.api.post<{ code: string }>('/api/v1/parent/consents', { action: 'grant', bankId: 'bank_demo', version: c.version, phone: '13799998888' });
  t.is(stranger.status, 422, 'a phone the school does not hold for their child is refused');
  const stale = await fam.hnw.api.post<{ code: string }>('/api/v1/parent/consents', { action: 'grant', bankId: 'bank_demo', version: c.version + 1, phone: fam.hnw.phones[0]! });
  t.is(stale.status, 409, 'a text the parent has not seen cannot be consented to');
  const otherBank = await fam.hnw.api.post<{ code: string }>('/api/v1/parent/consents', { action: 'grant', bankId: 'bank_other', version: 1, phone: fam.hnw.phones[0]! });
  t.is(otherBank.status, 404);

  const granted = await grant(fam.hnw);
  t.is(granted.status, 200, JSON.stringify(granted.body));
  t.like(granted.body, { status: 'granted', grantedVersion: 1, phoneMasked: maskPhone(fam.hnw.phones[0]!) });
  const event = await db().collection('consent_events').findOne({ parentId: fam.hnw.parentId, action: 'grant' });
  t.like(event, { version: 1, text: c.text, title: c.title, phoneMasked: maskPhone(fam.hnw.phones[0]!) });
  const stored = await db().collection('consents').findOne({ parentId: fam.hnw.parentId });
  t.false(JSON.stringify(stored).includes(fam.hnw.phones[0]!), 'the phone is stored encrypted');
  t.is((await grant(fam.card)).status, 200);

  const page = await branch.get<LeadsPage>('/api/v1/admin/insights/leads');
  t.deepEqual(page.body.items.map((l) => l.id).sort(), [fam.hnw.lead, fam.card.lead].sort());
  const lead = page.body.items.find((l) => l.id === fam.hnw.lead)!;
  t.like(lead, { status: 'new', consentVersion: 1, contact: { phoneMasked: maskPhone(fam.hnw.phones[0]!) } });
  t.regex(lead.contact.nameMasked, /^.\*+$/);
  t.deepEqual(lead.tags.map((x) => x.tag), ['high_net_worth']);
  t.is(lead.tags[0]!.evidence[0]!.rule, 'annual_fees');
  t.deepEqual(lead.schools, [{ groupName: '明德教育集团', campusName: '明德东校区', divisionName: '小学部', international: false }]);
  const counts = Object.fromEntries(page.body.summary.map((s) => [s.tag, [s.families, s.consented]]));
  t.like(counts, { high_net_worth: [2, 1], study_abroad: [2, 1], other_bank_card: [1, 1] });
  const filtered = await branch.get<LeadsPage>('/api/v1/admin/insights/leads?tag=other_bank_card');
  t.deepEqual(filtered.body.items.map((l) => l.id), [fam.card.lead]);
});

test.serial('revealing a phone needs a reason and is audited; status and notes are kept and audited', async (t) => {
  const noReason = await branch.post(`/api/v1/admin/insights/leads/${fam.hnw.lead}/reveal`, {});
  t.is(noReason.status, 400);
  const revealed = await branch.post<{ phone: string }>(`/api/v1/admin/insights/leads/${fam.hnw.lead}/reveal`, { reason: '家长预约办理信用卡' });
  t.is(revealed.status, 200);
  t.is(revealed.body.phone, fam.hnw.phones[0]!);
  const audit = await db().collection('audit_logs').findOne({ action: 'lead.reveal', objectId: fam.hnw.lead });
  t.like(audit, { reason: '家长预约办理信用卡', actor: { username: 'demo.branch' } });
  t.false(JSON.stringify(audit).includes(fam.hnw.phones[0]!), 'the audit keeps the masked phone only');

  const contacted = await branch.request<{ status: string; notes: { text: string }[] }>('PATCH', `/api/v1/admin/insights/leads/${fam.hnw.lead}`, { body: { status: 'contacted', note: '已电话联系，约周五面谈' } });
  t.is(contacted.status, 200);
  t.like(contacted.body, { status: 'contacted' });
  t.deepEqual(contacted.body.notes.map((n) => n.text), ['已电话联系，约周五面谈']);
  t.truthy(await db().collection('audit_logs').findOne({ action: 'lead.update', objectId: fam.hnw.lead }));
  const bad = await branch.request('PATCH', `/api/v1/admin/insights/leads/${fam.hnw.lead}`, { body: { status: 'won' } });
  t.is(bad.status, 400);
});

test.serial('campaign results: a consented family that opened a card becomes a converted lead; others only count', async (t) => {
  const csv = `手机号,产品,日期\n${fam.hnw.phones[0]},信用卡,${today}\n${fam.multi.phones[0]},借记卡,${today}\n`;
  const form = new FormData();
  form.set('campaign', '开学季信用卡');
  form.set('file', new Blob([csv]), 'campaign.csv');
  const res = await fetch(new URL('/api/v1/admin/insights/campaign-results/import', p.server.url), { method: 'POST', body: form, headers: { authorization: `Bearer ${(branch as unknown as { token: string }).token}` } });
  const body = (await res.json()) as Record<string, unknown>;
  t.is(res.status, 201, JSON.stringify(body));
  t.like(body, { rows: 2, matched: 2, leadsConverted: 1 });
  const lead = (await branch.get<LeadsPage>('/api/v1/admin/insights/leads')).body.items.find((l) => l.id === fam.hnw.lead)!;
  t.is(lead.status, 'converted');
  t.regex(lead.notes[lead.notes.length - 1]!.text, /开学季信用卡.*信用卡/);
  t.is(await db().collection('lead_states').countDocuments({ _id: fam.multi.lead as never }), 0, 'no status is kept for a family without consent');
});

/** Every cell of every sheet, as text. */
async function xlsxText(bytes: ArrayBuffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const out: string[] = [];
  wb.eachSheet((sheet) => {
    out.push(String(sheet.headerFooter.oddHeader ?? ''));
    sheet.eachRow((row) => row.eachCell((cell) => out.push(String(cell.text))));
  });
  return out.join('\n');
}

async function download(api: ApiClient, path: string): Promise<{ status: number; text: string; exportId: string | null }> {
  const res = await fetch(new URL(path, p.server.url), { headers: { authorization: `Bearer ${(api as unknown as { token: string }).token}` } });
  if (res.status !== 200) return { status: res.status, text: await res.text(), exportId: null };
  return { status: 200, text: await xlsxText(await res.arrayBuffer()), exportId: res.headers.get('x-export-id') };
}

test.serial('exports are watermarked with the exporter and time, and audited; the leads export has masked contacts only', async (t) => {
  const file = await download(branch, '/api/v1/admin/insights/export?report=leads');
  t.is(file.status, 200);
  t.regex(file.text, /导出人：客户经理 林涛（demo\.branch）/);
  t.regex(file.text, new RegExp(`导出时间：${today}`));
  t.true(file.text.includes(fam.hnw.lead));
  t.true(file.text.includes(maskPhone(fam.hnw.phones[0]!)));
  t.false(file.text.includes(fam.hnw.phones[0]!), 'never the full phone');
  const audit = await db().collection('audit_logs').findOne({ action: 'insights.export', objectId: file.exportId });
  t.like(audit, { actor: { username: 'demo.branch' }, after: { report: 'leads', format: 'xlsx', rows: 2 } });
  const overview = await download(branch, '/api/v1/admin/insights/export?report=overview');
  t.is(overview.status, 200);
  t.truthy(await db().collection('audit_logs').findOne({ action: 'insights.export', objectId: overview.exportId }));
  t.is((await download(p.group, '/api/v1/admin/insights/export?report=overview')).status, 403, 'school staff cannot export bank insights');
});

test.serial('without consent no identifiable lead is reachable through any route or export', async (t) => {
  t.timeout(10 * 60_000);
  const hidden = [fam.intl, fam.multi, fam.teacher];
  const secrets = hidden.flatMap((f) => [f.lead, f.parentId, ...f.phones, ...f.phones.map(maskPhone), ...f.names, ...f.studentNos]);
  // Nothing about any child beyond school and division, consented or not.
  const childData = Object.values(fam).flatMap((f) => [...f.studentNos]);
  const leaks = (text: string) => [...secrets, ...childData].filter((s) => text.includes(s));
  const routes = apiRoutes(p.server.deps).filter((r) => r.path.startsWith('/admin/insights') || r.path.startsWith('/parent/consents') || r.path.startsWith('/parent/promotions'));
  t.true(routes.length >= 18, `${routes.length} routes`);
  let tried = 0;
  for (const api of [branch, platform]) {
    for (const r of routes.filter((x) => x.method === 'get' && x.auth === 'staff')) {
      const queries =
        r.path === '/admin/insights/export'
          ? INSIGHT_EXPORTS.flatMap((report) => [`?report=${report}`, `?report=${report}&nodeId=campus_demo_west`])
          : ['', '?nodeId=group_demo', '?nodeId=campus_demo_west', `?from=${addDays(today, -30)}&to=${today}`, '?tag=multi_child', '?tag=payroll_prospect'];
      for (const q of queries) {
        const path = `/api/v1${r.path}${q}`;
        const text = r.path === '/admin/insights/export' ? (await download(api, path)).text : JSON.stringify((await api.get(path)).body);
        t.deepEqual(leaks(text), [], `GET ${path}`);
        tried += 1;
      }
    }
    for (const f of hidden) {
      const reveal = await api.post<{ code: string }>(`/api/v1/admin/insights/leads/${f.lead}/reveal`, { reason: '核实家长身份' });
      const missing = await api.post<{ code: string }>('/api/v1/admin/insights/leads/lead_000000000000000000000000/reveal', { reason: '核实家长身份' });
      t.deepEqual([reveal.status, reveal.body.code], [404, missing.body.code], 'reveal: like a lead that does not exist');
      const patch = await api.request<{ code: string }>('PATCH', `/api/v1/admin/insights/leads/${f.lead}`, { body: { status: 'contacted', note: '试探' } });
      t.is(patch.status, 404);
      t.deepEqual(leaks(JSON.stringify([reveal.body, patch.body])), []);
      tried += 2;
    }
    // (The rebuild is left out: it only starts a background job.)
    for (const r of routes.filter((x) => x.method !== 'get' && x.auth === 'staff' && !x.path.includes(':id') && !x.path.endsWith('/rebuild'))) {
      const res = await api.request(r.method.toUpperCase(), `/api/v1${r.path}`, { body: {} });
      t.deepEqual(leaks(JSON.stringify(res.body)), [], `${r.method} ${r.path}`);
      tried += 1;
    }
  }
  // Another parent sees only their own consent and the bank's promotions.
  for (const r of routes.filter((x) => x.auth === 'parent' && x.method === 'get')) {
    const res = await fam.plain.api.get(`/api/v1${r.path}`);
    t.is(res.status, 200);
    t.deepEqual(leaks(JSON.stringify(res.body)), [], r.path);
    tried += 1;
  }
  const audit = JSON.stringify((await platform.get<{ items: unknown[] }>('/api/v1/admin/audit-logs?pageSize=200')).body);
  t.deepEqual(hidden.flatMap((f) => [f.lead, f.parentId, ...f.phones]).filter((s) => audit.includes(s)), [], 'nor through the audit log');
  t.log(`${tried} requests tried`);
});

test.serial('withdrawal takes effect at once: the lead, its reveal, its status and its export are gone', async (t) => {
  const withdrawn = await fam.card.api.post<ParentConsent>('/api/v1/parent/consents', { action: 'withdraw', bankId: 'bank_demo' });
  t.is(withdrawn.status, 200);
  t.like(withdrawn.body, { status: 'withdrawn', phoneMasked: null });
  const page = await branch.get<LeadsPage>('/api/v1/admin/insights/leads');
  t.deepEqual(page.body.items.map((l) => l.id), [fam.hnw.lead]);
  t.is((await branch.post(`/api/v1/admin/insights/leads/${fam.card.lead}/reveal`, { reason: '核实家长身份' })).status, 404);
  t.is((await branch.request('PATCH', `/api/v1/admin/insights/leads/${fam.card.lead}`, { body: { status: 'converted' } })).status, 404);
  t.false((await download(branch, '/api/v1/admin/insights/export?report=leads')).text.includes(fam.card.lead));
  const stored = await db().collection('consents').findOne({ parentId: fam.card.parentId });
  t.like(stored, { status: 'withdrawn', phoneEnc: null, phoneHash: null, phoneMasked: null });
  t.truthy(await db().collection('consent_events').findOne({ parentId: fam.card.parentId, action: 'withdraw' }));
  t.is(await db().collection('lead_states').countDocuments({ _id: fam.card.lead as never }), 0);
  // Counts remain, without identity.
  t.like(Object.fromEntries(page.body.summary.map((s) => [s.tag, s.consented])), { other_bank_card: 0 });
  // Granting again works, for the current text.
  t.is((await grant(fam.card)).status, 200);
  t.deepEqual((await branch.get<LeadsPage>('/api/v1/admin/insights/leads')).body.items.map((l) => l.id).sort(), [fam.hnw.lead, fam.card.lead].sort());
  await fam.card.api.post('/api/v1/parent/consents', { action: 'withdraw', bankId: 'bank_demo' });
});

test.serial('branch scoping holds for leads: another bank\'s manager sees no family of this bank', async (t) => {
  await StaffUserModel(db()).create({
    username: 'other.branch',
    displayName: '外行客户经理',
    passwordHash: await hashPassword(DEMO_PASSWORD),
    grants: [{ role: 'branch_manager', nodeId: 'branch_other' }],
    grantPaths: ['branch_other'],
    mustChangePassword: false,
    passwordChangedAt: new Date(Date.now() - 60_000),
  });
  const other = await p.server.loginAs('other.branch');
  const page = await other.get<LeadsPage>('/api/v1/admin/insights/leads');
  t.is(page.status, 200);
  t.deepEqual(page.body.items, []);
  t.true(page.body.summary.every((s) => s.families === 0));
  t.is((await other.post(`/api/v1/admin/insights/leads/${fam.hnw.lead}/reveal`, { reason: '越权尝试' })).status, 404);
  t.is((await other.get('/api/v1/admin/insights/leads?nodeId=group_demo')).status, 404);
  t.is((await other.get('/api/v1/admin/insights/overview?nodeId=branch_demo_sub')).status, 404);
  t.false((await download(other, '/api/v1/admin/insights/export?report=leads')).text.includes(fam.hnw.lead));
});

test.serial('the promotion slot shows exactly what the bank configured, to the parents of its schools', async (t) => {
  const items = [
    { id: 'card-for-tuition', slot: 'home', title: '办卡缴学费', body: '本行借记卡缴费免手续费', startDay: addDays(today, -1), endDay: addDays(today, 30), enabled: true },
    { id: 'switched-off', slot: 'home', title: '已下线', startDay: addDays(today, -1), endDay: addDays(today, 30), enabled: false },
    { id: 'next-week', slot: 'home', title: '下周开始', startDay: addDays(today, 7), endDay: addDays(today, 30), enabled: true },
    { id: 'west-only', slot: 'payment_result', title: '国际部留学金融', startDay: today, endDay: today, enabled: true, nodeIds: ['campus_demo_west'] },
  ];
  t.is((await branch.request('PUT', '/api/v1/admin/insights/promotions', { body: { items } })).status, 403, 'only platform admins configure it');
  const saved = await platform.request<{ items: { id: string }[] }>('PUT', '/api/v1/admin/insights/promotions', { body: { items } });
  t.is(saved.status, 200, JSON.stringify(saved.body));
  t.deepEqual(saved.body.items.map((i) => i.id), items.map((i) => i.id));
  const east = await fam.hnw.api.get<{ items: { id: string; bankName: string }[] }>('/api/v1/parent/promotions');
  t.deepEqual(east.body.items.map((i) => i.id), ['card-for-tuition']);
  t.is(east.body.items[0]!.bankName, '示范商业银行');
  const west = await fam.intl.api.get<{ items: { id: string }[] }>('/api/v1/parent/promotions');
  t.deepEqual(west.body.items.map((i) => i.id), ['card-for-tuition', 'west-only']);
  const nobody = await p.parent('lead-no-children');
  t.deepEqual((await nobody.get<{ items: unknown[] }>('/api/v1/parent/promotions')).body.items, []);
  const removed = await platform.request<{ items: unknown[] }>('PUT', '/api/v1/admin/insights/promotions', { body: { items: [] } });
  t.deepEqual(removed.body.items, []);
  t.deepEqual((await fam.hnw.api.get<{ items: unknown[] }>('/api/v1/parent/promotions')).body.items, []);
});
