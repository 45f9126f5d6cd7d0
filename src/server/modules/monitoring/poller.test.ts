import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { atomDocument, FakeFeeds } from '../../../../test/support/fake-rss.ts';
import { FakeTelegram } from '../../../../test/support/fake-telegram.ts';
import { FakeVk } from '../../../../test/support/fake-vk.ts';
import { testConfig } from '../../../../test/support/test-app.ts';
import { createTestDatabase } from '../../../../test/support/test-db.ts';
import { buildApp } from '../../app.ts';
import { FixedClock } from '../../core/clock.ts';
import { type DatabaseHandle, type Db, openDatabase, PGLITE_EXTENSIONS } from '../../core/db/index.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { seedDemo } from '../demo/index.ts';
import { ConnectorError } from './connectors/types.ts';
import { findSource, insertSource } from './monitoring.repository.ts';
import { backoffAfter, ERROR_BASE_MS, MAX_BACKOFF_MS, POLL_JOB, pollSource } from './poller.ts';

// The poller through the app's job runner, against fake VK, Telegram and feed servers (test/support/fake-*.ts):
// cursors saved with the posts in one transaction, backoff on VK 6/29 and Telegram 429, health, restarts, crashes
// before the commit, and two nodes polling the same source.

const START = '2026-03-02T03:00:00Z';
const nowS = () => Math.floor(clock.now().getTime() / 1000);
let clock: FixedClock;

describe('backoffAfter (pure)', () => {
  const rl = new ConnectorError('rate_limit', 'VK: error 6');
  const cases: Array<[string, unknown, { consecutiveErrors: number; consecutiveRateLimits: number }, number, boolean]> = [
    ['VK 6, the first time: 1 s', rl, { consecutiveErrors: 0, consecutiveRateLimits: 0 }, 1000, true],
    ['VK 29, the second in a row: 2 s', rl, { consecutiveErrors: 0, consecutiveRateLimits: 1 }, 2000, true],
    ['VK 6, the fifth in a row: 16 s', rl, { consecutiveErrors: 3, consecutiveRateLimits: 4 }, 16_000, true],
    ['VK, the 30th: capped at an hour', rl, { consecutiveErrors: 0, consecutiveRateLimits: 29 }, MAX_BACKOFF_MS, true],
    [
      'Telegram retry_after 7: exactly 7 s',
      new ConnectorError('rate_limit', '429', { retryAfterMs: 7000 }),
      { consecutiveErrors: 0, consecutiveRateLimits: 5 },
      7000,
      true,
    ],
    [
      'Retry-After of two hours: capped',
      new ConnectorError('rate_limit', '429', { retryAfterMs: 7_200_000 }),
      { consecutiveErrors: 0, consecutiveRateLimits: 0 },
      MAX_BACKOFF_MS,
      true,
    ],
    [
      'a network error, the first: 30 s',
      new ConnectorError('network', 'x'),
      { consecutiveErrors: 0, consecutiveRateLimits: 2 },
      ERROR_BASE_MS,
      false,
    ],
    [
      'a bad answer, the third in a row: 2 min',
      new ConnectorError('bad_response', 'x'),
      { consecutiveErrors: 2, consecutiveRateLimits: 0 },
      120_000,
      false,
    ],
    [
      'a plain Error, the 12th: capped',
      new Error('db'),
      { consecutiveErrors: 11, consecutiveRateLimits: 0 },
      MAX_BACKOFF_MS,
      false,
    ],
  ];
  for (const [name, error, state, ms, rateLimited] of cases) {
    test(name, () => assert.deepEqual(backoffAfter(error, state), { ms, rateLimited }));
  }
});

