import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { FixedClock } from '../src/server/core/clock.ts';
import type { DatabaseHandle } from '../src/server/core/db/index.ts';
import {
  backoffMs,
  claimJobs,
  DEFAULT_BACKOFF,
  enqueue,
  enqueueMany,
  findJob,
  JobRunner,
  nextRunAfter,
  type ScheduleSpec,
  zonedToUtc,
} from '../src/server/core/jobs/index.ts';
import { createTestDatabase } from './support/test-db.ts';

const T0 = '2026-03-02T03:00:00.000Z';
const SEC = 1000;

describe('jobs: backoff (pure)', () => {
  const cases: Array<{ attempts: number; random: number; expected: number }> = [
    { attempts: 1, random: 0, expected: 10 * SEC },
    { attempts: 1, random: 1, expected: 15 * SEC },
    { attempts: 1, random: 0.5, expected: 12.5 * SEC },
    { attempts: 2, random: 0, expected: 20 * SEC },
    { attempts: 3, random: 0, expected: 40 * SEC },
    { attempts: 4, random: 0.5, expected: 100 * SEC },
    { attempts: 9, random: 0, expected: 2560 * SEC },
    { attempts: 9, random: 1, expected: 3600 * SEC }, // capped at maxMs
    { attempts: 12, random: 0, expected: 3600 * SEC },
    { attempts: 1000, random: 0.3, expected: 3600 * SEC }, // no overflow to Infinity/NaN
    { attempts: 0, random: 0, expected: 10 * SEC }, // treated as the first failure
    { attempts: 2, random: 7, expected: 30 * SEC }, // a random source out of [0, 1] is clamped
  ];
  for (const c of cases) {
    test(`attempt ${c.attempts}, random ${c.random} → ${c.expected / SEC} s`, () => {
      assert.equal(
        backoffMs(c.attempts, DEFAULT_BACKOFF, () => c.random),
        c.expected,
      );
    });
  }

  test('a later wait is never shorter than an earlier one, whatever the jitter', () => {
    for (let n = 1; n < 20; n++) {
      assert.ok(backoffMs(n + 1, DEFAULT_BACKOFF, () => 0) >= backoffMs(n, DEFAULT_BACKOFF, () => 0.999), `attempt ${n}`);
    }
  });
});

describe('jobs: schedule timing (pure)', () => {
  const cases: Array<{ what: string; spec: ScheduleSpec; due: string; now: string; next: string }> = [
    { what: 'interval, fired on time', spec: { everySeconds: 60 }, due: T0, now: T0, next: '2026-03-02T03:01:00.000Z' },
    {
      what: 'interval, polled late within the period',
      spec: { everySeconds: 60 },
      due: T0,
      now: '2026-03-02T03:00:59.000Z',
      next: '2026-03-02T03:01:00.000Z',
    },
    {
      what: 'interval, ten periods missed → one run, next stays aligned',
      spec: { everySeconds: 60 },
      due: T0,
      now: '2026-03-02T03:10:30.000Z',
      next: '2026-03-02T03:11:00.000Z',
    },
    {
      what: 'daily 08:00 Kuzbass (UTC+7), after today’s 08:00 → tomorrow',
      spec: { dailyAt: '08:00', timeZone: 'Asia/Novokuznetsk' },
      due: T0,
      now: T0, // 10:00 local
      next: '2026-03-03T01:00:00.000Z',
    },
    {
      what: 'daily 23:30 Kuzbass, before it → today',
      spec: { dailyAt: '23:30', timeZone: 'Asia/Novokuznetsk' },
      due: T0,
      now: T0,
      next: '2026-03-02T16:30:00.000Z',
    },
    {
      what: 'daily 00:00 Moscow across a month end',
      spec: { dailyAt: '00:00', timeZone: 'Europe/Moscow' },
      due: '2026-03-30T21:00:00.000Z',
      now: '2026-03-30T21:00:00.000Z',
      next: '2026-03-31T21:00:00.000Z',
    },
    {
      what: 'daily 02:30 Berlin on the spring-forward day → 03:30 CEST',
      spec: { dailyAt: '02:30', timeZone: 'Europe/Berlin' },
      due: '2026-03-28T01:30:00.000Z',
      now: '2026-03-28T01:30:00.000Z',
      next: '2026-03-29T01:30:00.000Z',
    },
    {
      what: 'daily 02:30 Berlin on the fall-back day → the first 02:30 (CEST)',
      spec: { dailyAt: '02:30', timeZone: 'Europe/Berlin' },
      due: '2026-10-24T00:30:00.000Z',
      now: '2026-10-24T00:30:00.000Z',
      next: '2026-10-25T00:30:00.000Z',
    },
  ];
  for (const c of cases) {
    test(c.what, () => {
      assert.equal(nextRunAfter(c.spec, new Date(c.due), new Date(c.now)).toISOString(), c.next);
    });
  }

  test('zonedToUtc in a zone without DST', () => {
    assert.equal(zonedToUtc(2026, 1, 1, 9, 0, 'Asia/Novokuznetsk').toISOString(), '2026-01-01T02:00:00.000Z');
  });
});

