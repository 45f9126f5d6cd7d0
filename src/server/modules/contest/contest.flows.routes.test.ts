import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

// Issue 8 over HTTP, the paths the seed's contest (contest.routes.test.ts) does not take: figures pulled from
// analytics into an application and edited afterwards; a tied ranking broken by the chair's deciding vote; voting by
// weighted criteria; and the public results, which show published contests only. The clock stays at 2026-03-02.

const USERS = {
  region: 'region.admin@otklik.demo',
  commission: 'commission@otklik.demo',
  kem: 'kem.admin@otklik.demo',
  bel: 'bel.admin@otklik.demo',
  resident: 'resident@otklik.demo',
} as const;
type Who = keyof typeof USERS;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

const SECTIONS = {
  practice: 'Практика обратной связи',
  prerequisites: 'Потребность в обратной связи с жителями.',
  description: 'Описание практики.',
  results: 'В 2025 году поступило 1000 обращений.',
};

interface Figure {
  key: string | null;
  label: string;
  value: number | null;
  unit: string;
  definition: string;
  source: string;
  period: { from: string; to: string } | null;
  pulledValue: number | null;
  edited: boolean;
}

describe('contest over HTTP: figures from analytics, the tie-break, criteria voting, public results', () => {
  let t: TestContext;
  const s = {} as Record<Who, Session>;
  let regionId: number;
  let kem: number;
  let bel: number;
  let commissionUser: number;

  before(async () => {
    t = await createTestContext();
    regionId = (await t.database.db.selectFrom('region').select('id').executeTakeFirstOrThrow()).id;
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    commissionUser = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.commission).executeTakeFirstOrThrow()
    ).id;
    for (const [k, email] of Object.entries(USERS)) s[k as Who] = await login(t.app, email);
  });
  after(() => t.close());

  const call = (who: Who | null, method: Method, url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, ...(who && { headers: as(s[who]) }), ...(payload && { payload }) });
  async function ok(who: Who | null, method: Method, url: string, payload?: object, code = 200) {
    const res = await call(who, method, url, payload);
    assert.equal(res.statusCode, code, `${method} ${url}: ${res.body.slice(0, 500)}`);
    return res.json();
  }

  /** A contest of the region open for applications now, with the commission: the chair has an account, the other votes on paper. */
  async function setUp(nomination: string, extra: object = {}) {
    const created = await ok(
      'region',
      'POST',
      `/regions/${regionId}/contests`,
      {
        year: 2026,
        stage: 'regional',
        title: 'Лучшая муниципальная практика',
        nomination,
        applicationsFrom: '2026-03-01T00:00:00Z',
        applicationsTo: '2026-04-01T00:00:00Z',
        method: 'ranking',
        recommendTop: 1,
        ...extra,
      },
      201,
    );
    const id: number = created.contest.id;
    const catI: number = created.categories.find((k: { code: string }) => k.code === 'I').id;
    const view = await ok('region', 'PUT', `/contests/${id}/commission`, {
      members: [
        { role: 'chair', lastName: 'Громов', firstName: 'Алексей', position: 'председатель', userId: commissionUser },
        { role: 'secretary', lastName: 'Левкович', firstName: 'Олеся', position: 'секретарь' },
      ],
    });
    const members = view.commission as Array<{ id: number; userId: number | null }>;
    const paper = members.find((m) => m.userId === null)!.id;
    return { id, catI, members: members.map((m) => m.id), paper };
  }

  /** Kemerovo's and Belovo's applications, submitted, checked and admitted; voting opened with everyone present. */
  async function admitAndOpen(c: { id: number; members: number[] }) {
    const ids: Record<'kem' | 'bel', number> = { kem: 0, bel: 0 };
    for (const [who, municipalityId] of [
      ['kem', kem],
      ['bel', bel],
    ] as const) {
      const a = await ok(who, 'POST', `/contests/${c.id}/applications`, { municipalityId, sections: SECTIONS }, 201);
      ids[who] = a.id;
      await ok(who, 'POST', `/contest-applications/${a.id}/submit`);
      await ok('region', 'POST', `/contest-applications/${a.id}/check`, { conforms: true });
      assert.equal((await ok('region', 'POST', `/contest-applications/${a.id}/admit`)).status, 'admitted');
    }
    await ok('region', 'PUT', `/contests/${c.id}/meeting/attendance`, { present: c.members });
    await ok('region', 'POST', `/contests/${c.id}/meeting/open`);
    return ids;
  }

  const storedFigures = async (id: number) =>
    (await t.database.db.selectFrom('contest_application').select('figures').where('id', '=', id).executeTakeFirstOrThrow())
      .figures as Figure[];

  test('figures pulled from analytics: value, source and definition stored; an edit marks the figure edited', async () => {
    for (const text of ['Яма у подъезда', 'Не горит фонарь', 'Не вывезен мусор']) {
      const res = await call('resident', 'POST', '/cases', { municipalityId: kem, channel: 'web', text });
      assert.equal(res.statusCode, 201, res.body);
    }
    const summary = await ok('kem', 'GET', `/analytics/municipalities/${kem}/summary?from=2026-03-01&to=2026-03-31`);
    const received = (summary.figures as Array<{ key: string; value: number; definition: string; label: string }>).find(
      (f) => f.key === 'received',
    )!;
    assert.equal(received.value, 3);

    const c = await setUp('Обратная связь: показатели из аналитики');
    const a = await ok('kem', 'POST', `/contests/${c.id}/applications`, { municipalityId: kem, sections: SECTIONS }, 201);
    assert.deepEqual(a.figures, []);
    const body = { from: '2026-03-01', to: '2026-03-31', keys: ['received', 'answered'] };
    // Another municipality's administrator does not see the application; the region does not write it.
    assert.equal((await call('bel', 'POST', `/contest-applications/${a.id}/figures/pull`, body)).statusCode, 404);
    assert.equal((await call('region', 'POST', `/contest-applications/${a.id}/figures/pull`, body)).statusCode, 403);
    assert.equal(
      (await call('kem', 'POST', `/contest-applications/${a.id}/figures/pull`, { ...body, from: '1 марта' })).statusCode,
      400,
    );

    const pulled = await ok('kem', 'POST', `/contest-applications/${a.id}/figures/pull`, body);
    assert.deepEqual(
      (pulled.figures as Figure[]).map((f) => f.key),
      ['received', 'answered'],
    );
    const stored = await storedFigures(a.id);
    const r = stored.find((f) => f.key === 'received')!;
    assert.equal(r.value, 3);
    assert.equal(r.pulledValue, 3);
    assert.equal(r.edited, false);
    assert.equal(r.label, received.label);
    assert.equal(r.definition, received.definition);
    assert.ok(r.definition.length > 10, r.definition);
    assert.match(
      r.source,
      /^Отклик: аналитика за период с 01\.03\.2026 по 31\.03\.2026 \(данные на \d\d\.\d\d\.\d{4} \d\d:\d\d \(UTC\+07:00\)\)$/,
    );
    assert.deepEqual(r.period, { from: '2026-03-01', to: '2026-03-31' });
    // The response shows the stored figures field by field.
    assert.deepEqual(pulled.figures, stored);

    // An edit of the pulled value keeps its source and definition and marks it edited; a typed figure joins it.
    const edited = await ok('kem', 'PATCH', `/contest-applications/${a.id}`, {
      figures: [
        { key: 'received', label: r.label, value: 4 },
        { label: 'Создано ТОС', value: 14, unit: 'ТОС' },
      ],
    });
    const e = (edited.figures as Figure[]).find((f) => f.key === 'received')!;
    assert.deepEqual(
      { value: e.value, pulledValue: e.pulledValue, edited: e.edited, source: e.source, definition: e.definition },
      { value: 4, pulledValue: 3, edited: true, source: r.source, definition: r.definition },
    );
    const typed = (edited.figures as Figure[]).find((f) => f.key === null)!;
    assert.deepEqual(typed, {
      key: null,
      label: 'Создано ТОС',
      value: 14,
      unit: 'ТОС',
      definition: '',
      source: 'указано муниципальным образованием',
      period: null,
      pulledValue: null,
      edited: false,
    });
    assert.deepEqual(await storedFigures(a.id), edited.figures);
    // Pulling again replaces the pulled figure (edited no more) and keeps the typed one.
    const again = await ok('kem', 'POST', `/contest-applications/${a.id}/figures/pull`, { ...body, keys: ['received'] });
    assert.deepEqual(
      (again.figures as Figure[]).map((f) => [f.key, f.value, f.pulledValue, f.edited]),
      [
        [null, 14, null, false],
        ['received', 3, 3, false],
      ],
    );
    // A figure analytics had no value for (nothing rated: no satisfaction share) keeps its source through a save.
    const none = await ok('kem', 'POST', `/contest-applications/${a.id}/figures/pull`, { ...body, keys: ['satisfaction'] });
    const s = (none.figures as Figure[]).find((f) => f.key === 'satisfaction')!;
    assert.equal(s.value, null);
    assert.match(s.source, /^Отклик: аналитика за период/);
    const saved = await ok('kem', 'PATCH', `/contest-applications/${a.id}`, {
      figures: (none.figures as Figure[]).map((f) => ({ key: f.key, label: f.label, value: f.value, unit: f.unit })),
    });
    const kept = (saved.figures as Figure[]).find((f) => f.key === 'satisfaction')!;
    assert.deepEqual(
      { source: kept.source, definition: kept.definition, period: kept.period, edited: kept.edited },
      { source: s.source, definition: s.definition, period: s.period, edited: false },
    );
  });

  let tied: { id: number; catI: number; app: Record<'kem' | 'bel', number> };

  test('a tied ranking: no places until the chair’s deciding vote is recorded; then places and closing', async () => {
    const c = await setUp('Решающий голос председателя');
    const app = await admitAndOpen(c);
    tied = { id: c.id, catI: c.catI, app };
    // The chair (with an account) and the secretary on paper rank the two applications oppositely: 3 and 3.
    await ok('commission', 'POST', `/contests/${c.id}/ballots`, { categoryId: c.catI, ranking: [app.kem, app.bel] }, 201);
    await ok(
      'region',
      'POST',
      `/contests/${c.id}/ballots`,
      { categoryId: c.catI, memberId: c.paper, ranking: [app.bel, app.kem] },
      201,
    );
    const before = await ok('region', 'GET', `/contests/${c.id}`);
    const tI = before.tally.find((x: { categoryId: number }) => x.categoryId === c.catI);
    assert.deepEqual(
      tI.unresolved.map((g: number[]) => [...g].sort()),
      [[app.kem, app.bel].sort()],
    );
    assert.match(tI.note, /равенство результатов/);
    for (const row of tI.rows) {
      assert.equal(row.score, 3);
      assert.equal(row.place, null);
      assert.equal(row.byTieBreak, false);
      assert.ok(row.applicantName.length > 0);
    }
    const closing = await call('region', 'POST', `/contests/${c.id}/meeting/close`);
    assert.equal(closing.statusCode, 409);
    assert.match(closing.body, /tie/);

    const url = `/contests/${c.id}/categories/${c.catI}/tiebreak`;
    const decision = { order: [app.bel, app.kem], basis: 'решающий голос председателя конкурсной комиссии' };
    assert.equal((await call('kem', 'POST', url, decision)).statusCode, 403);
    const wrong = await call('commission', 'POST', url, { ...decision, order: [app.bel, 999999] });
    assert.equal(wrong.statusCode, 400, wrong.body); // it must order exactly the tied applications
    assert.match(wrong.body, /order exactly the tied applications/);
    assert.deepEqual(await ok('commission', 'POST', url, decision), { ok: true });
    assert.equal((await call('commission', 'POST', url, decision)).statusCode, 409); // recorded once

    const afterTie = await ok('region', 'GET', `/contests/${c.id}`);
    const cat = afterTie.categories.find((k: { id: number }) => k.id === c.catI);
    assert.deepEqual(cat.tiebreak.order, decision.order);
    assert.equal(cat.tiebreak.basis, decision.basis);
    assert.equal(cat.tiebreak.recordedBy, commissionUser);
    assert.equal(cat.tiebreak.recordedAt, t.clock.now().toISOString());
    const tAfter = afterTie.tally.find((x: { categoryId: number }) => x.categoryId === c.catI);
    assert.deepEqual(tAfter.unresolved, []);
    assert.equal(tAfter.note, null);
    assert.deepEqual(
      tAfter.rows.map((r: { applicationId: number; place: number; byTieBreak: boolean }) => [
        r.applicationId,
        r.place,
        r.byTieBreak,
      ]),
      [
        [app.bel, 1, true],
        [app.kem, 2, true],
      ],
    );

    await ok('region', 'POST', `/contests/${c.id}/meeting/close`);
    const bel1 = await ok('bel', 'GET', `/contest-applications/${app.bel}`);
    const kem2 = await ok('kem', 'GET', `/contest-applications/${app.kem}`);
    assert.deepEqual([bel1.place, bel1.recommended, kem2.place, kem2.recommended], [1, true, 2, false]);
  });

  let weighted: { id: number; app: Record<'kem' | 'bel', number> };

  test('criteria voting: weighted means per member, averaged over the members, decide the places', async () => {
    const criteria = [
      { code: 'effect', name: 'Результативность', weight: 2 },
      { code: 'novelty', name: 'Новизна', weight: 1 },
    ];
    const c = await setUp('Оценка по критериям', { method: 'criteria', criteria });
    const created = await ok('region', 'GET', `/contests/${c.id}`);
    assert.deepEqual(created.contest.criteria, criteria);
    assert.equal(created.contest.method, 'criteria');
    const app = await admitAndOpen(c);
    weighted = { id: c.id, app };
    const ballot = (kemScores: object, belScores: object) => ({
      categoryId: c.catI,
      scores: [
        { applicationId: app.kem, scores: kemScores },
        { applicationId: app.bel, scores: belScores },
      ],
    });
    // Refused: a ranking in a criteria contest, a missing criterion, points outside 1–10, an unknown criterion.
    for (const [payload, reason] of [
      [{ categoryId: c.catI, ranking: [app.kem, app.bel] }, /votes by criteria/],
      [ballot({ effect: 8 }, { effect: 6, novelty: 6 }), /Новизна/],
      [ballot({ effect: 11, novelty: 5 }, { effect: 6, novelty: 6 }), /from 1 to 10/],
      [ballot({ effect: 8, novelty: 5, beauty: 3 }, { effect: 6, novelty: 6 }), /no criterion beauty/],
    ] as const) {
      const res = await call('commission', 'POST', `/contests/${c.id}/ballots`, payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, reason);
    }
    // The chair: Kemerovo (2·8 + 5)/3 = 7, Belovo (2·6 + 6)/3 = 6. The secretary on paper: Kemerovo (2·5 + 8)/3 = 6,
    // Belovo (2·10 + 4)/3 = 8. Means: Kemerovo 6.5, Belovo 7 — Belovo first although Kemerovo won the chair's ballot.
    await ok(
      'commission',
      'POST',
      `/contests/${c.id}/ballots`,
      ballot({ effect: 8, novelty: 5 }, { effect: 6, novelty: 6 }),
      201,
    );
    await ok(
      'region',
      'POST',
      `/contests/${c.id}/ballots`,
      { ...ballot({ effect: 5, novelty: 8 }, { effect: 10, novelty: 4 }), memberId: c.paper },
      201,
    );
    const view = await ok('region', 'GET', `/contests/${c.id}`);
    const tI = view.tally.find((x: { categoryId: number }) => x.categoryId === c.catI);
    assert.equal(tI.method, 'criteria');
    assert.deepEqual(
      tI.rows.map((r: { applicationId: number; score: number; borda: number | null; ballots: number; place: number }) => [
        r.applicationId,
        r.score,
        r.borda,
        r.ballots,
        r.place,
      ]),
      [
        [app.bel, 7, null, 2, 1],
        [app.kem, 6.5, null, 2, 2],
      ],
    );
    assert.deepEqual(view.mySeat, null); // the region's administrator has no seat
    const chairView = await ok('commission', 'GET', `/contests/${c.id}`);
    assert.deepEqual(chairView.mySeat.votedCategoryIds, [c.catI]);

    await ok('region', 'POST', `/contests/${c.id}/meeting/close`);
    const places = await ok('region', 'GET', `/contests/${c.id}/applications`);
    assert.deepEqual(
      (places.items as Array<{ id: number; place: number; recommended: boolean }>)
        .map((a) => [a.id, a.place, a.recommended])
        .sort((x, y) => (x[1] as number) - (y[1] as number)),
      [
        [app.bel, 1, true],
        [app.kem, 2, false],
      ],
    );
  });

  test('public results: only published contests, places and recommendations only, no sign-in needed', async () => {
    const { id, app } = weighted;
    await ok('region', 'POST', `/contests/${id}/protocol/approve`, { number: '7', approvedOn: '2026-03-02' });
    // Approved but not published: not public, neither alone nor in the list; nor is the tied contest (decided).
    assert.equal((await call(null, 'GET', `/public/contests/${id}`)).statusCode, 404);
    assert.equal((await call(null, 'GET', `/public/contests/${tied.id}`)).statusCode, 404);
    assert.equal((await call(null, 'GET', '/public/contests/999999')).statusCode, 404);
    const listed = async () => ((await ok(null, 'GET', '/public/contests')).items as Array<{ id: number }>).map((c) => c.id);
    assert.ok(!(await listed()).includes(id));

    await ok('region', 'POST', `/contests/${id}/publish`);
    const results = await ok(null, 'GET', `/public/contests/${id}`);
    assert.deepEqual(Object.keys(results).sort(), [
      'approvedOn',
      'categories',
      'id',
      'nomination',
      'protocolNumber',
      'publishedAt',
      'regionName',
      'title',
      'year',
    ]);
    assert.equal(results.protocolNumber, '7');
    assert.equal(results.approvedOn, '2026-03-02');
    assert.equal(results.publishedAt, t.clock.now().toISOString());
    const I = results.categories.find((k: { code: string }) => k.code === 'I');
    const names = new Map(
      (await t.database.db.selectFrom('contest_application').select(['id', 'applicant_name']).execute()).map((a) => [
        a.id,
        a.applicant_name,
      ]),
    );
    assert.equal(I.note, null);
    assert.deepEqual(I.winners, [
      { place: 1, applicantName: names.get(app.bel), recommended: true },
      { place: 2, applicantName: names.get(app.kem), recommended: false },
    ]);
    const II = results.categories.find((k: { code: string }) => k.code === 'II');
    assert.deepEqual(II.winners, []);
    assert.match(II.note, /места не распределялись/);

    const ids = await listed();
    assert.ok(ids.includes(id));
    assert.ok(!ids.includes(tied.id));
    assert.equal((await call(null, 'GET', `/public/contests/${tied.id}`)).statusCode, 404);
  });
});
