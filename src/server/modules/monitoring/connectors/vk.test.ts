import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { FakeVk } from '../../../../../test/support/fake-vk.ts';
import { HttpClient } from './http.ts';
import { ConfigError, type ConnectorEnv, ConnectorError, type FetchResult } from './types.ts';
import { normalizeVkCursor, parseVkConfig, SEARCH_OVERLAP_S, type VkConfig, type VkCursor, vkConnector } from './vk.ts';

// Against a fake VK API speaking VK's formats (test/support/fake-vk.ts): {"response": …} and HTTP 200 with
// {"error": {"error_code", "error_msg"}}; codes from dev.vk.com/ru/reference/errors.

const NOW = new Date('2026-03-02T03:00:00Z');
const nowS = NOW.getTime() / 1000;
const CITY = -100; // a municipality's community wall

describe('VK settings', () => {
  const ok: Array<[string, unknown, Partial<VkConfig>]> = [
    [
      'a wall, defaults',
      { owners: [CITY] },
      { owners: [CITY], queries: [], apiVersion: '5.199', comments: true, requestsPerSecond: 3 },
    ],
    ['a search only', { queries: [' яма ', 'яма'] }, { owners: [], queries: ['яма'] }],
    ['a pinned older version', { owners: [1], apiVersion: '5.131' }, { apiVersion: '5.131' }],
    [
      'the API URL without its trailing slash',
      { owners: [1], apiUrl: 'http://127.0.0.1:9/method/' },
      { apiUrl: 'http://127.0.0.1:9/method' },
    ],
  ];
  for (const [name, input, expected] of ok) {
    test(`accepts ${name}`, () => {
      const c = parseVkConfig(input);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(c[k as keyof VkConfig], v, k);
    });
  }
  const bad: Array<[string, unknown, string]> = [
    ['nothing to read', {}, 'owners'],
    ['owner 0', { owners: [0] }, 'owners.0'],
    ['an owner as text', { owners: ['club1'] }, 'owners.0'],
    ['an empty query', { queries: [''] }, 'queries.0'],
    ['an unknown setting', { owners: [1], owner: 2 }, 'owner'],
    ['an FTP API URL', { owners: [1], apiUrl: 'ftp://x' }, 'apiUrl'],
    ['a version that is not 5.x', { owners: [1], apiVersion: 'latest' }, 'apiVersion'],
    ['too fast', { owners: [1], requestsPerSecond: 0 }, 'requestsPerSecond'],
    ['not an object', [1], ''],
  ];
  for (const [name, input, field] of bad) {
    test(`refuses ${name} (config.${field})`, () => {
      assert.throws(
        () => parseVkConfig(input),
        (e: unknown) => e instanceof ConfigError && e.field === field,
      );
    });
  }
  test('a cursor of the wrong shape is read as empty, a good one kept', () => {
    assert.deepEqual(normalizeVkCursor('x'), { walls: {}, searches: {} });
    assert.deepEqual(normalizeVkCursor({ walls: { '-1': { lastPostId: 'x' } }, searches: { q: { since: 5, nextFrom: '' } } }), {
      walls: {},
      searches: { q: { since: 5 } },
    });
  });
});

