import { randomUUID } from 'node:crypto';
import {
  LEAD_TAG_LABELS,
  LEAD_TAGS,
  normalisePhone,
  phoneProblem,
  type Lead,
  type LeadTag,
  type LeadsPage,
  type LeadsQuery,
  type UpdateLeadRequest,
} from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UploadedFile } from '../../platform/http/multipart.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { ConsentModel, consentId, type ConsentDoc } from '../consent/consent.model.ts';
import { nodeRef, resolveRoot, type InsightRoot } from '../insights/insight-root.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { LEADS_RECOMPUTE_JOB, settingsService } from '../insights/settings.service.ts';
import { column, readTable } from '../insights/tabular-file.ts';
import { ParentChildModel } from '../parents/parent.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { StudentModel } from '../people/student.model.ts';
import { familyPath, loadBankFamilies, loadFamily } from './family-facts.ts';
import { LeadFamilyModel, LeadStateModel, StaffListModel, leadId, type LeadFamilyDoc, type LeadStateDoc } from './lead.models.ts';
import { evaluateRules, type FamilyFacts } from './rules.ts';

type StudentRow = Parameters<typeof familyPath>[0][number];

/** A lead as the bank may see it: only for a granted consent, with masked contact and the evidence. */
export function toLead(family: LeadFamilyDoc, consent: ConsentDoc, state: LeadStateDoc | null): Lead {
  return {
    id: family._id,
    tags: family.tags
      .filter((t): t is LeadTag => (LEAD_TAGS as readonly string[]).includes(t))
      .map((tag) => ({ tag, label: LEAD_TAG_LABELS[tag], evidence: family.evidence[tag] ?? [] })),
    contact: { nameMasked: consent.contactNameMasked ?? '**', phoneMasked: consent.phoneMasked ?? '****' },
    schools: family.schools.map((s) => ({ groupName: s.groupName, campusName: s.campusName, divisionName: s.divisionName, international: s.international })),
    status: state?.status ?? 'new',
    notes: (state?.notes ?? []).map((n) => ({ at: new Date(n.at).toISOString(), by: n.by, text: n.text })),
    consentedAt: (consent.grantedAt ?? new Date(0)).toISOString(),
    consentVersion: consent.grantedVersion ?? 0,
  };
}

/**
 * Cross-sell leads. Tags are computed for every family (the rules need no
 * consent to be counted), but a family becomes visible as a lead, with
 * masked contact and evidence, only while its parent's consent for this
 * bank is granted; everything else is a count per tag.
 */
