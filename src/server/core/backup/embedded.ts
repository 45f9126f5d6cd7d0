import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock } from '../db/lock.ts';
import { BackupError, timestamp } from './errors.ts';
import { checkInFile, checkOutFile, writeFileAtomic } from './files.ts';

export interface EmbeddedBackupResult {
  file: string;
  bytes: number;
}

/**
 * Dumps the embedded database (PGlite's own data dir, `<dataDir>/pg`) to a gzip'd tar. The caller has opened
 * it through openDatabase, so it holds the data-dir lock: no server writes while the dump is taken.
 */
export async function backupEmbedded(
  pglite: PGlite,
  out: string,
  options: { force?: boolean } = {},
): Promise<EmbeddedBackupResult> {
  const file = checkOutFile(out, options.force ?? false);
  await pglite.query('checkpoint');
  const dump = await pglite.dumpDataDir('gzip');
  const bytes = new Uint8Array(await dump.arrayBuffer());
  writeFileAtomic(file, bytes);
  return { file, bytes: bytes.length };
}

export interface EmbeddedRestoreResult {
  pgDir: string;
  /** Where the database that was there before went (with --force). */
  movedAside: string | undefined;
  migrations: number;
}

function holdsDatabase(pgDir: string): boolean {
  return existsSync(pgDir) && readdirSync(pgDir).length > 0;
}

/**
 * Loads a backup into `<dataDir>/pg`. It is unpacked into a staging folder beside it and checked first, so a
 * bad file leaves the data dir as it was; an existing database is only replaced with `force`, and is then
 * moved aside (`pg.before-restore-<time>`), never deleted.
 */
export async function restoreEmbedded(
  dataDir: string,
  input: string,
  options: { force?: boolean } = {},
): Promise<EmbeddedRestoreResult> {
  const file = checkInFile(input, 'pglite');
  const lock = acquireDataDirLock(dataDir);
  const pgDir = path.join(dataDir, 'pg');
  const staging = path.join(dataDir, `pg.restoring-${process.pid}`);
  try {
    const existing = holdsDatabase(pgDir);
    if (existing && !options.force) {
      throw new BackupError(
        `${dataDir} already holds a database; restore into an empty OTKLIK_DATA_DIR, or pass --force to move the current one aside`,
      );
    }
    rmSync(staging, { recursive: true, force: true });
    let migrations = 0;
    let pglite: PGlite | undefined;
    try {
      pglite = await PGlite.create(staging, { loadDataDir: new Blob([readFileSync(file)]) });
      const table = await pglite.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_name = 'kysely_migration'",
      );
      if (table.rows[0]?.n) {
        migrations = (await pglite.query<{ n: number }>('select count(*)::int as n from kysely_migration')).rows[0]?.n ?? 0;
      }
    } catch (error) {
      throw new BackupError(`cannot load ${input}: ${(error as Error).message}`);
    } finally {
      if (pglite && !pglite.closed) await pglite.close();
    }
    let movedAside: string | undefined;
    if (existing) {
      movedAside = path.join(dataDir, `pg.before-restore-${timestamp()}`);
      renameSync(pgDir, movedAside);
    } else if (existsSync(pgDir)) {
      rmSync(pgDir, { recursive: true });
    }
    renameSync(staging, pgDir);
    return { pgDir, movedAside, migrations };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
