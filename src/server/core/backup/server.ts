import { spawn } from 'node:child_process';
import { renameSync, rmSync, statSync } from 'node:fs';
import pg from 'pg';
import { BackupError } from './errors.ts';
import { checkInFile, checkOutFile, tempFileFor } from './files.ts';

/**
 * Server mode backs up with the PostgreSQL client tools (package postgresql-client), so a backup is an
 * ordinary pg_dump custom-format archive that any PostgreSQL tooling can read.
 */

interface ToolResult {
  code: number;
  stderr: string;
}

/** The URL without its password (passed as PGPASSWORD instead, so it never shows in `ps`). */
export function connectionFor(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv; display: string } {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  url.password = '';
  const display = `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  return { url: url.toString(), env, display };
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new BackupError(
            `${tool} was not found on PATH; install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client), of the server's major version or newer`,
          ),
        );
      } else reject(error);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
}

/** pg_dump/pg_restore print several lines; the first error line is the one that says what went wrong. */
function firstError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.find((l) => /error|fatal/i.test(l)) ?? lines[0] ?? 'no message').replace(/^(pg_dump|pg_restore): (error: )?/, '');
}

export interface ServerBackupResult {
  file: string;
  bytes: number;
}

export async function backupServer(
  databaseUrl: string,
  out: string,
  options: { force?: boolean } = {},
): Promise<ServerBackupResult> {
  const file = checkOutFile(out, options.force ?? false);
  const { url, env } = connectionFor(databaseUrl);
  const tmp = tempFileFor(file);
  try {
    const result = await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${tmp}`, `--dbname=${url}`], env);
    if (result.code !== 0) throw new BackupError(`pg_dump failed: ${firstError(result.stderr)}`);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { file, bytes: statSync(file).size };
}

export interface ServerRestoreResult {
  database: string;
  /** Tables the database had before (replaced with --force). */
  replacedTables: number;
}

/**
 * Restores a pg_dump archive into the DATABASE_URL database in one transaction (a failure changes nothing).
 * A database that already has tables is only replaced with `force` (pg_restore --clean --if-exists).
 */
export async function restoreServer(
  databaseUrl: string,
  input: string,
  options: { force?: boolean } = {},
): Promise<ServerRestoreResult> {
  const file = checkInFile(input, 'pg_dump');
  const { url, env, display } = connectionFor(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let tables: number;
  try {
    const res = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_catalog.pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
    );
    tables = res.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
  if (tables > 0 && !options.force) {
    throw new BackupError(
      `the database ${display} already has ${tables} tables; restore into an empty database, or pass --force to replace its contents`,
    );
  }
  const result = await runTool(
    'pg_restore',
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--dbname=${url}`,
      file,
    ],
    env,
  );
  if (result.code !== 0) throw new BackupError(`pg_restore failed (nothing was changed): ${firstError(result.stderr)}`);
  return { database: display, replacedTables: tables };
}
