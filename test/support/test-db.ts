import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type DatabaseHandle, openDatabase, PGLITE_EXTENSIONS } from '../../src/server/core/db/index.ts';
import { migrateToLatest } from '../../src/server/core/db/migrate.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/server/core/db/migrations');

/** The migrated template is cached per migration set: any change to a migration file makes a new one. */
function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) h.update(f).update(readFileSync(path.join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `otklik-template-${migrationsHash()}.tar.gz`);
  if (!existsSync(file)) {
    const db = await openDatabase({});
    await migrateToLatest(db.db as never);
    const dump = await db.pglite!.dumpDataDir('gzip');
    await db.close();
    // Several test processes may build it at once: write aside, then rename atomically.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}

/**
 * A fresh, migrated database for one test file: a PGlite instance cloned from a migrated template, or, when
 * DATABASE_URL is set, a new database on that server that is dropped again on close.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const pglite = await PGlite.create({ loadDataDir: await pgliteTemplate(), extensions: PGLITE_EXTENSIONS });
    return openDatabase({ pglite });
  }
  const name = `otklik_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The forced drop on close can end clients pg-pool is still closing (its end() resolves early): expected here.
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 10, onIdleClientError: () => {} });
  await migrateToLatest(handle.db as never);
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
