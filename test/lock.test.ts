import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../src/server/core/db/index.ts';
import { acquireDataDirLock, DataDirLockedError } from '../src/server/core/db/lock.ts';
import { freePort, runCli, startServer } from './support/processes.ts';

/**
 * The embedded data dir admits one process: PGlite takes no lock of its own, and two processes on one data dir
 * would silently diverge. Server and CLI both take the lock through openDatabase.
 */

const SKIP = process.env.DATABASE_URL ? 'the data-dir lock is embedded-mode only; it runs when DATABASE_URL is unset' : false;

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${stderr}`);
  return lines[0]!;
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'otklik-lock-'));
  dirs.push(d);
  return d;
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('data-dir lock', { skip: SKIP }, () => {
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test("a second server or CLI on a running server's data dir is refused, naming the holder's pid", async () => {
    const dataDir = tempDir();
    const server = await startServer([], { OTKLIK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    try {
      await server.ready();
      const lock = JSON.parse(readFileSync(path.join(dataDir, 'otklik.lock'), 'utf8')) as { pid: number; command: string };
      assert.equal(lock.pid, server.child.pid);
      assert.match(lock.command, /cli\.ts serve/);

      const cli = await runCli(['migrate'], { OTKLIK_DATA_DIR: dataDir });
      assert.equal(cli.code, 1);
      assert.match(
        oneLine(cli.stderr),
        new RegExp(
          `^otklik: The data directory ${dataDir} is in use by process ${server.child.pid} \\(.*cli\\.ts serve\\)\\. Stop that process first`,
        ),
      );

      const second = await runCli(['serve'], { OTKLIK_DATA_DIR: dataDir, PORT: String(await freePort()) });
      assert.equal(second.code, 1);
      assert.match(oneLine(second.stderr), new RegExp(`in use by process ${server.child.pid} `));

      // The refused processes left the holder's lock alone.
      assert.equal(JSON.parse(readFileSync(path.join(dataDir, 'otklik.lock'), 'utf8')).pid, server.child.pid);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await exited(server.child), 0, `graceful exit; output: ${server.output()}`);
    }
    assert.ok(!existsSync(path.join(dataDir, 'otklik.lock')), 'the server released the lock on shutdown');
    const after = await runCli(['migrate'], { OTKLIK_DATA_DIR: dataDir });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /up to date/);
  });

  test('a stale lock left by a dead process is taken over', async () => {
    const dataDir = tempDir();
    const pid = deadPid();
    writeFileSync(
      path.join(dataDir, 'otklik.lock'),
      JSON.stringify({ pid, command: 'otklik serve (crashed)', since: '2026-01-01' }),
    );
    const r = await runCli(['migrate'], { OTKLIK_DATA_DIR: dataDir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^applied: /);
    assert.ok(!existsSync(path.join(dataDir, 'otklik.lock')), 'released on exit');
  });

  test('an empty (half-written) lock file is taken over', () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'otklik.lock'), '');
    const lock = acquireDataDirLock(dataDir, 'test');
    assert.equal(JSON.parse(readFileSync(path.join(dataDir, 'otklik.lock'), 'utf8')).pid, process.pid);
    lock.release();
    assert.ok(!existsSync(path.join(dataDir, 'otklik.lock')));
  });

  test('the lock is held while the database is open, refused to a second opener, and released on close', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    try {
      const holder = JSON.parse(readFileSync(path.join(dataDir, 'otklik.lock'), 'utf8')) as { pid: number };
      assert.equal(holder.pid, process.pid);
      await assert.rejects(openDatabase({ dataDir }), (error: unknown) => {
        assert.ok(error instanceof DataDirLockedError);
        assert.equal(error.holderPid, process.pid);
        assert.match(error.message, new RegExp(`in use by process ${process.pid}`));
        return true;
      });
    } finally {
      await first.close();
    }
    assert.ok(!existsSync(path.join(dataDir, 'otklik.lock')), 'released on close');
    const again = await openDatabase({ dataDir });
    await again.close();
    assert.ok(!existsSync(path.join(dataDir, 'otklik.lock')));
  });

  test('a stale lock whose pid is now our own (a container restarted after a crash: pids repeat) is taken over', {}, async () => {
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'otklik.lock'),
      JSON.stringify({ pid: process.pid, command: 'otklik serve (previous boot)' }),
    );
    const db = await openDatabase({ dataDir });
    await db.close();
  });

  test('a lock naming a live process that started at another time (a reused pid) is taken over', async () => {
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'otklik.lock'),
      JSON.stringify({ pid: process.ppid, command: 'otklik serve (before a crash)', startTime: '1' }),
    );
    const db = await openDatabase({ dataDir });
    await db.close();
  });

  test('the same process opening the same data dir twice is refused', () => {
    const dataDir = tempDir();
    const lock = acquireDataDirLock(dataDir, 'first');
    try {
      assert.throws(() => acquireDataDirLock(dataDir, 'second'), /this process already holds it/);
    } finally {
      lock.release();
    }
    acquireDataDirLock(dataDir, 'after release').release();
  });

  test("release() leaves another holder's lock alone", () => {
    const dataDir = tempDir();
    const lock = acquireDataDirLock(dataDir, 'test');
    // Someone removed our lock and another live process (here: our parent) took the dir over.
    writeFileSync(path.join(dataDir, 'otklik.lock'), JSON.stringify({ pid: process.ppid, command: 'other' }));
    lock.release();
    assert.ok(existsSync(path.join(dataDir, 'otklik.lock')), "another process's lock is not removed");
    assert.throws(
      () => acquireDataDirLock(dataDir),
      (e: unknown) => e instanceof DataDirLockedError && e.holderPid === process.ppid,
    );
  });
});
