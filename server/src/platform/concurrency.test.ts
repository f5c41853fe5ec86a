import test from 'ava';
import { forEachLimit } from './concurrency.ts';

test('forEachLimit visits every item with no more than the limit in flight', async (t) => {
  let inFlight = 0;
  let peak = 0;
  const seen: number[] = [];
  await forEachLimit(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    seen.push(i);
    inFlight -= 1;
  });
  t.is(peak, 3);
  t.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
});

test('forEachLimit reads an async source only as fast as the work goes', async (t) => {
  let pulled = 0;
  let done = 0;
  let inFlight = 0;
  let peak = 0;
  async function* source() {
    for (let i = 0; i < 12; i++) {
      pulled += 1;
      // Never more than the workers plus the one being handed over ahead of the work.
      t.true(pulled - done <= 3, `pulled ${pulled}, done ${done}`);
      yield i;
    }
  }
  await forEachLimit(source(), 2, async () => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight -= 1;
    done += 1;
  });
  t.is(done, 12);
  t.is(peak, 2);
});

test('forEachLimit takes nothing new after a failure, lets the work in flight finish, and throws the first failure', async (t) => {
  const started: number[] = [];
  let finished = 0;
  let closed = false;
  async function* source() {
    try {
      for (let i = 0; i < 100; i++) yield i;
    } finally {
      closed = true;
    }
  }
  const error = await t.throwsAsync(
    forEachLimit(source(), 3, async (i) => {
      started.push(i);
      if (i === 4) throw new Error('item 4 refused');
      await new Promise((r) => setTimeout(r, 5));
      finished += 1;
    }),
  );
  t.is(error?.message, 'item 4 refused');
  t.true(started.length <= 7, `started ${started.length}`);
  t.is(finished, started.length - 1, 'every other item started was finished');
  t.true(closed, 'the source was closed');
});
