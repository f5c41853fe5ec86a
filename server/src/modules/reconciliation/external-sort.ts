import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { linesOf } from './trade-bill-parser.ts';

/**
 * Sorting more records than should sit in memory: records are collected in
 * runs of `runSize`, each run sorted and written to a file as JSON lines, and
 * the runs merged back in key order by a k-way merge that holds one record
 * per run. Memory is bounded by the run size and the merge's fan-in, not by
 * how many records there are.
 */

export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Runs merged at once; more runs are first merged in groups into longer runs. */
const MAX_FAN_IN = 32;

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out: WriteStream = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for (const line of lines) {
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export class SortedRuns<T> {
  private buffer: { key: string; item: T }[] = [];
  private readonly files: string[] = [];
  private count = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly keyOf: (item: T) => string,
    private readonly runSize = 50_000,
  ) {}

  get size(): number {
    return this.count;
  }

  async add(item: T): Promise<void> {
    this.buffer.push({ key: this.keyOf(item), item });
    this.count += 1;
    if (this.buffer.length >= this.runSize) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const run = this.buffer;
    this.buffer = [];
    run.sort((a, b) => compareKeys(a.key, b.key));
    const file = path.join(this.dir, `${this.name}-${this.files.length}.jsonl`);
    await writeLines(file, (function* () {
      for (const r of run) yield JSON.stringify(r.item);
    })());
    this.files.push(file);
  }

  /** Writes the last run and merges down to at most MAX_FAN_IN runs; returns their files. */
  async finish(): Promise<string[]> {
    await this.flush();
    let files = [...this.files];
    let level = 0;
    while (files.length > MAX_FAN_IN) {
      const next: string[] = [];
      for (let i = 0; i < files.length; i += MAX_FAN_IN) {
        const group = files.slice(i, i + MAX_FAN_IN);
        const file = path.join(this.dir, `${this.name}-l${level}-${next.length}.jsonl`);
        await mergeToFile<T>(group, this.keyOf, file);
        await Promise.all(group.map((f) => rm(f, { force: true })));
        next.push(file);
      }
      files = next;
      level += 1;
    }
    return files;
  }
}

/** JSON lines of one file, in order. */
export async function* readRun<T>(file: string): AsyncGenerator<T> {
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    for await (const line of linesOf(input)) if (line) yield JSON.parse(line) as T;
  } finally {
    input.destroy();
  }
}

/** Merges sorted runs into one sequence in key order (stable across runs by run index). */
export async function* mergeRuns<T>(files: string[], keyOf: (item: T) => string): AsyncGenerator<T> {
  const sources = files.map((f) => readRun<T>(f)[Symbol.asyncIterator]());
  type Head = { key: string; item: T; source: number };
  const heap: Head[] = [];
  const less = (a: Head, b: Head) => {
    const c = compareKeys(a.key, b.key);
    return c < 0 || (c === 0 && a.source < b.source);
  };
  const push = (h: Head) => {
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  try {
    for (let s = 0; s < sources.length; s++) {
      const first = await sources[s]!.next();
      if (!first.done) push({ key: keyOf(first.value), item: first.value, source: s });
    }
    while (heap.length > 0) {
      const top = pop();
      yield top.item;
      const next = await sources[top.source]!.next();
      if (!next.done) push({ key: keyOf(next.value), item: next.value, source: top.source });
    }
  } finally {
    await Promise.all(sources.map((s) => s.return?.(undefined)));
  }
}

/** Merges runs into one sorted file, calling `check` on each record with the previous one (e.g. to refuse duplicate keys). */
export async function mergeToFile<T>(files: string[], keyOf: (item: T) => string, file: string, check?: (item: T, previous: T | undefined) => void): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let previous: T | undefined;
  let count = 0;
  try {
    for await (const item of mergeRuns<T>(files, keyOf)) {
      check?.(item, previous);
      previous = item;
      count += 1;
      if (!out.write(JSON.stringify(item) + '\n')) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return count;
}
