import type { mongo } from 'mongoose';
import type { ServerDeps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { databaseCapabilities } from '../../platform/db/capabilities.ts';
import { GuardianModel } from './guardian.model.ts';
import { StudentModel } from './student.model.ts';
import {
  classAncestry,
  guardianChanges,
  guardianDocument,
  guardianLinks,
  personalDataCipher,
  studentDocument,
  type GuardianDoc,
  type StudentDoc,
} from './people.service.ts';
import type { RosterRow } from './roster-validate.ts';
import { yieldToEventLoop } from './roster-sheet.ts';

/** What an import found, before writing: the job's result and audit entry. */
export interface RosterPlanCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  guardiansCreated: number;
  guardiansUpdated: number;
}

type Change = { _id: string; set: Record<string, unknown> };
type RawCollection = mongo.Collection<{ _id: string }>;

export interface RosterWritePlan {
  counts: RosterPlanCounts;
  newGuardians: GuardianDoc[];
  guardianUpdates: Change[];
  newStudents: StudentDoc[];
  studentUpdates: Change[];
}

export type ClassPaths = Map<string, { _id: string; path: string[] }>;
export type Progress = (done: number, total: number, message: string) => Promise<void>;

type ExistingStudent = Pick<StudentDoc, '_id' | 'name' | 'gender' | 'idNumberHash' | 'classId' | 'orgPath' | 'guardians'>;
type ExistingGuardian = Pick<GuardianDoc, '_id' | 'name' | 'orgPath' | 'idNumberHash'>;

const INSERT_CHUNK = 1000;
/**
 * FerretDB v1 keeps every statement of one `update` command open until the
 * command ends and its SQLite pool has 100 connections: 100 statements in one
 * command deadlock the server. Stay far below that there.
 */
const UPDATE_CHUNK = { ferretdb: 25, mongodb: 500 } as const;

const linksKey = (links: StudentDoc['guardians']) => links.map((l) => `${l.guardianId}:${l.relationship}:${l.primary ? 1 : 0}`).join('|');

/** What changes on a student a roster row names again; empty optional cells leave stored values alone. */
export function studentChanges(existing: ExistingStudent, next: StudentDoc): Record<string, unknown> | null {
  const set: Record<string, unknown> = {};
  if (existing.name !== next.name) set.name = next.name;
  if (next.gender && existing.gender !== next.gender) set.gender = next.gender;
  if (next.idNumberHash && existing.idNumberHash !== next.idNumberHash) {
    Object.assign(set, { idNumberEnc: next.idNumberEnc, idNumberHash: next.idNumberHash, idNumberMasked: next.idNumberMasked });
  }
  if (existing.classId !== next.classId || existing.orgPath.join('/') !== next.orgPath.join('/')) {
    set.classId = next.classId;
    set.orgPath = next.orgPath;
  }
  if (linksKey(existing.guardians ?? []) !== linksKey(next.guardians)) {
    set.guardians = next.guardians;
    set.guardianIds = next.guardianIds;
  }
  return Object.keys(set).length > 0 ? set : null;
}

/**
 * Builds every student and guardian document the rows describe (deterministic
 * ids, the same builders as the manual form) and diffs them in memory against
 * what is stored, read with one query per collection (by campus and by school
 * group), never one per row.
 */
