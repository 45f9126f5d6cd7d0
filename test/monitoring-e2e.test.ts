import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { FixedClock } from '../src/server/core/clock.ts';
import { type DatabaseHandle, type Db, openDatabase, PGLITE_EXTENSIONS } from '../src/server/core/db/index.ts';
import { enqueue } from '../src/server/core/jobs/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/server/modules/demo/index.ts';
import { POLL_JOB } from '../src/server/modules/monitoring/index.ts';
import { insertSource } from '../src/server/modules/monitoring/monitoring.repository.ts';
import { insertQuery } from '../src/server/modules/monitoring/queries.repository.ts';
import { FakeVk } from './support/fake-vk.ts';
import { as, login, testConfig } from './support/test-app.ts';
import { createTestDatabase } from './support/test-db.ts';

// Issue 6, end to end: posts appear on the fake VK → polled by the job runner → matched by the pipeline → accepted
// by a moderator → an incident case with its first-reaction deadline → the reply published back to the fake VK with
// the right parameters (owner_id, post_id, message, the community token) — and a node dies in the middle (inside the
// storing transaction) and another takes over: nothing lost, nothing twice (posts, cases, comments counted).
//
// Two variants. In-process (any database, PGlite included): the storing transaction is abandoned (a hook throws after
// the pipeline ran), the app is thrown away, and a new app opens the same data. Two OS processes (PostgreSQL only:
// PGlite is one process by design): node A is SIGKILLed while its storing transaction is open; nodes B and C are
// separate processes whose clocks run later (A's poll lease has expired for them).

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OWNER = -7001;
const REPLY = 'Здравствуйте! Передали в дорожную службу, яму засыплют до пятницы.';
const TEXTS = [
  'Огромная яма на дороге у остановки Шахтёров, уже два колеса пробили',
  'Ямы во дворе на Весенней, машины не проехать',
  'Сегодня в парке отличная погода',
];

interface Setup {
  sourceId: number;
  kem: number;
}

/** The demo region, a VK source of Кемерово watching the fake wall (with a community token), and a query. */
async function setUp(db: Db, vk: FakeVk, now: Date): Promise<Setup> {
  const demo = await seedDemo(db, now);
  const kem = demo.municipalities.kemerovo!;
  const category = await db
    .selectFrom('category')
    .select('id')
    .where('municipality_id', '=', kem)
    .where('name', '=', 'Ямы на дорогах')
    .executeTakeFirstOrThrow();
  await insertQuery(db, {
    municipalityId: kem,
    name: 'Ямы',
    text: 'яма OR ямы',
    defaultCategoryId: category.id,
    active: true,
    createdBy: null,
    now,
  });
  const source = await insertSource(db, {
    municipalityId: kem,
    kind: 'vk',
    name: 'Мэрия Кемерова ВКонтакте',
    config: { apiUrl: vk.apiUrl, owners: [OWNER], comments: false, requestsPerSecond: 1000 },
    secret: 'vk-service-token',
    replySecret: 'vk-community-token',
    active: true,
    pollIntervalS: 60,
    createdBy: null,
    now,
  });
  return { sourceId: source.id, kem };
}

const counts = async (db: Db, sourceId: number) => {
  const posts = await db
    .selectFrom('monitoring_post')
    .select(['external_id', 'status', 'text'])
    .where('source_id', '=', sourceId)
    .execute();
  const cases = await db.selectFrom('case').select(['id', 'number', 'due_kind']).where('channel', '=', 'social').execute();
  return { posts, cases };
};

function assertOnce(posts: Array<{ external_id: string }>, n: number) {
  assert.equal(posts.length, n);
  assert.equal(new Set(posts.map((p) => p.external_id)).size, n, 'each VK post stored once');
}

function assertComment(vk: FakeVk, postUrl: string) {
  assert.equal(vk.createdComments.length, 1, 'the reply was published once');
  const c = vk.createdComments[0]!;
  const postId = Number(/wall-?\d+_(\d+)$/.exec(postUrl)![1]);
  assert.equal(c.owner_id, OWNER);
  assert.equal(c.post_id, postId);
  assert.equal(c.message, REPLY);
  assert.equal(c.access_token, 'vk-community-token', 'the community token, not the service token');
  assert.equal(c.reply_to_comment, null);
}

