import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

// Issue 7: a small fixed data set, built through the real API with the clock moved step by step, whose every figure
// was computed by hand (the arithmetic is in the comments). Кемерово, zone +07; office hours are core/time's
// defaults: Mon–Thu 09:00–13:00 and 13:48–18:00 (492 min), Fri 09:00–13:00 and 13:48–16:45 (417 min).
//
// The period is April 2026 (no holiday in it), the comparison period the 30 days before it (02.03–31.03), and the
// figures are read on Wednesday 20.05.2026 10:00. Cases (received → what happened):
//   H  letter, appeal, received Mon 16.03 10:00 (compare period); assigned Tue 17.03 10:00; answered Mon 20.04 10:00,
//      after its deadline (registered 16.03 + 30 days = 15.04 23:59:59) → late.
//   A  web, resident, «Благоустройство дворов», received Mon 06.04 10:00 at (55.3547, 86.0873); assigned 11:30;
//      answered Thu 09.04 10:00; rated 5.
//   D  web, resident2, «Дороги и тротуары», received Tue 07.04 10:00; assigned 12:00 (to «благоустройства»); answered
//      Tue 14.04 10:00; rated 2; REOPENED Wed 15.04 10:00; answered again Tue 21.04 10:00 (on time: 30 days from the
//      reopening); rated 3.
//   E  web, resident, «Ямы на дорогах» (a message), received Wed 08.04 10:00; CONVERTED to an appeal 11:00;
//      redirected Thu 09.04 10:00 (within the 7 days of 59-ФЗ ст. 8 ч. 3).
//   B  web, resident2, «Уличное освещение» (a message, 10 working days), received Fri 10.04 16:45 — closing time;
//      assigned Mon 13.04 09:00 — opening time (0 working hours between); answered EXACTLY at its deadline,
//      Fri 24.04 23:59:59 (the 10th working day after 10.04) → on time.
//   C  web, resident, «Благоустройство дворов» again (a REPEAT of A), received Wed 15.04 10:00 at A's point; nobody
//      acts: due 15.05 23:59:59, so on 20.05 it is OPEN AND OVERDUE (late, overdue now).
//   F  phone, an INCIDENT (no category), received Thu 16.04 10:00; assigned 13:00 (first reaction within 24 h);
//      answered Fri 17.04 10:00.
//   G  phone, anonymous appeal, «ЖКХ», received Mon 20.04 10:00; withdrawn 12:00 (no deadline: not decided).
//   I  web, resident2, «Благоустройство дворов», received Thu 30.04 10:00 at (55.40, 86.10); open, due 30.05: not decided.

const USERS = {
  resident: 'resident@otklik.demo',
  resident2: 'resident2@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
  admin: 'kem.admin@otklik.demo',
} as const;
type Who = keyof typeof USERS;

type Figure = { key: string; value: number | null; base: number; unit: string; drill: string; label: string; definition: string };
type Row = {
  key: string;
  label: string;
  received: number;
  answered: number;
  onTime: number;
  late: number;
  onTimeShare: number | null;
  overdue: number;
  drill: string;
};
type Summary = {
  period: { from: string; to: string; timeZone: string };
  compare: { period: { from: string; to: string }; figures: Figure[] };
  figures: Figure[];
  byChannel: Row[];
  byRegime: Row[];
  byCategory: Row[];
  byDepartment: Row[];
  byDistrict: Row[];
  trend: Array<{ month: string; received: number; answered: number; onTimeShare: number | null }>;
  overdueNow: Array<{ caseId: number; number: string; dueAt: string; department: string | null; executor: string | null }>;
  asOf: string;
};

