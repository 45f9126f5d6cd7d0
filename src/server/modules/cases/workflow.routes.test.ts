import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

type Card = {
  id: number;
  number: string;
  status: string;
  departmentId: number | null;
  executorUserId: number | null;
  answer: { text: string; result: string | null; answeredAt: string } | null;
  draft: { text: string; result: string | null } | null;
  answerDue: { dueAt: string } | null;
  timeline: Array<{ type: string; late: boolean | null; deadlineAt: string | null; data: Record<string, unknown> }>;
};

const USERS = {
  resident: 'resident@otklik.demo',
  resident2: 'resident2@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
  moderator: 'kem.moderator@otklik.demo',
  admin: 'kem.admin@otklik.demo',
  belOperator: 'bel.operator@otklik.demo',
  belAdmin: 'bel.admin@otklik.demo',
} as const;
type Who = keyof typeof USERS;

describe('cases: workflow actions', () => {
  let t: TestContext;
  let kem: number;
  let improvement: number; // Управление благоустройства (Кемерово): the demo executor and head work there
  let roadsDept: number;
  let ids: Record<Who, number>;
  const sessions = new Map<Who, Session>();

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово (+07)
    const depts = await t.database.db
      .selectFrom('department')
      .select(['id', 'name'])
      .where('municipality_id', '=', kem)
      .execute();
    improvement = depts.find((d) => d.name === 'Управление благоустройства')!.id;
    roadsDept = depts.find((d) => d.name === 'Управление дорожного хозяйства и транспорта')!.id;
    const users = await t.database.db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('email', 'in', Object.values(USERS))
      .execute();
    ids = Object.fromEntries(Object.entries(USERS).map(([k, email]) => [k, users.find((u) => u.email === email)!.id])) as Record<
      Who,
      number
    >;
  });
  after(() => t.close());

  /** A session valid at the clock's current time (the clock jumps weeks, past the sessions' lifetime). */
  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who) as (Session & { at?: number }) | undefined;
    if (s && s.at !== undefined && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function act(who: Who, id: number, action: string, payload: Record<string, unknown> = {}) {
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/${action}`,
      headers: as(await session(who)),
      payload,
    });
  }
  async function ok(who: Who, id: number, action: string, payload: Record<string, unknown> = {}) {
    const res = await act(who, id, action, payload);
    assert.equal(res.statusCode, 200, `${who} ${action}: ${res.body}`);
    return res.json() as Card;
  }
  async function card(who: Who, id: number) {
    const res = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: as(await session(who)) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Card;
  }
  async function submit(text: string, extra: Record<string, unknown> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('resident')),
      payload: { municipalityId: kem, channel: 'web', text, ...extra },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Card;
  }
  const lettersAbout = async (number: string) =>
    (
      await t.database.db
        .selectFrom('job')
        .select('payload')
        .where('name', '=', 'mail.send')
        .where(sql<boolean>`payload->>'subject' like ${`%${number}%`}`)
        .orderBy('id')
        .execute()
    ).map((j) => j.payload as { to: string; subject: string; text: string });
  const assignToExecutor = { departmentId: 0, executorUserId: 0 };
  const toExecutor = () => ({ ...assignToExecutor, departmentId: improvement, executorUserId: ids.executor });

  test('happy path: registered → assigned → in_work → answer_drafted → answered, timeline in order, letter', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Сломана скамейка во дворе дома 3');
    assert.equal(c.status, 'registered');

    const assigned = await ok('operator', c.id, 'assign', toExecutor());
    assert.equal(assigned.status, 'assigned');
    assert.equal(assigned.departmentId, improvement);
    assert.equal(assigned.executorUserId, ids.executor);

    t.clock.set('2026-05-05T03:00:00Z');
    assert.equal((await ok('executor', c.id, 'start')).status, 'in_work');
    const drafted = await ok('executor', c.id, 'draft-answer', {
      text: 'Скамейка будет заменена до 1 июня.',
      result: 'supported',
    });
    assert.equal(drafted.status, 'answer_drafted');
    assert.equal(drafted.draft?.text, 'Скамейка будет заменена до 1 июня.');

    // The applicant sees neither the draft nor an answer yet.
    const mine = await card('resident', c.id);
    assert.equal(mine.draft, null);
    assert.equal(mine.answer, null);

    const returned = await ok('head', c.id, 'return-draft', { comment: 'Укажите точную дату замены' });
    assert.equal(returned.status, 'in_work');
    assert.equal((await card('resident', c.id)).timeline.at(-1)?.data.comment, undefined, 'the comment is staff-only');
    await ok('executor', c.id, 'draft-answer', { text: 'Скамейку заменят 20 мая 2026 г.', result: 'supported' });

    t.clock.set('2026-05-20T03:00:00Z');
    const answered = await ok('head', c.id, 'approve-answer');
    assert.equal(answered.status, 'answered');
    assert.deepEqual(answered.answer, {
      text: 'Скамейку заменят 20 мая 2026 г.',
      result: 'supported',
      answeredAt: '2026-05-20T10:00:00+07:00',
    });

    const seen = await card('resident', c.id);
    assert.equal(seen.answer?.text, 'Скамейку заменят 20 мая 2026 г.');
    assert.deepEqual(
      seen.timeline.map((e) => [e.type, e.late]),
      [
        ['received', null],
        ['registered', false],
        ['assigned', null],
        ['in_work', null],
        ['answer_drafted', null],
        ['draft_returned', null],
        ['answer_drafted', null],
        ['answered', false],
      ],
    );
    assert.ok(seen.answer);
    assert.equal(seen.timeline.at(-1)?.deadlineAt, '2026-05-29T23:59:59+07:00');
    assert.equal(seen.timeline.at(-1)?.data.post_required, undefined);

    t.clock.set('2026-05-21T03:00:00Z');
    const stranger = await act('resident2', c.id, 'rate', { rating: 5 });
    assert.equal(stranger.statusCode, 404);
    const badRating = await act('resident', c.id, 'rate', { rating: 6 });
    assert.equal(badRating.statusCode, 400);
    assert.ok(JSON.stringify(badRating.json().error).includes('rating'), badRating.body);
    const rated = await ok('resident', c.id, 'rate', { rating: 5, comment: 'Спасибо, быстро' });
    assert.equal(rated.status, 'rated');
    assert.deepEqual(rated.timeline.at(-1)?.data, { rating: 5, comment: 'Спасибо, быстро' });
    const twice = await act('resident', c.id, 'rate', { rating: 1 });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal((await act('head', c.id, 'reopen', { reason: 'Не согласен' })).statusCode, 403);
    assert.equal((await act('resident', c.id, 'reopen', { reason: ' ' })).statusCode, 400);
    const reopened = await ok('resident', c.id, 'reopen', { reason: 'Скамейку так и не заменили' });
    assert.equal(reopened.status, 'in_work');
    assert.equal(reopened.answerDue?.dueAt, '2026-06-19T23:59:59+07:00'); // 21.05 + 30 days = Sat 20.06 → Fri 19.06
    assert.equal(reopened.timeline.at(-1)?.type, 'reopened');
    await ok('executor', c.id, 'draft-answer', { text: 'Скамейка заменена 1 июня.', result: 'supported' });

    const letters = await lettersAbout(c.number);
    assert.deepEqual(
      letters.map((l) => l.subject),
      [`Обращение ${c.number} зарегистрировано`, `Ответ на обращение ${c.number}`],
    );
    assert.equal(letters[1]?.to, 'resident@otklik.demo');
    assert.match(letters[1]?.text ?? '', /поддержано[\s\S]*Скамейку заменят 20 мая/);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(c.id))
      .where('action', 'like', 'case.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'case.submit',
        'case.assign',
        'case.start',
        'case.draft_answer',
        'case.return_draft',
        'case.draft_answer',
        'case.approve_answer',
        'case.rate',
        'case.reopen',
        'case.draft_answer',
      ],
    );
  });

  test('late: the answer approved after the answer deadline in force', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Не вывозят мусор');
    await ok('head', c.id, 'assign', toExecutor());
    await ok('executor', c.id, 'start');
    await ok('executor', c.id, 'draft-answer', { text: 'Вывоз восстановлен.', result: 'explained' });
    t.clock.set('2026-05-29T17:00:01Z'); // one second past 23:59:59 +07 on 29 May
    const answered = await ok('head', c.id, 'approve-answer');
    assert.deepEqual([answered.timeline.at(-1)?.type, answered.timeline.at(-1)?.late], ['answered', true]);
  });

  test('an answer by post: the event says a paper letter is required, no e-mail', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Прошу отремонтировать тротуар', { answerBy: 'post', postalAddress: 'Кемерово, ул. Весенняя, 5' });
    await ok('operator', c.id, 'assign', toExecutor());
    await ok('executor', c.id, 'start');
    await ok('executor', c.id, 'draft-answer', { text: 'Ремонт запланирован.', result: 'supported' });
    const answered = await ok('head', c.id, 'approve-answer');
    assert.equal(answered.timeline.at(-1)?.data.post_required, true);
    assert.deepEqual(
      (await lettersAbout(c.number)).map((l) => l.subject),
      [],
    );
  });

  test('wrong state: 409 with a clear message', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Не горит фонарь');
    const cases: Array<[Who, string, Record<string, unknown>]> = [
      ['head', 'approve-answer', {}],
      ['head', 'return-draft', { comment: 'нет' }],
    ];
    for (const [who, action, body] of cases) {
      const res = await act(who, c.id, action, body);
      assert.equal(res.statusCode, 409, `${action}: ${res.body}`);
      assert.match(res.json().error.message, /зарегистрировано.*answer_drafted/);
    }
    await ok('operator', c.id, 'assign', toExecutor());
    const early = await act('executor', c.id, 'draft-answer', { text: 'x', result: 'supported' });
    assert.equal(early.statusCode, 409);
    assert.match(early.json().error.message, /in_work/);
  });

  test('bad input: 400 with the field', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Лужа во дворе');
    const otherMunicipalityDept = await t.database.db
      .selectFrom('department')
      .select('id')
      .where('municipality_id', '!=', kem)
      .executeTakeFirstOrThrow();
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['assign', {}, 'departmentId'],
      ['assign', { departmentId: otherMunicipalityDept.id }, 'departmentId'],
      ['assign', { departmentId: roadsDept, executorUserId: ids.executor }, 'executorUserId'],
      ['assign', { departmentId: improvement, extra: 1 }, 'extra'],
    ];
    for (const [action, body, field] of cases) {
      const res = await act('head', c.id, action, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.ok(JSON.stringify(res.json().error).includes(field), `${JSON.stringify(body)} names ${field}: ${res.body}`);
    }
    await ok('head', c.id, 'assign', toExecutor());
    await ok('executor', c.id, 'start');
    for (const [body, field] of [
      [{ text: 'Ответ', result: 'maybe' }, 'result'],
      [{ text: '   ', result: 'supported' }, 'text'],
      [{ result: 'supported' }, 'text'],
    ] as const) {
      const res = await act('executor', c.id, 'draft-answer', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(JSON.stringify(res.json().error).includes(field), res.body);
    }
  });

  test('extend: once, up to 30 days, the new deadline by core/time across the May holidays, letter', async () => {
    t.clock.set('2026-03-10T03:00:00Z'); // registered Tue 10.03: answer Thu 09.04, +30 days = Sat 09.05 (holidays)
    const c = await submit('Прошу проверить качество ремонта дороги');
    assert.equal(c.answerDue?.dueAt, '2026-04-09T23:59:59+07:00');
    await ok('head', c.id, 'assign', toExecutor());
    t.clock.set('2026-04-01T03:00:00Z');
    const res = await act('head', c.id, 'extend', { reason: 'Запрошены документы в подрядной организации' });
    assert.equal(res.statusCode, 200, res.body);
    const e = res.json() as Card & { extensionCount: number; answerDue: { dueAt: string; kind: string; source: string } };
    // 9–11 May 2026 are days off: the last day moves back to Fri 08.05.
    assert.equal(e.answerDue.dueAt, '2026-05-08T23:59:59+07:00');
    assert.equal(e.answerDue.kind, 'extended_answer');
    assert.match(e.answerDue.source, /59-ФЗ ст\. 12 ч\. 2/);
    assert.equal(e.extensionCount, 1);
    assert.equal(e.status, 'assigned');
    const ev = e.timeline.at(-1)!;
    assert.deepEqual([ev.type, ev.late, ev.deadlineAt], ['extended', false, '2026-04-09T23:59:59+07:00']);
    assert.equal(ev.data.to, '2026-05-08T23:59:59+07:00');

    const again = await act('head', c.id, 'extend', { reason: 'Ещё раз' });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(again.json().error.message, /already been extended.*once/);
    assert.deepEqual(
      (await lettersAbout(c.number)).map((l) => l.subject),
      [`Обращение ${c.number} зарегистрировано`, `Срок рассмотрения обращения ${c.number} продлён`],
    );

    // Approved after the original deadline but inside the extended one: on time.
    t.clock.set('2026-05-07T03:00:00Z');
    await ok('executor', c.id, 'start');
    await ok('executor', c.id, 'draft-answer', { text: 'Проверка проведена.', result: 'explained' });
    const answered = await ok('head', c.id, 'approve-answer');
    assert.deepEqual(
      [answered.timeline.at(-1)?.late, answered.timeline.at(-1)?.deadlineAt],
      [false, '2026-05-08T23:59:59+07:00'],
    );
  });

  test('a calendar correction recomputes open deadlines but keeps an extended answer date', async () => {
    t.clock.set('2026-03-10T03:00:00Z');
    const extended = await submit('Прошу проверить освещение во дворе');
    const plain = await submit('Прошу отремонтировать скамейку');
    await ok('head', extended.id, 'assign', toExecutor());
    t.clock.set('2026-03-12T03:00:00Z');
    const e = (await ok('head', extended.id, 'extend', { reason: 'Запрошены документы' })) as Card & {
      answerDue: { dueAt: string };
    };
    assert.equal(e.answerDue.dueAt, '2026-05-08T23:59:59+07:00');

    // An extraordinary non-working day on Thu 09.04.2026, the plain case's answer day: it moves back to Wed 08.04.
    const admin = await login(t.app, 'region.admin@otklik.demo');
    const doc = (await t.app.inject({ url: '/api/v1/admin/calendar/years/2026', headers: as(admin) })).json();
    doc.nonWorking = [
      ...(doc.nonWorking ?? []),
      {
        from: '2026-04-09',
        to: '2026-04-09',
        name: 'Нерабочий день (проверка)',
        source: 'Указ (тест)',
        verified: false,
        note: 'test',
      },
    ];
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendar/years',
      headers: as(admin),
      payload: { data: doc, note: 'Проверка пересчёта сроков' },
    });
    assert.equal(published.statusCode, 201, published.body);
    await t.app.jobs.drain();

    const plainAfter = (await card('head', plain.id)) as Card & {
      answerDue: { dueAt: string };
      timeline: Array<{ type: string }>;
    };
    assert.equal(plainAfter.answerDue.dueAt, '2026-04-08T23:59:59+07:00');
    assert.equal(plainAfter.timeline.at(-1)?.type, 'deadlines_recomputed');
    const extendedAfter = (await card('head', extended.id)) as Card & { answerDue: { dueAt: string } };
    assert.equal(extendedAfter.answerDue.dueAt, '2026-05-08T23:59:59+07:00', 'the extension stands');
  });

  test('extend: fewer days; bad input names the field', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const c = await submit('Прошу установить детскую площадку');
    for (const [body, field] of [
      [{ reason: 'x', days: 31 }, 'days'],
      [{ reason: 'x', days: 0 }, 'days'],
      [{ reason: '  ' }, 'reason'],
      [{ days: 10 }, 'reason'],
    ] as const) {
      const res = await act('head', c.id, 'extend', body);
      assert.equal(res.statusCode, 400, res.body);
      assert.ok(JSON.stringify(res.json().error).includes(field), res.body);
    }
    const e = await ok('head', c.id, 'extend', { reason: 'Нужен выезд на место', days: 10 });
    assert.equal(e.answerDue?.dueAt, '2026-06-09T23:59:59+07:00'); // 30 + 10 days from 30.04 = Tue 09.06, a working day
  });

  test('redirect: within the 7 days on time, after them late; the applicant told; closed', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const onTime = await submit('Вопрос о региональной дороге');
    const late = await submit('Вопрос о пенсии');
    const redirectDue = onTime.timeline.find((e) => e.type === 'registered')!;
    assert.ok(redirectDue);
    t.clock.set('2026-05-07T16:59:59Z'); // 23:59:59 +07 on 07.05: the last second of the seventh day
    const r1 = await ok('head', onTime.id, 'redirect', { to: 'Министерство транспорта Кузбасса', reason: 'Дорога региональная' });
    assert.equal(r1.status, 'redirected');
    assert.deepEqual(
      [r1.timeline.at(-1)?.type, r1.timeline.at(-1)?.late, r1.timeline.at(-1)?.deadlineAt],
      ['redirected', false, '2026-05-07T23:59:59+07:00'],
    );
    t.clock.set('2026-05-07T17:00:00Z');
    const r2 = await ok('head', late.id, 'redirect', { to: 'Социальный фонд России', reason: 'Пенсионное обеспечение' });
    assert.equal(r2.timeline.at(-1)?.late, true);
    assert.deepEqual(
      (await lettersAbout(onTime.number)).map((l) => l.subject).at(-1),
      `Обращение ${onTime.number} направлено по компетенции`,
    );
    const closed = await act('head', onTime.id, 'assign', toExecutor());
    assert.equal(closed.statusCode, 409, closed.body);
    const bad = await act('head', late.id, 'redirect', { to: 'x' });
    assert.equal(bad.statusCode, 400);
  });

  test('roles: each does exactly its actions in its municipality; elsewhere the case is 404', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    // [action, body, status the case is brought to first, who may]
    const table: Array<[string, Record<string, unknown>, string[], Who[]]> = [
      ['assign', toExecutor(), [], ['operator', 'head']],
      ['start', {}, ['assign'], ['executor']],
      ['draft-answer', { text: 'Ответ', result: 'explained' }, ['assign', 'start'], ['executor']],
      ['approve-answer', {}, ['assign', 'start', 'draft-answer'], ['head']],
      ['return-draft', { comment: 'Доработать' }, ['assign', 'start', 'draft-answer'], ['head']],
      ['extend', { reason: 'Запрос документов' }, ['assign'], ['head']],
      ['rate', { rating: 4 }, ['assign', 'start', 'draft-answer', 'approve-answer'], ['resident']],
      ['reopen', { reason: 'Не решено' }, ['assign', 'start', 'draft-answer', 'approve-answer'], ['resident']],
      ['redirect', { to: 'Прокуратура Кемеровской области', reason: 'По компетенции' }, ['assign'], ['head']],
    ];
    const doers: Record<string, Who> = {
      assign: 'operator',
      start: 'executor',
      'draft-answer': 'executor',
      'approve-answer': 'head',
    };
    const bodies: Record<string, Record<string, unknown>> = {
      assign: toExecutor(),
      'draft-answer': { text: 'Ответ', result: 'explained' },
    };
    const everyone: Who[] = [
      'resident',
      'resident2',
      'operator',
      'executor',
      'head',
      'moderator',
      'admin',
      'belOperator',
      'belAdmin',
    ];
    for (const [action, body, steps, may] of table) {
      for (const who of everyone) {
        const c = await submit(`${action} ${who}`);
        for (const s of steps) await ok(doers[s]!, c.id, s, bodies[s]);
        const res = await act(who, c.id, action, body);
        const expected = may.includes(who) ? 200 : who === 'resident2' || who.startsWith('bel') ? 404 : 403;
        assert.equal(res.statusCode, expected, `${who} ${action}: ${res.body}`);
      }
    }
  });
});
