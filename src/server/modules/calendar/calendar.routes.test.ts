import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import type { RecomputeRequest } from './recompute.ts';

describe('calendar and deadline API', () => {
  let t: TestContext;
  let kem: number;
  let regionAdmin: Session;
  let kemAdmin: Session;
  const recomputed: Array<{ years: number[]; region: string | null }> = [];

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    [regionAdmin, kemAdmin] = await Promise.all([
      login(t.app, 'region.admin@otklik.demo'),
      login(t.app, 'kem.admin@otklik.demo'),
    ]);
    t.app.deadlineRecomputers.register({
      name: 'test-items',
      recompute: async (r: RecomputeRequest) => {
        recomputed.push({ years: r.years, region: r.region });
        return { items: 3 };
      },
    });
  });
  after(() => t.close());

  const calendar = async (year: number | string, query = `?municipality=${kem}`) =>
    t.app.inject({ url: `/api/v1/calendar/${year}${query}` });
  const preview = (query: string) => t.app.inject({ url: `/api/v1/deadlines/preview?municipality=${kem}&${query}` });
  type Day = { date: string; working: boolean; hours: number; kind: string; note: string | null };
  const day = (body: { days: Day[] }, date: string) => body.days.find((d) => d.date === date);

  // [date, working, hours, kind]
  const days: Array<[string, boolean, number, string]> = [
    ['2026-01-09', false, 0, 'transfer'],
    ['2026-01-07', false, 0, 'holiday'],
    ['2026-04-30', true, 7, 'shortened'],
    ['2026-05-11', false, 0, 'transfer'],
    ['2026-05-12', true, 8, 'workday'],
    ['2026-05-16', false, 0, 'weekend'],
    ['2025-11-03', false, 0, 'transfer'],
    ['2025-11-01', true, 8, 'working_weekend'],
    ['2024-04-27', true, 8, 'working_weekend'],
    ['2020-04-01', false, 0, 'nonworking'],
  ];
  for (const [date, working, hours, kind] of days) {
    test(`calendar: ${date} is ${kind} (${hours} h)`, async () => {
      const res = await calendar(date.slice(0, 4));
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        (({ working: w, hours: h, kind: k }) => ({ working: w, hours: h, kind: k }))(day(res.json(), date) as never),
        { working, hours, kind },
      );
    });
  }

  test('calendar 2026: every day, the published totals, the decree as source, and the notes', async () => {
    const body = (await calendar(2026)).json();
    assert.equal(body.days.length, 365);
    assert.deepEqual(body.totals, { workingDays: 247, workingHours: 1972 });
    assert.equal(body.provisional, false);
    assert.equal(body.timeZone, 'Asia/Novokuznetsk');
    assert.match(body.sources[0].title, /№ 1466/);
    assert.match(day(body, '2026-01-09')?.note ?? '', /1466/);
    assert.deepEqual(
      body.days.filter((d: { kind: string }) => d.kind === 'shortened').map((d: { date: string }) => d.date),
      ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03'],
    );
    assert.equal((await calendar(2027)).json().provisional, true);
  });

  // [case, request, status, code, field?]
  const bad: Array<
    [
      string,
      () => Promise<{ statusCode: number; json(): { error: { code: string; details?: Array<{ field: string }> } } }>,
      number,
      string,
      string?,
    ]
  > = [
    ['a year outside the data', () => calendar(2030), 422, 'CALENDAR_RANGE', 'year'],
    ['a year that is not a number', () => calendar('abc'), 400, 'VALIDATION_FAILED', 'year'],
    ['an unknown municipality', () => calendar(2026, '?municipality=99999'), 404, 'NOT_FOUND'],
    ['an unknown query field', () => calendar(2026, `?municipality=${kem}&colour=red`), 400, 'VALIDATION_FAILED', 'colour'],
    ['preview: a malformed instant', () => preview('regime=appeal&at=30.04.2026'), 400, 'VALIDATION_FAILED', 'at'],
    ['preview: an unknown regime', () => preview('regime=petition&at=2026-04-30T03:00:00Z'), 400, 'VALIDATION_FAILED', 'regime'],
    ['preview: no instant', () => preview('regime=appeal'), 400, 'VALIDATION_FAILED', 'at'],
    ['preview: an instant outside the calendar', () => preview('regime=appeal&at=2031-02-01T03:00:00Z'), 422, 'CALENDAR_RANGE'],
    [
      'preview: registered before received',
      () => preview('regime=appeal&at=2026-04-30T03:00:00Z&registeredAt=2026-04-29T03:00:00Z'),
      400,
      'VALIDATION_FAILED',
      'registeredAt',
    ],
    [
      'preview: an unknown municipality',
      () => t.app.inject({ url: '/api/v1/deadlines/preview?municipality=99999&regime=appeal&at=2026-04-30T03:00:00Z' }),
      404,
      'NOT_FOUND',
    ],
  ];
  for (const [name, request, status, code, field] of bad) {
    test(`bad input: ${name} → ${status} ${code}`, async () => {
      const res = await request();
      assert.equal(res.statusCode, status);
      assert.equal(res.json().error.code, code);
      if (field)
        assert.ok(
          res.json().error.details?.some((d) => d.field === field),
          JSON.stringify(res.json()),
        );
    });
  }

  const answerOf = async (query: string) => {
    const res = await preview(query);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().deadlines.find((d: { kind: string }) => d.kind === 'answer');
  };

  test('an appeal registered 2026-04-30 in Кемерово is due 2026-05-29 (day 30 is Saturday 30.05), with its source', async () => {
    const answer = await answerOf('regime=appeal&at=2026-04-30T03:00:00Z');
    assert.deepEqual(
      { dueAt: answer.dueAt, source: answer.source, internal: answer.internal },
      { dueAt: '2026-05-29T23:59:59+07:00', source: '59-ФЗ ст. 12 ч. 1', internal: false },
    );
    const kinds = (await preview('regime=appeal&at=2026-04-30T03:00:00Z')).json().deadlines.map((d: { kind: string }) => d.kind);
    for (const k of ['register', 'redirect', 'answer', 'extended_answer', 'court_return', 'notice_unreadable'])
      assert.ok(kinds.includes(k), k);
  });

  test('time-zone edge: received 23:30 Moscow time is already the next day in Кемерово', async () => {
    // 2026-03-01 23:30 MSK = 20:30Z = 2026-03-02 03:30 in Kemerovo: day 0 is 02.03, day 30 is 01.04.
    const answer = await answerOf('regime=appeal&at=2026-03-01T20:30:00Z');
    assert.equal(answer.dueAt, '2026-04-01T23:59:59+07:00');
  });

  test('messages are answered in 10 working days by default; incidents get a first reaction in 24 h', async () => {
    const message = (await preview('regime=message&at=2026-04-30T03:00:00Z')).json().deadlines;
    assert.equal(message.find((d: { kind: string }) => d.kind === 'answer').unit, 'working_days');
    // 30.04 (Thu) + 10 working days: 04.05–08.05 (5; 01–03.05 off), 12.05–15.05 (4; 09–11.05 off), 18.05 → 18.05.
    assert.equal(message.find((d: { kind: string }) => d.kind === 'answer').dueAt, '2026-05-18T23:59:59+07:00');
    const incident = (await preview('regime=incident&at=2026-04-30T03:00:00Z')).json().deadlines;
    assert.equal(incident.find((d: { kind: string }) => d.kind === 'first_reaction').dueAt, '2026-05-01T10:00:00+07:00');
  });

  test('a stricter internal control period is applied beside the legal one; a looser one is refused', async () => {
    const looser = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/municipalities/${kem}/deadline-settings`,
      headers: as(kemAdmin),
      payload: { appeal: { internalControl: { answer: 35 } } },
    });
    assert.equal(looser.statusCode, 400);
    assert.equal(looser.json().error.details[0].field, 'appeal.internalControl.answer');

    const ok = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/municipalities/${kem}/deadline-settings`,
      headers: as(kemAdmin),
      payload: { appeal: { internalControl: { answer: 25 } }, message: { categoryPeriods: { roads: 5 } } },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const answer = await answerOf('regime=appeal&at=2026-04-30T03:00:00Z');
    assert.deepEqual(
      { dueAt: answer.dueAt, legalDueAt: answer.legalDueAt, internal: answer.internal },
      { dueAt: '2026-05-25T23:59:59+07:00', legalDueAt: '2026-05-29T23:59:59+07:00', internal: true },
    );
    const roads = (await preview('regime=message&at=2026-04-30T03:00:00Z&category=roads')).json().deadlines[0];
    assert.equal(roads.dueAt, '2026-05-08T23:59:59+07:00', 'roads: 5 working days, 04.05–08.05');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'municipality.deadline_settings')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('deadline settings: only that municipality’s admins (or the region) may change them', async () => {
    const bel = await login(t.app, 'bel.admin@otklik.demo');
    const put = (s: Session) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/municipalities/${kem}/deadline-settings`, headers: as(s), payload: {} });
    assert.equal((await put(bel)).statusCode, 403);
    assert.equal((await put(await login(t.app, 'kem.operator@otklik.demo'))).statusCode, 403);
    assert.equal((await put(await login(t.app, 'resident@otklik.demo'))).statusCode, 403);
    assert.equal(
      (await t.app.inject({ url: `/api/v1/municipalities/${kem}/deadline-settings`, headers: as(bel) })).statusCode,
      403,
    );
  });

  test('the regional admin publishes a correction: stored, audited, the calendar changes, open deadlines are recomputed', async () => {
    const base = await t.app.inject({ url: '/api/v1/admin/calendar/years/2027', headers: as(regionAdmin) });
    assert.equal(base.statusCode, 200);
    const doc = base.json();
    doc.nonWorking = [
      ...(doc.nonWorking ?? []),
      {
        from: '2027-06-15',
        to: '2027-06-15',
        name: 'Нерабочий день (проверка)',
        source: 'Указ (тест)',
        verified: false,
        note: 'test',
      },
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendar/years',
      headers: as(regionAdmin),
      payload: { data: doc, note: 'Проверочная поправка к 2027 году' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().changedYears, [2027]);
    assert.ok(res.json().recomputeJobId);

    const after = (await calendar(2027)).json();
    assert.equal(day(after, '2027-06-15')?.working, false);
    const listing = (await t.app.inject({ url: '/api/v1/admin/calendar', headers: as(regionAdmin) })).json();
    assert.equal(
      listing.years.find((y: { year: number; region: string | null }) => y.year === 2027 && !y.region).origin,
      'published',
    );
    assert.equal(listing.publications[0].note, 'Проверочная поправка к 2027 году');

    await t.app.jobs.drain();
    assert.deepEqual(recomputed, [{ years: [2027], region: null }]);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_type', '=', 'calendar')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['calendar.publish', 'calendar.recompute'],
    );
    assert.deepEqual((audit[1]!.after as { recomputed: unknown }).recomputed, { cases: 0, 'test-items': 3 });
  });

  test('a malformed correction is refused with the field named, and nothing is stored', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/admin/calendar/years/2026', headers: as(regionAdmin) })).json();
    doc.shortened = [...doc.shortened, { date: '2026-05-01', source: 'тест', verified: true }];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendar/years',
      headers: as(regionAdmin),
      payload: { data: doc, note: 'Ошибочная поправка' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.details[0].field, /^data\.shortened/);
    const rows = await t.database.db.selectFrom('calendar_publication').select('id').where('year', '=', 2026).execute();
    assert.equal(rows.length, 0);
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendar/years',
      headers: as(kemAdmin),
      payload: { data: doc, note: 'Не мой календарь' },
    });
    assert.equal(denied.statusCode, 403);
  });
});
