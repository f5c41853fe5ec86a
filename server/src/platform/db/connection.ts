import mongoose, { type Connection, type Model, type Schema, type InferSchemaType } from 'mongoose';

interface ModelDefinition {
  name: string;
  collection: string;
  schema: Schema;
}

const definitions: ModelDefinition[] = [];

/**
 * Declares a model once; each connection gets its own compiled copy, so two
 * server instances (or a test and its server) can live in one process.
 * Indexes are declared on the schema and created at start-up, never lazily.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineModel<TSchema extends Schema<any>>(name: string, collection: string, schema: TSchema) {
  schema.set('autoIndex', false);
  definitions.push({ name, collection, schema });
  type Doc = InferSchemaType<TSchema>;
  return (db: Connection): Model<Doc> =>
    (db.models[name] as Model<Doc> | undefined) ?? db.model<Doc>(name, schema as unknown as Schema<Doc>, collection);
}

export async function connectDatabase(uri: string): Promise<Connection> {
  const db = mongoose.createConnection(uri, {
    autoIndex: false,
    autoCreate: true,
    bufferCommands: false,
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: 30,
  });
  await db.asPromise();
  return db;
}

export class IndexCreationError extends Error {
  override name = 'IndexCreationError';
}

/** Creates every declared index; a failure stops start-up with the model named. */
export async function ensureIndexes(db: Connection): Promise<void> {
  for (const def of definitions) {
    const model = db.models[def.name] ?? db.model(def.name, def.schema, def.collection);
    try {
      await model.createIndexes();
    } catch (error) {
      throw new IndexCreationError(`Cannot create indexes of ${def.name} (${def.collection}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

/** Answers whether the database responds within `timeoutMs`. */
export async function pingDatabase(db: Connection, timeoutMs = 1000): Promise<boolean> {
  const native = db.db;
  if (!native) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      native.command({ ping: 1 }).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
