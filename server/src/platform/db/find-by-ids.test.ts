import test from 'ava';
import { connectDatabase } from './connection.ts';
import { findByIds, findWhereIn } from './find-by-ids.ts';
import { testDatabaseUri } from '../../testing/index.ts';

test('findByIds and findWhereIn answer like one $in query: every match, nothing else, each once', async (t) => {
  const db = await connectDatabase(testDatabaseUri('find_by_ids'));
  t.teardown(() => db.close());
  const rows = db.collection('find_rows');
  await rows.insertMany(
    Array.from({ length: 30 }, (_, i) => ({ _id: `r${i}` as never, owner: `o${i % 4}`, live: i % 3 !== 0, n: i })),
  );

  const byId = await findByIds<{ _id: string; n: number }>(db, 'find_rows', ['r1', 'r7', 'r7', 'missing', 'r29'], { n: 1 });
  t.deepEqual([...byId.keys()].sort(), ['r1', 'r29', 'r7']);
  t.deepEqual(byId.get('r7'), { _id: 'r7', n: 7 }, 'projection applied');
  t.is((await findByIds(db, 'find_rows', [])).size, 0);

  const live = await findWhereIn<{ _id: string; owner: string; live: boolean }>(db, 'find_rows', 'owner', ['o1', 'o3', 'o1', 'nobody'], { live: true });
  const expected = (await rows.find({ owner: { $in: ['o1', 'o3'] }, live: true }).toArray()).map((r) => String(r._id)).sort();
  t.deepEqual(live.map((r) => r._id).sort(), expected);
  t.true(live.every((r) => r.live && (r.owner === 'o1' || r.owner === 'o3')));
});
