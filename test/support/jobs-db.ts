import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, DatabaseHandle } from '../../src/server/core/db/index.ts';
import { migrateToLatest } from '../../src/server/core/db/migrate.ts';
import { createTestDatabase } from './test-db.ts';

/**
 * createTestDatabase(), except that on a PostgreSQL server the pool has an 'error' listener. pg-pool's end()
 * resolves before its clients' sockets are closed, so the `drop database … with (force)` that follows can
 * terminate a client that is still closing; without a listener that error is thrown as an uncaught exception
 * (seen here with the job tests, which use the whole pool of 10). On PGlite this is createTestDatabase().
 */
export async function createJobsTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return createTestDatabase();
  const name = `otklik_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(serverUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  pool.on('error', () => {
    // An idle client terminated by the drop below, or by a server restart: the pool replaces it.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db as never);
  return {
    db,
    kind: 'postgres',
    url: url.toString(),
    close: async () => {
      await db.destroy();
      await withAdmin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin(serverUrl: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}
