import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

type Card = {
  id: number;
  number: string;
  status: string;
  regime: string;
  allowedActions: string[];
  closure: { reason: string; comment: string | null; forwardedTo: string | null; closedAt: string } | null;
  coSigners: Array<{ lastName: string; firstName: string; email: string | null }>;
  answerDue: { dueAt: string; source: string } | null;
  due: { kind: string; dueAt: string; source: string } | null;
  timeline: Array<{ type: string; late: boolean | null; deadlineAt: string | null; data: Record<string, unknown> }>;
  applicant: { isAnonymous: boolean };
};

const USERS = {
  resident: 'resident@otklik.demo',
  resident2: 'resident2@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
  admin: 'kem.admin@otklik.demo',
  belOperator: 'bel.operator@otklik.demo',
} as const;
type Who = keyof typeof USERS;

/** The 59-ФЗ ст. 11 side paths, withdrawal, regime conversion and collective appeals (issue 4). */
describe('cases: side paths', () => {
  let t: TestContext;
  let kem: number;
  let improvement: number;
  let executorId: number;
  const sessions = new Map<Who, Session>();

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // Thu 30.04.2026, 10:00 in Кемерово (+07)
    improvement = (
      await t.database.db
        .selectFrom('department')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', 'Управление благоустройства')
        .executeTakeFirstOrThrow()
    ).id;
    executorId = (
      await t.database.db.selectFrom('app_user').select('id').where('email', '=', USERS.executor).executeTakeFirstOrThrow()
    ).id;
  });
  after(() => t.close());

  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who) as (Session & { at?: number }) | undefined;
    if (s && s.at !== undefined && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  const act = async (who: Who, id: number, action: string, payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/${action}`, headers: as(await session(who)), payload });
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
  async function submit(who: Who, payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session(who)),
      payload: { municipalityId: kem, ...payload },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Card;
  }
  const residentAppeal = (text: string, who: Who = 'resident') => submit(who, { channel: 'web', text });
  const letter = (text: string, extra: Record<string, unknown> = {}) =>
    submit('operator', {
      channel: 'letter',
      text,
      lastName: 'Сидоров',
      firstName: 'Пётр',
      email: 'sidorov@example.ru',
      answerBy: 'email',
      ...extra,
    });
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
  const lastEvent = (c: Card) => c.timeline.at(-1)!;
  async function answered(who: Who, text: string) {
    const c = await residentAppeal(text, who);
    await ok('head', c.id, 'assign', { departmentId: improvement, executorUserId: executorId });
    await ok('executor', c.id, 'start');
    await ok('executor', c.id, 'draft-answer', { text: 'Ответ по существу', result: 'explained' });
    return ok('head', c.id, 'approve-answer');
  }

  test('allowedActions: each reader sees exactly the actions that would pass, for an appeal and for a message', async () => {
    const appeal = await residentAppeal('Просьба установить лавочку у подъезда');
    const message = await submit('resident', { channel: 'web', text: 'Не горит фонарь', regime: 'message' });
    const expected: Array<[Who, Card, string[]]> = [
      [
        'head',
        appeal,
        [
          'assign',
          'extend',
          'redirect',
          'withdraw',
          'close-abusive',
          'notify-unreadable',
          'return-court-decision',
          'terminate-correspondence',
          'convert',
          'merge',
        ],
      ],
      ['operator', appeal, ['assign', 'withdraw', 'convert', 'merge']],
      ['resident', appeal, ['withdraw']],
      ['executor', appeal, []],
      ['admin', appeal, []],
      // A message has no 59-ФЗ side paths and no extension (ст. 11, ст. 12 ч. 2 are for appeals).
      ['head', message, ['assign', 'redirect', 'withdraw', 'convert', 'merge', 'mark-fixed']],
    ];
    for (const [who, c, actions] of expected) {
      assert.deepEqual((await card(who, c.id)).allowedActions, actions, `${who} on ${c.regime}`);
    }
    // Every listed action passes its role and status check; every unlisted side path is refused.
    const refused = await act('head', message.id, 'close-abusive', { comment: 'мат' });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(refused.json().error.message, /Only an appeal under 59-ФЗ/);
  });

  test('withdraw: by the applicant (letter, closed), recorded by an operator, refused to others and twice', async () => {
    const c = await residentAppeal('Прошу отремонтировать крыльцо');
    assert.equal((await act('resident2', c.id, 'withdraw')).statusCode, 404);
    assert.equal((await act('executor', c.id, 'withdraw')).statusCode, 403);
    assert.equal((await act('belOperator', c.id, 'withdraw')).statusCode, 404);
    const closed = await ok('resident', c.id, 'withdraw', { reason: 'Вопрос решён' });
    assert.equal(closed.status, 'closed');
    assert.deepEqual(
      { reason: closed.closure?.reason, comment: closed.closure?.comment },
      { reason: 'withdrawn', comment: 'Вопрос решён' },
    );
    assert.deepEqual(lastEvent(closed).data, { reason: 'withdrawn', comment: 'Вопрос решён', byApplicant: true });
    assert.equal(closed.due, null, 'no deadline left in the queue');
    assert.deepEqual(closed.allowedActions, []);
    const again = await act('resident', c.id, 'withdraw');
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error.message, /closed/);
    assert.ok((await lettersAbout(c.number)).some((l) => l.subject.includes('прекращено')));

    const paper = await letter('Прошу прекратить рассмотрение моего обращения');
    const recorded = await ok('operator', paper.id, 'withdraw', { reason: 'Заявление от 30.04.2026' });
    assert.equal(lastEvent(recorded).data.byApplicant, false);
  });

  test('ст. 11 ч. 1: an unsigned letter is registered; the head leaves it unanswered and forwards an offence report', async () => {
    const anon = await submit('operator', {
      channel: 'letter',
      text: 'Во дворе дома 7 по ул. Весенней продают наркотики',
      isAnonymous: true,
    });
    assert.equal(anon.status, 'registered');
    assert.equal(anon.applicant.isAnonymous, true);
    assert.ok((await card('head', anon.id)).allowedActions.includes('leave-unanswered'));
    assert.equal((await act('executor', anon.id, 'leave-unanswered', { comment: 'x' })).statusCode, 403);
    assert.equal(
      (await act('head', anon.id, 'terminate-correspondence', { comment: 'x', previousCaseIds: [1, 2] })).statusCode,
      409,
    );
    const closed = await ok('head', anon.id, 'leave-unanswered', {
      comment: 'Нет фамилии и адреса; сообщает о преступлении',
      forwardedTo: 'ОМВД России по г. Кемерово',
    });
    assert.equal(closed.closure?.reason, 'anonymous');
    assert.equal(closed.closure?.forwardedTo, 'ОМВД России по г. Кемерово');
    // Forwarding is held to ст. 8 ч. 3's seven days from registration: on time today.
    assert.equal(lastEvent(closed).late, false);
    assert.match(lastEvent(closed).deadlineAt ?? '', /^2026-05-07T23:59:59\+07:00$/);
    assert.deepEqual(await lettersAbout(anon.number), [], 'no address: no letter');

    // A signed appeal with an address must be answered.
    const signed = await residentAppeal('Подписанное обращение');
    const refused = await act('head', signed.id, 'leave-unanswered', { comment: 'x' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json().error.message, /must be answered \(59-ФЗ ст\. 11 ч\. 1\)/);
  });

  test('a letter without the surname is still a form error unless the operator marks it anonymous (ст. 7 ч. 1)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('operator')),
      payload: { municipalityId: kem, channel: 'letter', text: 'x', postalAddress: 'ул. Мира, 1', answerBy: 'post' },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, 'lastName');
  });

  test('ст. 11 ч. 3: abusive language → closed without an answer on the merits, the applicant warned', async () => {
    const c = await letter('Текст с угрозами должностному лицу');
    const closed = await ok('head', c.id, 'close-abusive', { comment: 'Угрозы жизни должностного лица' });
    assert.equal(closed.closure?.reason, 'abusive');
    assert.equal(lastEvent(closed).late, false, 'within the answer period');
    const [registered, warning] = await lettersAbout(c.number);
    assert.ok(registered);
    assert.match(warning?.text ?? '', /недопустимости злоупотребления правом/);
    assert.match(warning?.text ?? '', /ст\. 11 ч\. 3/);
  });

  // ст. 11 ч. 4 / 4.1 and ч. 2: seven calendar days from the registration on Thu 30.04.2026 → Thu 07.05 23:59:59 +07.
  const sevenDays: Array<[string, string, Record<string, unknown>, string, boolean]> = [
    ['notify-unreadable', '2026-05-07T16:59:59Z', { comment: 'Текст неразборчив' }, 'notified_unreadable', false],
    ['notify-unreadable', '2026-05-07T17:00:00Z', { comment: 'Текст неразборчив' }, 'notified_unreadable', true],
    ['notify-unreadable', '2026-05-06T03:00:00Z', { comment: 'Суть не ясна', kind: 'unclear' }, 'notified_unclear', false],
    [
      'return-court-decision',
      '2026-05-07T16:59:59Z',
      { comment: 'Апелляционная жалоба в областной суд' },
      'returned_court_decision',
      false,
    ],
    [
      'return-court-decision',
      '2026-05-08T03:00:00Z',
      { comment: 'Апелляционная жалоба в областной суд' },
      'returned_court_decision',
      true,
    ],
  ];
  for (const [action, at, body, event, late] of sevenDays) {
    test(`${action} at ${at}: ${event}, late=${late} (seven days from registration)`, async () => {
      t.clock.set('2026-04-30T03:00:00Z');
      const c = await letter(`Обращение для ${action} ${at}`);
      t.clock.set(at);
      const closed = await ok('head', c.id, action, body);
      assert.equal(closed.status, 'closed');
      assert.equal(closed.closure?.reason, action === 'notify-unreadable' ? 'unreadable' : 'court_decision');
      const e = lastEvent(closed);
      assert.equal(e.type, event);
      assert.equal(e.late, late);
      assert.equal(e.deadlineAt, '2026-05-07T23:59:59+07:00');
      const notice = (await lettersAbout(c.number)).at(-1);
      assert.match(notice?.text ?? '', action === 'return-court-decision' ? /Апелляционная жалоба/ : /ст\. 11 ч\. 4/);
      t.clock.set('2026-04-30T03:00:00Z');
    });
  }

  test('ст. 11 ч. 5: terminating correspondence needs two earlier answered cases of the same applicant', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const first = await answered('resident', 'Когда отремонтируют дорогу на ул. Тихой?');
    t.clock.set('2026-05-12T03:00:00Z');
    const second = await answered('resident', 'Снова о дороге на ул. Тихой');
    const others = await answered('resident2', 'Дорога на ул. Тихой (другой житель)');
    t.clock.set('2026-05-20T03:00:00Z');
    const third = await residentAppeal('Опять спрашиваю про дорогу на ул. Тихой');

    const one = await act('head', third.id, 'terminate-correspondence', {
      comment: 'Нет новых доводов',
      previousCaseIds: [first.id],
    });
    assert.equal(one.statusCode, 400);
    assert.equal(one.json().error.details[0].field, 'previousCaseIds');
    const foreign = await act('head', third.id, 'terminate-correspondence', {
      comment: 'Нет новых доводов',
      previousCaseIds: [first.id, others.id],
    });
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.json().error.message, new RegExp(`cases ${others.id} are not earlier`));
    assert.equal(
      (
        await act('operator', third.id, 'terminate-correspondence', {
          comment: 'x',
          previousCaseIds: [first.id, second.id],
        })
      ).statusCode,
      403,
    );

    const closed = await ok('head', third.id, 'terminate-correspondence', {
      comment: 'Нет новых доводов',
      previousCaseIds: [first.id, second.id],
    });
    assert.equal(closed.closure?.reason, 'correspondence_terminated');
    assert.deepEqual(lastEvent(closed).data.previousNumbers, [first.number, second.number]);
    const notice = (await lettersAbout(third.number)).at(-1);
    assert.match(notice?.text ?? '', new RegExp(`${first.number}, ${second.number}`));
    assert.match(notice?.text ?? '', /прекращении переписки/);
    t.clock.set('2026-04-30T03:00:00Z');
  });

  test('convert: a message becomes an appeal — 59-ФЗ deadlines from the original registration, the history kept', async () => {
    t.clock.set('2026-04-30T03:00:00Z');
    const m = await submit('resident', { channel: 'web', text: 'Жалоба на бездействие управляющей компании', regime: 'message' });
    assert.match(m.answerDue?.source ?? '', /ПОС|1802/);
    t.clock.set('2026-05-04T03:00:00Z');
    assert.equal((await act('executor', m.id, 'convert', { regime: 'appeal', reason: 'x' })).statusCode, 403);
    assert.equal((await act('head', m.id, 'convert', { regime: 'message', reason: 'x' })).statusCode, 409);
    const a = await ok('operator', m.id, 'convert', { regime: 'appeal', reason: 'Жалоба по 59-ФЗ, не сообщение ПОС' });
    assert.equal(a.regime, 'appeal');
    assert.equal(a.answerDue?.source, '59-ФЗ ст. 12 ч. 1');
    // 30 days from the registration on 30.04 → 30.05 is a Saturday → Fri 29.05 (the previous working day).
    assert.equal(a.answerDue?.dueAt, '2026-05-29T23:59:59+07:00');
    assert.deepEqual(
      a.timeline.map((e) => e.type),
      ['received', 'registered', 'converted'],
    );
    assert.deepEqual({ from: lastEvent(a).data.from, to: lastEvent(a).data.to }, { from: 'message', to: 'appeal' });
    assert.ok((await card('head', a.id)).allowedActions.includes('extend'), 'an appeal may now be extended');
    t.clock.set('2026-04-30T03:00:00Z');
  });

  test('names: staff see who did each step and the executor; the applicant sees only their own steps named', async () => {
    const c = await residentAppeal('Проверка имён в ленте');
    await ok('head', c.id, 'assign', { departmentId: improvement, executorUserId: executorId });
    type Named = { executorName: string | null; timeline: Array<{ type: string; actorName: string | null }> };
    const staff = (await card('operator', c.id)) as unknown as Named;
    const own = (await card('resident', c.id)) as unknown as Named;
    const names = (x: Named) => Object.fromEntries(x.timeline.map((e) => [e.type, e.actorName]));
    assert.match(staff.executorName ?? '', /\S+ \S+/);
    assert.match(names(staff).assigned ?? '', /\S+ \S+/, 'the head who assigned is named for staff');
    assert.equal(names(own).assigned, null, 'the head is not named on the applicant’s timeline');
    assert.equal(names(own).received, names(staff).received, 'the applicant’s own step carries their name');
    assert.ok(names(own).received);
  });

  test('collective appeal: co-signers are stored in order; their contacts are for staff only', async () => {
    const c = await submit('resident', {
      channel: 'web',
      text: 'Коллективное обращение жителей дома 12 о ремонте кровли',
      coSigners: [
        { lastName: 'Кузнецова', firstName: 'Анна', email: 'anna@example.ru' },
        { lastName: 'Орлов', firstName: 'Игорь', middleName: 'Петрович', postalAddress: 'ул. Садовая, 12, кв. 4' },
      ],
    });
    assert.deepEqual(
      c.coSigners.map((s) => [s.lastName, s.firstName, s.email]),
      [
        ['Кузнецова', 'Анна', null],
        ['Орлов', 'Игорь', null],
      ],
    );
    const staff = await card('operator', c.id);
    assert.equal(staff.coSigners[0]?.email, 'anna@example.ru');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session('resident')),
      payload: { municipalityId: kem, channel: 'web', text: 'x', coSigners: [{ lastName: 'Иванов', firstName: '  ' }] },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details[0].field, 'coSigners[0].firstName');
  });
});
