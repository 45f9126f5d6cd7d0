import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/server/core/db/index.ts';
import { enqueueMany, type JobRunnerStats } from '../src/server/core/jobs/index.ts';
import { createTestDatabase } from './support/test-db.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = process.env.DATABASE_URL
  ? false
  : 'needs DATABASE_URL: PGlite is single-process by design (one process owns its data dir), so two app ' +
    'processes can only share a PostgreSQL server; the in-process variant in test/jobs.test.ts runs on PGlite';

interface Worker {
  id: string;
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function startWorker(id: string, url: string, extraEnv: Record<string, string> = {}): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/jobs-worker.ts'], {
    cwd: root,
    env: { ...process.env, JOBS_WORKER_DB_URL: url, JOBS_WORKER_ID: id, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w: Worker = {
    id,
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stderr?.on('data', (d) => {
    w.stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${id} not ready in 30 s: ${w.stderr}`)), 30_000);
    child.stdout?.on('data', (d) => {
      w.stdout += d;
      if (w.stdout.includes('ready\n')) {
        clearTimeout(timer);
        resolve(w);
      }
    });
    void w.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${id} exited with ${code} before it was ready: ${w.stderr}`));
    });
  });
}

async function stopWorker(w: Worker): Promise<JobRunnerStats & { workerId: string }> {
  w.child.kill('SIGTERM');
  const code = await w.exited;
  assert.equal(code, 0, `worker ${w.id} exit code; stderr: ${w.stderr}`);
  const line = w.stdout.split('\n').find((l) => l.startsWith('stats '));
  assert.ok(line, `worker ${w.id} printed no stats: ${w.stdout}`);
  return JSON.parse(line.slice('stats '.length));
}

describe('jobs: two app processes on one PostgreSQL', () => {
  let database: DatabaseHandle & { url?: string };
  let db: DatabaseHandle['db'];
  const workers: Worker[] = [];

  before(async () => {
    if (SKIP) return;
    database = await createTestDatabase();
    db = database.db;
    await sql`create table job_test_execution (
      id bigint generated always as identity primary key, job_id bigint not null, worker text not null
    )`.execute(db);
  });
  beforeEach(async () => {
    if (SKIP) return;
    await sql`truncate job, job_test_execution`.execute(db);
  });
  after(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await database?.close();
  });

  async function countDone(): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from job where status = 'done'`.execute(db);
    return rows[0]?.n ?? 0;
  }

  async function waitAllDone(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await countDone()) < n) {
      if (Date.now() > deadline) throw new Error(`only ${await countDone()} of ${n} jobs done in ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  async function assertExactlyOnce(n: number): Promise<Record<string, number>> {
    const { rows } = await sql<{ job_id: number; worker: string }>`select job_id, worker from job_test_execution`.execute(db);
    assert.equal(rows.length, n, 'executions');
    assert.equal(new Set(rows.map((r) => Number(r.job_id))).size, n, 'distinct jobs executed');
    const { rows: states } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from job group by status`.execute(db);
    assert.deepEqual(states, [{ status: 'done', n }]);
    const perWorker: Record<string, number> = {};
    for (const r of rows) perWorker[r.worker] = (perWorker[r.worker] ?? 0) + 1;
    return perWorker;
  }

  const jobs = (n: number) => {
    const now = new Date();
    return Array.from({ length: n }, (_, i) => ({ name: 'count', payload: { i }, options: { now } }));
  };

  test('1,000 enqueued jobs → exactly 1,000 executions, each job once, both processes working', { skip: SKIP }, async (t) => {
    const n = 1000;
    const url = database.url as string;
    const [w1, w2] = await Promise.all([startWorker('p1', url), startWorker('p2', url)]);
    workers.push(w1, w2);
    const started = performance.now();
    await enqueueMany(db, jobs(n));
    await waitAllDone(n, 120_000);
    const ms = Math.round(performance.now() - started);
    const stats = await Promise.all([stopWorker(w1), stopWorker(w2)]);

    const perWorker = await assertExactlyOnce(n);
    assert.ok((perWorker.p1 ?? 0) > 0, `p1 did no work: ${JSON.stringify(perWorker)}`);
    assert.ok((perWorker.p2 ?? 0) > 0, `p2 did no work: ${JSON.stringify(perWorker)}`);
    const { rows: retried } = await sql<{ n: number }>`select count(*)::int as n from job where attempts <> 1`.execute(db);
    assert.equal(retried[0]?.n, 0, 'every job took one attempt');
    for (const s of stats) {
      assert.equal(s.succeeded, perWorker[s.workerId], `${s.workerId} counted what it recorded`);
      assert.equal(s.leaseLost + s.retried + s.dead, 0, `${s.workerId}: ${JSON.stringify(s)}`);
    }
    t.diagnostic(`two processes: ${n} jobs done in ${ms} ms (enqueue → all done); per process ${JSON.stringify(perWorker)}`);
  });

  test('a process killed mid-run: its leased jobs are reclaimed, and a transactional handler still runs each once', {
    skip: SKIP,
  }, async (t) => {
    const n = 1000;
    const url = database.url as string;
    const opts = { JOBS_WORKER_TRANSACTIONAL: '1', JOBS_WORKER_LEASE_MS: '1500', JOBS_WORKER_DELAY_MS: '3' };
    // The victim takes a second per job, so that when it is killed the jobs it holds cannot have finished meanwhile
    // (with 3 ms jobs, twice in CI it finished them between the check and the kill, and there was nothing to reclaim).
    const [victim, survivor] = await Promise.all([
      startWorker('victim', url, { ...opts, JOBS_WORKER_DELAY_MS: '1000' }),
      startWorker('survivor', url, opts),
    ]);
    workers.push(victim, survivor);
    const started = performance.now();
    await enqueueMany(db, jobs(n));
    // Kill it while it holds leases taken less than half a second ago, after it has finished some jobs of its own.
    const victimState = async () =>
      (
        await sql<{ done: number; fresh: number }>`
          select
            (select count(*)::int from job_test_execution where worker = 'victim') as done,
            (select count(*)::int from job where status = 'running' and locked_by like 'victim%'
               and started_at > now() - interval '500 milliseconds') as fresh`.execute(db)
      ).rows[0] ?? { done: 0, fresh: 0 };
    for (;;) {
      const state = await victimState();
      if (state.done > 0 && state.fresh > 0) break;
      await sleep(5);
    }
    victim.child.kill('SIGKILL');
    await victim.exited;
    await waitAllDone(n, 120_000);
    const ms = Math.round(performance.now() - started);
    const stats = await stopWorker(survivor);
    const perWorker = await assertExactlyOnce(n);
    assert.ok((perWorker.victim ?? 0) > 0 && (perWorker.survivor ?? 0) > 0, JSON.stringify(perWorker));
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from job where attempts = 2 and last_error like 'lease expired: worker victim%'`.execute(db);
    t.diagnostic(
      `kill -9 mid-run: ${n} jobs done in ${ms} ms; per process ${JSON.stringify(perWorker)}; ` +
        `${rows[0]?.n} jobs reclaimed from the killed process; survivor ${JSON.stringify(stats)}`,
    );
    assert.ok((rows[0]?.n ?? 0) > 0, 'some jobs were reclaimed from the killed process');
  });
});
