import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

// The repository root, the CLI entry and a free local port: the same helpers the process-level tests use.
import { CLI, freePort, ROOT } from '../test/support/processes.ts';

export { CLI, freePort, ROOT };

export interface BenchOptions {
  quick: boolean;
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The server's environment: nothing inherited that would change what is measured, logging silent. */
export function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'SESSION_SECRET', 'OTKLIK_DATA_DIR', 'PUBLIC_URL', 'SMTP_URL', 'NODE_TEST_CONTEXT'])
    delete env[k];
  return { ...env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', NODE_ENV: 'production', ...extra };
}

export interface Server {
  child: ChildProcess;
  port: number;
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <args>` and resolves once `readyPath` answers 200. */
export async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPath: string,
  timeoutMs = 120_000,
): Promise<Server> {
  const port = Number(env.PORT);
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    child,
    port,
    url,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr.trim()}`);
    if (await answers(`${url}${readyPath}`)) return server;
    await new Promise((r) => setTimeout(r, 20));
  }
  await server.stop();
  throw new Error(`${args.join(' ')} did not answer ${readyPath} within ${timeoutMs} ms`);
}

export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the PostgreSQL server, or the reason there is none. */
export async function freshServerDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> } | { skipped: string }> {
  const name = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    const e = error as { message?: string; code?: string; errors?: Array<{ message?: string }> };
    const reason = e.message || e.errors?.map((x) => x.message).join('; ') || e.code || String(error);
    return { skipped: `PostgreSQL at ${redact(serverUrl)} is unreachable: ${reason}` };
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A plain text table: the first row is the header. */
export function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The 1-minute load average, and a warning when other work on the machine makes the figures unreliable. */
export function machineLoad(): { load1: number; warning: string | undefined } {
  const load1 = round(loadavg()[0] ?? 0, 2);
  const cores = availableParallelism();
  const warning =
    load1 > cores * 0.5
      ? `the machine is busy (1-min load ${load1} on ${cores} cores): these figures are lower than on an idle machine`
      : undefined;
  return { load1, warning };
}

/**
 * CPU time (ms) used so far by the PostgreSQL server's processes on this machine, from /proc (Linux; a server on
 * another host, or no /proc, gives undefined). With the bench's own `process.cpuUsage()` it tells what one operation
 * costs the whole machine, and so how many per second its cores could do at best.
 */
export function localPostgresCpuMs(): number | undefined {
  let ticks = 0;
  let seen = false;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of proc(5))
      seen = true;
    }
  } catch {
    return undefined;
  }
  return seen ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