export function leadsService(deps: ServerDeps) {
  const { db } = deps;
  const families = LeadFamilyModel(db);
  const states = LeadStateModel(db);
  const consents = ConsentModel(db);
  const staffLists = StaffListModel(db);
  const settings = settingsService(deps);
  const audit = auditService(db);
  const cipher = personalDataCipher(deps);

  async function write(bankId: string, parentId: string, facts: FamilyFacts, students: StudentRow[], consent: ConsentDoc | null, rulesVersion: number, ownCodes: string[], rules: Parameters<typeof evaluateRules>[1]): Promise<boolean> {
    const id = leadId(bankId, parentId);
    const tags = evaluateRules(facts, rules, ownCodes);
    if (tags.length === 0) {
      await families.deleteOne({ _id: id });
      return false;
    }
    const places = facts.children.filter((c, i, all) => all.findIndex((x) => x.divisionId === c.divisionId) === i);
    await families.collection.replaceOne(
      { _id: id as never },
      {
        bankId,
        parentId,
        orgPath: familyPath(students),
        schools: places,
        tags: tags.map((t) => t.tag),
        evidence: Object.fromEntries(tags.map((t) => [t.tag, t.evidence])),
        consented: consent?.status === 'granted',
        computedAt: new Date(),
        rulesVersion,
      },
      { upsert: true },
    );
    return true;
  }

  /** Recomputes one family's tags (after a payment, a consent change). */
  async function refreshFamily(bankId: string, parentId: string): Promise<boolean> {
    const s = await settings.get(bankId);
    const loaded = await loadFamily(db, bankId, parentId);
    if (!loaded) {
      await families.deleteOne({ _id: leadId(bankId, parentId) });
      return false;
    }
    return write(bankId, parentId, loaded.facts, loaded.students, loaded.consent, s.version, s.ownBankCodes, s.rules);
  }

  /** Families of the given students (the rollup folder passes those whose bills just moved). */
  async function refreshStudents(studentIds: string[]): Promise<number> {
    const links = await ParentChildModel(db).find({ studentId: { $in: studentIds } }, { parentId: 1, studentId: 1 }).lean<{ parentId: string; studentId: string }[]>();
    const students = await findByIds<{ _id: string; orgPath: string[] }>(db, StudentModel(db).collection.collectionName, [...new Set(links.map((l) => l.studentId))], { orgPath: 1 });
    const pairs = new Set(links.map((l) => `${students.get(l.studentId)?.orgPath[0] ?? ''}\n${l.parentId}`).filter((p) => !p.startsWith('\n')));
    for (const pair of pairs) {
      const [bankId, parentId] = pair.split('\n') as [string, string];
      await refreshFamily(bankId, parentId);
    }
    return pairs.size;
  }

  /** Recomputes every family of a bank (nightly, and when its rules change); drops families no rule fires for any more. */
  async function recomputeBank(bankId: string): Promise<{ families: number; tagged: number }> {
    const s = await settings.get(bankId);
    const kept = new Set<string>();
    const count = await loadBankFamilies(db, bankId, async ({ parentId, facts, students, consent }) => {
      if (await write(bankId, parentId, facts, students, consent, s.version, s.ownBankCodes, s.rules)) kept.add(leadId(bankId, parentId));
    });
    const stale = (await families.find({ bankId }, { _id: 1 }).lean<{ _id: string }[]>()).map((f) => f._id).filter((id) => !kept.has(id));
    if (stale.length > 0) await families.deleteMany({ _id: { $in: stale } });
    return { families: count, tagged: kept.size };
  }

  /** Counts per tag in the subtree: every tagged family, and those whose parent consented. */
  async function summary(root: InsightRoot): Promise<LeadsPage['summary']> {
    const count = async (match: Record<string, unknown>) => {
      const rows = await families.aggregate<{ _id: string; n: number }>([{ $match: match }, { $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }]);
      return new Map(rows.map((r) => [r._id, r.n]));
    };
    const [all, consented] = await Promise.all([count({ orgPath: root._id }), count({ orgPath: root._id, consented: true })]);
    return LEAD_TAGS.map((tag) => ({ tag, label: LEAD_TAG_LABELS[tag], families: all.get(tag) ?? 0, consented: consented.get(tag) ?? 0 }));
  }

  /** Consented leads in the subtree: the consent is re-read for each, so a withdrawal hides a lead at once. */
  async function consentedLeads(root: InsightRoot, filter: { tag?: LeadTag | undefined; status?: string | undefined } = {}): Promise<Lead[]> {
    const candidates = await families.find({ orgPath: root._id, consented: true, bankId: root.bankId, ...(filter.tag ? { tags: filter.tag } : {}) }).lean<LeadFamilyDoc[]>();
    const granted = await findByIds<ConsentDoc>(db, consents.collection.collectionName, candidates.map((f) => consentId(f.bankId, f.parentId)));
    const stateOf = await findByIds<LeadStateDoc>(db, states.collection.collectionName, candidates.map((f) => f._id));
    return candidates
      .filter((f) => granted.get(consentId(f.bankId, f.parentId))?.status === 'granted')
      .map((f) => toLead(f, granted.get(consentId(f.bankId, f.parentId))!, stateOf.get(f._id) ?? null))
      .filter((l) => !filter.status || l.status === filter.status)
      .sort((a, b) => (a.consentedAt < b.consentedAt ? 1 : a.consentedAt > b.consentedAt ? -1 : a.id < b.id ? -1 : 1));
  }

  async function list(scope: StaffScope, query: LeadsQuery): Promise<LeadsPage> {
    const root = await resolveRoot(db, scope, query.nodeId);
    const [counts, leads] = await Promise.all([summary(root), consentedLeads(root, { tag: query.tag, status: query.status })]);
    const start = (query.page - 1) * query.pageSize;
    return { node: nodeRef(root), summary: counts, items: leads.slice(start, start + query.pageSize), total: leads.length, page: query.page, pageSize: query.pageSize };
  }

  /** A lead the scope may act on: in scope and with a granted consent; anything else does not exist. */
  async function reachable(scope: StaffScope, id: string): Promise<{ family: LeadFamilyDoc; consent: ConsentDoc }> {
    const family = await families.findById(id).lean<LeadFamilyDoc>();
    if (!family || !scope.contains(family.orgPath)) throw notFound('线索');
    const consent = await consents.findById(consentId(family.bankId, family.parentId)).lean<ConsentDoc>();
    if (!consent || consent.status !== 'granted' || !consent.phoneEnc) throw notFound('线索');
    return { family, consent };
  }

  async function reveal(scope: StaffScope, id: string, reason: string): Promise<{ phone: string; nameMasked: string }> {
    const { family, consent } = await reachable(scope, id);
    const phone = cipher.decrypt(consent.phoneEnc!);
    await audit.append(scope.principal, {
      action: 'lead.reveal',
      objectType: 'lead',
      objectId: id,
      orgPath: family.orgPath,
      reason,
      after: { phoneMasked: consent.phoneMasked, tags: family.tags },
    });
    return { phone, nameMasked: consent.contactNameMasked ?? '**' };
  }

  async function update(scope: StaffScope, id: string, input: UpdateLeadRequest): Promise<Lead> {
    const { family, consent } = await reachable(scope, id);
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = await states.findById(id).lean<LeadStateDoc>();
      const notes = [...(before?.notes ?? []), ...(input.note ? [{ at: new Date(), by: scope.principal.displayName, text: input.note }] : [])];
      const status = input.status ?? before?.status ?? 'new';
      let ok = false;
      if (!before) {
        try {
          await states.create({ _id: id, status, notes, version: 1 });
          ok = true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      } else {
        ok = Boolean(await compareAndSet(db, states, id, { version: before.version }, { $set: { status, notes }, $inc: { version: 1 } }));
      }
      if (!ok) continue;
      await audit.append(scope.principal, {
        action: 'lead.update',
        objectType: 'lead',
        objectId: id,
        orgPath: family.orgPath,
        before: { status: before?.status ?? 'new' },
        after: { status, noteAdded: Boolean(input.note) },
      });
      return toLead(family, consent, await states.findById(id).lean<LeadStateDoc>());
    }
    throw new AppError('STATE_CONFLICT', '线索正被他人修改，请刷新后重试');
  }

  /** Marks a consented lead converted (campaign results); false when it is not a consented lead. */
  async function markConverted(id: string, by: string, note: string): Promise<boolean> {
    const family = await families.findById(id).lean<LeadFamilyDoc>();
    if (!family) return false;
    const consent = await consents.findById(consentId(family.bankId, family.parentId)).lean<ConsentDoc>();
    if (consent?.status !== 'granted') return false;
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = await states.findById(id).lean<LeadStateDoc>();
      if (before?.status === 'converted') return false;
      const next = { status: 'converted' as const, notes: [...(before?.notes ?? []), { at: new Date(), by, text: note }] };
      if (!before) {
        try {
          await states.create({ _id: id, ...next, version: 1 });
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue;
        }
      }
      if (await compareAndSet(db, states, id, { version: before.version }, { $set: next, $inc: { version: 1 } })) return true;
    }
    return false;
  }

  /** A school shares its staff list (phone numbers, hashed on arrival and never stored in the clear); validated whole. */
  async function importStaffList(scope: StaffScope, nodeId: string | undefined, file: UploadedFile): Promise<{ nodeId: string; staff: number }> {
    if (!nodeId) throw new AppError('VALIDATION_FAILED', '请选择共享名单的学校（表单字段 nodeId）');
    const school = await OrgNodeModel(db).findById(nodeId, { kind: 1, name: 1, path: 1 }).lean<{ kind: string; name: string; path: string[] }>();
    if (!school || !scope.contains(school.path)) throw notFound('学校');
    if (school.kind !== 'school_group' && school.kind !== 'campus') throw new AppError('VALIDATION_FAILED', '教职工名单按学校或校区共享');
    const table = await readTable(file.bytes, file.filename, 20_000);
    const phoneCol = column(table.headers, ['手机号', '手机', '电话', 'phone', 'mobile']);
    if (phoneCol < 0) throw new AppError('IMPORT_INVALID', '缺少列：手机号', { details: { errors: [], errorCount: 1 } });
    const errors: { row: number; field: string; message: string }[] = [];
    const hashes = new Set<string>();
    for (const r of table.rows) {
      const raw = r.cells[phoneCol] ?? '';
      const problem = phoneProblem(raw);
      if (problem) errors.push({ row: r.row, field: '手机号', message: problem });
      else hashes.add(cipher.lookupHash(normalisePhone(raw)));
    }
    if (errors.length > 0) throw new AppError('IMPORT_INVALID', `有 ${errors.length} 处错误，名单未导入`, { details: { errors: errors.slice(0, 200), errorCount: errors.length } });
    await staffLists.collection.replaceOne(
      { _id: nodeId as never },
      { name: school.name, orgPath: school.path, phoneHashes: [...hashes], sharedBy: scope.principal.username, updatedAt: new Date() },
      { upsert: true },
    );
    await audit.append(scope.principal, { action: 'staff-list.share', objectType: 'staff_list', objectId: nodeId, orgPath: school.path, after: { staff: hashes.size, filename: file.filename } });
    await deps.jobs.enqueue(LEADS_RECOMPUTE_JOB, { bankId: school.path[0] }, { id: `leads-recompute:${school.path[0]}:staff:${randomUUID()}`, scopeNodeId: school.path[0] });
    return { nodeId, staff: hashes.size };
  }

  return { refreshFamily, refreshStudents, recomputeBank, summary, consentedLeads, list, reveal, update, markConverted, importStaffList };
}

export type LeadsService = ReturnType<typeof leadsService>;