describe('the monitoring poller', () => {
  let database: DatabaseHandle & { url?: string };
  let app: FastifyInstance;
  let db: Db;
  let vk: FakeVk;
  let tg: FakeTelegram;
  let site: FakeFeeds;
  let kem: number;
  const hookCalls: Array<{ sourceId: number; postIds: number[]; visible: number }> = [];
  let failHook = 0;

  async function startApp(handle: DatabaseHandle): Promise<FastifyInstance> {
    const a = await buildApp({ config: testConfig(), database: handle, clock });
    // The pipeline's registration point: called inside the storing transaction.
    a.monitoring.onPostsStored(async (trx, e) => {
      if (failHook > 0) {
        failHook--;
        throw new Error('the matcher crashed');
      }
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from monitoring_post where id = any(${e.postIds})`.execute(trx);
      hookCalls.push({ sourceId: e.sourceId, postIds: e.postIds, visible: rows[0]?.n ?? 0 });
    });
    await a.ready();
    return a;
  }

  before(async () => {
    clock = new FixedClock(START);
    database = await createTestDatabase();
    db = database.db;
    kem = (await seedDemo(db, clock.now())).municipalities.kemerovo!;
    app = await startApp(database);
    [vk, tg, site] = await Promise.all([FakeVk.start(), FakeTelegram.start(), FakeFeeds.start()]);
  });
  after(async () => {
    await app.close();
    await Promise.all([vk.close(), tg.close(), site.close(), database.close()]);
  });
  beforeEach(() => {
    hookCalls.length = 0;
    failHook = 0;
  });

  const addSource = (kind: 'vk' | 'telegram' | 'rss' | 'webhook', config: object, secret: string | null, interval = 60) =>
    insertSource(db, {
      municipalityId: kem,
      kind,
      name: `${kind} ${Math.random()}`,
      config,
      secret,
      replySecret: null,
      active: true,
      pollIntervalS: interval,
      createdBy: null,
      now: clock.now(),
    });
  const vkSource = (owner: number, extra: object = {}) =>
    addSource(
      'vk',
      { apiUrl: vk.apiUrl, owners: [owner], comments: false, requestsPerSecond: 1000, ...extra },
      'vk-service-token',
    );
  /** One scheduled tick, through the job runner. */
  async function tick() {
    await enqueue(db, POLL_JOB, {}, { now: clock.now() });
    await app.jobs.drain();
  }
  const postsOf = (sourceId: number) =>
    db.selectFrom('monitoring_post').selectAll().where('source_id', '=', sourceId).orderBy('id').execute();
  const source = async (id: number) => (await findSource(db, id))!;

  test('a VK wall: posts stored with the cursor and the health in one poll; the hook sees them in the transaction', async () => {
    const owner = -1001;
    const p1 = vk.addPost(owner, { text: 'Не горят фонари на Весенней', date: nowS() - 120, fromId: 11 });
    const p2 = vk.addPost(owner, { text: 'Яма у остановки «Цирк»', date: nowS() - 60, fromId: 12 });
    const s = await vkSource(owner);
    await tick();
    const posts = await postsOf(s.id);
    assert.deepEqual(
      posts.map((p) => [p.external_id, p.url, p.status, p.text]),
      [
        // The pipeline runs in the storing transaction: with no query matching, a post is 'unmatched'.
        [`${owner}_${p1.id}`, `https://vk.com/wall${owner}_${p1.id}`, 'unmatched', 'Не горят фонари на Весенней'],
        [`${owner}_${p2.id}`, `https://vk.com/wall${owner}_${p2.id}`, 'unmatched', 'Яма у остановки «Цирк»'],
      ],
    );
    assert.equal(posts[0]?.fetched_at.toISOString(), clock.now().toISOString());
    assert.equal(posts[0]?.published_at.getTime(), (nowS() - 120) * 1000);
    assert.equal((posts[0]!.raw as { from_id: number }).from_id, 11);
    const after1 = await source(s.id);
    assert.deepEqual(after1.cursor, { walls: { [owner]: { lastPostId: p2.id, posts: {} } }, searches: {} });
    assert.equal(after1.last_success_at?.toISOString(), clock.now().toISOString());
    assert.equal(after1.lag_s, 60, 'the newest new post was a minute old');
    assert.equal(after1.posts_total, 2);
    assert.equal(after1.poll_token, null, 'the lease is released');
    assert.equal(after1.next_poll_at.getTime(), clock.now().getTime() + 60_000);
    assert.deepEqual(hookCalls, [{ sourceId: s.id, postIds: posts.map((p) => Number(p.id)), visible: 2 }]);

    // Before the interval: not due, VK is not asked.
    vk.calls.length = 0;
    clock.advance(30_000);
    await tick();
    assert.equal(vk.callsOf('wall.get').length, 0);
    // After it: only the new post.
    const p3 = vk.addPost(owner, { text: 'Спасибо за ремонт двора', date: nowS() });
    clock.advance(31_000);
    await tick();
    assert.deepEqual(
      (await postsOf(s.id)).map((p) => p.external_id),
      [`${owner}_${p1.id}`, `${owner}_${p2.id}`, `${owner}_${p3.id}`],
    );
    assert.equal((await source(s.id)).posts_total, 3);
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('VK errors 6 then 29: backoff 1 s, then 2 s; nothing asked while backing off; success resets', async () => {
    const owner = -1002;
    vk.addPost(owner, { text: 'Затопило подвал', date: nowS() - 10 });
    const s = await vkSource(owner);
    vk.failNext('wall.get', { code: 6 });
    const t0 = clock.now().getTime();
    await tick();
    let row = await source(s.id);
    assert.equal(row.backoff_until?.getTime(), t0 + 1000);
    assert.equal(row.consecutive_rate_limits, 1);
    assert.equal(row.consecutive_errors, 0);
    assert.match(row.last_error ?? '', /error 6 «Too many requests per second»/);
    assert.equal(row.last_success_at, null);
    assert.equal((await postsOf(s.id)).length, 0);

    vk.calls.length = 0;
    clock.advance(500);
    await tick();
    assert.equal(vk.callsOf('wall.get').length, 0, 'backing off: VK is not asked');

    clock.advance(500);
    vk.failNext('wall.get', { code: 29 });
    await tick();
    row = await source(s.id);
    assert.equal(row.backoff_until?.getTime(), clock.now().getTime() + 2000, 'the second in a row: 2 s');
    assert.equal(row.consecutive_rate_limits, 2);
    assert.match(row.last_error ?? '', /error 29 «Rate limit reached»/);

    clock.advance(2000);
    await tick();
    row = await source(s.id);
    assert.equal(row.consecutive_rate_limits, 0);
    assert.equal(row.backoff_until, null);
    assert.equal(row.last_success_at?.getTime(), clock.now().getTime());
    assert.equal((await postsOf(s.id)).length, 1);
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('Telegram 429 waits exactly retry_after; the offset survives and nothing is lost', async () => {
    const chat = { id: -1001111111111, type: 'supergroup' as const, title: 'Кемерово чат', username: 'kem_chat' };
    tg.post(chat, { text: 'Где уборка снега на Притомском?', date: nowS() - 30 });
    const s = await addSource('telegram', { apiUrl: tg.apiUrl }, tg.token, 30);
    tg.failNext('getUpdates', { code: 429, retryAfter: 7 });
    const t0 = clock.now().getTime();
    await tick();
    let row = await source(s.id);
    assert.equal(row.backoff_until?.getTime(), t0 + 7000);
    assert.equal(row.consecutive_rate_limits, 1);
    assert.match(row.last_error ?? '', /429 «Too Many Requests: retry after 7»/);

    clock.advance(7000);
    await tick();
    const posts = await postsOf(s.id);
    assert.deepEqual(
      posts.map((p) => [p.external_id, p.url]),
      [[`${chat.id}_1`, 'https://t.me/kem_chat/1']],
    );
    row = await source(s.id);
    assert.equal((row.cursor as { offset: number }).offset, (tg.history.at(-1)?.update_id ?? 0) + 1);
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('an HTML answer instead of JSON is an error with backoff (30 s, then 60 s); the source keeps running', async () => {
    const owner = -1003;
    vk.addPost(owner, { text: 'Сломана скамейка в сквере', date: nowS() - 5 });
    const s = await vkSource(owner);
    vk.failNext('wall.get', { http: 200, body: '<html><body>Service temporarily unavailable</body></html>' }, 2);
    await tick();
    let row = await source(s.id);
    assert.equal(row.consecutive_errors, 1);
    assert.equal(row.backoff_until?.getTime(), clock.now().getTime() + 30_000);
    assert.match(row.last_error ?? '', /not JSON/);
    clock.advance(30_000);
    await tick();
    row = await source(s.id);
    assert.equal(row.consecutive_errors, 2);
    assert.equal(row.backoff_until?.getTime(), clock.now().getTime() + 60_000);
    clock.advance(60_000);
    await tick();
    row = await source(s.id);
    assert.equal(row.consecutive_errors, 0);
    assert.equal((await postsOf(s.id)).length, 1);
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('skipped items are counted on the source with the last reason', async () => {
    const owner = -1004;
    vk.addPost(owner, { text: 'нормальный', date: nowS() - 5 });
    vk.addPost(owner, { text: '', date: nowS() - 4 });
    vk.addPost(owner, { text: 'y'.repeat(200_000), date: nowS() - 3 });
    const s = await vkSource(owner);
    await tick();
    const row = await source(s.id);
    assert.equal(row.posts_total, 1);
    assert.equal(row.skipped_total, 2);
    assert.equal(row.last_skip_reason, `${owner}_2: no text`);
    assert.equal(row.last_success_at?.getTime(), clock.now().getTime());
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('a crash before the commit (the pipeline throws): nothing kept, the cursor stays, the same page comes again — once', async () => {
    const owner = -1005;
    vk.addPost(owner, { text: 'первый', date: nowS() - 20 });
    vk.addPost(owner, { text: 'второй', date: nowS() - 10 });
    const chat = { id: -1002222222222, type: 'supergroup' as const, title: 'Белово' };
    tg.post(chat, { text: 'сообщение в телеграме', date: nowS() - 15 });
    const v = await vkSource(owner);
    const t = await addSource('telegram', { apiUrl: tg.apiUrl, chatIds: [chat.id] }, tg.token, 30);
    failHook = 2;
    await tick();
    for (const id of [v.id, t.id]) {
      assert.equal((await postsOf(id)).length, 0, 'rolled back');
      const row = await source(id);
      assert.deepEqual(row.cursor, {}, 'the cursor did not move');
      assert.match(row.last_error ?? '', /storing failed: Error: the matcher crashed/);
      assert.equal(row.consecutive_errors, 1);
      assert.equal(row.poll_token, null);
    }
    clock.advance(ERROR_BASE_MS);
    await tick();
    assert.deepEqual(
      (await postsOf(v.id)).map((p) => p.text),
      ['первый', 'второй'],
    );
    assert.deepEqual(
      (await postsOf(t.id)).map((p) => p.text),
      ['сообщение в телеграме'],
      'Telegram was asked with the old offset, so its updates were still there',
    );
    // And never twice, however often the same page comes.
    clock.advance(60_000);
    await db.updateTable('monitoring_source').set({ cursor: '{}' }).where('id', '=', v.id).execute();
    await tick();
    assert.equal((await postsOf(v.id)).length, 2);
    for (const id of [v.id, t.id])
      await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', id).execute();
  });

  test('RSS: stored once; a 304 the next time; a webhook source is never polled', async () => {
    site.set('/news.atom', {
      contentType: 'application/atom+xml',
      body: atomDocument('Новости', [
        { id: 'a-1', title: 'Прорыв теплотрассы', summary: 'на Кузнецком', updated: clock.now().toISOString() },
      ]),
    });
    const r = await addSource('rss', { url: site.url('/news.atom') }, null, 300);
    const w = await addSource('webhook', {}, 'whsec-0123456789abcdef');
    await tick();
    assert.equal((await postsOf(r.id)).length, 1);
    clock.advance(300_000);
    await tick();
    assert.equal(site.requestsOf('/news.atom').at(-1)?.headers['if-none-match'] !== undefined, true);
    assert.equal((await postsOf(r.id)).length, 1);
    const wRow = await source(w.id);
    assert.equal(wRow.last_polled_at, null);
    for (const id of [r.id, w.id])
      await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', id).execute();
  });

  test('two nodes at once: the source lease lets one poll; VK is asked once, every post stored once', async () => {
    const owner = -1006;
    for (let i = 0; i < 5; i++) vk.addPost(owner, { text: `пост ${i}`, date: nowS() - 50 + i });
    const s = await vkSource(owner);
    vk.calls.length = 0;
    const app2 = await startApp(database);
    try {
      // Two ticks queued (a node's clock ahead of the other's), each node's runner drains at the same time: whichever
      // runs second finds the source leased (concurrent) or no longer due (after) — never polls it again.
      await enqueue(db, POLL_JOB, {}, { now: clock.now() });
      await enqueue(db, POLL_JOB, {}, { now: clock.now() });
      await Promise.all([app.jobs.drain(), app2.jobs.drain()]);
      assert.equal(vk.callsOf('wall.get').length, 1);
      assert.equal((await postsOf(s.id)).length, 5);
      // And directly: two polls racing for the same source.
      clock.advance(60_000);
      vk.calls.length = 0;
      const [a, b] = await Promise.all([
        pollSource(db, app.monitoring, s.id, { now: clock.now() }),
        pollSource(db, app2.monitoring, s.id, { now: clock.now() }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), ['polled', 'skipped']);
      assert.equal(vk.callsOf('wall.get').length, 1);
    } finally {
      await app2.close();
    }
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('a lease left by a node that died is taken over once it expires', async () => {
    const owner = -1007;
    vk.addPost(owner, { text: 'после падения узла', date: nowS() - 5 });
    const s = await vkSource(owner);
    await db
      .updateTable('monitoring_source')
      .set({ poll_token: 'dead-node', poll_until: new Date(clock.now().getTime() + 60_000) })
      .where('id', '=', s.id)
      .execute();
    await tick();
    assert.equal((await postsOf(s.id)).length, 0, 'held by the dead node');
    clock.advance(61_000);
    await tick();
    assert.equal((await postsOf(s.id)).length, 1);
    await db.updateTable('monitoring_source').set({ active: false }).where('id', '=', s.id).execute();
  });

  test('a restart (a new app and database handle on the same data) resumes from the cursor: nothing lost, nothing twice', async () => {
    const owner = -1008;
    const chat = { id: -1003333333333, type: 'supergroup' as const, title: 'Мариинск' };
    vk.addPost(owner, { text: 'до перезапуска', date: nowS() - 30 });
    tg.post(chat, { text: 'телеграм до перезапуска', date: nowS() - 30 });
    const entry = (id: string, title: string) => ({ id, title, updated: clock.now().toISOString() });
    site.set('/restart.atom', { body: atomDocument('Новости', [entry('r-1', 'новость до перезапуска')]) });
    const v = await vkSource(owner);
    const t = await addSource('telegram', { apiUrl: tg.apiUrl, chatIds: [chat.id] }, tg.token, 30);
    const f = await addSource('rss', { url: site.url('/restart.atom') }, null, 60);
    await tick();
    assert.equal((await postsOf(v.id)).length, 1);
    assert.equal((await postsOf(t.id)).length, 1);
    assert.equal((await postsOf(f.id)).length, 1);
    const etag = (await source(f.id)).cursor as { etag: string };

    // Stop this node; new posts arrive while it is down.
    await app.close();
    vk.addPost(owner, { text: 'во время простоя', date: nowS() - 5 });
    tg.post(chat, { text: 'телеграм во время простоя', date: nowS() - 5 });
    site.set('/restart.atom', {
      body: atomDocument('Новости', [entry('r-2', 'новость во время простоя'), entry('r-1', 'новость до перезапуска')]),
    });
    const reopened = await reopen(database);
    try {
      clock.advance(120_000);
      const app2 = await startApp(reopened);
      try {
        await enqueue(reopened.db, POLL_JOB, {}, { now: clock.now() });
        await app2.jobs.drain();
      } finally {
        await app2.close();
      }
      const texts = async (id: number) =>
        (await reopened.db.selectFrom('monitoring_post').select('text').where('source_id', '=', id).orderBy('id').execute()).map(
          (r) => r.text,
        );
      assert.deepEqual(await texts(v.id), ['до перезапуска', 'во время простоя']);
      assert.deepEqual(await texts(t.id), ['телеграм до перезапуска', 'телеграм во время простоя']);
      assert.deepEqual(await texts(f.id), ['новость до перезапуска', 'новость во время простоя']);
      assert.equal(site.requestsOf('/restart.atom').at(-1)?.headers['if-none-match'], etag.etag, 'the feed cursor survived');
    } finally {
      if (reopened !== database) await reopened.close();
      app = await startApp(database);
    }
  });
});

describe('polling in listening app nodes', () => {
  test('two nodes: one tick per period across both (the job schedule), the source polled once', async () => {
    const local = new FixedClock(START);
    const database = await createTestDatabase();
    const vk = await FakeVk.start();
    const nodes: FastifyInstance[] = [];
    try {
      vk.addPost(-3001, { text: 'Опять не убрали снег во дворе', date: local.now().getTime() / 1000 - 60 });
      const s = await insertSource(database.db, {
        municipalityId: null,
        kind: 'vk',
        name: 'регион',
        config: { apiUrl: vk.apiUrl, owners: [-3001], comments: false, requestsPerSecond: 1000 },
        secret: 'vk-service-token',
        replySecret: null,
        active: true,
        pollIntervalS: 60,
        createdBy: null,
        now: local.now(),
      });
      for (let i = 0; i < 2; i++) {
        const node = await buildApp({ config: testConfig(), database, clock: local });
        nodes.push(node);
        await node.listen({ port: 0, host: '127.0.0.1' });
      }
      const count = async () =>
        (await database.db.selectFrom('monitoring_post').select('id').where('source_id', '=', s.id).execute()).length;
      for (let waited = 0; (await count()) === 0 && waited < 15_000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(await count(), 1);
      // Give both runners a few more rounds (they poll every second).
      await new Promise((r) => setTimeout(r, 2500));
      const jobs = await database.db.selectFrom('job').select(['id', 'status']).where('name', '=', POLL_JOB).execute();
      assert.equal(jobs.length, 1, 'the clock stands still: one period, one tick, whichever node enqueued it');
      assert.equal(vk.callsOf('wall.get').length, 1);
      assert.equal(await count(), 1);
    } finally {
      for (const n of nodes) await n.close();
      await vk.close();
      await database.close();
    }
  });
});

/** The same data behind a new handle: PGlite dumped and loaded into a new instance; PostgreSQL through a new pool. */
async function reopen(h: DatabaseHandle & { url?: string }): Promise<DatabaseHandle> {
  if (h.pglite) {
    const dump = await h.pglite.dumpDataDir('gzip');
    const pglite = await PGlite.create({ loadDataDir: dump, extensions: PGLITE_EXTENSIONS });
    return openDatabase({ pglite });
  }
  return openDatabase({ databaseUrl: h.url, poolSize: 4 });
}