async function executionsTable(db: DatabaseHandle['db']): Promise<void> {
  await sql`create table if not exists job_test_execution (
    id bigint generated always as identity primary key, job_id bigint not null, worker text not null, n integer
  )`.execute(db);
  await sql`truncate job_test_execution`.execute(db);
}

async function executions(db: DatabaseHandle['db']): Promise<Array<{ job_id: number; worker: string; n: number | null }>> {
  const { rows } = await sql<{ job_id: number; worker: string; n: number | null }>`
    select job_id, worker, n from job_test_execution order by id`.execute(db);
  return rows.map((r) => ({ ...r, job_id: Number(r.job_id) }));
}

describe('jobs: queue and runner', () => {
  let database: DatabaseHandle;
  let db: DatabaseHandle['db'];
  let clock: FixedClock;

  before(async () => {
    database = await createTestDatabase();
    db = database.db;
    await executionsTable(db);
  });
  after(() => database.close());
  beforeEach(async () => {
    clock = new FixedClock(T0);
    await sql`truncate job, job_schedule, job_test_execution`.execute(db);
  });

  const runner = (options: Partial<ConstructorParameters<typeof JobRunner>[1]> = {}) =>
    new JobRunner(db, { clock, random: () => 0, ...options });

  test('enqueue → claim → complete: the handler gets the payload, the job ends done after one attempt', async () => {
    const seen: unknown[] = [];
    const r = runner().register<{ caseId: number }>('notify', async (payload, ctx) => {
      seen.push(payload);
      assert.equal(ctx.job.attempts, 1);
      assert.equal(ctx.now.toISOString(), T0);
    });
    const { id, created } = await enqueue(db, 'notify', { caseId: 7 }, { now: clock.now() });
    assert.equal(created, true);
    const pending = await findJob(db, id);
    assert.equal(pending?.status, 'pending');
    assert.equal(pending?.attempts, 0);
    assert.equal(pending?.maxAttempts, 5);
    assert.equal(await r.runOnce(), 1);
    assert.deepEqual(seen, [{ caseId: 7 }]);
    const done = await findJob(db, id);
    assert.equal(done?.status, 'done');
    assert.equal(done?.attempts, 1);
    assert.equal(done?.lockedBy, null);
    assert.equal(done?.lockedUntil, null);
    assert.equal(done?.startedAt?.toISOString(), T0);
    assert.equal(done?.finishedAt?.toISOString(), T0);
    assert.equal(await r.runOnce(), 0, 'a done job does not run again');
  });

  test('a job enqueued in a transaction that rolls back does not exist; one that commits does', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, 'notify', { n: 1 }, { now: clock.now() });
        throw new Error('the state change failed');
      }),
      /the state change failed/,
    );
    await db.transaction().execute(async (trx) => {
      await enqueue(trx, 'notify', { n: 2 }, { now: clock.now() });
    });
    const rows = await db.selectFrom('job').select('payload').execute();
    assert.deepEqual(
      rows.map((r) => r.payload),
      [{ n: 2 }],
    );
  });

  test('a runner claims only jobs it has a handler for', async () => {
    await enqueue(db, 'other', {}, { now: clock.now() });
    const r = runner().register('mine', () => {});
    assert.equal(await r.runOnce(), 0);
    assert.equal((await db.selectFrom('job').select('status').executeTakeFirstOrThrow()).status, 'pending');
  });

  test('a failing job is retried with exponential backoff, then goes to the dead letter after max attempts', async () => {
    let calls = 0;
    const r = runner().register('flaky', () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const { id } = await enqueue(db, 'flaky', {}, { now: clock.now(), maxAttempts: 3 });

    assert.equal(await r.runOnce(), 1);
    let job = await findJob(db, id);
    assert.equal(job?.status, 'pending');
    assert.equal(job?.attempts, 1);
    assert.match(job?.lastError ?? '', /boom 1/);
    assert.equal(job?.runAt.toISOString(), new Date(Date.parse(T0) + 10 * SEC).toISOString(), '10 s after attempt 1');

    assert.equal(await r.runOnce(), 0, 'not retried before its backoff');
    clock.advance(10 * SEC);
    assert.equal(await r.runOnce(), 1);
    job = await findJob(db, id);
    assert.equal(job?.attempts, 2);
    assert.equal(job?.runAt.getTime(), clock.now().getTime() + 20 * SEC, '20 s after attempt 2');

    clock.advance(20 * SEC);
    assert.equal(await r.runOnce(), 1);
    job = await findJob(db, id);
    assert.equal(job?.status, 'dead');
    assert.equal(job?.attempts, 3);
    assert.match(job?.lastError ?? '', /boom 3/);
    assert.equal(job?.finishedAt?.getTime(), clock.now().getTime());

    clock.advance(3600 * SEC);
    assert.equal(await r.runOnce(), 0, 'a dead job is not run again');
    assert.equal(calls, 3);
    assert.deepEqual({ ...r.stats }, { claimed: 3, succeeded: 0, retried: 2, dead: 1, leaseLost: 0 });
  });

  test('a job that fails once and then succeeds ends done, keeping the earlier error for the record', async () => {
    let calls = 0;
    const r = runner().register('once-flaky', () => {
      if (++calls === 1) throw new Error('temporary');
    });
    const { id } = await enqueue(db, 'once-flaky', {}, { now: clock.now() });
    await r.runOnce();
    clock.advance(15 * SEC);
    await r.runOnce();
    const job = await findJob(db, id);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
    assert.match(job?.lastError ?? '', /temporary/);
  });

  test('a delayed job does not run before its time, and runs once it is due', async () => {
    const ran: string[] = [];
    const r = runner().register<{ tag: string }>('later', (p) => {
      ran.push(p.tag);
    });
    await enqueue(db, 'later', { tag: 'delay' }, { now: clock.now(), delayMs: 3600 * SEC });
    await enqueue(db, 'later', { tag: 'runAt' }, { now: clock.now(), runAt: new Date('2026-03-02T05:00:00Z') });
    assert.equal(await r.drain(), 0);
    clock.advance(3600 * SEC - 1);
    assert.equal(await r.drain(), 0, 'one millisecond early');
    clock.advance(1);
    assert.equal(await r.drain(), 1);
    assert.deepEqual(ran, ['delay']);
    clock.set('2026-03-02T05:00:00Z');
    assert.equal(await r.drain(), 1);
    assert.deepEqual(ran, ['delay', 'runAt']);
  });

  test('jobs run in order of run_at, then id', async () => {
    const order: number[] = [];
    const r = runner({ concurrency: 1 }).register<{ n: number }>('ordered', (p) => {
      order.push(p.n);
    });
    const now = clock.now();
    await enqueue(db, 'ordered', { n: 3 }, { now, delayMs: 2 });
    await enqueue(db, 'ordered', { n: 1 }, { now });
    await enqueue(db, 'ordered', { n: 2 }, { now });
    clock.advance(5);
    await r.drain();
    assert.deepEqual(order, [1, 2, 3]);
  });

  test('an expired lease (crashed worker) is reclaimed by another worker; not before it expires', async () => {
    const { id } = await enqueue(db, 'work', {}, { now: clock.now() });
    // A worker claims the job and dies: nobody completes it.
    const claimed = await claimJobs(db, { workerId: 'crashed', names: ['work'], now: clock.now(), leaseMs: 60 * SEC, limit: 10 });
    assert.deepEqual(
      claimed.map((j) => j.id),
      [id],
    );
    const ran: string[] = [];
    const r = runner({ workerId: 'survivor' }).register('work', (_p, ctx) => {
      ran.push(ctx.workerId);
    });
    clock.advance(59 * SEC);
    assert.equal(await r.runOnce(), 0, 'the lease still holds');
    assert.equal((await findJob(db, id))?.lockedBy, 'crashed');
    clock.advance(2 * SEC);
    assert.equal(await r.runOnce(), 1);
    assert.deepEqual(ran, ['survivor']);
    const job = await findJob(db, id);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
    assert.match(job?.lastError ?? '', /lease expired: worker crashed/);
  });

  test('a job whose last attempt crashed goes to the dead letter when its lease expires', async () => {
    const { id } = await enqueue(db, 'work', {}, { now: clock.now(), maxAttempts: 1 });
    await claimJobs(db, { workerId: 'crashed', names: ['work'], now: clock.now(), leaseMs: 60 * SEC, limit: 10 });
    clock.advance(61 * SEC);
    const r = runner().register('work', () => assert.fail('a job out of attempts must not run again'));
    assert.equal(await r.runOnce(), 0);
    const job = await findJob(db, id);
    assert.equal(job?.status, 'dead');
    assert.equal(job?.attempts, 1);
    assert.match(job?.lastError ?? '', /lease expired/);
  });

  test('a worker that lost its lease cannot mark the job done over the next attempt (fencing)', async () => {
    const { id } = await enqueue(db, 'slow', {}, { now: clock.now() });
    const b = runner({ workerId: 'B' });
    let bRan = 0;
    b.register('slow', () => {
      bRan++;
    });
    const a = runner({ workerId: 'A' }).register('slow', async () => {
      // A stalls past its lease; B reclaims and runs the job meanwhile.
      clock.advance(61 * SEC);
      assert.equal(await b.runOnce(), 1);
    });
    assert.equal(await a.runOnce(), 1);
    assert.equal(bRan, 1);
    assert.equal(a.stats.leaseLost, 1);
    assert.equal(a.stats.succeeded, 0);
    const job = await findJob(db, id);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
  });

  test('dedupe key: enqueueing the same key twice gives one job; enqueueMany skips taken keys', async () => {
    const first = await enqueue(db, 'remind', { v: 1 }, { now: clock.now(), dedupeKey: 'case:1:deadline' });
    const second = await enqueue(db, 'remind', { v: 2 }, { now: clock.now(), dedupeKey: 'case:1:deadline' });
    assert.equal(first.created, true);
    assert.deepEqual(second, { id: first.id, created: false });
    const ids = await enqueueMany(db, [
      { name: 'remind', payload: { v: 3 }, options: { now: clock.now(), dedupeKey: 'case:1:deadline' } },
      { name: 'remind', payload: { v: 4 }, options: { now: clock.now(), dedupeKey: 'case:2:deadline' } },
      { name: 'remind', payload: { v: 5 }, options: { now: clock.now() } },
      { name: 'remind', payload: { v: 6 }, options: { now: clock.now() } },
    ]);
    assert.equal(ids.length, 3);
    const rows = await db.selectFrom('job').select(['payload', 'dedupe_key']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.payload),
      [{ v: 1 }, { v: 4 }, { v: 5 }, { v: 6 }],
    );
    // The key stays taken after the job is done (idempotent for as long as the row is kept).
    const r = runner().register('remind', () => {});
    await r.drain();
    assert.equal((await enqueue(db, 'remind', {}, { now: clock.now(), dedupeKey: 'case:1:deadline' })).created, false);
  });

  test('enqueue refuses bad options with a plain message', async () => {
    await assert.rejects(enqueue(db, '', {}), /job name/);
    await assert.rejects(enqueue(db, 'x', {}, { maxAttempts: 0 }), /maxAttempts/);
    await assert.rejects(enqueue(db, 'x', {}, { delayMs: -1 }), /delayMs/);
  });

  test('a transactional handler’s writes commit with "done" and roll back with a failure', async () => {
    let fail = true;
    const r = runner().register<{ n: number }>(
      'tx',
      async (p, ctx) => {
        await sql`insert into job_test_execution (job_id, worker, n) values (${ctx.job.id}, ${ctx.workerId}, ${p.n})`.execute(
          ctx.db,
        );
        await enqueue(ctx.db, 'follow-up', { after: ctx.job.id }, { now: ctx.now });
        if (fail) throw new Error('rolled back');
      },
      { transactional: true },
    );
    const { id } = await enqueue(db, 'tx', { n: 42 }, { now: clock.now() });
    assert.equal(await r.runOnce(), 1);
    assert.deepEqual(await executions(db), [], 'the failed attempt left no rows');
    assert.equal(await db.selectFrom('job').where('name', '=', 'follow-up').select('id').executeTakeFirst(), undefined);
    let job = await findJob(db, id);
    assert.equal(job?.status, 'pending');
    assert.match(job?.lastError ?? '', /rolled back/);
    fail = false;
    clock.advance(15 * SEC);
    assert.equal(await r.runOnce(), 1);
    assert.deepEqual(
      (await executions(db)).map((e) => [e.job_id, e.n]),
      [[id, 42]],
    );
    job = await findJob(db, id);
    assert.equal(job?.status, 'done');
    assert.ok(await db.selectFrom('job').where('name', '=', 'follow-up').select('id').executeTakeFirst());
  });

  test('schedules fire once per period, across several runners, and skip missed periods', async () => {
    const runs: string[] = [];
    const make = (workerId: string) =>
      runner({ workerId })
        .register('poll-vk', (_p, ctx) => {
          runs.push(`${ctx.workerId}@${ctx.job.runAt.toISOString()}`);
        })
        .schedule('poll-vk', { everySeconds: 60 }, { payload: { source: 'vk' } })
        .register('digest', () => {})
        .schedule('daily-digest', { dailyAt: '08:00', timeZone: 'Asia/Novokuznetsk' }, { job: 'digest' });
    const nodes = [make('n1'), make('n2'), make('n3')];
    const round = () => Promise.all(nodes.map((n) => n.runOnce()));

    await round();
    assert.equal(runs.length, 1, 'the first period fires once');
    clock.advance(30 * SEC);
    await round();
    await round();
    assert.equal(runs.length, 1, 'nothing within the period');
    clock.advance(30 * SEC);
    await round();
    assert.equal(runs.length, 2, 'the second period fires once');
    clock.advance(10 * 60 * SEC + 5 * SEC);
    await round();
    await round();
    assert.equal(runs.length, 3, 'ten missed periods fire once');
    const vk = await db.selectFrom('job').select(['payload', 'run_at']).where('name', '=', 'poll-vk').orderBy('id').execute();
    assert.deepEqual(
      vk.map((j) => j.run_at.toISOString()),
      // The late run carries the slot that was due (03:02); the next slot stays on the minute grid.
      ['2026-03-02T03:00:00.000Z', '2026-03-02T03:01:00.000Z', '2026-03-02T03:02:00.000Z'],
    );
    assert.deepEqual(vk[0]?.payload, { source: 'vk' });
    const schedule = await db.selectFrom('job_schedule').selectAll().where('name', '=', 'poll-vk').executeTakeFirstOrThrow();
    assert.equal(schedule.next_run_at.toISOString(), '2026-03-02T03:12:00.000Z');

    // Daily at 08:00 Kuzbass time: T0 is 10:00 there, so the first run is tomorrow 08:00 (01:00 UTC).
    const digest = await db.selectFrom('job_schedule').selectAll().where('name', '=', 'daily-digest').executeTakeFirstOrThrow();
    assert.equal(digest.next_run_at.toISOString(), '2026-03-03T01:00:00.000Z');
    clock.set('2026-03-03T01:00:00Z');
    await round();
    await round();
    clock.set('2026-03-03T12:00:00Z');
    await round();
    assert.equal(await countJobs('digest'), 1);
    clock.set('2026-03-04T01:00:00Z');
    await round();
    assert.equal(await countJobs('digest'), 2);
  });

  test('restarting with the same schedule keeps next_run_at; a changed timing restarts it', async () => {
    const make = (spec: ScheduleSpec) =>
      runner()
        .register('tick', () => {})
        .schedule('tick', spec);
    await make({ everySeconds: 60 }).runOnce();
    clock.advance(10 * SEC);
    await make({ everySeconds: 60 }).runOnce();
    let row = await db.selectFrom('job_schedule').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.next_run_at.toISOString(), '2026-03-02T03:01:00.000Z');
    assert.equal(await countJobs('tick'), 1);
    await make({ everySeconds: 300 }).runOnce();
    row = await db.selectFrom('job_schedule').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.every_seconds, 300);
    assert.equal(row.next_run_at.toISOString(), '2026-03-02T03:05:10.000Z', 'fired at once, next in 300 s');
    assert.equal(await countJobs('tick'), 2);
  });

  test('a bad schedule is refused when defined', () => {
    assert.throws(() => runner().schedule('x', { everySeconds: 0 }), /everySeconds/);
    assert.throws(() => runner().schedule('x', { dailyAt: '25:00', timeZone: 'UTC' }), /HH:MM/);
    assert.throws(() => runner().schedule('x', { dailyAt: '08:00', timeZone: 'Mars/Olympus' }), /time zone/);
  });

  test('finished jobs are purged after the retention period', async () => {
    const r = runner({ retainDoneMs: 3600 * SEC }).register('short', () => {});
    await enqueue(db, 'short', {}, { now: clock.now() });
    await r.drain();
    assert.equal(await countJobs('short'), 1);
    const later = runner({ retainDoneMs: 3600 * SEC }).register('short', () => {});
    clock.advance(3601 * SEC);
    await later.runOnce();
    assert.equal(await countJobs('short'), 0);
  });

  async function countJobs(name: string): Promise<number> {
    const r = await db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
});

