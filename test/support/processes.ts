import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for tests that run the real `otklik` CLI or server as a child process. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'src/server/cli.ts');

/** Otklik's own settings are never inherited from the test runner's environment: each test gives its own. */
const SCRUBBED = [
  'DATABASE_URL',
  'SESSION_SECRET',
  'OTKLIK_DATA_DIR',
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'SMTP_URL',
  'LOG_LEVEL',
  'NODE_TEST_CONTEXT',
];

export function cliEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of SCRUBBED) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (`entry` replaces `--import tsx cli.ts`, e.g. to run bin/otklik.mjs). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  options: { input?: string; entry?: string[] } = {},
) {
  return new Promise<Run>((resolve, reject) => {
    const entry = options.entry ?? ['--import', 'tsx', CLI];
    const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once /api/health answers 200; rejects if the process exits first or the time runs out. */
  ready(timeoutMs?: number): Promise<void>;
}

/** Starts `otklik serve [args]` on a free port. Stop it with `child.kill('SIGTERM')`. */
export async function startServer(args: string[], env: Record<string, string | undefined>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', ...args], {
    cwd: ROOT,
    env: cliEnv({ HOST: '127.0.0.1', ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const ready = async (timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering:\n${output}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server did not answer within ${timeoutMs} ms:\n${output}`);
  };
  return { child, port, output: () => output, ready };
}
