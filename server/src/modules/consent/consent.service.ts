import { createHash, randomUUID } from 'node:crypto';
import { maskName, maskPhone, normalisePhone, phoneProblem, type ConsentAction, type ParentConsent } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { ParentPrincipal } from '../auth/principal.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { settingsService } from '../insights/settings.service.ts';
import { LeadFamilyModel, LeadStateModel, leadId } from '../leads/lead.models.ts';
import { leadsService } from '../leads/leads.service.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ParentChildModel } from '../parents/parent.model.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { personalDataCipher } from '../people/people.service.ts';
import { StudentModel } from '../people/student.model.ts';
import { ConsentEventModel, ConsentModel, consentId, type ConsentDoc } from './consent.model.ts';

export function textHash(title: string, text: string): string {
  return createHash('sha256').update(`${title}\n${text}`).digest('hex');
}

/**
 * Marketing consent in the mini-program: one per bank whose schools the
 * parent's children attend, separate from everything else, given for an
 * exact text and version, withdrawn at once.
 *
 * Parent ↔ guardian: a WeChat parent is not a guardian record. To consent,
 * the parent enters the phone the bank may call; it must equal a guardian
 * phone the school holds for one of their bound children at that bank (a
 * keyed-hash match), which ties the account to a guardian without SMS and
 * keeps people from offering someone else's number. The phone is stored
 * encrypted with its lookup hash (for campaign results) and erased on
 * withdrawal.
 */