/** Local Кемерово time (+07) → the instant. */
const at = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('analytics: a fixed data set computed by hand', () => {
  let t: TestContext;
  let kem: number;
  const dept: Record<string, number> = {};
  const cat: Record<string, number> = {};
  const ids = {} as Record<Who, number>;
  const sessions = new Map<Who, Session & { at: number }>();
  const cases: Record<string, { id: number; number: string }> = {};
  let summary: Summary;

  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function post(who: Who, url: string, payload: Record<string, unknown>) {
    const res = await t.app.inject({ method: 'POST', url, headers: as(await session(who)), payload });
    assert.ok(res.statusCode === 200 || res.statusCode === 201, `${who} POST ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number; number: string; answerDue?: { dueAt: string } | null };
  }
  const act = (when: string, who: Who, name: string, action: string, payload: Record<string, unknown> = {}) => {
    t.clock.set(at(when));
    return post(who, `/api/v1/cases/${cases[name]!.id}/${action}`, payload);
  };
  async function submit(when: string, who: Who, name: string, payload: Record<string, unknown>) {
    t.clock.set(at(when));
    const c = await post(who, '/api/v1/cases', { municipalityId: kem, ...payload });
    cases[name] = { id: c.id, number: c.number };
    return c;
  }
  const toExecutor = () => ({ departmentId: dept.improvement, executorUserId: ids.executor });
  async function get<T>(who: Who, url: string): Promise<T> {
    const res = await t.app.inject({ url, headers: as(await session(who), { csrf: false }) });
    assert.equal(res.statusCode, 200, `GET ${url}: ${res.body}`);
    return res.json() as T;
  }
  const fig = (list: Figure[], key: string) => {
    const f = list.find((x) => x.key === key);
    assert.ok(f, `figure ${key}`);
    return f;
  };

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    const depts = await t.database.db
      .selectFrom('department')
      .select(['id', 'name'])
      .where('municipality_id', '=', kem)
      .execute();
    dept.improvement = depts.find((d) => d.name === 'Управление благоустройства')!.id;
    dept.roads = depts.find((d) => d.name === 'Управление дорожного хозяйства и транспорта')!.id;
    dept.housing = depts.find((d) => d.name === 'Управление жилищно-коммунального хозяйства')!.id;
    const cats = await t.database.db.selectFrom('category').select(['id', 'name']).where('municipality_id', '=', kem).execute();
    for (const [k, name] of Object.entries({
      yards: 'Благоустройство дворов',
      roads: 'Дороги и тротуары',
      potholes: 'Ямы на дорогах',
      lights: 'Уличное освещение',
      housing: 'ЖКХ: отопление и водоснабжение',
    })) {
      cat[k] = cats.find((c) => c.name === name)!.id;
    }
    const users = await t.database.db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('email', 'in', Object.values(USERS))
      .execute();
    for (const [k, email] of Object.entries(USERS)) ids[k as Who] = users.find((u) => u.email === email)!.id;

    const letter = { lastName: 'Петров', firstName: 'Пётр', postalAddress: 'г. Кемерово, ул. Весенняя, д. 5', answerBy: 'post' };
    await submit('2026-03-16T10:00:00', 'operator', 'H', {
      channel: 'letter',
      categoryId: cat.yards,
      text: 'Письмо о дворе',
      ...letter,
    });
    await act('2026-03-17T10:00:00', 'operator', 'H', 'assign', toExecutor());
    await submit('2026-04-06T10:00:00', 'resident', 'A', {
      channel: 'web',
      categoryId: cat.yards,
      text: 'Сломаны качели во дворе',
      lat: 55.3547,
      lon: 86.0873,
    });
    await act('2026-04-06T11:30:00', 'operator', 'A', 'assign', toExecutor());
    await submit('2026-04-07T10:00:00', 'resident2', 'D', { channel: 'web', categoryId: cat.roads, text: 'Разбит тротуар' });
    await act('2026-04-07T12:00:00', 'operator', 'D', 'assign', toExecutor());
    await submit('2026-04-08T10:00:00', 'resident', 'E', {
      channel: 'web',
      categoryId: cat.potholes,
      text: 'Яма, прошу ответить по 59-ФЗ',
    });
    await act('2026-04-08T11:00:00', 'operator', 'E', 'convert', { regime: 'appeal', reason: 'Заявитель просит ответ по 59-ФЗ' });
    await act('2026-04-08T12:00:00', 'executor', 'A', 'start');
    await act('2026-04-08T12:05:00', 'executor', 'A', 'draft-answer', { text: 'Качели заменены.', result: 'supported' });
    await act('2026-04-09T10:00:00', 'head', 'A', 'approve-answer');
    await act('2026-04-09T10:00:00', 'head', 'E', 'redirect', {
      to: 'Министерство транспорта Кузбасса',
      reason: 'Региональная дорога',
    });
    await act('2026-04-09T12:00:00', 'resident', 'A', 'rate', { rating: 5 });
    const b = await submit('2026-04-10T16:45:00', 'resident2', 'B', {
      channel: 'web',
      categoryId: cat.lights,
      text: 'Не горит фонарь',
    });
    assert.equal(b.answerDue?.dueAt, '2026-04-24T23:59:59+07:00', 'the 10th working day after Friday 10.04');
    await act('2026-04-13T09:00:00', 'operator', 'B', 'assign', toExecutor());
    await act('2026-04-13T09:30:00', 'executor', 'B', 'start');
    await act('2026-04-13T09:35:00', 'executor', 'B', 'draft-answer', { text: 'Фонарь заменён.', result: 'supported' });
    await act('2026-04-14T09:30:00', 'executor', 'D', 'start');
    await act('2026-04-14T09:35:00', 'executor', 'D', 'draft-answer', { text: 'Тротуар в плане ремонта.', result: 'explained' });
    await act('2026-04-14T10:00:00', 'head', 'D', 'approve-answer');
    await act('2026-04-14T12:00:00', 'resident2', 'D', 'rate', { rating: 2 });
    await act('2026-04-15T10:00:00', 'resident2', 'D', 'reopen', { reason: 'Нужен срок ремонта' });
    await submit('2026-04-15T10:00:00', 'resident', 'C', {
      channel: 'web',
      categoryId: cat.yards,
      text: 'Снова сломаны качели',
      lat: 55.3547,
      lon: 86.0873,
    });
    await submit('2026-04-16T10:00:00', 'operator', 'F', {
      channel: 'phone',
      regime: 'incident',
      text: 'Упало дерево на дорогу',
      lastName: 'Сидоров',
      firstName: 'Иван',
      phone: '+7 900 111-22-33',
    });
    await act('2026-04-16T13:00:00', 'operator', 'F', 'assign', toExecutor());
    await act('2026-04-16T14:00:00', 'executor', 'F', 'start');
    await act('2026-04-16T14:05:00', 'executor', 'F', 'draft-answer', { text: 'Дерево убрано.', result: 'supported' });
    await act('2026-04-17T10:00:00', 'head', 'F', 'approve-answer');
    await submit('2026-04-20T10:00:00', 'operator', 'G', {
      channel: 'phone',
      categoryId: cat.housing,
      text: 'Нет горячей воды',
      isAnonymous: true,
    });
    await act('2026-04-20T09:00:00', 'executor', 'H', 'start');
    await act('2026-04-20T10:00:00', 'executor', 'H', 'draft-answer', { text: 'Двор благоустроен.', result: 'supported' });
    await act('2026-04-20T10:00:00', 'head', 'H', 'approve-answer');
    await act('2026-04-20T12:00:00', 'operator', 'G', 'withdraw', { reason: 'Вода появилась' });
    await act('2026-04-21T09:30:00', 'executor', 'D', 'draft-answer', {
      text: 'Ремонт тротуара — до 1 июля.',
      result: 'supported',
    });
    await act('2026-04-21T10:00:00', 'head', 'D', 'approve-answer');
    await act('2026-04-21T12:00:00', 'resident2', 'D', 'rate', { rating: 3 });
    await act('2026-04-24T23:59:59', 'head', 'B', 'approve-answer');
    await submit('2026-04-30T10:00:00', 'resident2', 'I', {
      channel: 'web',
      categoryId: cat.yards,
      text: 'Нет скамеек',
      lat: 55.4,
      lon: 86.1,
    });

    t.clock.set(at('2026-05-20T10:00:00'));
    summary = await get<Summary>('head', `/api/v1/analytics/municipalities/${kem}/summary?from=2026-04-01&to=2026-04-30`);
  });
  after(() => t.close());

  test('every figure of April, as computed by hand', () => {
    const v = (key: string) => fig(summary.figures, key).value;
    const base = (key: string) => fig(summary.figures, key).base;
    assert.deepEqual(summary.period, { from: '2026-04-01', to: '2026-04-30', timeZone: 'Asia/Novokuznetsk' });
    // Received in April: A D E B C F G I (H came in March).
    assert.equal(v('received'), 8);
    // An answer in force: A D (answered again after reopening) B F; E redirected, G withdrawn, C and I open.
    assert.equal(v('answered'), 4);
    // Decided: A B D (last answer) E (redirected in 7 days) F (incident: reaction in 3 h ≤ 24 h) on time; C open
    // past 15.05 → late; G (withdrawn, no deadline) and I (due 30.05) not decided. 5 / 6.
    assert.equal(v('onTimeShare'), 0.8333);
    assert.equal(base('onTimeShare'), 6);
    // Open now and past the deadline: C (any date of receipt; H, the only other case, is answered).
    assert.equal(v('overdueNow'), 1);
    // First reaction, calendar hours: A 1.5 (assigned 11:30), D 2, E 24 (the conversion is no reaction; the
    // redirection is), B 64.25 (Fri 16:45 → Mon 09:00), F 3. Sorted 1.5 2 3 24 64.25.
    assert.equal(v('reactionHoursMean'), 18.95); // 94.75 / 5
    assert.equal(v('reactionHoursMedian'), 3);
    assert.equal(v('reactionHoursP90'), 48.15); // rank 0.9·4 = 3.6: 24 + 0.6·(64.25 − 24)
    assert.equal(base('reactionHoursMean'), 5);
    // Working hours: A 1.5, D 2, E 8.2 (Wed 10:00–18:00 less lunch = 7 h 12 min, Thu 09–10), B 0 (closing time to
    // opening time), F 3. Sorted 0 1.5 2 3 8.2.
    assert.equal(v('reactionWorkHoursMean'), 2.94); // 14.7 / 5
    assert.equal(v('reactionWorkHoursMedian'), 2);
    assert.equal(v('reactionWorkHoursP90'), 6.12); // 3 + 0.6·5.2
    // Resolution (to the answer in force), calendar: A 72, D 336 (07.04 → 21.04), B 343.2497 (14 d 7 h 14 min 59 s),
    // F 24. Sorted 24 72 336 343.2497.
    assert.equal(v('resolutionHoursMean'), 193.81); // 2 790 899 s / 4
    assert.equal(v('resolutionHoursMedian'), 204); // (72 + 336) / 2
    assert.equal(v('resolutionHoursP90'), 341.07); // rank 2.7: 336 + 0.7·7.2497
    // Working: A 24.6 (Mon 7 h 12 min + Tue + Wed 8 h 12 min + Thu 1 h), D 79.5, B 79.5 (two weeks of 4 × 492 + 417
    // min), F 8.2. Sorted 8.2 24.6 79.5 79.5.
    assert.equal(v('resolutionWorkHoursMean'), 47.95);
    assert.equal(v('resolutionWorkHoursMedian'), 52.05);
    assert.equal(v('resolutionWorkHoursP90'), 79.5);
    assert.equal(base('resolutionWorkHoursMean'), 4);
    // Rated: A 5, D 3 (its last rating). Positive (4–5): A.
    assert.equal(v('rated'), 2);
    assert.equal(v('satisfaction'), 0.5);
    // Reopened: D, of the 4 cases ever answered (A B D F).
    assert.equal(v('reopenRate'), 0.25);
    assert.equal(base('reopenRate'), 4);
    // Redirected: E of 8.
    assert.equal(v('redirectedShare'), 0.125);
    // Repeat: C (the resident's second «Благоустройство дворов» in April).
    assert.equal(v('repeat'), 1);
    assert.equal(v('converted'), 1);
    // Incidents: F, reacting in 3 h.
    assert.equal(v('incidents'), 1);
    assert.equal(v('incidentReactionHoursMean'), 3);
    assert.equal(v('incidentReactionHoursMedian'), 3);
    assert.equal(v('incidentReactionHoursP90'), 3);
    for (const f of summary.figures) {
      assert.ok(f.label && f.definition.endsWith('.'), `${f.key} has a Russian label and a one-sentence definition`);
      assert.match(
        f.drill,
        new RegExp(`^/api/v1/analytics/drill\\?municipalityId=${kem}&figure=${f.key}&from=2026-04-01&to=2026-04-30$`),
      );
    }
  });

  test('the comparison period (the 30 days before) holds H: answered late', () => {
    assert.deepEqual(summary.compare.period, { from: '2026-03-02', to: '2026-03-31', timeZone: 'Asia/Novokuznetsk' });
    const v = (key: string) => fig(summary.compare.figures, key).value;
    assert.equal(v('received'), 1);
    assert.equal(v('answered'), 1);
    assert.equal(v('onTimeShare'), 0);
    assert.equal(v('reactionHoursMean'), 24);
    assert.equal(v('reactionWorkHoursMean'), 8.2); // Mon 16.03 10:00 → Tue 09:00–10:00
    assert.equal(v('resolutionHoursMean'), 840); // 35 days
    assert.equal(v('overdueNow'), 1, 'now is now, whatever the period');
  });

  test('breakdowns, ranking, trend and the overdue list', () => {
    const row = (rows: Row[], key: string) => rows.find((r) => r.key === key);
    assert.deepEqual(
      summary.byChannel.map((r) => [r.key, r.received]),
      [
        ['web', 6],
        ['phone', 2],
      ],
    );
    assert.deepEqual(
      summary.byRegime.map((r) => [r.key, r.received, r.label]),
      [
        ['appeal', 6, 'Обращения (59-ФЗ)'], // A C D E (converted) G I
        ['incident', 1, 'Инциденты'],
        ['message', 1, 'Сообщения'],
      ],
    );
    // Departments ranked by on-time share, worst first: благоустройства A B C D F I (4 on time, C late) 0.8;
    // дорожного E 1; ЖКХ G (nothing decided) last.
    assert.deepEqual(
      summary.byDepartment.map((r) => [r.key, r.received, r.onTime, r.late, r.onTimeShare, r.overdue]),
      [
        [String(dept.improvement), 6, 4, 1, 0.8, 1],
        [String(dept.roads), 1, 1, 0, 1, 0],
        [String(dept.housing), 1, 0, 0, null, 0],
      ],
    );
    assert.equal(summary.byDepartment[0]?.label, 'Управление благоустройства');
    assert.equal(row(summary.byCategory, 'none')?.received, 1, 'F has no category');
    assert.equal(row(summary.byCategory, String(cat.yards))?.received, 3); // A C I
    assert.equal(row(summary.byCategory, String(cat.potholes))?.received, 1); // E keeps its category
    // Districts (the demo boundaries): A and C in Центральный, I in Рудничный, the others have no point.
    assert.deepEqual(
      summary.byDistrict.map((r) => [r.label, r.received]),
      [
        ['Вне районов / без точки', 5],
        ['Центральный район', 2],
        ['Рудничный район', 1],
      ],
    );
    assert.equal(summary.trend.length, 12);
    assert.equal(summary.trend[0]?.month, '2025-05');
    assert.deepEqual(summary.trend.slice(-2), [
      { month: '2026-03', received: 1, answered: 1, onTimeShare: 0 },
      { month: '2026-04', received: 8, answered: 4, onTimeShare: 0.8333 },
    ]);
    assert.deepEqual(summary.trend[5], { month: '2025-10', received: 0, answered: 0, onTimeShare: null });
    assert.deepEqual(summary.overdueNow, [
      {
        caseId: cases.C!.id,
        number: cases.C!.number,
        dueAt: '2026-05-15T16:59:59.000Z',
        departmentId: dept.improvement,
        department: 'Управление благоустройства',
        executorUserId: null,
        executor: null,
      },
    ]);
    assert.equal(summary.asOf, at('2026-05-20T10:00:00'));
  });

  test('every figure drills down to exactly the cases it counts', async () => {
    const numbers = Object.fromEntries(Object.entries(cases).map(([k, c]) => [c.number, k]));
    const expected: Record<string, string> = {
      received: 'A B C D E F G I',
      answered: 'A B D F',
      onTimeShare: 'A B C D E F',
      overdueNow: 'C',
      reactionHoursMean: 'A B D E F',
      resolutionHoursMedian: 'A B D F',
      satisfaction: 'A D',
      rated: 'A D',
      reopenRate: 'A B D F',
      redirectedShare: 'A B C D E F G I',
      repeat: 'C',
      converted: 'E',
      incidents: 'F',
      incidentReactionHoursP90: 'F',
    };
    for (const f of summary.figures) {
      const d = await get<{ total: number; items: Array<{ number: string; late: boolean | null }> }>(
        'head',
        `${f.drill}&limit=500`,
      );
      assert.equal(d.total, f.base, `${f.key}: drill total = the figure's base`);
      assert.equal(d.items.length, d.total);
      if (f.unit === 'count') assert.equal(d.total, f.value, `${f.key}: count(drill) = the figure`);
      if (expected[f.key]) {
        assert.equal(
          d.items
            .map((i) => numbers[i.number])
            .sort()
            .join(' '),
          expected[f.key],
          f.key,
        );
      }
    }
    const late = await get<{ total: number; items: Array<{ number: string; late: boolean | null }> }>(
      'head',
      `${fig(summary.figures, 'onTimeShare').drill}&only=numerator`,
    );
    assert.equal(late.total, 5);
    assert.ok(late.items.every((i) => i.late === false));
    const reopened = await get<{ total: number }>('head', `${fig(summary.figures, 'reopenRate').drill}&only=numerator`);
    assert.equal(reopened.total, 1);
    // A breakdown row's drill: the department ranked first.
    const improvement = await get<{ total: number }>('head', summary.byDepartment[0]!.drill);
    assert.equal(improvement.total, 6);
  });

  test('the department head sees the executors of «благоустройства»', async () => {
    const out = await get<{
      executors: Array<{
        userId: number | null;
        assigned: number;
        answered: number;
        onTime: number;
        late: number;
        onTimeShare: number | null;
        overdueNow: number;
        resolutionWorkHoursMean: number | null;
      }>;
    }>('head', `/api/v1/analytics/departments/${dept.improvement}/executors?from=2026-04-01&to=2026-04-30`);
    const exec = out.executors.find((e) => e.userId === ids.executor);
    // A B D F are the executor's: all answered on time; resolution 24.6 79.5 79.5 8.2 → 47.95.
    assert.deepEqual(
      { ...exec },
      {
        ...exec,
        assigned: 4,
        answered: 4,
        onTime: 4,
        late: 0,
        onTimeShare: 1,
        overdueNow: 0,
        resolutionWorkHoursMean: 47.95,
      },
    );
    const nobody = out.executors.find((e) => e.userId === null);
    // C and I are nobody's: C overdue.
    assert.deepEqual(
      { ...nobody },
      {
        ...nobody,
        assigned: 2,
        answered: 0,
        onTime: 0,
        late: 1,
        onTimeShare: 0,
        overdueNow: 1,
        resolutionWorkHoursMean: null,
      },
    );
    assert.ok(
      out.executors.some((e) => e.userId === ids.head && e.assigned === 0),
      'the head is listed too',
    );
  });

  test('the heat map counts A and C in one cell and I in another', async () => {
    const heat = await get<{ cellDegrees: number; points: Array<[number, number, number]>; total: number }>(
      'head',
      `/api/v1/analytics/heat?municipalityId=${kem}&from=2026-04-01&to=2026-04-30`,
    );
    // 55.3547 / 0.005 = 11070.94 → cell 11070, centre 55.3525; 86.0873 → 17217, centre 86.0875.
    assert.deepEqual(heat, {
      cellDegrees: 0.005,
      points: [
        [55.3525, 86.0875, 2],
        [55.4025, 86.1025, 1],
      ],
      total: 3,
    });
    const yards = await get<{ total: number }>(
      'head',
      `/api/v1/analytics/heat?municipalityId=${kem}&from=2026-04-01&to=2026-04-30&categoryId=${cat.lights}`,
    );
    assert.equal(yards.total, 0);
  });

  test('the region sees Кемерово beside the others', async () => {
    const denied = await t.app.inject({
      url: '/api/v1/analytics/region/summary?from=2026-04-01&to=2026-04-30',
      headers: as(await session('admin'), { csrf: false }),
    });
    assert.equal(denied.statusCode, 403, 'a municipal administrator is not the region');
    const regional = await login(t.app, 'region.admin@otklik.demo');
    const res = await t.app.inject({
      url: '/api/v1/analytics/region/summary?from=2026-04-01&to=2026-04-30',
      headers: as(regional, { csrf: false }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { municipalities: Array<{ id: number; shortName: string; figures: Figure[] }> };
    const k = body.municipalities.find((m) => m.id === kem);
    assert.ok(k);
    assert.deepEqual(
      k.figures.map((f) => [f.key, f.value]),
      [
        ['received', 8],
        ['answered', 4],
        ['onTimeShare', 0.8333],
        ['overdueNow', 1],
        ['reactionWorkHoursMean', 2.94],
        ['resolutionWorkHoursMean', 47.95],
        ['satisfaction', 0.5],
        ['rated', 2],
        ['reopenRate', 0.25],
        ['redirectedShare', 0.125],
      ],
    );
    const other = body.municipalities.find((m) => m.id !== kem);
    assert.equal(other?.figures.find((f) => f.key === 'received')?.value, 0);
  });
});
