import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

// The signature is computed here independently of the code under test: HMAC-SHA256 of the raw body, hex, prefixed
// "sha256=" (the X-Hub-Signature-256 scheme).
const SECRET = 'whsec_test_0123456789abcdef';
const sign = (body: Buffer | string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('the monitoring webhook', () => {
  let t: TestContext;
  let admin: Session;
  let sourceId: number;
  let vkSourceId: number;
  const stored: number[][] = [];

  before(async () => {
    t = await createTestContext();
    admin = await login(t.app, 'kem.admin@otklik.demo');
    const kem = t.demo.municipalities.kemerovo!;
    t.app.monitoring.onPostsStored(async (_trx, e) => {
      stored.push(e.postIds);
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/monitoring/sources',
      headers: as(admin),
      payload: { municipalityId: kem, kind: 'webhook', name: 'Одноклассники через партнёра', secret: SECRET },
    });
    assert.equal(res.statusCode, 201, res.body);
    sourceId = res.json().id;
    const v = await t.app.inject({
      method: 'POST',
      url: '/api/v1/monitoring/sources',
      headers: as(admin),
      payload: { municipalityId: kem, kind: 'vk', name: 'ВК', config: { owners: [-1] }, secret: SECRET },
    });
    vkSourceId = v.json().id;
  });
  after(() => t.close());

  const push = (body: Buffer | string, headers: Record<string, string> = {}, id = sourceId) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/webhook/${id}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const signed = (body: Buffer | string, id = sourceId) => push(body, { 'x-otklik-signature': sign(body) }, id);
  const posts = () =>
    t.database.db.selectFrom('monitoring_post').selectAll().where('source_id', '=', sourceId).orderBy('id').execute();

  const batch = JSON.stringify({
    posts: [
      {
        externalId: 'ok-1001',
        text: 'В Ленинском районе третий день нет горячей воды',
        publishedAt: '2026-03-02T09:30:00+07:00',
        url: 'https://ok.ru/group/1/topic/1001',
        authorHandle: 'ok_user_5',
        authorName: 'Светлана К.',
        raw: { likes: 4 },
      },
      {
        externalId: 1002,
        text: 'Спасибо за уборку двора на Тухачевского',
        publishedAt: '2026-03-02T02:00:00Z',
        parentExternalId: 'ok-1001',
      },
    ],
  });

  test('a signed batch is stored; the same batch again stores nothing (idempotent by externalId)', async () => {
    const res = await signed(batch);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { received: 2, stored: 2, duplicates: 0, skipped: [] });
    const rows = await posts();
    assert.deepEqual(
      rows.map((p) => [
        p.external_id,
        p.parent_external_id,
        p.author_handle,
        p.author_name,
        p.url,
        p.published_at.toISOString(),
        p.status,
      ]),
      [
        // Stored and run through the pipeline in one transaction: no query matches them.
        ['1002', 'ok-1001', null, null, null, '2026-03-02T02:00:00.000Z', 'unmatched'],
        [
          'ok-1001',
          null,
          'ok_user_5',
          'Светлана К.',
          'https://ok.ru/group/1/topic/1001',
          '2026-03-02T02:30:00.000Z',
          'unmatched',
        ],
      ],
    );
    assert.deepEqual(rows[1]?.raw, { likes: 4 });
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]?.sort(), rows.map((r) => Number(r.id)).sort());

    const again = await signed(batch);
    assert.deepEqual(again.json(), { received: 2, stored: 0, duplicates: 2, skipped: [] });
    assert.equal((await posts()).length, 2);
    assert.equal(stored.length, 1, 'no hook call for nothing new');
    const health = (
      await t.app.inject({ url: `/api/v1/monitoring/sources/${sourceId}`, headers: as(admin, { csrf: false }) })
    ).json().health;
    assert.equal(health.postsTotal, 2);
    assert.equal(health.lastSuccessAt, t.clock.now().toISOString());
  });

  test('a missing, wrong or other-key signature is 401; nothing is stored', async () => {
    const body = JSON.stringify({ posts: [{ externalId: 'x-1', text: 'подделка', publishedAt: '2026-03-02T00:00:00Z' }] });
    for (const headers of <Array<Record<string, string>>>[
      {},
      { 'x-otklik-signature': 'sha256=00' },
      { 'x-otklik-signature': sign(body, 'another-secret') },
      { 'x-otklik-signature': sign(`${body} `) },
      { 'x-otklik-signature': sign(body).replace('sha256=', 'sha1=') },
    ]) {
      const res = await push(body, headers);
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().error.code, 'UNAUTHENTICATED');
    }
    assert.ok(!(await posts()).some((p) => p.external_id === 'x-1'));
  });

  test('an unknown source, or a source that is not a webhook, is 404', async () => {
    assert.equal((await signed(batch, 999_999)).statusCode, 404);
    assert.equal((await signed(batch, vkSourceId)).statusCode, 404);
  });

  test('bad envelopes are 400: not JSON, no posts list, more than 1,000 posts; other content types 415', async () => {
    const cases: Array<[string, string]> = [
      ['{"posts": [', 'not JSON'],
      ['{"items": []}', 'posts'],
      [
        JSON.stringify({
          posts: Array.from({ length: 1001 }, (_, i) => ({ externalId: `${i}`, text: 't', publishedAt: '2026-03-02T00:00:00Z' })),
        }),
        'at most 1000',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await signed(body);
      assert.equal(res.statusCode, 400, body.slice(0, 40));
      assert.match(res.json().error.message, new RegExp(message));
    }
    const form = await t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/webhook/${sourceId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-otklik-signature': sign('a=1') },
      payload: 'a=1',
    });
    assert.equal(form.statusCode, 415);
  });

  test('posts that cannot be used are skipped by index, the rest stored: no text, a bad date, invalid UTF-8, 10 MB of text', async () => {
    const parts = [
      { externalId: 'good-1', text: 'Сосулька над входом в поликлинику', publishedAt: '2026-03-02T01:00:00Z' },
      { externalId: 'no-text', publishedAt: '2026-03-02T01:00:00Z' },
      { externalId: 'bad-date', text: 'x', publishedAt: 'вчера' },
      { externalId: 'bad-utf8', text: '@@BAD@@', publishedAt: '2026-03-02T01:00:00Z' },
      { externalId: 'huge', text: 'ж'.repeat((10 * 1024 * 1024) / 2), publishedAt: '2026-03-02T01:00:00Z' },
      'not an object',
      { text: 'без id', publishedAt: '2026-03-02T01:00:00Z' },
    ];
    const json = JSON.stringify({ posts: parts });
    const [head, tail] = json.split('@@BAD@@') as [string, string];
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from(tail)]);
    const res = await signed(body);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const r = res.json();
    assert.equal(r.stored, 1);
    assert.deepEqual(
      r.skipped.map((s: { index: number; externalId: string | null; reason: string }) => [
        s.index,
        s.externalId,
        s.reason.replace(/\(\d+\)/, '(n)'),
      ]),
      [
        [1, 'no-text', 'text: must be a string'],
        [2, 'bad-date', 'publishedAt: must be an ISO 8601 date-time'],
        [3, 'bad-utf8', 'invalid UTF-8 in the text'],
        [4, 'huge', 'text longer than 100000 characters (n)'],
        [5, null, 'not an object'],
        [6, null, 'externalId: missing'],
      ],
    );
    const health = (
      await t.app.inject({ url: `/api/v1/monitoring/sources/${sourceId}`, headers: as(admin, { csrf: false }) })
    ).json().health;
    assert.equal(health.skippedTotal, 6);
    assert.equal(health.lastSkipReason, '#6: externalId: missing');
  });

  test('a deactivated source refuses pushes (403) even with a good signature', async () => {
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/monitoring/sources/${sourceId}`,
      headers: as(admin),
      payload: { active: false },
    });
    assert.equal(off.statusCode, 200);
    const res = await signed(batch);
    assert.equal(res.statusCode, 403);
  });
});
