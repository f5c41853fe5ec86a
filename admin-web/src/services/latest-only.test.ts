import test from 'ava';
import { latestOnly } from './latest-only.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('an answer overtaken by a newer call yields the newer answer', async (t) => {
  const calls = [deferred<string>(), deferred<string>()];
  let n = 0;
  const load = latestOnly((_q: string) => calls[n++]!.promise);
  const first = load('');
  const second = load('E2026005');
  calls[1]!.resolve('search result');
  t.is(await second, 'search result');
  calls[0]!.resolve('late unfiltered page');
  t.is(await first, 'search result');
});

test('a single call passes its answer and its error through', async (t) => {
  const load = latestOnly(async (q: string) => {
    if (q === 'bad') throw new Error('refused');
    return q.toUpperCase();
  });
  t.is(await load('ok'), 'OK');
  await t.throwsAsync(load('bad'), { message: 'refused' });
});

test('a stale call that fails follows the newer one instead of reporting its error', async (t) => {
  const calls = [deferred<string>(), deferred<string>()];
  let n = 0;
  const load = latestOnly(() => calls[n++]!.promise);
  const first = load();
  const second = load();
  calls[0]!.reject(new Error('network'));
  calls[1]!.resolve('fresh');
  t.is(await first, 'fresh');
  t.is(await second, 'fresh');
});