describe('jobs: the runner in the background (system clock)', () => {
  let database: DatabaseHandle;
  let db: DatabaseHandle['db'];
  before(async () => {
    database = await createTestDatabase();
    db = database.db;
    await executionsTable(db);
  });
  after(() => database.close());
  beforeEach(async () => {
    await sql`truncate job, job_schedule, job_test_execution`.execute(db);
  });

  test('a handler that outlives its lease keeps it by renewal: another runner does not take the job', async () => {
    let runs = 0;
    const handler = async () => {
      runs++;
      await sleep(1500);
    };
    // The lease is 600 ms, renewed every 200 ms; the handler takes 1.5 s, 2.5 leases.
    const a = new JobRunner(db, { workerId: 'A', leaseMs: 600, pollIntervalMs: 20 }).register('long', handler);
    const b = new JobRunner(db, { workerId: 'B', leaseMs: 600, pollIntervalMs: 20 }).register('long', handler);
    const { id } = await enqueue(db, 'long', {});
    a.start();
    await waitFor(async () => (await findJob(db, id))?.status === 'running');
    b.start();
    await waitFor(async () => (await findJob(db, id))?.status === 'done', 5000);
    await Promise.all([a.stop(), b.stop()]);
    assert.equal(runs, 1);
    const job = await findJob(db, id);
    assert.equal(job?.attempts, 1);
    assert.equal(job?.lastError, null);
  });

  test('stop() waits for the jobs in flight to finish', async () => {
    let finished = false;
    const r = new JobRunner(db, { pollIntervalMs: 10 }).register('slowish', async () => {
      await sleep(300);
      finished = true;
    });
    const { id } = await enqueue(db, 'slowish', {});
    r.start();
    await waitFor(async () => (await findJob(db, id))?.status === 'running');
    await r.stop();
    assert.equal(finished, true);
    assert.equal((await findJob(db, id))?.status, 'done');
  });

  test('stop({ timeoutMs }) stops waiting and aborts the handler’s signal; the job goes back to the queue', async () => {
    const r = new JobRunner(db, { pollIntervalMs: 10 }).register('stuck', async (_p, ctx) => {
      await new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    });
    const { id } = await enqueue(db, 'stuck', {});
    r.start();
    await waitFor(async () => (await findJob(db, id))?.status === 'running');
    const started = performance.now();
    await r.stop({ timeoutMs: 100 });
    assert.ok(performance.now() - started < 1000);
    await waitFor(async () => (await findJob(db, id))?.status === 'pending');
    assert.match((await findJob(db, id))?.lastError ?? '', /job runner stopping/);
  });

  test('several runners in one process on one database: 1,000 jobs → exactly 1,000 executions', async (t) => {
    const n = 1000;
    const runners = ['r1', 'r2', 'r3', 'r4'].map((workerId) =>
      new JobRunner(db, { workerId, concurrency: 8, pollIntervalMs: 10 }).register('count', async (_p, ctx) => {
        await sql`insert into job_test_execution (job_id, worker) values (${ctx.job.id}, ${ctx.workerId})`.execute(ctx.db);
      }),
    );
    for (const r of runners) r.start();
    const started = performance.now();
    const now = new Date();
    await enqueueMany(
      db,
      Array.from({ length: n }, (_, i) => ({ name: 'count', payload: { i }, options: { now } })),
    );
    await waitFor(async () => {
      const r = await db
        .selectFrom('job')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'done')
        .executeTakeFirstOrThrow();
      return Number(r.n) === n;
    }, 120_000);
    await Promise.all(runners.map((r) => r.stop()));
    const ms = Math.round(performance.now() - started);
    const rows = await executions(db);
    assert.equal(rows.length, n, 'executions');
    assert.equal(new Set(rows.map((r) => r.job_id)).size, n, 'each job once');
    const perWorker = Object.fromEntries(runners.map((r) => [r.workerId, rows.filter((e) => e.worker === r.workerId).length]));
    const attempts = await db.selectFrom('job').select('attempts').where('attempts', '!=', 1).execute();
    assert.equal(attempts.length, 0, 'every job took exactly one attempt');
    t.diagnostic(`in-process (${database.kind}): ${n} jobs, 4 runners, ${ms} ms, per runner ${JSON.stringify(perWorker)}`);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