export function consentService(deps: ServerDeps) {
  const { db } = deps;
  const consents = ConsentModel(db);
  const events = ConsentEventModel(db);
  const settings = settingsService(deps);
  const leads = leadsService(deps);
  const cipher = personalDataCipher(deps);

  /** The parent's children grouped by the bank their school belongs to. */
  async function childrenByBank(parentId: string): Promise<Map<string, { _id: string; guardianIds: string[] }[]>> {
    const links = await ParentChildModel(db).find({ parentId }, { studentId: 1 }).lean<{ studentId: string }[]>();
    const students = await findByIds<{ _id: string; orgPath: string[]; guardianIds: string[] }>(db, StudentModel(db).collection.collectionName, links.map((l) => l.studentId), {
      orgPath: 1,
      guardianIds: 1,
    });
    const byBank = new Map<string, { _id: string; guardianIds: string[] }[]>();
    for (const s of students.values()) {
      const bank = s.orgPath[0];
      if (bank) byBank.set(bank, [...(byBank.get(bank) ?? []), { _id: s._id, guardianIds: s.guardianIds ?? [] }]);
    }
    return byBank;
  }

  function view(bankId: string, bankName: string, current: { version: number; title: string; text: string }, doc: ConsentDoc | null): ParentConsent {
    return {
      bankId,
      bankName,
      title: current.title,
      text: current.text,
      version: current.version,
      status: doc?.status ?? 'none',
      grantedVersion: doc?.status === 'granted' ? doc.grantedVersion : null,
      grantedAt: doc?.status === 'granted' && doc.grantedAt ? doc.grantedAt.toISOString() : null,
      withdrawnAt: doc?.status === 'withdrawn' && doc.withdrawnAt ? doc.withdrawnAt.toISOString() : null,
      phoneMasked: doc?.status === 'granted' ? doc.phoneMasked : null,
    };
  }

  async function list(principal: ParentPrincipal): Promise<{ items: ParentConsent[] }> {
    const banks = [...(await childrenByBank(principal.parentId)).keys()].sort();
    const items: ParentConsent[] = [];
    for (const bankId of banks) {
      const s = await settings.get(bankId);
      const doc = await consents.findById(consentId(bankId, principal.parentId)).lean<ConsentDoc>();
      items.push(view(bankId, s.bankName, s.consent, doc));
    }
    return { items };
  }

  /** Moves the consent document by compare-and-set (creating it the first time). */
  async function transition(
    id: string,
    base: { bankId: string; parentId: string },
    next: (doc: ConsentDoc | null) => Partial<ConsentDoc> | null,
  ): Promise<{ doc: ConsentDoc | null; changed: boolean }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await consents.findById(id).lean<ConsentDoc>();
      const change = next(doc);
      if (!change) return { doc, changed: false };
      if (!doc) {
        try {
          await consents.create({ _id: id, ...base, ...change, version: 1 });
          return { doc: await consents.findById(id).lean<ConsentDoc>(), changed: true };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          continue;
        }
      }
      const moved = await compareAndSet(db, consents, id, { version: doc.version }, { $set: change, $inc: { version: 1 } });
      if (moved) return { doc: moved as unknown as ConsentDoc, changed: true };
    }
    throw new AppError('STATE_CONFLICT', '操作太频繁，请稍后重试');
  }

  async function act(principal: ParentPrincipal, input: ConsentAction, requestId: string | null): Promise<ParentConsent> {
    const children = (await childrenByBank(principal.parentId)).get(input.bankId);
    if (!children) throw notFound('银行');
    const s = await settings.get(input.bankId);
    const id = consentId(input.bankId, principal.parentId);
    const base = { bankId: input.bankId, parentId: principal.parentId };
    const lead = leadId(input.bankId, principal.parentId);

    if (input.action === 'withdraw') {
      const { doc, changed } = await transition(id, base, (d) =>
        d?.status === 'granted' ? { status: 'withdrawn', withdrawnAt: new Date(), phoneEnc: null, phoneHash: null, phoneMasked: null, contactNameMasked: null, guardianId: null } : null,
      );
      if (changed && doc) await events.create({ _id: randomUUID(), ...base, action: 'withdraw', version: doc.grantedVersion, at: doc.withdrawnAt ?? new Date(), requestId });
      // The consent document is the authority (every lead read checks it); these only tidy up.
      await LeadFamilyModel(db).updateOne({ _id: lead }, { $set: { consented: false } });
      await LeadStateModel(db).deleteOne({ _id: lead });
      return view(input.bankId, s.bankName, s.consent, doc);
    }

    if (input.version !== s.consent.version) throw new AppError('STATE_CONFLICT', '授权说明已更新，请重新阅读后再同意', { details: { version: s.consent.version } });
    const problem = phoneProblem(input.phone);
    if (problem) throw new AppError('VALIDATION_FAILED', problem, { details: { fields: [{ path: 'phone', message: problem }] } });
    const phone = normalisePhone(input.phone);
    const hash = cipher.lookupHash(phone);
    const guardianIds = new Set(children.flatMap((c) => c.guardianIds));
    const guardian = (await GuardianModel(db).find({ phoneHash: hash }, { name: 1 }).lean<{ _id: string; name: string }[]>()).find((g) => guardianIds.has(g._id));
    if (!guardian) throw new AppError('BUSINESS_RULE', '该手机号与学校登记的监护人手机号不一致，请填写学校登记的手机号');
    const now = new Date();
    const change: Partial<ConsentDoc> = {
      status: 'granted',
      grantedVersion: s.consent.version,
      textHash: textHash(s.consent.title, s.consent.text),
      grantedAt: now,
      withdrawnAt: null,
      phoneEnc: cipher.encrypt(phone),
      phoneHash: hash,
      phoneMasked: maskPhone(phone),
      contactNameMasked: maskName(guardian.name),
      guardianId: guardian._id,
    };
    const { doc } = await transition(id, base, () => change);
    await events.create({
      _id: randomUUID(),
      ...base,
      action: 'grant',
      version: s.consent.version,
      title: s.consent.title,
      text: s.consent.text,
      textHash: change.textHash,
      phoneMasked: change.phoneMasked,
      at: now,
      requestId,
    });
    await leads.refreshFamily(input.bankId, principal.parentId);
    return view(input.bankId, s.bankName, s.consent, doc);
  }

  /** Bank names of the parent's children, for the promotion slot. */
  async function banksOf(parentId: string): Promise<{ bankId: string; bankName: string; childPaths: string[][] }[]> {
    const links = await ParentChildModel(db).find({ parentId }, { studentId: 1 }).lean<{ studentId: string }[]>();
    const students = await findByIds<{ _id: string; orgPath: string[] }>(db, StudentModel(db).collection.collectionName, links.map((l) => l.studentId), { orgPath: 1 });
    const byBank = new Map<string, string[][]>();
    for (const s of students.values()) byBank.set(s.orgPath[0]!, [...(byBank.get(s.orgPath[0]!) ?? []), s.orgPath]);
    const names = await findByIds<{ _id: string; name: string }>(db, OrgNodeModel(db).collection.collectionName, [...byBank.keys()], { name: 1 });
    return [...byBank.entries()].map(([bankId, childPaths]) => ({ bankId, bankName: names.get(bankId)?.name ?? '', childPaths }));
  }

  return { list, act, banksOf };
}

export type ConsentService = ReturnType<typeof consentService>;
