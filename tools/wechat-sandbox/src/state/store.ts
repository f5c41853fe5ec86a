import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../files.ts';
import type { PersistedState } from './types.ts';

function emptyState(): PersistedState {
  return {
    version: 1,
    orders: [],
    refunds: [],
    notifications: [],
    users: [],
    loginCodes: [],
    subscriptions: [],
    messages: [],
    accessTokens: [],
    merchants: [],
  };
}

/**
 * The sandbox's memory. Services mutate `state` directly and call `changed()`;
 * saving to state.json is debounced so a burst of calls writes once, and a
 * restart for a demo finds its orders again.
 */
export class StateStore {
  state: PersistedState = emptyState();
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 200,
  ) {
    this.file = path.join(dataDir, 'state.json');
  }

  async load(): Promise<void> {
    try {
      const loaded = JSON.parse(await readFile(this.file, 'utf8')) as Partial<PersistedState>;
      this.state = { ...emptyState(), ...loaded, version: 1 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  changed(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.debounceMs);
  }

  /**
   * Writes any pending change and stops saving: work still finishing after a
   * stop (an aborted delivery) must not write into a data directory its owner
   * may already have removed.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.save();
    }
    await this.saving;
  }

  private save(): Promise<void> {
    const snapshot = JSON.stringify(this.state);
    this.saving = this.saving.then(() => writeFileAtomic(this.file, snapshot)).catch(this.onError);
    return this.saving;
  }
}