export async function planRosterWrite(deps: Pick<ServerDeps, 'db' | 'config'>, rows: RosterRow[], classes: ClassPaths): Promise<RosterWritePlan> {
  const cipher = personalDataCipher(deps);
  const guardians = new Map<string, GuardianDoc>();
  const guardianPaths = new Map<string, Set<string>>();
  const planned: StudentDoc[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const klass = classes.get(row.classId);
    if (!klass) throw new AppError('BUSINESS_RULE', `第 ${row.row} 行的班级已不存在`);
    const { groupId } = classAncestry(klass.path);
    const ids: string[] = [];
    for (const input of row.guardians) {
      const doc = guardianDocument(cipher, groupId, { ...input, idNumber: input.idNumber ?? undefined }, klass.path);
      const seen = guardians.get(doc._id);
      if (!seen) {
        guardians.set(doc._id, doc);
        guardianPaths.set(doc._id, new Set(klass.path));
      } else {
        for (const id of klass.path) guardianPaths.get(doc._id)?.add(id);
        if (!seen.idNumberHash && doc.idNumberHash) Object.assign(seen, { idNumberEnc: doc.idNumberEnc, idNumberHash: doc.idNumberHash, idNumberMasked: doc.idNumberMasked });
      }
      ids.push(doc._id);
    }
    const links = guardianLinks(row.guardians.map((g, n) => ({ relationship: g.relationship, primary: n === 0 })), ids);
    planned.push(studentDocument(cipher, row, klass, links));
    if (i % 2000 === 1999) await yieldToEventLoop();
  }

  const campusIds = [...new Set(planned.map((s) => s.campusId))];
  const groupIds = [...new Set([...guardians.values()].map((g) => g.groupId))];
  const [storedStudents, storedGuardians] = await Promise.all([
    StudentModel(deps.db)
      .find({ campusId: { $in: campusIds } }, { name: 1, gender: 1, idNumberHash: 1, classId: 1, orgPath: 1, guardians: 1 })
      .lean<ExistingStudent[]>(),
    groupIds.length
      ? GuardianModel(deps.db).find({ groupId: { $in: groupIds } }, { name: 1, orgPath: 1, idNumberHash: 1 }).lean<ExistingGuardian[]>()
      : [],
  ]);
  const studentById = new Map(storedStudents.map((s) => [s._id, s]));
  const guardianById = new Map(storedGuardians.map((g) => [g._id, g]));

  const plan: RosterWritePlan = {
    counts: { rows: rows.length, created: 0, updated: 0, unchanged: 0, guardiansCreated: 0, guardiansUpdated: 0 },
    newGuardians: [],
    guardianUpdates: [],
    newStudents: [],
    studentUpdates: [],
  };
  for (const [id, doc] of guardians) {
    doc.orgPath = [...(guardianPaths.get(id) ?? [])];
    const stored = guardianById.get(id);
    if (!stored) plan.newGuardians.push(doc);
    else {
      const set = guardianChanges(stored, doc);
      if (set) plan.guardianUpdates.push({ _id: id, set });
    }
  }
  for (const doc of planned) {
    const stored = studentById.get(doc._id);
    if (!stored) {
      plan.newStudents.push(doc);
      plan.counts.created += 1;
      continue;
    }
    const set = studentChanges(stored, doc);
    if (set) {
      plan.studentUpdates.push({ _id: doc._id, set });
      plan.counts.updated += 1;
    } else plan.counts.unchanged += 1;
  }
  plan.counts.guardiansCreated = plan.newGuardians.length;
  plan.counts.guardiansUpdated = plan.guardianUpdates.length;
  return plan;
}

interface WriteErrorLike {
  code?: number;
  index?: number;
}

/** Inserts, tolerating documents already there (a retried job); returns the ids that were. */
async function insertNew(collection: RawCollection, docs: { _id: string }[]): Promise<string[]> {
  if (docs.length === 0) return [];
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (error) {
    const raw = (error as { writeErrors?: WriteErrorLike | WriteErrorLike[] }).writeErrors;
    const writeErrors = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== 11000 && e.code !== 11001)) throw error;
    return writeErrors.map((e) => docs[e.index ?? -1]?._id).filter((id): id is string => Boolean(id));
  }
}

/**
 * Writes a plan: new guardians, guardian changes, new students, student
 * changes, in that order, so a student never links a guardian that is not
 * stored. Every write is by deterministic `_id` and idempotent, so a job that
 * died midway is simply run again.
 */
