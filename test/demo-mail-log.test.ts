import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let child: ChildProcess | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'otklik-demo-mail-'));
after(() => {
  child?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('embedded demo mode without SMTP_URL: the confirmation link is written to the log', {
  skip: process.env.DATABASE_URL ? 'embedded mode only' : false,
}, async () => {
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve', '--demo'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), OTKLIK_DATA_DIR: dataDir, LOG_LEVEL: 'info', SMTP_URL: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.match(output, /SMTP_URL is not set/);
  assert.match(output, /Demo accounts \(password for all: /);
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'log.reader@example.ru',
      password: 'Ссылка-в-журнале-1',
      lastName: 'Журналов',
      firstName: 'Лог',
    }),
  });
  assert.equal(res.status, 201);
  const until = Date.now() + 10_000;
  while (!/confirm-email\?token=/.test(output) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.match(output, new RegExp(`http://localhost:${port}/confirm-email\\?token=[A-Za-z0-9_%-]+`));
});
