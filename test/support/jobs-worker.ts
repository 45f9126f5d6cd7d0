/**
 * One app-node stand-in for the multi-process job tests (test/jobs-processes.test.ts): a JobRunner on the
 * database at JOBS_WORKER_DB_URL whose `count` handler records each execution in job_test_execution.
 * Prints `ready` once polling, and on SIGTERM stops gracefully and prints its stats as one JSON line.
 *
 *   JOBS_WORKER_DB_URL=postgres://… JOBS_WORKER_ID=w1 node --import tsx test/support/jobs-worker.ts
 *
 * Options (env): JOBS_WORKER_CONCURRENCY (8), JOBS_WORKER_POLL_MS (20), JOBS_WORKER_LEASE_MS (60000),
 * JOBS_WORKER_DELAY_MS (0: extra time per job), JOBS_WORKER_TRANSACTIONAL (1: handler writes commit with "done").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openDatabase } from '../../src/server/core/db/index.ts';
import { JobRunner } from '../../src/server/core/jobs/index.ts';

const env = process.env;
const url = env.JOBS_WORKER_DB_URL;
const workerId = env.JOBS_WORKER_ID ?? `worker-${process.pid}`;
if (!url) {
  process.stderr.write('jobs-worker: set JOBS_WORKER_DB_URL to a PostgreSQL database URL\n');
  process.exit(2);
}
const delayMs = Number(env.JOBS_WORKER_DELAY_MS ?? 0);

const database = await openDatabase({ databaseUrl: url, poolSize: 12 });
const runner = new JobRunner(database.db, {
  workerId,
  concurrency: Number(env.JOBS_WORKER_CONCURRENCY ?? 8),
  pollIntervalMs: Number(env.JOBS_WORKER_POLL_MS ?? 20),
  leaseMs: Number(env.JOBS_WORKER_LEASE_MS ?? 60_000),
  logger: {
    info() {},
    warn(obj, msg) {
      process.stderr.write(`${workerId} warn: ${msg} ${JSON.stringify(obj)}\n`);
    },
    error(obj, msg) {
      process.stderr.write(`${workerId} error: ${msg} ${JSON.stringify(obj)} ${String((obj as { err?: unknown }).err)}\n`);
    },
  },
});
runner.register(
  'count',
  async (_payload, ctx) => {
    if (delayMs > 0) await sleep(delayMs);
    await sql`insert into job_test_execution (job_id, worker) values (${ctx.job.id}, ${ctx.workerId})`.execute(ctx.db);
  },
  { transactional: env.JOBS_WORKER_TRANSACTIONAL === '1' },
);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await runner.stop();
    await database.close();
    process.stdout.write(`stats ${JSON.stringify({ workerId, ...runner.stats })}\n`);
    process.exit(0);
  })();
});

runner.start();
process.stdout.write('ready\n');