export async function applyRosterWrite(deps: Pick<ServerDeps, 'db'>, plan: RosterWritePlan, progress: Progress = async () => undefined): Promise<void> {
  const students = StudentModel(deps.db);
  const guardians = GuardianModel(deps.db);
  const { server } = await databaseCapabilities(deps.db);
  const updateChunk = UPDATE_CHUNK[server];
  const total = plan.newGuardians.length + plan.guardianUpdates.length + plan.newStudents.length + plan.studentUpdates.length;
  let done = 0;
  let reported = 0;
  const step = async (count: number, message: string) => {
    done += count;
    // Progress is itself a guarded write; a few per second is plenty for the admin's progress bar.
    if (done === total || Date.now() - reported > 1000) {
      reported = Date.now();
      await progress(done, total, message);
    }
  };
  const now = new Date();
  const studentsRaw = students.collection as unknown as RawCollection;
  const guardiansRaw = guardians.collection as unknown as RawCollection;
  const writeChanges = async (collection: RawCollection, changes: Change[], onChunk?: (count: number) => Promise<void>) => {
    for (let i = 0; i < changes.length; i += updateChunk) {
      const chunk = changes.slice(i, i + updateChunk);
      await collection.bulkWrite(
        chunk.map((c) => ({ updateOne: { filter: { _id: c._id }, update: { $set: { ...c.set, updatedAt: now } } } })),
        { ordered: false },
      );
      await onChunk?.(chunk.length);
    }
  };

  for (let i = 0; i < plan.newGuardians.length; i += INSERT_CHUNK) {
    const chunk = plan.newGuardians.slice(i, i + INSERT_CHUNK).map((g) => ({ ...g, createdAt: now, updatedAt: now }));
    const already = await insertNew(guardiansRaw, chunk);
    if (already.length > 0) {
      // Stored meanwhile (by an earlier attempt, or by the manual form): merge into what is there.
      const byId = new Map(chunk.map((g) => [g._id, g]));
      const stored = await guardians.find({ _id: { $in: already } }, { name: 1, orgPath: 1, idNumberHash: 1 }).lean<ExistingGuardian[]>();
      await writeChanges(
        guardiansRaw,
        stored.flatMap((s) => {
          const set = guardianChanges(s, byId.get(s._id)!);
          return set ? [{ _id: s._id, set }] : [];
        }),
      );
    }
    await step(chunk.length, '写入监护人');
  }
  await writeChanges(guardiansRaw, plan.guardianUpdates, (n) => step(n, '更新监护人'));

  for (let i = 0; i < plan.newStudents.length; i += INSERT_CHUNK) {
    const chunk = plan.newStudents.slice(i, i + INSERT_CHUNK).map((s) => ({ ...s, createdAt: now, updatedAt: now }));
    const already = await insertNew(studentsRaw, chunk);
    if (already.length > 0) {
      const byId = new Map(chunk.map((s) => [s._id, s]));
      const stored = await students
        .find({ _id: { $in: already } }, { name: 1, gender: 1, idNumberHash: 1, classId: 1, orgPath: 1, guardians: 1 })
        .lean<ExistingStudent[]>();
      const storedIds = new Set(stored.map((s) => s._id));
      const clashing = already.filter((id) => !storedIds.has(id)).map((id) => byId.get(id)?.studentNo);
      if (clashing.length > 0) {
        // Not ours under another unique key: an invite code (derived from the id) collided with another student's.
        throw new AppError('CONFLICT', `学号 ${clashing.slice(0, 10).join('、')} 无法写入：与已有学生的唯一信息冲突，请联系管理员`);
      }
      await writeChanges(
        studentsRaw,
        stored.flatMap((s) => {
          const set = studentChanges(s, byId.get(s._id)!);
          return set ? [{ _id: s._id, set }] : [];
        }),
      );
    }
    await step(chunk.length, '写入学生');
  }
  await writeChanges(studentsRaw, plan.studentUpdates, (n) => step(n, '更新学生'));
  if (total === 0) await progress(0, 0, '没有需要写入的变化');
}
