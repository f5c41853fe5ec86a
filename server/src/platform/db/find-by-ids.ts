import type { Connection } from 'mongoose';
import { forEachLimit } from '../concurrency.ts';
import { databaseCapabilities } from './capabilities.ts';

type Projection = Record<string, 0 | 1>;

/**
 * Documents by `_id`: one `$in` query on MongoDB, parallel lookups by `_id`
 * on FerretDB (whose SQLite backend only pushes a single `_id` down, so an
 * `$in` would read the whole collection).
 */
export async function findByIds<T extends { _id: string }>(db: Connection, collection: string, ids: readonly string[], projection?: Projection): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if ((await databaseCapabilities(db)).server === 'mongodb') {
    for (const doc of await findWhereIn<T>(db, collection, '_id', ids, {}, projection)) out.set(String(doc._id), doc);
    return out;
  }
  // findOne, not find: on SQLite even the pushed-down `_id` is a scan (in SQL, ~4 µs a row), which a findOne
  // ends at the match.
  const native = db.collection(collection);
  await forEachLimit([...new Set(ids)], 16, async (id) => {
    const doc = await native.findOne({ _id: id as never }, projection ? { projection } : {});
    if (doc) out.set(id, doc as unknown as T);
  });
  return out;
}

/**
 * Documents whose `field` is one of `values` (and that match `filter`): one
 * `$in` query per thousand values on MongoDB, where the field's index serves
 * it; on FerretDB one equality query per value, because equality is what its
 * backends push down to SQL (`_id` on SQLite, top-level fields on
 * PostgreSQL) while an `$in` reads the whole collection.
 */
export async function findWhereIn<T>(db: Connection, collection: string, field: string, values: readonly string[], filter: Record<string, unknown> = {}, projection?: Projection): Promise<T[]> {
  const unique = [...new Set(values)];
  if (unique.length === 0) return [];
  const native = db.collection(collection);
  const options = projection ? { projection } : {};
  const out: T[] = [];
  if ((await databaseCapabilities(db)).server === 'mongodb') {
    for (let i = 0; i < unique.length; i += 1000) {
      out.push(...((await native.find({ ...filter, [field]: { $in: unique.slice(i, i + 1000) } }, options).toArray()) as unknown as T[]));
    }
    return out;
  }
  const found = new Map<string, T[]>();
  await forEachLimit(unique, 16, async (value) => {
    found.set(value, (await native.find({ ...filter, [field]: value }, options).toArray()) as unknown as T[]);
  });
  // Grouped by value in the order given; callers must not rely on any order (an $in query promises none).
  for (const value of unique) out.push(...(found.get(value) ?? []));
  return out;
}
