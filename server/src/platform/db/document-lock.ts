import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { AppError } from '../errors.ts';
import { defineModel } from './connection.ts';
import { isDuplicateKeyError } from './errors.ts';

/**
 * Mutual exclusion per document, built on the one primitive that is atomic
 * on every database we run on: inserting under a unique `_id`.
 *
 * Why: FerretDB v1 (development and tests) evaluates findAndModify/update
 * filters in Go and then writes by `_id` (FerretDB#2168), so a filter on the
 * expected state is not a compare-and-set there. MongoDB's findOneAndUpdate
 * is; `compareAndSet` uses it directly when the server is MongoDB and takes
 * this lock around the same call on FerretDB.
 */

const lockSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const DocumentLockModel = defineModel('DocumentLock', 'document_locks', lockSchema);

export interface LockOptions {
  /** A holder that dies keeps the lock at most this long. */
  ttlMs?: number;
  /** How long to wait for a busy lock before giving up with STATE_CONFLICT; 0 tries once. */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withDocumentLock<T>(db: Connection, key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { ttlMs = 30_000, waitMs = 15_000 } = options;
  const locks = DocumentLockModel(db);
  const owner = randomUUID();
  const deadline = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    try {
      await locks.create({ _id: key, owner, expiresAt: new Date(Date.now() + ttlMs) });
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const held = await locks.findById(key).lean();
    if (held && held.expiresAt.getTime() < Date.now()) {
      // Only one contender may remove a given stale holder's lock: the one
      // whose takeover marker insert succeeds.
      try {
        await locks.create({ _id: `${key}~takeover~${held.owner}`, owner, expiresAt: new Date(Date.now() + ttlMs) });
        await locks.deleteOne({ _id: key, owner: held.owner });
        continue;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (Date.now() > deadline) {
      throw new AppError('STATE_CONFLICT', '该记录正在被其他操作处理，请稍后重试', { details: { resource: key } });
    }
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 50);
  }
  try {
    return await fn();
  } finally {
    await locks.deleteOne({ _id: key, owner });
  }
}
