/**
 * Runs `fn` over `items` with at most `limit` in flight, taking items as the
 * workers free up, so an async source (a database cursor, a generator) is
 * read only as fast as the work goes. After a failure no new item is taken,
 * and the first failure is thrown once the items in flight have finished.
 */
export async function forEachLimit<T>(items: Iterable<T> | AsyncIterable<T>, limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (!failure) {
      const next = await source.next();
      if (next.done || failure) return;
      try {
        await fn(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) {
    await source.return?.();
    throw (failure as { error: unknown }).error;
  }
}