describe('monitoring end to end, in one process: an abandoned storing transaction, then new apps on the same data', () => {
  let database: DatabaseHandle & { url?: string };
  let vk: FakeVk;
  let clock: FixedClock;
  let setup: Setup;

  before(async () => {
    clock = new FixedClock('2026-03-02T03:00:00Z');
    database = await createTestDatabase();
    vk = await FakeVk.start();
    setup = await setUp(database.db, vk, clock.now());
  });
  after(async () => {
    await vk.close();
    await database.close();
  });

  const start = async (handle: DatabaseHandle) => {
    const app = await buildApp({ config: testConfig(), database: handle, clock });
    await app.ready();
    return app;
  };
  const tick = async (app: FastifyInstance, db: Db) => {
    await enqueue(db, POLL_JOB, {}, { now: clock.now() });
    await app.jobs.drain();
  };

  test('polled → matched → accepted → incident with a deadline → reply on VK; crashes lose and repeat nothing', async () => {
    const nowS = () => Math.floor(clock.now().getTime() / 1000);
    for (const [i, text] of TEXTS.entries()) vk.addPost(OWNER, { text, date: nowS() - 300 + i * 60, fromId: 500 + i });

    // Node 1 dies inside the storing transaction, after the pipeline has matched the posts: nothing is kept.
    const app1 = await start(database);
    let seenInTransaction: number[] = [];
    app1.monitoring.onPostsStored(async (_trx, e) => {
      seenInTransaction = e.postIds;
      throw new Error('the node died before the commit');
    });
    await tick(app1, database.db);
    await app1.close();
    assert.equal(seenInTransaction.length, 3, 'the posts were inserted and processed inside the transaction');
    assert.equal((await counts(database.db, setup.sourceId)).posts.length, 0, 'nothing committed');

    // Node 2 on the same data (PGlite: its files in a new instance; PostgreSQL: a new pool).
    const handle2 = await reopen(database);
    let app2 = await start(handle2);
    try {
      clock.advance(60_000); // past the failed poll's backoff
      await tick(app2, handle2.db);
      let { posts } = await counts(handle2.db, setup.sourceId);
      assertOnce(posts, 3);
      assert.deepEqual(posts.map((p) => p.status).sort(), ['matched', 'matched', 'unmatched']);

      const moderator = await login(app2, 'kem.moderator@otklik.demo', DEMO_PASSWORD);
      const stream = (await app2.inject({ url: '/api/v1/monitoring/stream', headers: as(moderator, { csrf: false }) })).json();
      const item = stream.items.find((i: { text: string }) => i.text === TEXTS[0]);
      assert.ok(item, 'the pothole is in the stream');
      assert.equal(item.municipality.id, setup.kem);
      const accepted = await app2.inject({
        method: 'POST',
        url: `/api/v1/monitoring/posts/${item.id}/accept`,
        headers: as(moderator),
        payload: {},
      });
      assert.equal(accepted.statusCode, 200, accepted.body);
      const incident = accepted.json().case;
      assert.equal(incident.dueKind, 'first_reaction');
      assert.equal(new Date(incident.dueAt).getTime(), new Date(item.fetchedAt).getTime() + 24 * 3600_000);

      clock.advance(30 * 60_000);
      const replied = await app2.inject({
        method: 'POST',
        url: `/api/v1/monitoring/posts/${item.id}/reply`,
        headers: as(moderator),
        payload: { text: REPLY },
      });
      assert.equal(replied.statusCode, 200, replied.body);
      assert.equal(replied.json().reply.status, 'published');
      assertComment(vk, item.url);
      const reaction = await handle2.db
        .selectFrom('case_event')
        .selectAll()
        .where('case_id', '=', incident.id)
        .where('type', '=', 'first_reaction')
        .execute();
      assert.equal(reaction.length, 1);
      assert.equal(reaction[0]?.late, false);
      assert.equal(reaction[0]?.at.toISOString(), clock.now().toISOString());

      // Node 2 stops; a new post arrives; node 3 on the same data polls: only the new post, nothing twice.
      await app2.close();
      vk.addPost(OWNER, { text: 'И ещё одна яма на дороге у рынка', date: nowS() - 10 });
      const handle3 = await reopen(handle2);
      app2 = await start(handle3);
      try {
        clock.advance(120_000);
        await tick(app2, handle3.db);
        const after3 = await counts(handle3.db, setup.sourceId);
        posts = after3.posts;
        assertOnce(posts, 4);
        assert.equal(after3.cases.length, 1, 'one incident');
        assert.equal(vk.createdComments.length, 1, 'one reply');
        assert.equal(posts.find((p) => p.text.startsWith('И ещё одна яма'))?.status, 'matched');
      } finally {
        if (handle3 !== handle2) await handle3.close();
      }
    } finally {
      await app2.close();
      if (handle2 !== database) await handle2.close();
    }
  });
});

