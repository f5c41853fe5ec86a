import {
  maskIdNumber,
  maskPhone,
  normaliseIdNumber,
  normalisePhone,
  type GuardianRelationship,
  type Page,
  type Student,
  type StudentStatus,
} from '@campuspay/shared';
import type { z } from 'zod';
import type { createStudentSchema, studentListQuerySchema, updateStudentSchema } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { createPersonalDataCipher, type PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { GuardianModel, guardianId } from './guardian.model.ts';
import { StudentModel, inviteCodeFor, studentId } from './student.model.ts';

export type StudentDoc = {
  _id: string;
  studentNo: string;
  name: string;
  gender?: 'male' | 'female' | null;
  idNumberEnc?: string | null;
  idNumberHash?: string | null;
  idNumberMasked?: string | null;
  status: StudentStatus;
  classId: string;
  campusId: string;
  groupId: string;
  orgPath: string[];
  inviteCode: string;
  guardians: { guardianId: string; relationship: GuardianRelationship; primary?: boolean | null }[];
  guardianIds: string[];
};

export type GuardianDoc = {
  _id: string;
  groupId: string;
  name: string;
  phoneEnc: string;
  phoneHash: string;
  phoneMasked: string;
  idNumberEnc?: string | null;
  idNumberHash?: string | null;
  idNumberMasked?: string | null;
  orgPath: string[];
};

export interface GuardianInput {
  name: string;
  relationship: GuardianRelationship;
  phone: string;
  idNumber?: string | undefined;
  primary?: boolean | undefined;
}

type ClassNode = { _id: string; kind: string; name: string; path: string[] };

export function personalDataCipher(deps: Pick<ServerDeps, 'config'>): PersonalDataCipher {
  return createPersonalDataCipher(deps.config.dataEncryptionKey, deps.config.lookupHashKey);
}

/** The sealed, hashed and masked forms of an identity number, as stored. */
export function sealIdNumber(cipher: PersonalDataCipher, raw: string | undefined | null) {
  if (!raw) return { idNumberEnc: null, idNumberHash: null, idNumberMasked: null };
  const v = normaliseIdNumber(raw);
  return { idNumberEnc: cipher.encrypt(v), idNumberHash: cipher.lookupHash(v), idNumberMasked: maskIdNumber(v) };
}

export function sealPhone(cipher: PersonalDataCipher, raw: string) {
  const v = normalisePhone(raw);
  return { phoneEnc: cipher.encrypt(v), phoneHash: cipher.lookupHash(v), phoneMasked: maskPhone(v) };
}

/** The guardian document a roster row or a form describes, keyed by (group, phone). */
export function guardianDocument(cipher: PersonalDataCipher, groupId: string, input: GuardianInput, orgPath: string[]): GuardianDoc {
  const phone = sealPhone(cipher, input.phone);
  return {
    _id: guardianId(groupId, phone.phoneHash),
    groupId,
    name: input.name.trim(),
    ...phone,
    ...sealIdNumber(cipher, input.idNumber),
    orgPath,
  };
}

/**
 * What changes when a form or a roster row names an existing guardian again:
 * the name, the children's ancestry (merged, never narrowed) and the identity
 * number when one is given. Null when nothing does.
 */
export function guardianChanges(existing: Pick<GuardianDoc, 'name' | 'orgPath' | 'idNumberHash'>, next: GuardianDoc): Partial<GuardianDoc> | null {
  const set: Partial<GuardianDoc> = {};
  if (existing.name !== next.name) set.name = next.name;
  const orgPath = [...new Set([...existing.orgPath, ...next.orgPath])];
  if (orgPath.length !== existing.orgPath.length) set.orgPath = orgPath;
  if (next.idNumberHash && next.idNumberHash !== existing.idNumberHash) {
    Object.assign(set, { idNumberEnc: next.idNumberEnc, idNumberHash: next.idNumberHash, idNumberMasked: next.idNumberMasked });
  }
  return Object.keys(set).length > 0 ? set : null;
}

/** How a student refers to its guardians; the first is primary unless one is marked. */
export function guardianLinks(inputs: Pick<GuardianInput, 'relationship' | 'primary'>[], guardianIds: string[]): StudentDoc['guardians'] {
  const links = inputs.map((input, i) => ({ guardianId: guardianIds[i] ?? '', relationship: input.relationship, primary: Boolean(input.primary) }));
  if (links.length > 0 && !links.some((l) => l.primary)) links[0]!.primary = true;
  return links;
}

export interface StudentInput {
  studentNo: string;
  name: string;
  gender?: 'male' | 'female' | null | undefined;
  idNumber?: string | null | undefined;
}

/** The student document a form or a roster row describes, keyed by (campus, student number). */
export function studentDocument(cipher: PersonalDataCipher, input: StudentInput, klass: { _id: string; path: string[] }, links: StudentDoc['guardians']): StudentDoc {
  const { campusId, groupId } = classAncestry(klass.path);
  const _id = studentId(campusId, input.studentNo);
  return {
    _id,
    studentNo: input.studentNo,
    name: input.name,
    gender: input.gender ?? null,
    ...sealIdNumber(cipher, input.idNumber),
    status: 'enrolled',
    classId: klass._id,
    campusId,
    groupId,
    orgPath: klass.path,
    inviteCode: inviteCodeFor(_id),
    guardians: links,
    guardianIds: links.map((l) => l.guardianId),
  };
}

export function peopleService(deps: ServerDeps) {
  const students = StudentModel(deps.db);
  const guardians = GuardianModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);
  const cipher = personalDataCipher(deps);

  async function classInScope(scope: StaffScope, classId: string): Promise<ClassNode> {
    const node = await nodes.findById(classId).lean<ClassNode>();
    if (!node || node.kind !== 'class' || !scope.contains(node.path)) throw new AppError('VALIDATION_FAILED', '班级不存在或不在您的管理范围内');
    return node;
  }

  /** Guardian records are merged by phone: a second child's roster row links the same guardian. */
  async function upsertGuardians(groupId: string, inputs: GuardianInput[], childPath: string[]) {
    const ids: string[] = [];
    for (const input of inputs) {
      const doc = guardianDocument(cipher, groupId, input, childPath);
      const existing = await guardians.findById(doc._id).lean<GuardianDoc>();
      if (existing) {
        const changes = guardianChanges(existing, doc);
        if (changes) await guardians.updateOne({ _id: doc._id }, { $set: changes });
      } else {
        await guardians.create(doc).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      }
      ids.push(doc._id);
    }
    return guardianLinks(inputs, ids);
  }

  async function toViews(docs: StudentDoc[]): Promise<Student[]> {
    const nodeIds = new Set<string>();
    for (const d of docs) d.orgPath.forEach((id) => nodeIds.add(id));
    const guardianIds = [...new Set(docs.flatMap((d) => d.guardianIds))];
    const [nodeDocs, guardianDocs] = await Promise.all([
      nodeIds.size ? nodes.find({ _id: { $in: [...nodeIds] } }).lean<ClassNode[]>() : [],
      guardianIds.length ? guardians.find({ _id: { $in: guardianIds } }).lean<GuardianDoc[]>() : [],
    ]);
    const nodeById = new Map(nodeDocs.map((n) => [n._id, n]));
    const guardianById = new Map(guardianDocs.map((g) => [g._id, g]));
    const nameOfKind = (path: string[], kind: string) => path.map((id) => nodeById.get(id)).find((n) => n?.kind === kind)?.name ?? '';
    return docs.map((d) => ({
      id: d._id,
      studentNo: d.studentNo,
      name: d.name,
      gender: d.gender ?? null,
      idNumberMasked: d.idNumberMasked ?? null,
      status: d.status,
      classId: d.classId,
      className: nameOfKind(d.orgPath, 'class'),
      gradeName: nameOfKind(d.orgPath, 'grade'),
      divisionName: nameOfKind(d.orgPath, 'division'),
      campusId: d.campusId,
      campusName: nameOfKind(d.orgPath, 'campus'),
      inviteCode: d.inviteCode,
      guardians: d.guardians.map((link) => {
        const g = guardianById.get(link.guardianId);
        return {
          guardianId: link.guardianId,
          name: g?.name ?? '',
          relationship: link.relationship,
          primary: Boolean(link.primary),
          phoneMasked: g?.phoneMasked ?? null,
        };
      }),
    }));
  }

  /** The students filter behind the list and the export: the scope, a node below it, a status, a search. */
  async function listFilter(scope: StaffScope, query: Pick<z.output<typeof studentListQuerySchema>, 'nodeId' | 'q' | 'status'>) {
    const filter: Record<string, unknown> = scope.filter();
    if (query.nodeId && query.nodeId !== scope.nodeId) {
      const node = await nodes.findById(query.nodeId).lean<ClassNode>();
      scope.assert(node?.path, '组织节点');
      filter.orgPath = { $all: [scope.nodeId, query.nodeId] };
    }
    if (query.status) filter.status = query.status;
    if (query.q) {
      const escaped = query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      filter.$or = [{ studentNo: { $regex: `^${escaped}` } }, { name: { $regex: escaped } }];
    }
    return filter;
  }

  async function list(scope: StaffScope, query: z.output<typeof studentListQuerySchema>): Promise<Page<Student>> {
    const filter = await listFilter(scope, query);
    const [total, docs] = await Promise.all([
      students.countDocuments(filter),
      students
        .find(filter)
        .sort({ studentNo: 1 })
        .skip((query.page - 1) * query.pageSize)
        .limit(query.pageSize)
        .lean<StudentDoc[]>(),
    ]);
    return { items: await toViews(docs), total, page: query.page, pageSize: query.pageSize };
  }

  async function getDoc(scope: StaffScope, id: string): Promise<StudentDoc> {
    const doc = await students.findById(id).lean<StudentDoc>();
    scope.assert(doc?.orgPath, '学生');
    return doc as StudentDoc;
  }

  async function get(scope: StaffScope, id: string): Promise<Student> {
    const [view] = await toViews([await getDoc(scope, id)]);
    return view as Student;
  }

  async function create(scope: StaffScope, input: z.output<typeof createStudentSchema>): Promise<Student> {
    const klass = await classInScope(scope, input.classId);
    const { groupId } = classAncestry(klass.path);
    const links = await upsertGuardians(groupId, input.guardians, klass.path);
    const doc = studentDocument(cipher, input, klass, links);
    const _id = doc._id;
    try {
      await students.create(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new AppError('DUPLICATE', `学号 ${input.studentNo} 在本校区已存在`);
      throw error;
    }
    await audit.append(scope.principal, { action: 'student.create', objectType: 'student', objectId: _id, orgPath: doc.orgPath, after: doc });
    return get(scope, _id);
  }

  async function update(scope: StaffScope, id: string, input: z.output<typeof updateStudentSchema>): Promise<Student> {
    const before = await getDoc(scope, id);
    const set: Record<string, unknown> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.gender !== undefined) set.gender = input.gender;
    if (input.status !== undefined) set.status = input.status;
    if (input.idNumber !== undefined) Object.assign(set, sealIdNumber(cipher, input.idNumber));
    await students.updateOne({ _id: id }, { $set: set });
    await audit.append(scope.principal, { action: 'student.update', objectType: 'student', objectId: id, orgPath: before.orgPath, before, after: { ...before, ...set } });
    return get(scope, id);
  }

  /** Moves a student to another class of the same campus; bills already issued stay as they are. */
  async function move(scope: StaffScope, id: string, classId: string, reason: string | undefined): Promise<Student> {
    const before = await getDoc(scope, id);
    const klass = await classInScope(scope, classId);
    if (!klass.path.includes(before.campusId)) throw new AppError('BUSINESS_RULE', '只能在同一校区内调班；跨校区请办理转学');
    await students.updateOne({ _id: id }, { $set: { classId: klass._id, orgPath: klass.path } });
    await audit.append(scope.principal, {
      action: 'student.move',
      objectType: 'student',
      objectId: id,
      orgPath: before.orgPath,
      before: { classId: before.classId },
      after: { classId: klass._id },
      reason: reason ?? null,
    });
    return get(scope, id);
  }

  /** Reveals one personal field in the clear, for a stated reason; always audited. */
  async function reveal(
    scope: StaffScope,
    target: { kind: 'student' | 'guardian'; id: string },
    field: 'phone' | 'idNumber',
    reason: string,
  ): Promise<{ value: string | null }> {
    let sealed: string | null | undefined;
    let orgPath: string[];
    if (target.kind === 'student') {
      if (field !== 'idNumber') throw new AppError('VALIDATION_FAILED', '学生只有身份证号可查看');
      const doc = await getDoc(scope, target.id);
      sealed = doc.idNumberEnc;
      orgPath = doc.orgPath;
    } else {
      const doc = await guardians.findById(target.id).lean<GuardianDoc>();
      scope.assert(doc?.orgPath, '监护人');
      sealed = field === 'phone' ? doc!.phoneEnc : doc!.idNumberEnc;
      orgPath = doc!.orgPath;
    }
    await audit.append(scope.principal, {
      action: 'personal-data.reveal',
      objectType: target.kind,
      objectId: target.id,
      orgPath,
      after: { field },
      reason,
    });
    return { value: sealed ? cipher.decrypt(sealed) : null };
  }

  return { list, listFilter, get, getDoc, create, update, move, reveal, toViews, upsertGuardians, classInScope };
}

export type PeopleService = ReturnType<typeof peopleService>;

/** A class's path ends campus → division → grade → class, under its school group. */
export function classAncestry(path: string[]): { campusId: string; groupId: string } {
  return { campusId: path[path.length - 4] ?? '', groupId: path[path.length - 5] ?? '' };
}
