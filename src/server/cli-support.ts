import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BackupError } from './core/backup/errors.ts';
import { type Config, ConfigError, loadConfig } from './core/config.ts';
import { type DatabaseHandle, openDatabase } from './core/db/index.ts';
import { DataDirLockedError } from './core/db/lock.ts';
import { AppError } from './core/http/errors.ts';

/** Runs a CLI command against the same database the server uses (DATABASE_URL or OTKLIK_DATA_DIR), then closes it. */
export async function withDatabase<T>(fn: (handle: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  } catch (error) {
    if (describeError(error) || !(error instanceof Error)) throw error;
    // Whatever else stops the database from opening, say which one it was.
    throw new CliError(
      config.databaseUrl
        ? `cannot connect to ${databaseWhere()}: ${error.message}`
        : `cannot open the embedded database in ${config.dataDir}: ${error.message}`,
    );
  }
  try {
    return await fn(handle, config);
  } finally {
    await handle.close();
  }
}

/** A failure the CLI explains in one line (exit code 1). */
export class CliError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in how the command was called: exit code 2, like other Unix tools. */
export class UsageError extends CliError {
  override readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with no positionals, and the named options required. */
export function parseOptions<O extends Options>(argv: string[], options: O, required: Array<keyof O & string> = []) {
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  for (const name of required) {
    const value = (values as Record<string, unknown>)[name];
    if (value === undefined || value === '') throw new UsageError(`missing required option --${name}`);
  }
  return values;
}

/** `--password -` reads the password from the first line of stdin, so it stays out of the shell history and `ps`. */
export function passwordOption(value: string): string {
  if (value !== '-') return value;
  const line = readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new UsageError('--password -: nothing on standard input');
  return line;
}

export function positiveInt(option: string, value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${option}: expected ${what} (a positive integer), got "${value}"`);
  }
  return Number(value);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function emailOption(value: string): string {
  const email = value.trim();
  if (!EMAIL.test(email)) throw new UsageError(`--email: "${value}" is not an e-mail address`);
  return email;
}

/** provisionUser names fields as the API does (roles.0.municipalityId); the CLI names them as its options. */
const FIELD_OPTIONS: Array<[RegExp, string]> = [
  [/^roles\.\d+\.municipalityId$/, '--municipality'],
  [/^roles\.\d+\.departmentId$/, '--department'],
  [/^roles(\.\d+)?$/, '--role'],
  [/^email$/, '--email'],
  [/^password$/, '--password'],
  [/^lastName$/, '--last-name'],
  [/^firstName$/, '--first-name'],
];

function appErrorMessage(error: AppError): string {
  const detail = error.details?.[0];
  if (error.code === 'VALIDATION_FAILED' && detail) {
    const option = FIELD_OPTIONS.find(([re]) => re.test(detail.field))?.[1] ?? detail.field;
    return `${option}: ${detail.reason}`;
  }
  return error.message;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
// PostgreSQL: database does not exist, authentication failed, role does not exist, server starting/stopping.
const PG_CONNECT_CODES = new Set(['3D000', '28P01', '28000', '57P03', '53300']);

function databaseWhere(): string {
  const raw = process.env.DATABASE_URL;
  if (!raw) return 'the database server';
  try {
    const url = new URL(raw);
    return `the database server at ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the database server';
  }
}

/** Turns an error into the one line the CLI prints and its exit code; undefined → an unexpected error (a bug). */
export function describeError(error: unknown): { message: string; code: number } | undefined {
  if (error instanceof CliError) return { message: error.message, code: error.exitCode };
  if (error instanceof ConfigError) return { message: `invalid setting ${error.message}`, code: 1 };
  if (error instanceof DataDirLockedError) return { message: error.message, code: 1 };
  if (error instanceof BackupError) return { message: error.message, code: 1 };
  if (error instanceof AppError) return { message: appErrorMessage(error), code: 1 };
  const e = error as NodeJS.ErrnoException & { errors?: Array<{ message?: string; code?: string }> };
  if (typeof e?.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
    return { message: e.message.replace(/\. To specify a positional argument.*$/, ''), code: 2 };
  }
  if (e?.code && (CONNECT_CODES.has(e.code) || PG_CONNECT_CODES.has(e.code))) {
    // Node reports "localhost" (two addresses) as an AggregateError with an empty message.
    const reason = e.message || e.errors?.map((x) => x.message).find(Boolean) || e.code;
    return { message: `cannot connect to ${databaseWhere()}: ${reason}`, code: 1 };
  }
  // pg: the server (or something on the way) closed the connection, or connecting took too long.
  if (e instanceof Error && /^(Connection terminated|timeout expired)/.test(e.message)) {
    return { message: `cannot connect to ${databaseWhere()}: ${e.message}`, code: 1 };
  }
  if (e?.code === 'EADDRINUSE') return { message: `the port is already in use (${e.message}); set PORT to another one`, code: 1 };
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS') {
    return { message: `permission denied: ${e.message}`, code: 1 };
  }
  return undefined;
}
