import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueue, findJob, JobRunner } from '../src/server/core/jobs/index.ts';
import { as, createTestContext, login, type Session, type TestContext } from './support/test-app.ts';

describe('jobs: admin routes', () => {
  let t: TestContext;
  let regional: Session;
  let municipal: Session;
  let resident: Session;
  let deadId: number;
  let pendingId: number;

  before(async () => {
    t = await createTestContext();
    [regional, municipal, resident] = await Promise.all([
      login(t.app, 'region.admin@otklik.demo'),
      login(t.app, 'kem.admin@otklik.demo'),
      login(t.app, 'resident@otklik.demo'),
    ]);
    const now = t.clock.now();
    // One job that fails its only attempt (dead letter), one that waits, one that is done.
    deadId = (await enqueue(t.database.db, 'mail.send', { to: 'x@example.org' }, { now, maxAttempts: 1 })).id;
    await enqueue(t.database.db, 'report.build', { n: 1 }, { now });
    pendingId = (await enqueue(t.database.db, 'report.build', { n: 2 }, { now, delayMs: 3600_000 })).id;
    const runner = new JobRunner(t.database.db, { clock: t.clock })
      .register('mail.send', () => {
        throw new Error('SMTP 550 mailbox unavailable');
      })
      .register('report.build', () => {});
    await runner.drain();
  });
  after(() => t.close());

  const list = (query: string, session?: Session) =>
    t.app.inject({ url: `/api/v1/admin/jobs${query}`, headers: session ? as(session, { csrf: false }) : {} });
  const retry = (id: number, session?: Session, csrf = true) =>
    t.app.inject({ method: 'POST', url: `/api/v1/admin/jobs/${id}/retry`, headers: session ? as(session, { csrf }) : {} });

  const cases: Array<{ who: string; session: () => Session | undefined; status: number; code?: string }> = [
    { who: 'anonymous', session: () => undefined, status: 401, code: 'UNAUTHENTICATED' },
    { who: 'a resident', session: () => resident, status: 403, code: 'FORBIDDEN' },
    { who: 'a municipal admin', session: () => municipal, status: 403, code: 'FORBIDDEN' },
    { who: 'a regional admin', session: () => regional, status: 200 },
  ];
  for (const c of cases) {
    test(`GET /admin/jobs as ${c.who} → ${c.status}`, async () => {
      const res = await list('', c.session());
      assert.equal(res.statusCode, c.status, res.body);
      if (c.code) assert.equal(res.json().error.code, c.code);
    });
    test(`GET /admin/jobs/schedules as ${c.who} → ${c.status}`, async () => {
      const s = c.session();
      const res = await t.app.inject({ url: '/api/v1/admin/jobs/schedules', headers: s ? as(s, { csrf: false }) : {} });
      assert.equal(res.statusCode, c.status, res.body);
    });
  }
  for (const c of cases.filter((x) => x.status !== 200)) {
    test(`POST /admin/jobs/:id/retry as ${c.who} → ${c.status}, the job stays dead`, async () => {
      const res = await retry(deadId, c.session());
      assert.equal(res.statusCode, c.status, res.body);
      assert.equal(res.json().error.code, c.code);
      assert.equal((await findJob(t.database.db, deadId))?.status, 'dead');
    });
  }

  test('the list shows jobs newest first with counts per status, and filters by status and name', async () => {
    const res = await list('', regional);
    const body = res.json();
    assert.deepEqual(body.counts, { pending: 1, running: 0, done: 1, dead: 1, retrying: 0 });
    assert.equal(body.items.length, 3);
    assert.deepEqual(
      body.items.map((j: { id: number }) => j.id),
      [pendingId, pendingId - 1, deadId],
    );
    const dead = body.items.find((j: { id: number }) => j.id === deadId);
    assert.equal(dead.status, 'dead');
    assert.equal(dead.attempts, 1);
    assert.equal(dead.maxAttempts, 1);
    assert.match(dead.lastError, /SMTP 550 mailbox unavailable/);
    assert.deepEqual(dead.payload, { to: 'x@example.org' });
    assert.equal(dead.finishedAt, t.clock.now().toISOString());

    const onlyDead = (await list('?status=dead', regional)).json();
    assert.deepEqual(
      onlyDead.items.map((j: { id: number }) => j.id),
      [deadId],
    );
    const byName = (await list('?name=report.build', regional)).json();
    assert.equal(byName.items.length, 2);
    assert.deepEqual(byName.counts, { pending: 1, running: 0, done: 1, dead: 0, retrying: 0 });
  });

  test('the list pages with limit and before', async () => {
    const first = (await list('?limit=2', regional)).json();
    assert.equal(first.items.length, 2);
    assert.equal(first.nextBefore, first.items[1].id);
    const second = (await list(`?limit=2&before=${first.nextBefore}`, regional)).json();
    assert.deepEqual(
      second.items.map((j: { id: number }) => j.id),
      [deadId],
    );
    assert.equal(second.nextBefore, null);
  });

  test('bad filters get a 400 naming the field', async () => {
    for (const q of ['?status=failed', '?limit=0', '?limit=501', '?before=abc', '?color=red']) {
      const res = await list(q, regional);
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('retry without the CSRF token is refused', async () => {
    const res = await retry(deadId, regional, false);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'CSRF_TOKEN_INVALID');
  });

  test('retry of a job that is not dead → 409; of an unknown job → 404', async () => {
    const res = await retry(pendingId, regional);
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().error.code, 'CONFLICT');
    assert.match(res.json().error.message, /is pending/);
    assert.equal((await retry(999_999, regional)).statusCode, 404);
  });

  test('a regional admin retries a dead job: pending with fresh attempts, audited; the runner then runs it', async () => {
    t.clock.advance(60_000);
    const res = await retry(deadId, regional);
    assert.equal(res.statusCode, 200, res.body);
    const job = res.json();
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 0);
    assert.equal(job.runAt, t.clock.now().toISOString());
    assert.match(job.lastError, /SMTP 550/, 'the last error stays for the record');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'job.retry')
      .where('entity_id', '=', String(deadId))
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_user_id, regional.userId);
    assert.equal(audit[0]?.entity_type, 'job');
    const { lastError, ...before } = audit[0]!.before as { lastError: string };
    assert.deepEqual(before, { name: 'mail.send', status: 'dead', attempts: 1 });
    assert.match(lastError, /SMTP 550/);
    assert.deepEqual(audit[0]?.after, { status: 'pending', attempts: 0, runAt: t.clock.now().toISOString() });

    const again = await retry(deadId, regional);
    assert.equal(again.statusCode, 409, 'a second retry finds it pending');

    const sent: unknown[] = [];
    const runner = new JobRunner(t.database.db, { clock: t.clock }).register('mail.send', (p) => {
      sent.push(p);
    });
    assert.equal(await runner.drain(), 1);
    assert.deepEqual(sent, [{ to: 'x@example.org' }]);
    assert.equal((await findJob(t.database.db, deadId))?.status, 'done');
  });

  test('schedules are listed with their timing', async () => {
    const runner = new JobRunner(t.database.db, { clock: t.clock })
      .register('digest', () => {})
      .schedule('daily-digest', { dailyAt: '08:00', timeZone: 'Asia/Novokuznetsk' }, { job: 'digest' });
    await runner.runOnce();
    const res = await t.app.inject({ url: '/api/v1/admin/jobs/schedules', headers: as(regional, { csrf: false }) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().items, [
      {
        name: 'daily-digest',
        jobName: 'digest',
        payload: {},
        everySeconds: null,
        dailyAt: '08:00',
        timeZone: 'Asia/Novokuznetsk',
        nextRunAt: '2026-03-03T01:00:00.000Z',
        lastRunAt: null,
        lastJobId: null,
      },
    ]);
  });
});
