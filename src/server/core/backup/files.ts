import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type ArchiveKind, archiveKind, BackupError } from './errors.ts';

/** Where a backup goes: refuses to replace an existing file unless forced, and checks the folder exists. */
export function checkOutFile(out: string, force: boolean): string {
  const file = path.resolve(out);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw new BackupError(`--out ${out} is a directory; give a file name`);
    if (!force) throw new BackupError(`--out ${out} already exists; choose another name or pass --force to replace it`);
  }
  const dir = path.dirname(file);
  if (!existsSync(dir)) throw new BackupError(`--out ${out}: the directory ${dir} does not exist`);
  return file;
}

/** Writes beside the target and renames, so an interrupted backup never leaves a truncated file under its name. */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const tmp = tempFileFor(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

export function tempFileFor(file: string): string {
  return `${file}.partial-${process.pid}`;
}

/** The backup to restore: it must exist and be a kind this mode can read. */
export function checkInFile(input: string, expected: Exclude<ArchiveKind, 'unknown'>): string {
  const file = path.resolve(input);
  if (!existsSync(file)) throw new BackupError(`--in ${input}: no such file`);
  if (statSync(file).isDirectory()) throw new BackupError(`--in ${input} is a directory; give the backup file`);
  const head = Buffer.alloc(8);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const kind = archiveKind(head);
  if (kind === expected) return file;
  if (kind === 'pg_dump') {
    throw new BackupError(
      `${input} is a pg_dump archive from a PostgreSQL server; restore it with DATABASE_URL set to the target database`,
    );
  }
  if (kind === 'pglite') {
    throw new BackupError(
      `${input} is an embedded (PGlite) data-dir backup; restore it without DATABASE_URL, into OTKLIK_DATA_DIR`,
    );
  }
  throw new BackupError(`${input} is not an Otklik backup (neither a PGlite .tar.gz nor a pg_dump custom archive)`);
}
