import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { insertPosts, insertSource } from './monitoring.repository.ts';

// The queries API (issue 6, item 2) through app.inject: who may keep queries, the 422 of a syntax error with its
// position and Russian reason, the default category's municipality, audit rows, and testing a draft against the
// stored posts with highlights (morphology: жалоба / жалобы / жалобой).

describe('monitoring queries API', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let kemCategory: number;
  let belCategory: number;
  let region: Session;
  let moderator: Session;
  let head: Session;
  let belAdmin: Session;
  let operator: Session;
  let resident: Session;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    const category = (m: number) =>
      t.database.db
        .selectFrom('category')
        .select('id')
        .where('municipality_id', '=', m)
        .where('name', '=', 'Ямы на дорогах')
        .executeTakeFirstOrThrow();
    kemCategory = (await category(kem)).id;
    belCategory = (await category(bel)).id;
    [region, moderator, head, belAdmin, operator, resident] = (await Promise.all(
      [
        'region.admin@otklik.demo',
        'kem.moderator@otklik.demo',
        'kem.head@otklik.demo',
        'bel.admin@otklik.demo',
        'kem.operator@otklik.demo',
        'resident@otklik.demo',
      ].map((e) => login(t.app, e)),
    )) as Session[] as [Session, Session, Session, Session, Session, Session];
  });
  after(() => t.close());

  const post = (who: Session, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload });
  const patch = (who: Session, id: number, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/monitoring/queries/${id}`, headers: as(who), payload });
  const get = (who: Session, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: as(who, { csrf: false }) });
  const audits = (id: number) =>
    t.database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'actor_user_id', 'municipality_id'])
      .where('entity_type', '=', 'monitoring_query')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();

  let kemQuery: number;
  let regionalQuery: number;

  test('a moderator adds a query of their municipality: how it was understood, the category’s name, an audit row', async () => {
    const res = await post(moderator, '/monitoring/queries', {
      municipalityId: kem,
      name: 'Ямы',
      text: 'яма AND (дорога OR улица) AND NOT реклама',
      defaultCategoryId: kemCategory,
    });
    assert.equal(res.statusCode, 201, res.body);
    const q = res.json();
    kemQuery = q.id;
    assert.equal(q.municipalityId, kem);
    assert.equal(q.explained, 'ям AND (дорог OR улиц) AND NOT реклам');
    assert.equal(q.defaultCategoryId, kemCategory);
    assert.equal(q.defaultCategoryName, 'Ямы на дорогах');
    assert.equal(q.active, true);
    assert.equal(q.createdAt, t.clock.now().toISOString());
    const [a] = await audits(q.id);
    assert.equal(a?.action, 'monitoring_query.create');
    assert.equal(a?.actor_user_id, moderator.userId);
    assert.equal(a?.municipality_id, kem);
    assert.equal((a!.after as { text: string }).text, 'яма AND (дорога OR улица) AND NOT реклама');
  });

  const syntaxCases: Array<[string, string, number, RegExp]> = [
    ['an unclosed parenthesis', 'яма AND (дорога', 8, /Не закрыта скобка/],
    ['NEAR without a number', 'яма NEAR/ дорога', 9, /После NEAR\/ ожидается число/],
    ['an unclosed quote', '"яма на дороге', 0, /Не закрыта кавычка/],
    ['OR without its right side', 'яма OR', 4, /OR без правого операнда/],
    ['only NOT: it would match almost any post', 'NOT реклама', 0, /совпал бы почти с любым постом/],
  ];
  for (const [name, text, position, reason] of syntaxCases) {
    test(`a syntax error is 422 with the position and a plain reason: ${name}`, async () => {
      const res = await post(moderator, '/monitoring/queries', { municipalityId: kem, name: 'x', text });
      assert.equal(res.statusCode, 422, res.body);
      const { error } = res.json();
      assert.equal(error.code, 'QUERY_SYNTAX');
      assert.equal(error.details.length, 1);
      assert.equal(error.details[0].field, 'text');
      assert.equal(error.details[0].position, position);
      assert.match(error.details[0].reason, reason);
      assert.match(error.message, reason);
    });
  }

  test('the same 422 on a change of text and on a test; nothing is saved', async () => {
    const res = await patch(moderator, kemQuery, { text: 'яма AND' });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.details[0].position, 4);
    assert.equal(
      (await get(moderator, `/monitoring/queries/${kemQuery}`)).json().text,
      'яма AND (дорога OR улица) AND NOT реклама',
    );
    const tested = await post(moderator, '/monitoring/queries/test', { text: '(яма' });
    assert.equal(tested.statusCode, 422);
    assert.equal(tested.json().error.details[0].position, 0);
  });

  test('who may: regional queries by the region’s administrators; others’ queries 404; residents and operators 403', async () => {
    assert.equal(
      (await post(moderator, '/monitoring/queries', { municipalityId: null, name: 'р', text: 'пожар' })).statusCode,
      403,
    );
    const r = await post(region, '/monitoring/queries', {
      municipalityId: null,
      name: 'Пожары по области',
      text: 'пожар OR возгорание',
      defaultCategoryId: belCategory,
    });
    assert.equal(r.statusCode, 201, r.body);
    regionalQuery = r.json().id;
    assert.equal((await post(belAdmin, '/monitoring/queries', { municipalityId: kem, name: 'x', text: 'яма' })).statusCode, 403);
    assert.equal((await get(belAdmin, `/monitoring/queries/${kemQuery}`)).statusCode, 404);
    assert.equal((await patch(belAdmin, kemQuery, { active: false })).statusCode, 404);
    assert.equal((await get(resident, '/monitoring/queries')).statusCode, 403);
    assert.equal((await get(operator, '/monitoring/queries')).statusCode, 403);
    assert.equal((await post(operator, '/monitoring/queries', { municipalityId: kem, name: 'x', text: 'яма' })).statusCode, 403);
    // A head of the municipality keeps its queries too; the regional one is read-only for them.
    assert.equal((await patch(head, kemQuery, { name: 'Ямы во дворах и на дорогах' })).statusCode, 200);
    assert.equal((await patch(head, regionalQuery, { name: 'x' })).statusCode, 403);
    assert.equal((await get(head, `/monitoring/queries/${regionalQuery}`)).statusCode, 200);
  });

  test('lists: one’s own and the regional queries; another municipality’s list is 403; filters', async () => {
    const own = (await get(moderator, '/monitoring/queries')).json().items as Array<{ id: number }>;
    assert.deepEqual(own.map((q) => q.id).sort(), [kemQuery, regionalQuery].sort());
    const belList = (await get(belAdmin, '/monitoring/queries')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      belList.map((q) => q.id),
      [regionalQuery],
    );
    assert.equal((await get(moderator, `/monitoring/queries?municipalityId=${bel}`)).statusCode, 403);
    const regional = (await get(region, '/monitoring/queries?regional=true')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      regional.map((q) => q.id),
      [regionalQuery],
    );
    assert.equal((await get(region, '/monitoring/queries')).json().items.length, 2);
  });

  test('the default category must be an active one of the query’s municipality', async () => {
    const res = await post(moderator, '/monitoring/queries', {
      municipalityId: kem,
      name: 'x',
      text: 'яма',
      defaultCategoryId: belCategory,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, 'defaultCategoryId');
    assert.equal((await patch(moderator, kemQuery, { defaultCategoryId: belCategory })).statusCode, 400);
    const cleared = await patch(moderator, kemQuery, { defaultCategoryId: null });
    assert.equal(cleared.json().defaultCategoryId, null);
    assert.equal(cleared.json().defaultCategoryName, null);
  });

  test('changes are audited with before and after; active: false is a deactivation', async () => {
    t.clock.advance(60_000);
    const res = await patch(moderator, kemQuery, { text: 'яма OR выбоина', active: false });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().active, false);
    assert.equal(res.json().explained, 'ям OR выбоин');
    assert.equal(res.json().updatedAt, t.clock.now().toISOString());
    const a = (await audits(kemQuery)).at(-1)!;
    assert.equal(a.action, 'monitoring_query.deactivate');
    assert.equal((a.before as { active: boolean }).active, true);
    assert.equal((a.after as { text: string }).text, 'яма OR выбоина');
    const inactive = (await get(moderator, '/monitoring/queries?active=false')).json().items as Array<{ id: number }>;
    assert.deepEqual(
      inactive.map((q) => q.id),
      [kemQuery],
    );
    assert.equal((await patch(moderator, kemQuery, {})).statusCode, 400, 'an empty change');
    assert.equal((await patch(moderator, kemQuery, { active: true })).json().active, true);
    assert.equal((await audits(kemQuery)).at(-1)?.action, 'monitoring_query.update');
  });

  test('testing a draft: matches among the newest posts in scope, with the ranges of its terms; limit', async () => {
    const db = t.database.db;
    const source = await insertSource(db, {
      municipalityId: kem,
      kind: 'rss',
      name: 'Новости Кемерова',
      config: { url: 'http://127.0.0.1:9/feed' },
      secret: null,
      replySecret: null,
      active: false,
      pollIntervalS: 300,
      createdBy: null,
      now: t.clock.now(),
    });
    const base = t.clock.now().getTime() - 3600_000;
    const texts = [
      'Жалоба на яму у школы',
      'Снова жалобы на отопление',
      'Пишу с жалобой: двор не убирают',
      'Отличный концерт в парке',
      'Жалобная книга в магазине', // another word: жалобн- is not жалоб-
    ];
    const ids = await insertPosts(
      db,
      source.id,
      texts.map((text, i) => ({
        externalId: `n${i}`,
        parentExternalId: null,
        url: `https://news.example/${i}`,
        authorHandle: null,
        authorName: null,
        text,
        publishedAt: new Date(base + i * 60_000),
        raw: null,
      })),
      t.clock.now(),
    );
    await db.updateTable('monitoring_post').set({ municipality_id: kem }).where('id', 'in', ids).execute();

    const res = await post(moderator, '/monitoring/queries/test', { text: 'жалоба' });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.explained, 'жалоб');
    assert.equal(r.tested, 5);
    assert.equal(r.matched, 3);
    assert.deepEqual(
      r.items.map((i: { text: string; highlights: Array<{ from: number; to: number }> }) =>
        i.highlights.map((h) => i.text.slice(h.from, h.to)),
      ),
      [['жалобой'], ['жалобы'], ['Жалоба']],
      'newest first, each form of жалоба highlighted',
    );
    assert.equal(r.items[0].source.name, 'Новости Кемерова');
    assert.equal(r.items[0].url, 'https://news.example/2');

    const limited = (await post(moderator, '/monitoring/queries/test', { text: 'жалоба', limit: 3 })).json();
    assert.equal(limited.tested, 3, 'the three newest');
    assert.equal(limited.matched, 1);
    // Another municipality's staff do not see these posts.
    assert.equal((await post(belAdmin, '/monitoring/queries/test', { text: 'жалоба' })).json().tested, 0);
    assert.equal((await post(moderator, '/monitoring/queries/test', { text: 'жалоба', limit: 501 })).statusCode, 400);
    assert.equal((await post(moderator, '/monitoring/queries/test', { text: 'жалоба', municipalityId: bel })).statusCode, 403);
    // Testing writes nothing.
    assert.equal((await audits(0)).length, 0);
  });
});
