import type { Connection, Model, QueryFilter, UpdateQuery } from 'mongoose';
import { databaseCapabilities } from './capabilities.ts';
import { withDocumentLock, type LockOptions } from './document-lock.ts';

/**
 * Applies `update` to the document `id` only if it still matches `expected`,
 * atomically, and returns the updated document, or null when the document
 * was not in the expected state (someone else moved it first).
 *
 * Every write to a document whose state is guarded this way must go through
 * this function (or `withDocumentLock` on the same key), so that the lock
 * path on FerretDB sees all writers.
 */
export async function compareAndSet<TDoc>(
  db: Connection,
  model: Model<TDoc>,
  id: unknown,
  expected: Record<string, unknown>,
  update: UpdateQuery<TDoc>,
  options: LockOptions & { forceLock?: boolean } = {},
): Promise<TDoc | null> {
  const run = () =>
    model
      .findOneAndUpdate({ ...expected, _id: id } as QueryFilter<TDoc>, update, { returnDocument: 'after' })
      .lean<TDoc>()
      .exec();
  const capabilities = await databaseCapabilities(db);
  if (capabilities.atomicConditionalUpdates && !options.forceLock) return run();
  return withDocumentLock(db, lockKey(model, id), run, options);
}

export function lockKey(model: { collection: { collectionName: string } }, id: unknown): string {
  return `${model.collection.collectionName}:${String(id)}`;
}
