import type { Connection } from 'mongoose';

export interface DatabaseCapabilities {
  /** MongoDB applies a findAndModify filter and update atomically; FerretDB v1 does not. */
  atomicConditionalUpdates: boolean;
  server: 'mongodb' | 'ferretdb';
  version: string;
}

const cache = new WeakMap<Connection, Promise<DatabaseCapabilities>>();

export function databaseCapabilities(db: Connection): Promise<DatabaseCapabilities> {
  let found = cache.get(db);
  if (!found) {
    found = (async () => {
      const native = db.db;
      if (!native) throw new Error('database not connected');
      const info = (await native.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
      if (info.ferretdbVersion) return { atomicConditionalUpdates: false, server: 'ferretdb', version: info.ferretdbVersion };
      return { atomicConditionalUpdates: true, server: 'mongodb', version: info.version ?? 'unknown' };
    })();
    cache.set(db, found);
  }
  return found;
}
