import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { type ServerProcess, startServer } from './support/processes.ts';

let server: ServerProcess | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'otklik-demo-mail-'));
after(() => {
  server?.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('embedded demo mode without SMTP_URL: the confirmation link is written to the log', {
  skip: process.env.DATABASE_URL ? 'embedded mode only' : false,
}, async () => {
  server = await startServer(['--demo'], { OTKLIK_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  await server.ready();
  // The server answers as soon as it listens; the lines after `listen` may reach the pipe a moment later.
  const logged = async (pattern: RegExp) => {
    const until = Date.now() + 10_000;
    while (!pattern.test(server!.output()) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.match(server!.output(), pattern);
  };
  await logged(/SMTP_URL is not set/);
  await logged(/Demo accounts \(password for all: /);
  const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/auth/register`, {
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
  await logged(new RegExp(`http://localhost:${server.port}/confirm-email\\?token=[A-Za-z0-9_%-]+`));
});
