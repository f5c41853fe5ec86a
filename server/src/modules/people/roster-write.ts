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

/**
 * How changed documents are written. `update`: `$set` by `_id`, in place,
 * batched (MongoDB, where that is an index lookup). `replace`: one delete of
 * all changed documents by `_id $in`, then inserts of their new versions.
 * FerretDB v1 over SQLite runs every write by `_id` as a scan of the whole
 * table (its `_id` index is on a different JSON expression than its writes
 * use: measured ≈11 µs × documents in the collection per update, 0.3 s each
 * at 20,000 students), so there a few hundred changed students would take
 * minutes in place but take one scan replaced. A crash between the delete and
 * the inserts leaves those students missing until the job's retry, which
 * re-plans and inserts them; the staged rows are kept until it succeeds.
 */
export type ChangeStrategy = 'update' | 'replace';

export async function defaultChangeStrategy(db: ServerDeps['db']): Promise<ChangeStrategy> {
  return (await databaseCapabilities(db)).server === 'ferretdb' ? 'replace' : 'update';
}

/** `set` holds the changed fields; `stored` the whole stored document, kept for the replace strategy. */
type Change = { _id: string; set: Record<string, unknown>; stored?: Record<string, unknown> };
type RawCollection = mongo.Collection<{ _id: string }>;

