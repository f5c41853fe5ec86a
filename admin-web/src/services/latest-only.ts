/**
 * Wraps a list loader so that an answer overtaken by a newer call is never
 * shown: every caller gets the answer of the latest call. A table asks again
 * each time its filters change, and answers can arrive out of order (a slow
 * unfiltered first page after the search typed meanwhile); without this the
 * late answer would replace the newer one on screen.
 */
export function latestOnly<A extends unknown[], R>(load: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let latest: Promise<R> | null = null;
  const follow = async (call: Promise<R>): Promise<R> => {
    try {
      const result = await call;
      if (call === latest) return result;
    } catch (error) {
      if (call === latest) throw error;
    }
    return follow(latest!);
  };
  return (...args: A) => {
    const call = load(...args);
    latest = call;
    return follow(call);
  };
}