describe('VK connector against a fake VK API', () => {
  let vk: FakeVk;
  const env = (now = NOW): ConnectorEnv => ({ http: new HttpClient({ timeoutMs: 5000 }), now });
  const source = (config: unknown, secret: string | null = 'vk-service-token', replySecret: string | null = null) => ({
    id: 1,
    config: parseVkConfig({ apiUrl: vk.apiUrl, requestsPerSecond: 1000, ...(config as object) }),
    secret,
    replySecret,
  });
  const fetch = (config: unknown, cursor: VkCursor | null, now = NOW) =>
    vkConnector.fetch!(source(config), cursor, env(now)) as Promise<FetchResult<VkCursor>>;

  before(async () => {
    vk = await FakeVk.start();
  });
  after(() => vk.close());
  beforeEach(() => {
    vk.calls.length = 0;
  });

  test('a wall: the first poll takes the posts of the look-back day, then only newer ones; the pinned post is not news', async () => {
    const owner = -201;
    vk.addPost(owner, { text: 'Старое объявление (закреплено)', date: nowS - 40 * 86400, pinned: true });
    vk.addPost(owner, { text: 'Вчерашний пост', date: nowS - 2 * 86400 });
    const fresh = vk.addPost(owner, { text: 'Во дворе на Ленина, 5 не вывозят мусор', date: nowS - 600, fromId: 42 });
    vk.profiles.set(42, { first_name: 'Ольга', last_name: 'Петрова', screen_name: 'olga_p' });
    const first = await fetch({ owners: [owner], comments: false }, null);
    assert.equal(first.error, undefined);
    assert.deepEqual(
      first.posts.map((p) => p.externalId),
      [`${owner}_${fresh.id}`],
    );
    const p = first.posts[0]!;
    assert.equal(p.url, `https://vk.com/wall${owner}_${fresh.id}`);
    assert.equal(p.authorHandle, 'olga_p');
    assert.equal(p.authorName, 'Ольга Петрова');
    assert.equal(p.publishedAt.getTime(), (nowS - 600) * 1000);
    assert.equal(p.parentExternalId, null);
    assert.equal(first.cursor.walls[String(owner)]?.lastPostId, fresh.id);
    const call = vk.callsOf('wall.get')[0]!;
    assert.equal(call.params.v, '5.199', 'the API version is pinned');
    assert.equal(call.params.access_token, 'vk-service-token');
    assert.equal(call.params.owner_id, String(owner));

    const second = await fetch({ owners: [owner], comments: false }, first.cursor);
    assert.equal(second.posts.length, 0, 'nothing new: nothing again (the pinned post neither)');
    const newer = vk.addPost(owner, { text: 'Яма на дороге у школы №3', date: nowS - 60 });
    const third = await fetch({ owners: [owner], comments: false }, second.cursor);
    assert.deepEqual(
      third.posts.map((x) => x.externalId),
      [`${owner}_${newer.id}`],
    );
  });

  test('a wall with 150 new posts since the last poll: read page by page until a known post', async () => {
    const owner = -202;
    const known = vk.addPost(owner, { text: 'известный', date: nowS - 3000 });
    const cursor: VkCursor = { walls: { [owner]: { lastPostId: known.id, posts: {} } }, searches: {} };
    for (let i = 0; i < 150; i++) vk.addPost(owner, { text: `пост ${i}`, date: nowS - 1000 + i });
    const r = await fetch({ owners: [owner], comments: false }, cursor);
    assert.equal(r.posts.length, 150);
    assert.equal(new Set(r.posts.map((p) => p.externalId)).size, 150);
    assert.deepEqual(
      vk.callsOf('wall.get').map((c) => c.params.offset),
      ['0', '100'],
    );
    assert.equal(r.cursor.walls[String(owner)]?.lastPostId, known.id + 150);
  });

  test('comments under recent posts: new ones only, as owner_post_comment with the post as parent; the community’s own answers are not news', async () => {
    const owner = -203;
    const post = vk.addPost(owner, { text: 'Объявление администрации о ремонте дорог', date: nowS - 3600 });
    const c1 = vk.addComment(owner, post.id, { text: 'А когда отремонтируют улицу Мира?', date: nowS - 3000, fromId: 51 });
    vk.addComment(owner, post.id, { text: 'Ответ администрации', date: nowS - 2900, fromId: owner });
    const first = await fetch({ owners: [owner] }, null);
    const comments = first.posts.filter((p) => p.parentExternalId !== null);
    assert.deepEqual(
      comments.map((c) => [c.externalId, c.parentExternalId, c.url]),
      [[`${owner}_${post.id}_${c1.id}`, `${owner}_${post.id}`, `https://vk.com/wall${owner}_${post.id}?reply=${c1.id}`]],
    );
    const watch = first.cursor.walls[String(owner)]?.posts[String(post.id)];
    assert.equal(watch?.count, 2);
    assert.ok((watch?.lastCommentId ?? 0) > c1.id);

    vk.calls.length = 0;
    const quiet = await fetch({ owners: [owner] }, first.cursor);
    assert.equal(quiet.posts.length, 0);
    assert.equal(vk.callsOf('wall.getComments').length, 0, 'an unchanged comment count asks nothing');

    const c3 = vk.addComment(owner, post.id, { text: 'У нас тоже яма у дома 7', date: nowS - 100, fromId: 52 });
    const third = await fetch({ owners: [owner] }, quiet.cursor);
    assert.deepEqual(
      third.posts.map((p) => p.externalId),
      [`${owner}_${post.id}_${c3.id}`],
    );
    const call = vk.callsOf('wall.getComments').at(-1)!;
    assert.equal(call.params.sort, 'asc');
    assert.equal(call.params.start_comment_id, String(watch?.lastCommentId));
  });

  test('newsfeed.search pages through one window with next_from; the next window overlaps the last one', async () => {
    for (let i = 0; i < 250; i++) vk.addPost(-300 - (i % 5), { text: `Кемерово: прорыв трубы №${i}`, date: nowS - 5000 + i });
    const r = await fetch({ queries: ['прорыв трубы'] }, null);
    assert.equal(r.error, undefined);
    assert.equal(r.posts.length, 250);
    const calls = vk.callsOf('newsfeed.search');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.params.start_time, String(nowS - 86400), 'the first poll looks back one day');
    assert.equal(calls[0]!.params.end_time, String(nowS));
    assert.equal(calls[0]!.params.start_from, undefined);
    assert.match(calls[1]!.params.start_from ?? '', /^200\//, 'page 2 starts from the next_from of page 1');
    assert.equal(calls[1]!.params.end_time, String(nowS), 'one fixed window for the whole run');
    assert.deepEqual(r.cursor.searches['прорыв трубы'], { since: nowS - SEARCH_OVERLAP_S });
  });

  test('rate limit on page 2: page 1 is kept, the cursor holds the window and next_from; the resumed poll finishes the window', async () => {
    const q = 'нет воды';
    for (let i = 0; i < 230; i++) vk.addPost(-500, { text: `${q}, дом ${i}`, date: nowS - 3000 + i });
    const start = { walls: {}, searches: { [q]: { since: nowS - 3600 } } };
    // Let page 1 through, then fail: a fake VK that fails the second newsfeed.search call.
    const firstPage = await fetchWithFailureOnCall(q, start, 2, { code: 29 });
    assert.equal(firstPage.error?.kind, 'rate_limit');
    assert.match(firstPage.error?.message ?? '', /error 29 «Rate limit reached»/);
    assert.equal(firstPage.posts.length, 200);
    const mid = firstPage.cursor.searches[q]!;
    assert.equal(mid.since, nowS - 3600);
    assert.equal(mid.until, nowS);
    assert.ok(mid.nextFrom);

    vk.calls.length = 0;
    // A later poll (a minute on) resumes the same window where it stopped.
    const later = new Date(NOW.getTime() + 60_000);
    const rest = await fetch({ queries: [q] }, firstPage.cursor, later);
    assert.equal(rest.error, undefined);
    const call = vk.callsOf('newsfeed.search')[0]!;
    assert.equal(call.params.start_from, mid.nextFrom);
    assert.equal(call.params.end_time, String(nowS), 'the same window, not the later time');
    assert.equal(rest.posts.length, 30);
    const all = new Set([...firstPage.posts, ...rest.posts].map((p) => p.externalId));
    assert.equal(all.size, 230, 'every post exactly once across the two polls');
    assert.deepEqual(rest.cursor.searches[q], { since: nowS - SEARCH_OVERLAP_S });
  });

  /** Runs a fetch whose `n`-th newsfeed.search call fails with `failure`. */
  async function fetchWithFailureOnCall(q: string, cursor: VkCursor, n: number, failure: { code: number }) {
    vk.calls.length = 0;
    const http = new HttpClient({ timeoutMs: 5000 });
    const request = http.request.bind(http);
    let count = 0;
    http.request = async (url, init) => {
      if (url.endsWith('/newsfeed.search') && ++count === n) vk.failNext('newsfeed.search', failure);
      return request(url, init);
    };
    return (await vkConnector.fetch!(source({ queries: [q] }), cursor, { http, now: NOW })) as FetchResult<VkCursor>;
  }

  const errorCases: Array<[string, Parameters<FakeVk['failNext']>[1], string, RegExp]> = [
    ['error 6', { code: 6 }, 'rate_limit', /error 6 «Too many requests per second»/],
    ['error 29', { code: 29 }, 'rate_limit', /error 29 «Rate limit reached»/],
    ['error 9 (flood control)', { code: 9 }, 'rate_limit', /error 9/],
    ['error 5 (a revoked token)', { code: 5 }, 'auth', /error 5/],
    ['error 10 (VK’s internal error)', { code: 10 }, 'network', /error 10/],
    ['an nginx 502 page', { http: 502, body: '<html><head><title>502 Bad Gateway</title></head></html>' }, 'network', /HTTP 502/],
    [
      'HTML with status 200',
      { http: 200, body: '<!DOCTYPE html><html><body>Captcha</body></html>' },
      'bad_response',
      /not JSON.*text\/html.*Captcha/,
    ],
    [
      'malformed JSON',
      { http: 200, contentType: 'application/json', body: '{"response": {"items": [' },
      'bad_response',
      /not JSON/,
    ],
    [
      'JSON without response or error',
      { http: 200, contentType: 'application/json', body: '{"result": 1}' },
      'bad_response',
      /neither response nor error/,
    ],
    [
      'a response without items',
      { http: 200, contentType: 'application/json', body: '{"response": {"count": 3}}' },
      'bad_response',
      /without an items list/,
    ],
  ];
  for (const [name, failure, kind, message] of errorCases) {
    test(`${name} stops the poll as ${kind}, keeping the cursor`, async () => {
      const owner = -600;
      vk.failNext('wall.get', failure);
      const cursor: VkCursor = { walls: { [owner]: { lastPostId: 7, posts: {} } }, searches: {} };
      const r = await fetch({ owners: [owner], comments: false }, cursor);
      assert.ok(r.error instanceof ConnectorError, 'an error is reported, not thrown');
      assert.equal(r.error.kind, kind);
      assert.match(r.error.message, message);
      assert.deepEqual(r.cursor.walls[String(owner)], { lastPostId: 7, posts: {} });
      assert.equal(r.posts.length, 0);
    });
  }

  test('a private wall is a warning for that wall; the other walls are still read', async () => {
    vk.closedWalls.set(-701, 30);
    const p = vk.addPost(-702, { text: 'Открытая стена: жалоба на освещение', date: nowS - 100 });
    const r = await fetch({ owners: [-701, -702], comments: false }, null);
    assert.equal(r.error, undefined);
    assert.match(r.warnings.join(), /error 30 «This profile is private»/);
    assert.deepEqual(
      r.posts.map((x) => x.externalId),
      [`-702_${p.id}`],
    );
    assert.equal(r.cursor.walls['-701'], undefined);
  });

  test('bad items are skipped and counted, the rest stored: no id, invalid UTF-8, a 10 MB post, an empty post', async () => {
    const owner = -800;
    const items = [
      { id: 1, owner_id: owner, from_id: owner, date: nowS - 50, text: 'Хороший пост про яму' },
      { owner_id: owner, date: nowS - 49, text: 'без id' },
      { id: 3, owner_id: owner, from_id: owner, date: nowS - 48, text: '@@BROKEN@@' },
      { id: 4, owner_id: owner, from_id: owner, date: nowS - 47, text: 'x'.repeat(10 * 1024 * 1024) },
      { id: 5, owner_id: owner, from_id: owner, date: nowS - 46, text: '' },
      { id: 6, owner_id: owner, from_id: owner, date: nowS - 45, text: 'Ещё один хороший пост' },
    ];
    const json = JSON.stringify({ response: { count: items.length, items } });
    // Bytes C3 28 are not UTF-8: the post that carries them loses characters.
    const [head, tail] = json.split('@@BROKEN@@') as [string, string];
    const body = Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from([0x41, 0xc3, 0x28, 0x42]), Buffer.from(tail, 'utf8')]);
    vk.failNext('wall.get', { raw: { body, contentType: 'application/json; charset=utf-8' } });
    const r = await fetch(
      { owners: [owner], comments: false },
      { walls: { [owner]: { lastPostId: 0, posts: {} } }, searches: {} },
    );
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.posts.map((p) => p.externalId),
      [`${owner}_1`, `${owner}_6`],
    );
    assert.deepEqual(
      r.skipped.map((s) => [s.externalId, s.reason.replace(/\(\d+\)/, '(n)')]),
      [
        [null, 'malformed VK item (no id, date or text)'],
        [`${owner}_3`, 'invalid UTF-8 in the text'],
        [`${owner}_4`, 'text longer than 100000 characters (n)'],
        [`${owner}_5`, 'no text'],
      ],
    );
    assert.equal(r.cursor.walls[String(owner)]?.lastPostId, 6, 'the cursor moves past the skipped items');
  });

  test('text is cleaned for PostgreSQL: NUL removed, a lone surrogate replaced', async () => {
    const owner = -801;
    const raw = `{"response":{"count":1,"items":[{"id":1,"owner_id":${owner},"from_id":1,"date":${nowS - 5},"text":"яма\\u0000 \\ud83d у дома"}]}}`;
    vk.failNext('wall.get', { raw: { body: raw } });
    const r = await fetch(
      { owners: [owner], comments: false },
      { walls: { [owner]: { lastPostId: 0, posts: {} } }, searches: {} },
    );
    assert.equal(r.posts[0]?.text, 'яма \uFFFD у дома');
    assert.doesNotMatch(JSON.stringify(r.posts[0]?.raw), /\\u0000|\\ud83d/);
  });

  test('no token: a configuration error', async () => {
    await assert.rejects(
      vkConnector.fetch!(source({ owners: [1] }, null), null, env()),
      (e: unknown) => e instanceof ConnectorError && e.kind === 'config',
    );
  });

  test('requests are spaced by requestsPerSecond', async () => {
    const owner = -900;
    vk.addPost(owner, { text: 'a', date: nowS - 10 });
    const cfg = parseVkConfig({ apiUrl: vk.apiUrl, owners: [owner, -901, -902], comments: false, requestsPerSecond: 10 });
    const started = Date.now();
    await vkConnector.fetch!({ id: 1, config: cfg, secret: 'vk-service-token', replySecret: null }, null, env());
    assert.ok(Date.now() - started >= 190, `3 calls at 10/s take at least 200 ms (took ${Date.now() - started})`);
  });

  test('a reply: wall.createComment with the community token, from the community, under the post or the comment', async () => {
    const owner = -1000;
    const post = vk.addPost(owner, { text: 'Пост', date: nowS - 100 });
    const comment = vk.addComment(owner, post.id, { text: 'Жалоба', date: nowS - 50, fromId: 5 });
    const src = source({ owners: [owner] }, 'vk-service-token', 'vk-community-token');
    const onPost = await vkConnector.publishReply!(
      src,
      { externalId: `${owner}_${post.id}`, parentExternalId: null, raw: {} },
      'Спасибо, передали в ЖКХ',
      env(),
    );
    const onComment = await vkConnector.publishReply!(
      src,
      { externalId: `${owner}_${post.id}_${comment.id}`, parentExternalId: `${owner}_${post.id}`, raw: {} },
      'Бригада выехала',
      env(),
    );
    const [a, b] = vk.createdComments.slice(-2);
    assert.deepEqual(
      { ...a, comment_id: 0 },
      {
        owner_id: owner,
        post_id: post.id,
        message: 'Спасибо, передали в ЖКХ',
        reply_to_comment: null,
        from_group: 1000,
        access_token: 'vk-community-token',
        comment_id: 0,
      },
    );
    assert.equal(b?.reply_to_comment, comment.id);
    assert.equal(onPost.externalId, `${owner}_${post.id}_${a?.comment_id}`);
    assert.equal(onComment.url, `https://vk.com/wall${owner}_${post.id}?reply=${b?.comment_id}`);
    await assert.rejects(
      vkConnector.publishReply!(
        source({ owners: [owner] }),
        { externalId: `${owner}_${post.id}`, parentExternalId: null, raw: {} },
        'x',
        env(),
      ),
      (e: unknown) => e instanceof ConnectorError && e.kind === 'config',
    );
  });
});