export interface RosterWritePlan {
  strategy: ChangeStrategy;
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
const STUDENT_FIELDS = { name: 1, gender: 1, idNumberHash: 1, classId: 1, orgPath: 1, guardians: 1 };
const GUARDIAN_FIELDS = { name: 1, orgPath: 1, idNumberHash: 1 };

const INSERT_CHUNK = 1000;
/**
 * FerretDB v1 keeps every statement of one `update` command open until the
 * command ends and its SQLite pool has 100 connections: 100 statements in one
 * command deadlock the server. Stay far below that there.
 */
const UPDATE_CHUNK = { ferretdb: 25, mongodb: 500 } as const;
/** Ids per `_id $in` delete of the replace strategy: each costs one scan on FerretDB. */
const REPLACE_CHUNK = 10_000;

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
export async function planRosterWrite(
  deps: Pick<ServerDeps, 'db' | 'config'>,
  rows: RosterRow[],
  classes: ClassPaths,
  { strategy }: { strategy?: ChangeStrategy } = {},
): Promise<RosterWritePlan> {
  const how = strategy ?? (await defaultChangeStrategy(deps.db));
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
  // Replacing needs whole documents; FerretDB reads them whole anyway before projecting.
  const whole = how === 'replace';
  const [storedStudents, storedGuardians] = await Promise.all([
    StudentModel(deps.db)
      .find({ campusId: { $in: campusIds } }, whole ? {} : STUDENT_FIELDS)
      .lean<ExistingStudent[]>(),
    groupIds.length ? GuardianModel(deps.db).find({ groupId: { $in: groupIds } }, whole ? {} : GUARDIAN_FIELDS).lean<ExistingGuardian[]>() : [],
  ]);
  const studentById = new Map(storedStudents.map((s) => [s._id, s]));
  const guardianById = new Map(storedGuardians.map((g) => [g._id, g]));

  const plan: RosterWritePlan = {
    strategy: how,
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
      if (set) plan.guardianUpdates.push({ _id: id, set, ...(whole ? { stored } : {}) });
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
      plan.studentUpdates.push({ _id: doc._id, set, ...(whole ? { stored } : {}) });
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
  const total = plan.newGuardians.length + plan.guardianUpdates.length + plan.newStudents.length + plan.studentUpdates.length;
  let done = 0;
  let reported = 0;
  const step = async (count: number, message: string) => {
    done += count;
    // Progress is itself a guarded write; one a second is plenty for the admin's progress bar.
    if (done === total || Date.now() - reported > 1000) {
      reported = Date.now();
      await progress(done, total, message);
    }
  };
  const now = new Date();
  const studentsRaw = students.collection as unknown as RawCollection;
  const guardiansRaw = guardians.collection as unknown as RawCollection;

  const writeChanges = async (collection: RawCollection, changes: Change[], message?: string) => {
    if (plan.strategy === 'update') {
      const size = UPDATE_CHUNK[server];
      for (let i = 0; i < changes.length; i += size) {
        const chunk = changes.slice(i, i + size);
        await collection.bulkWrite(
          chunk.map((c) => ({ updateOne: { filter: { _id: c._id }, update: { $set: { ...c.set, updatedAt: now } } } })),
          { ordered: false },
        );
        if (message) await step(chunk.length, message);
      }
      return;
    }
    for (let i = 0; i < changes.length; i += REPLACE_CHUNK) {
      const chunk = changes.slice(i, i + REPLACE_CHUNK);
      await collection.deleteMany({ _id: { $in: chunk.map((c) => c._id) } });
      for (let j = 0; j < chunk.length; j += INSERT_CHUNK) {
        const part = chunk.slice(j, j + INSERT_CHUNK);
        // A duplicate here is the same replacement inserted by an earlier attempt.
        await insertNew(collection, part.map((c) => ({ ...c.stored, ...c.set, _id: c._id, updatedAt: now })));
        if (message) await step(part.length, message);
      }
    }
  };
  /** Documents found already stored when inserting, as the changes to bring them in line. */
  const storedChanges = async <T extends { _id: string }>(
    model: typeof students | typeof guardians,
    ids: string[],
    next: Map<string, T>,
    diff: (stored: never, doc: T) => Record<string, unknown> | null,
  ): Promise<{ changes: Change[]; missing: string[] }> => {
    const stored = await (model as typeof students).find({ _id: { $in: ids } }).lean<Record<string, unknown>[]>();
    const changes = stored.flatMap((s) => {
      const set = diff(s as never, next.get(String(s._id))!);
      return set ? [{ _id: String(s._id), set, stored: s }] : [];
    });
    const found = new Set(stored.map((s) => String(s._id)));
    return { changes, missing: ids.filter((id) => !found.has(id)) };
  };

  for (let i = 0; i < plan.newGuardians.length; i += INSERT_CHUNK) {
    const chunk = plan.newGuardians.slice(i, i + INSERT_CHUNK).map((g) => ({ ...g, createdAt: now, updatedAt: now }));
    const already = await insertNew(guardiansRaw, chunk);
    if (already.length > 0) {
      // Stored meanwhile (by an earlier attempt, or by the manual form): merge into what is there.
      const { changes } = await storedChanges(guardians, already, new Map(chunk.map((g) => [g._id, g])), guardianChanges);
      await writeChanges(guardiansRaw, changes);
    }
    await step(chunk.length, '写入监护人');
  }
  await writeChanges(guardiansRaw, plan.guardianUpdates, '更新监护人');

  for (let i = 0; i < plan.newStudents.length; i += INSERT_CHUNK) {
    const chunk = plan.newStudents.slice(i, i + INSERT_CHUNK).map((s) => ({ ...s, createdAt: now, updatedAt: now }));
    const already = await insertNew(studentsRaw, chunk);
    if (already.length > 0) {
      const byId = new Map(chunk.map((s) => [s._id, s]));
      const { changes, missing } = await storedChanges(students, already, byId, studentChanges);
      if (missing.length > 0) {
        // Not ours under another unique key: an invite code (derived from the id) collided with another student's.
        const numbers = missing.map((id) => byId.get(id)?.studentNo);
        throw new AppError('CONFLICT', `学号 ${numbers.slice(0, 10).join('、')} 无法写入：与已有学生的唯一信息冲突，请联系管理员`);
      }
      await writeChanges(studentsRaw, changes);
    }
    await step(chunk.length, '写入学生');
  }
  await writeChanges(studentsRaw, plan.studentUpdates, '更新学生');
  if (total === 0) await progress(0, 0, '没有需要写入的变化');
}
