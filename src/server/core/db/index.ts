import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type Db = Kysely<Database>;
export type DbKind = 'pglite' | 'postgres';

// int8 as a JS number (ids and counts fit), matching what PGlite returns; numeric stays a string.
pg.types.setTypeParser(20, (v) => Number(v));

/** The extensions every embedded instance loads (the migrations create them; a server ships them as contrib). */
export const PGLITE_EXTENSIONS = { pg_trgm };

export interface DatabaseHandle {
  db: Db;
  kind: DbKind;
  /** Set in embedded mode. */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Embedded mode: the data dir (the PGlite files live in `<dataDir>/pg`). Omitted → in-memory. */
  dataDir?: string | undefined;
  /** Embedded mode: an existing PGlite instance (tests clone one from a migrated template). */
  pglite?: PGlite;
  poolSize?: number;
  /** Server mode: an idle pooled connection was ended by the server. Default: one line on stderr. */
  onIdleClientError?: (error: Error) => void;
}

const waitingProbes = new WeakMap<object, () => number>();

/**
 * How many statements are waiting for a connection of this handle right now (pool waiters on a server, the queue
 * of the one connection on PGlite). The intake batch reads it to let waiting statements go first (cases module).
 */
export function connectionWaiters(db: Db): number {
  return waitingProbes.get(db)?.() ?? 0;
}

const connectionCounts = new WeakMap<object, number>();

/** How many connections this handle has at most: the pool's size on a server, 1 on PGlite (and for unknown handles). */
export function connectionLimit(db: Db): number {
  return connectionCounts.get(db) ?? 1;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    // A host that silently drops packets must not hang the start forever.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client whose connection the server ended (restart, terminated backend, dropped database) is
    // reported here; without a listener pg-pool rethrows it as an uncaught exception and the process dies.
    // The pool replaces the client on next use, so logging is all there is to do.
    pool.on(
      'error',
      options.onIdleClientError ?? ((error) => process.stderr.write(`otklik: idle database connection lost: ${error.message}\n`)),
    );
    // Fail at start, with the server's own message, rather than on the first request.
    const client = await pool.connect();
    client.release();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    waitingProbes.set(db, () => pool.waitingCount);
    connectionCounts.set(db, options.poolSize ?? 10);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let lock: DataDirLock | undefined;
  let instance = options.pglite;
  if (!instance) {
    if (options.dataDir) {
      lock = acquireDataDirLock(options.dataDir);
      const pgDir = path.join(options.dataDir, 'pg');
      try {
        instance = await PGlite.create(pgDir, { relaxedDurability: false, extensions: PGLITE_EXTENSIONS });
      } catch (error) {
        lock.release();
        throw error;
      }
      if (!existsSync(pgDir)) throw new Error(`PGlite did not create ${pgDir}`);
    } else {
      instance = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
    }
  }
  const pglite = instance;
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<Database>({ dialect });
  waitingProbes.set(db, () => dialect.waiting);
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      lock?.release();
    },
  };
}
