import { createHash } from 'node:crypto';
import { CAMPAIGN_PRODUCT_LABELS, normalisePhone, phoneProblem, type CampaignImportResult, type CampaignProduct } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/multipart.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { leadId } from '../leads/lead.models.ts';
import { leadsService } from '../leads/leads.service.ts';
import { ParentChildModel } from '../parents/parent.model.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { StudentModel } from '../people/student.model.ts';
import { CampaignResultModel } from './campaign-result.model.ts';
import { bankOfPath } from './settings.service.ts';
import { column, normaliseDay, readTable } from './tabular-file.ts';

const PRODUCT_WORDS: [CampaignProduct, string[]][] = [
  ['credit_card', ['credit_card', '信用卡', 'credit']],
  ['debit_card', ['debit_card', '借记卡', '储蓄卡', 'debit', '银行卡']],
  ['account', ['account', '账户', '开户', '存款账户']],
];

export function productOf(text: string): CampaignProduct | null {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  for (const [product, words] of PRODUCT_WORDS) if (words.includes(t)) return product;
  return 'other';
}

/**
 * Campaign results from the bank (phone, product, date): matched to the
 * platform's parents by keyed phone hash against the guardian phones the
 * schools hold (and so the phones consenting parents confirmed). Validated
 * whole; re-importing the same file changes nothing. A consented lead whose
 * family opened a product is marked converted.
 */
export function campaignsService(deps: ServerDeps) {
  const { db } = deps;
  const results = CampaignResultModel(db);
  const audit = auditService(db);
  const cipher = personalDataCipher(deps);
  const leads = leadsService(deps);

  async function importFile(scope: StaffScope, campaign: string | undefined, file: UploadedFile): Promise<CampaignImportResult> {
    const name = (campaign ?? '').trim();
    if (name.length < 2 || name.length > 60) throw new AppError('VALIDATION_FAILED', '请填写活动名称（表单字段 campaign，2–60 字）');
    const bankId = bankOfPath(scope.principal.nodePath);
    const table = await readTable(file.bytes, file.filename, 100_000);
    const col = {
      phone: column(table.headers, ['手机号', '手机', 'phone', 'mobile']),
      product: column(table.headers, ['产品', '开立产品', 'product']),
      day: column(table.headers, ['日期', '开立日期', 'date']),
    };
    if (col.phone < 0 || col.product < 0 || col.day < 0) throw new AppError('IMPORT_INVALID', '表头应为 手机号、产品、日期', { details: { errors: [], errorCount: 1 } });
    const errors: { row: number; field: string; message: string }[] = [];
    const rows: { hash: string; product: CampaignProduct; day: string }[] = [];
    for (const r of table.rows) {
      const phone = r.cells[col.phone] ?? '';
      const problem = phoneProblem(phone);
      const product = productOf(r.cells[col.product] ?? '');
      const day = normaliseDay(r.cells[col.day] ?? '');
      if (problem) errors.push({ row: r.row, field: '手机号', message: problem });
      if (!product) errors.push({ row: r.row, field: '产品', message: `产品为空（可填 ${Object.values(CAMPAIGN_PRODUCT_LABELS).join('、')}）` });
      if (!day) errors.push({ row: r.row, field: '日期', message: `日期无效：「${r.cells[col.day] ?? ''}」` });
      if (!problem && product && day) rows.push({ hash: cipher.lookupHash(normalisePhone(phone)), product, day });
    }
    if (errors.length > 0) throw new AppError('IMPORT_INVALID', `有 ${errors.length} 处错误，整个文件未导入`, { details: { errors: errors.slice(0, 200), errorCount: errors.length } });

    const hashes = [...new Set(rows.map((r) => r.hash))];
    const guardians = (await GuardianModel(db).find({ phoneHash: { $in: hashes } }, { phoneHash: 1, orgPath: 1 }).lean<{ _id: string; phoneHash: string; orgPath: string[] }[]>()).filter(
      (g) => g.orgPath.includes(scope.nodeId),
    );
    const students = guardians.length
      ? await StudentModel(db).find({ guardianIds: { $in: guardians.map((g) => g._id) } }, { guardianIds: 1, orgPath: 1 }).lean<{ _id: string; guardianIds: string[]; orgPath: string[] }[]>()
      : [];
    const links = students.length ? await ParentChildModel(db).find({ studentId: { $in: students.map((s) => s._id) } }, { parentId: 1, studentId: 1 }).lean<{ parentId: string; studentId: string }[]>() : [];
    const byHash = new Map<string, { orgPath: Set<string>; leadIds: Set<string> }>();
    for (const g of guardians) {
      const slot = byHash.get(g.phoneHash) ?? { orgPath: new Set<string>(), leadIds: new Set<string>() };
      for (const s of students.filter((x) => x.guardianIds.includes(g._id) && x.orgPath[0] === bankId)) {
        const i = s.orgPath.length - 3;
        for (const id of s.orgPath.slice(0, Math.max(i, 1))) slot.orgPath.add(id);
        for (const l of links.filter((x) => x.studentId === s._id)) slot.leadIds.add(leadId(bankId, l.parentId));
      }
      if (slot.orgPath.size > 0) byHash.set(g.phoneHash, slot);
    }
    let matched = 0;
    let converted = 0;
    for (const r of rows) {
      const hit = byHash.get(r.hash);
      if (!hit) continue;
      matched += 1;
      const id = `cr_${createHash('sha256').update(`${bankId}\n${name}\n${r.hash}\n${r.product}`).digest('hex').slice(0, 32)}`;
      await results.collection.replaceOne(
        { _id: id as never },
        { bankId, campaign: name, product: r.product, day: r.day, phoneHash: r.hash, matched: true, orgPath: [...hit.orgPath], importedBy: scope.principal.username, updatedAt: new Date() },
        { upsert: true },
      );
      for (const lead of hit.leadIds) {
        if (await leads.markConverted(lead, scope.principal.displayName, `活动「${name}」：开立${CAMPAIGN_PRODUCT_LABELS[r.product]}（${r.day}）`)) converted += 1;
      }
    }
    const result: CampaignImportResult = { campaign: name, rows: rows.length, matched, leadsConverted: converted };
    await audit.append(scope.principal, { action: 'insights.campaign.import', objectType: 'campaign_results', objectId: name, orgPath: scope.principal.nodePath, after: { filename: file.filename, ...result } });
    return result;
  }

  return { importFile };
}
