import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeVk } from '../../../../test/support/fake-vk.ts';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

const TOKEN = 'vk-service-token';
const NEW_TOKEN = 'vk-service-token-2';

describe('monitoring sources API', () => {
  let t: TestContext;
  let vk: FakeVk;
  let kem: number;
  let bel: number;
  let region: Session;
  let kemAdmin: Session;
  let belAdmin: Session;
  let operator: Session;
  let moderator: Session;
  let resident: Session;

  before(async () => {
    t = await createTestContext();
    vk = await FakeVk.start();
    vk.readTokens.add(NEW_TOKEN);
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    [region, kemAdmin, belAdmin, operator, moderator, resident] = (await Promise.all(
      [
        'region.admin@otklik.demo',
        'kem.admin@otklik.demo',
        'bel.admin@otklik.demo',
        'kem.operator@otklik.demo',
        'kem.moderator@otklik.demo',
        'resident@otklik.demo',
      ].map((e) => login(t.app, e)),
    )) as [Session, Session, Session, Session, Session, Session];
  });
  after(async () => {
    await t.close();
    await vk.close();
  });

  const create = (who: Session, body: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/monitoring/sources', headers: as(who), payload: body });
  const patch = (who: Session, id: number, body: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/monitoring/sources/${id}`, headers: as(who), payload: body });
  const get = (who: Session, url: string) => t.app.inject({ url, headers: as(who, { csrf: false }) });
  const vkBody = (municipalityId: number | null, extra: object = {}) => ({
    municipalityId,
    kind: 'vk',
    name: 'Администрация Кемерова ВКонтакте',
    config: { apiUrl: vk.apiUrl, owners: [-2001], queries: ['яма'], requestsPerSecond: 1000 },
    secret: TOKEN,
    ...extra,
  });
  const audits = (entityId: number) =>
    t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'actor_user_id', 'municipality_id'])
      .where('entity_type', '=', 'monitoring_source')
      .where('entity_id', '=', String(entityId))
      .orderBy('id')
      .execute();

  let kemSource: number;
  let belSource: number;
  let regionalSource: number;

  test('a municipal admin adds a VK source: settings normalised, the token never returned, an audit row without it', async () => {
    const res = await create(kemAdmin, vkBody(kem));
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(!res.body.includes(TOKEN), 'the token is not in the response');
    const s = res.json();
    kemSource = s.id;
    assert.equal(s.municipalityId, kem);
    assert.equal(s.kind, 'vk');
    assert.equal(s.secretSet, true);
    assert.equal(s.replySecretSet, false);
    assert.equal(s.canReply, false);
    assert.equal(s.pollIntervalS, 60);
    assert.equal(s.config.apiVersion, '5.199', 'the API version is pinned');
    assert.equal(s.config.comments, true);
    assert.equal(s.webhookUrl, null);
    assert.equal(s.health.status, 'never');
    assert.equal(s.health.lastSuccessAt, null);
    assert.equal(s.generatedSecret, undefined);
    const [a] = await audits(s.id);
    assert.equal(a?.action, 'monitoring_source.create');
    assert.equal(a?.municipality_id, kem);
    assert.equal(a?.actor_user_id, kemAdmin.userId);
    assert.ok(!JSON.stringify(a).includes(TOKEN), 'the audit row holds no token');
    assert.equal((a!.after as { secretSet: boolean }).secretSet, true);
  });

  test('who may add where: a municipal admin only in their municipality; regional sources only by the region', async () => {
    assert.equal((await create(kemAdmin, vkBody(bel))).statusCode, 403);
    assert.equal((await create(kemAdmin, vkBody(null))).statusCode, 403);
    assert.equal((await create(operator, vkBody(kem))).statusCode, 403);
    assert.equal((await create(moderator, vkBody(kem))).statusCode, 403);
    assert.equal((await create(resident, vkBody(kem))).statusCode, 403);
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/monitoring/sources', payload: vkBody(kem) });
    assert.equal(anon.statusCode, 401);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/monitoring/sources',
      headers: as(kemAdmin, { csrf: false }),
      payload: vkBody(kem),
    });
    assert.equal(noCsrf.statusCode, 403);
    const b = await create(belAdmin, { ...vkBody(bel), name: 'Белово ВК', config: { apiUrl: vk.apiUrl, owners: [-2002] } });
    assert.equal(b.statusCode, 201, b.body);
    belSource = b.json().id;
    const r = await create(region, {
      municipalityId: null,
      kind: 'rss',
      name: 'Кузбасс онлайн',
      config: { url: 'https://news.example/rss' },
    });
    assert.equal(r.statusCode, 201, r.body);
    regionalSource = r.json().id;
    assert.equal(r.json().municipalityId, null);
    assert.equal(r.json().pollIntervalS, 300);
    assert.equal((await create(region, { ...vkBody(999_999) })).statusCode, 400);
  });

  const invalid: Array<[string, object, string]> = [
    ['a VK source without its token', { secret: undefined }, 'secret'],
    ['no walls and no searches', { config: { owners: [] } }, 'config.owners'],
    ['an unknown setting', { config: { owners: [-1], owner: -1 } }, 'config.owner'],
    ['a community id as text', { config: { owners: ['club1'] } }, 'config.owners.0'],
    ['a reply token on Telegram', { kind: 'telegram', config: {}, replySecret: 'x' }, 'replySecret'],
    ['an interval under 30 s', { pollIntervalS: 5 }, 'pollIntervalS'],
    ['an unknown kind', { kind: 'odnoklassniki' }, 'kind'],
    ['an unknown field', { token: 'x' }, 'token'],
  ];
  for (const [name, change, field] of invalid) {
    test(`400 for ${name} (${field})`, async () => {
      const body: Record<string, unknown> = { ...vkBody(kem), ...change };
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      const res = await create(kemAdmin, body);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.details?.[0]?.field, field, res.body);
    });
  }

  test('lists: a municipal admin sees their own; the region sees all; filters; others’ sources are 404', async () => {
    const mine = (await get(kemAdmin, '/api/v1/monitoring/sources')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      mine.map((s) => s.id),
      [kemSource],
    );
    const all = (await get(region, '/api/v1/monitoring/sources')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      all.map((s) => s.id).sort((a, b) => a - b),
      [kemSource, belSource, regionalSource].sort((a, b) => a - b),
    );
    const regional = (await get(region, '/api/v1/monitoring/sources?regional=true')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      regional.map((s) => s.id),
      [regionalSource],
    );
    const rss = (await get(region, '/api/v1/monitoring/sources?kind=rss')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      rss.map((s) => s.id),
      [regionalSource],
    );
    assert.equal((await get(kemAdmin, `/api/v1/monitoring/sources?municipalityId=${bel}`)).statusCode, 403);
    assert.equal((await get(kemAdmin, '/api/v1/monitoring/sources?regional=true')).statusCode, 403);
    assert.equal((await get(kemAdmin, `/api/v1/monitoring/sources/${belSource}`)).statusCode, 404);
    assert.equal((await get(kemAdmin, `/api/v1/monitoring/sources/${regionalSource}`)).statusCode, 404);
    assert.equal((await get(kemAdmin, `/api/v1/monitoring/sources/${kemSource}`)).statusCode, 200);
    assert.equal((await get(operator, '/api/v1/monitoring/sources')).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/monitoring/sources' })).statusCode, 401);
    assert.equal((await patch(kemAdmin, belSource, { name: 'x' })).statusCode, 404);
  });

  test('poll now: queued, run by the job runner; the health shows the result', async () => {
    vk.addPost(-2001, { text: 'На улице Весенней яма', date: Math.floor(t.clock.now().getTime() / 1000) - 30 });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/sources/${kemSource}/poll`,
      headers: as(kemAdmin),
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().runAt, t.clock.now().toISOString());
    await t.app.jobs.drain();
    assert.ok(vk.callsOf('wall.get').length >= 1);
    const s = (await get(kemAdmin, `/api/v1/monitoring/sources/${kemSource}`)).json();
    assert.equal(s.health.status, 'ok');
    assert.equal(s.health.lastSuccessAt, t.clock.now().toISOString());
    assert.equal(s.health.postsTotal, 1, 'the wall post (found by the search too) stored once');
    assert.equal(s.health.sinceSuccessS, 0);
    assert.equal(s.health.lagS, 30);
    assert.ok(s.cursor.walls['-2001']);
    const [, poll] = await audits(kemSource);
    assert.equal(poll?.action, 'monitoring_source.poll');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/monitoring/sources/${belSource}/poll`, headers: as(kemAdmin) }))
        .statusCode,
      404,
    );
  });

  test('the health after VK’s rate limit: backoff with its end, the error and the count; poll now waits for the backoff', async () => {
    vk.failNext('wall.get', { code: 6 });
    await t.app.inject({ method: 'POST', url: `/api/v1/monitoring/sources/${kemSource}/poll`, headers: as(kemAdmin) });
    await t.app.jobs.drain();
    const s = (await get(kemAdmin, '/api/v1/monitoring/sources')).json().items[0];
    assert.equal(s.health.status, 'backoff');
    assert.equal(s.health.backoffUntil, new Date(t.clock.now().getTime() + 1000).toISOString());
    assert.equal(s.health.consecutiveRateLimits, 1);
    assert.match(s.health.lastError, /error 6/);
    assert.equal(s.health.lastErrorAt, t.clock.now().toISOString());
    const queued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/sources/${kemSource}/poll`,
      headers: as(kemAdmin),
    });
    assert.equal(queued.json().runAt, s.health.backoffUntil, 'queued for the end of the backoff');
    const calls = vk.calls.length;
    await t.app.jobs.drain();
    assert.equal(vk.calls.length, calls, 'not before the backoff ends');
    t.clock.advance(1000);
    await t.app.jobs.drain();
    assert.ok(vk.calls.length > calls);
    const after = (await get(kemAdmin, `/api/v1/monitoring/sources/${kemSource}`)).json();
    assert.equal(after.health.status, 'ok');
    assert.equal(after.health.backoffUntil, null);
  });

  test('update: a new token is stored but never shown, forgets the backoff, and the audit says only that it changed', async () => {
    await t.database.db
      .updateTable('monitoring_source')
      .set({ backoff_until: new Date(t.clock.now().getTime() + 3600_000), consecutive_errors: 4 })
      .where('id', '=', kemSource)
      .execute();
    const res = await patch(kemAdmin, kemSource, { secret: NEW_TOKEN, name: 'Мэрия Кемерова', pollIntervalS: 120 });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!res.body.includes(NEW_TOKEN));
    const s = res.json();
    assert.equal(s.name, 'Мэрия Кемерова');
    assert.equal(s.pollIntervalS, 120);
    assert.equal(s.health.backoffUntil, null);
    assert.equal(s.health.consecutiveErrors, 0);
    assert.equal(s.health.nextPollAt, t.clock.now().toISOString());
    const row = await t.database.db
      .selectFrom('monitoring_source')
      .select('secret')
      .where('id', '=', kemSource)
      .executeTakeFirstOrThrow();
    assert.equal(row.secret, NEW_TOKEN);
    const a = (await audits(kemSource)).at(-1);
    assert.equal(a?.action, 'monitoring_source.update');
    assert.ok(!JSON.stringify(a).includes(NEW_TOKEN) && !JSON.stringify(a).includes(TOKEN));
    assert.equal((a!.after as { secretChanged: boolean }).secretChanged, true);
    assert.equal((a!.before as { name: string }).name, 'Администрация Кемерова ВКонтакте');
  });

  test('a reply token makes replies publishable; null removes it', async () => {
    let s = (await patch(kemAdmin, kemSource, { replySecret: 'vk-community-token' })).json();
    assert.equal(s.replySecretSet, true);
    assert.equal(s.canReply, true);
    s = (await patch(kemAdmin, kemSource, { replySecret: null })).json();
    assert.equal(s.replySecretSet, false);
    assert.equal(s.canReply, false);
    const bad = await patch(kemAdmin, kemSource, { config: { owners: [0] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details[0].field, 'config.owners.0');
    assert.equal((await patch(kemAdmin, kemSource, {})).statusCode, 400, 'an empty change');
  });

  test('deactivate: not polled, poll now refused, audited as a deactivation; reactivating makes it due at once', async () => {
    const res = await patch(kemAdmin, kemSource, { active: false });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().health.status, 'inactive');
    assert.equal(res.json().health.nextPollAt, null);
    assert.equal((await audits(kemSource)).at(-1)?.action, 'monitoring_source.deactivate');
    const poll = await t.app.inject({
      method: 'POST',
      url: `/api/v1/monitoring/sources/${kemSource}/poll`,
      headers: as(kemAdmin),
    });
    assert.equal(poll.statusCode, 409);
    const inactive = (await get(kemAdmin, '/api/v1/monitoring/sources?active=false')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      inactive.map((x) => x.id),
      [kemSource],
    );
    t.clock.advance(3600_000);
    const back = (await patch(kemAdmin, kemSource, { active: true })).json();
    assert.equal(back.health.nextPollAt, t.clock.now().toISOString());
  });

  test('a webhook source without a secret gets one generated and shown once, with the URL to post to', async () => {
    const res = await create(kemAdmin, { municipalityId: kem, kind: 'webhook', name: 'Партнёрский мониторинг' });
    assert.equal(res.statusCode, 201, res.body);
    const s = res.json();
    assert.match(s.generatedSecret, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(s.secretSet, true);
    assert.equal(s.webhookUrl, `http://localhost:3000/api/v1/monitoring/webhook/${s.id}`);
    const again = await get(kemAdmin, `/api/v1/monitoring/sources/${s.id}`);
    assert.ok(!again.body.includes(s.generatedSecret));
    assert.equal(again.json().generatedSecret, undefined);
    assert.equal(again.json().health.nextPollAt, null);
    const poll = await t.app.inject({ method: 'POST', url: `/api/v1/monitoring/sources/${s.id}/poll`, headers: as(kemAdmin) });
    assert.equal(poll.statusCode, 409);
  });
});
