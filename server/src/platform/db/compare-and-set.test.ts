import test from 'ava';
import { Schema } from 'mongoose';
import { connectDatabase, defineModel, ensureIndexes } from './connection.ts';
import { compareAndSet } from './compare-and-set.ts';
import { withDocumentLock, DocumentLockModel } from './document-lock.ts';
import { databaseCapabilities } from './capabilities.ts';
import { testDatabaseUri } from '../../testing/index.ts';

const ticketSchema = new Schema({ _id: String, state: String, holder: String, count: Number }, { versionKey: false });
const TicketModel = defineModel('CasTicket', 'cas_tickets', ticketSchema);

test('exactly one of many concurrent compare-and-sets from two connections wins', async (t) => {
  const uri = testDatabaseUri('cas');
  const a = await connectDatabase(uri);
  const b = await connectDatabase(uri);
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  await ensureIndexes(a);
  const caps = await databaseCapabilities(a);
  t.log(`database: ${caps.server} ${caps.version}; atomic conditional updates: ${caps.atomicConditionalUpdates}`);

  for (let round = 0; round < 5; round++) {
    const id = `ticket-${round}`;
    await TicketModel(a).create({ _id: id, state: 'open', holder: null, count: 0 });
    const attempts = Array.from({ length: 16 }, (_, i) =>
      compareAndSet(i % 2 ? a : b, TicketModel(i % 2 ? a : b), id, { state: 'open' }, { $set: { state: 'taken', holder: `h${i}` } }),
    );
    const results = await Promise.all(attempts);
    const winners = results.filter((r) => r !== null);
    t.is(winners.length, 1, `round ${round}: one winner`);
    const stored = await TicketModel(b).findById(id).lean();
    t.is(stored?.holder, winners[0]?.holder, 'the stored document is the winner’s');
  }
  t.is(await DocumentLockModel(a).countDocuments(), 0, 'every lock was released');
});

test('increments under the lock are not lost, and a stale lock is taken over', async (t) => {
  const uri = testDatabaseUri('lock');
  const db = await connectDatabase(uri);
  t.teardown(() => db.close());
  await ensureIndexes(db);
  await TicketModel(db).create({ _id: 'counter', state: 'open', count: 0 });
  await Promise.all(
    Array.from({ length: 25 }, () =>
      withDocumentLock(db, 'cas_tickets:counter', async () => {
        const doc = await TicketModel(db).findById('counter').lean();
        await TicketModel(db).updateOne({ _id: 'counter' }, { $set: { count: (doc?.count ?? 0) + 1 } });
      }),
    ),
  );
  t.is((await TicketModel(db).findById('counter').lean())?.count, 25);

  await DocumentLockModel(db).create({ _id: 'cas_tickets:stale', owner: 'crashed-instance', expiresAt: new Date(Date.now() - 1000) });
  const value = await withDocumentLock(db, 'cas_tickets:stale', async () => 'ran');
  t.is(value, 'ran');

  await DocumentLockModel(db).create({ _id: 'cas_tickets:busy', owner: 'someone', expiresAt: new Date(Date.now() + 60_000) });
  const busy = await t.throwsAsync(withDocumentLock(db, 'cas_tickets:busy', async () => 'never', { waitMs: 100 }));
  t.is((busy as { code?: string }).code, 'STATE_CONFLICT');
});