const SKIP_PROCESSES = process.env.DATABASE_URL
  ? false
  : 'needs DATABASE_URL: PGlite is single-process by design (one process owns its data), so separate app processes can ' +
    'only share a PostgreSQL server; the in-process variant above runs on PGlite';

interface Node {
  child: ChildProcess;
  port: number;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function startNode(url: string, env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/monitoring-node.ts'], {
    cwd: root,
    env: { ...process.env, MONITORING_NODE_DB_URL: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: Node = {
    child,
    port: 0,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stderr?.on('data', (d) => {
    node.stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start in 60 s: ${node.stderr}`)), 60_000);
    child.stdout?.on('data', (d) => {
      node.stdout += d;
      const m = /listening (\d+)/.exec(node.stdout);
      if (m && node.port === 0) {
        node.port = Number(m[1]);
        clearTimeout(timer);
        resolve(node);
      }
    });
    void node.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the node exited with ${code} before listening: ${node.stderr}`));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** What the test reads of the answers (the API's own schemas say the rest). */
interface Answer {
  items: Array<{ id: number; text: string; url: string; fetchedAt: string }>;
  case: { id: number; dueKind: string; dueAt: string };
  reply: { status: string };
}

/** A signed-in client of a node over real HTTP. */
async function client(node: Node, email: string) {
  const base = `http://127.0.0.1:${node.port}/api/v1`;
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie,
        ...(method === 'POST' && { 'x-csrf-token': csrfToken }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json()) as Answer };
  };
}

async function kill(node: Node, signal: NodeJS.Signals) {
  node.child.kill(signal);
  await node.exited;
}

describe('monitoring end to end, in separate OS processes on PostgreSQL: a node killed inside its storing transaction', {
  skip: SKIP_PROCESSES,
}, () => {
  let database: DatabaseHandle & { url?: string };
  let vk: FakeVk;
  let setup: Setup;
  const nodes: Node[] = [];

  before(async () => {
    database = await createTestDatabase();
    vk = await FakeVk.start();
    setup = await setUp(database.db, vk, new Date());
  });
  after(async () => {
    for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) await kill(n, 'SIGKILL');
    await vk.close();
    await database.close();
  });

  test('node A is killed mid-transaction; B polls, accepts, replies and is killed; C resumes: nothing lost or twice', async () => {
    const db = database.db;
    const url = database.url as string;
    const nowS = Math.floor(Date.now() / 1000);
    for (const [i, text] of TEXTS.entries()) vk.addPost(OWNER, { text, date: nowS - 300 + i * 60, fromId: 500 + i });

    // Node A: its poll (the scheduled tick, or "poll now") stores the posts and runs the pipeline, then hangs with
    // the transaction open. It is SIGKILLed there; PostgreSQL rolls the transaction back.
    const a = await startNode(url, { MONITORING_NODE_HANG: '1' });
    nodes.push(a);
    const admin = await client(a, 'kem.admin@otklik.demo');
    assert.equal((await admin('POST', `/monitoring/sources/${setup.sourceId}/poll`)).status, 202);
    await until('node A inside its storing transaction', async () => (/in-transaction \[/.test(a.stdout) ? true : undefined));
    assert.equal((await counts(db, setup.sourceId)).posts.length, 0, 'uncommitted: invisible');
    await kill(a, 'SIGKILL');
    await until('the killed transaction to end', async () => {
      const s = await db
        .selectFrom('monitoring_source')
        .select(['poll_token'])
        .where('id', '=', setup.sourceId)
        .forUpdate()
        .noWait()
        .executeTakeFirst()
        .catch(() => undefined);
      return s;
    });
    assert.equal((await counts(db, setup.sourceId)).posts.length, 0, 'nothing of A’s poll was kept');
    const held = await db
      .selectFrom('monitoring_source')
      .select(['poll_token', 'poll_until'])
      .where('id', '=', setup.sourceId)
      .executeTakeFirstOrThrow();
    assert.ok(held.poll_token, 'A’s lease is still there');

    // Node B starts «later» (its clock 4 minutes ahead: A's 3-minute lease has expired) and polls on its own tick.
    const b = await startNode(url, { MONITORING_NODE_CLOCK_OFFSET_MS: String(4 * 60_000) });
    nodes.push(b);
    const posts = await until('node B to store the posts', async () => {
      const { posts } = await counts(db, setup.sourceId);
      return posts.length >= 3 ? posts : undefined;
    });
    assertOnce(posts, 3);
    assert.deepEqual(posts.map((p) => p.status).sort(), ['matched', 'matched', 'unmatched']);

    const moderator = await client(b, 'kem.moderator@otklik.demo');
    const stream = await moderator('GET', '/monitoring/stream');
    assert.equal(stream.status, 200);
    const item = stream.body.items.find((i) => i.text === TEXTS[0])!;
    assert.ok(item);
    const accepted = await moderator('POST', `/monitoring/posts/${item.id}/accept`, {});
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.case.dueKind, 'first_reaction');
    assert.equal(new Date(accepted.body.case.dueAt).getTime(), new Date(item.fetchedAt).getTime() + 24 * 3600_000);
    const replied = await moderator('POST', `/monitoring/posts/${item.id}/reply`, { text: REPLY });
    assert.equal(replied.status, 200, JSON.stringify(replied.body));
    assert.equal(replied.body.reply.status, 'published');
    assertComment(vk, item.url);
    const reaction = await db
      .selectFrom('case_event')
      .selectAll()
      .where('case_id', '=', accepted.body.case.id)
      .where('type', '=', 'first_reaction')
      .execute();
    assert.equal(reaction.length, 1);
    assert.equal(reaction[0]?.late, false);
    await kill(b, 'SIGKILL');

    // A new post while no node runs; node C (8 minutes ahead) resumes from the cursor.
    vk.addPost(OWNER, { text: 'И ещё одна яма на дороге у рынка', date: Math.floor(Date.now() / 1000) - 5 });
    const c = await startNode(url, { MONITORING_NODE_CLOCK_OFFSET_MS: String(8 * 60_000) });
    nodes.push(c);
    const after = await until('node C to store the new post', async () => {
      const r = await counts(db, setup.sourceId);
      return r.posts.length >= 4 ? r : undefined;
    });
    // Give C's runner a few more rounds (a retried job of A or B must not add anything).
    await sleep(2500);
    const final = await counts(db, setup.sourceId);
    assertOnce(final.posts, 4);
    assert.equal(after.posts.find((p) => p.text.startsWith('И ещё одна яма'))?.status, 'matched');
    assert.equal(final.cases.length, 1, 'one incident');
    assert.equal(vk.createdComments.length, 1, 'one reply on VK');
    await kill(c, 'SIGTERM');
  });
});

/** The same data behind a new handle: PGlite dumped and loaded into a new instance; PostgreSQL through a new pool. */
async function reopen(h: DatabaseHandle & { url?: string }): Promise<DatabaseHandle & { url?: string }> {
  if (h.pglite) {
    const dump = await h.pglite.dumpDataDir('gzip');
    const pglite = await PGlite.create({ loadDataDir: dump, extensions: PGLITE_EXTENSIONS });
    return openDatabase({ pglite });
  }
  return { ...(await openDatabase({ databaseUrl: h.url, poolSize: 4 })), ...(h.url && { url: h.url }) };
}
