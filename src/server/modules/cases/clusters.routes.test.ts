import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

type Card = {
  id: number;
  number: string;
  status: string;
  clusterPrimaryCaseId: number | null;
  answer: { text: string; result: string | null } | null;
  allowedActions: string[];
  cluster: { primaryCaseId: number; primaryNumber: string; members: Array<{ id: number; number: string }> } | null;
  timeline: Array<{ type: string; late: boolean | null; deadlineAt: string | null; data: Record<string, unknown> }>;
};
type Similar = { items: Array<{ id: number; number: string; text: string; score: number; reason: string }>; hiddenCount: number };

const USERS = {
  resident: 'resident@otklik.demo', // Новиков Павел
  resident2: 'resident2@otklik.demo', // Орлова Мария
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
  belOperator: 'bel.operator@otklik.demo',
} as const;
type Who = keyof typeof USERS;

describe('cases: similar cases and clusters of duplicates', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let roads: number; // «Дороги и тротуары» in Кемерово
  let yards: number; // «Благоустройство дворов» in Кемерово
  let belRoads: number;
  let improvement: number; // the demo executor's and head's department
  let executorId: number;
  const sessions = new Map<Who, Session & { at: number }>();
  // The cases of the scenario (by role in it).
  const c = {} as Record<'a' | 'b' | 'letter' | 'otherCategory' | 'redirected' | 'belovo' | 'bench', Card>;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    const cats = await t.database.db.selectFrom('category').select(['id', 'name', 'municipality_id']).execute();
    const cat = (m: number, name: string) => cats.find((x) => x.municipality_id === m && x.name === name)!.id;
    roads = cat(kem, 'Дороги и тротуары');
    yards = cat(kem, 'Благоустройство дворов');
    belRoads = cat(bel, 'Дороги и тротуары');
    improvement = (await t.database.db
      .selectFrom('department')
      .select('id')
      .where('municipality_id', '=', kem)
      .where('name', '=', 'Управление благоустройства')
      .executeTakeFirstOrThrow())!.id;
    executorId = (await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', USERS.executor)
      .executeTakeFirstOrThrow())!.id;

    // B (Орлова) arrives first, in March: its answer period ends long before A's.
    t.clock.set('2026-03-10T03:00:00Z');
    c.b = await submit('resident2', { categoryId: roads, text: 'Большая яма на дороге возле дома 5 на Ленина' });
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово (+07)
    c.a = await submit('resident', { categoryId: roads, text: 'Яма на дороге у дома 5 по ул. Ленина' });
    c.letter = await submit('operator', {
      channel: 'letter',
      categoryId: roads,
      text: 'Прошу отремонтировать яму на дороге у дома 5 по улице Ленина',
      lastName: 'Петров',
      firstName: 'Пётр',
      postalAddress: '650000, г. Кемерово, ул. Ленина, д. 7, кв. 2',
      answerBy: 'post',
    });
    c.otherCategory = await submit('resident2', { categoryId: yards, text: 'Яма на дороге у дома 5 по ул. Ленина' });
    c.redirected = await submit('resident2', { categoryId: roads, text: 'Яма на дороге у дома 5 по ул. Ленина, глубокая' });
    const redirected = await act('head', c.redirected.id, 'redirect', { to: 'ГИБДД', reason: 'Не наша компетенция' });
    assert.equal(redirected.statusCode, 200, redirected.body);
    c.belovo = await submit('resident2', {
      municipalityId: bel,
      categoryId: belRoads,
      text: 'Яма на дороге у дома 5 по ул. Ленина',
    });
    c.bench = await submit('resident', { categoryId: yards, text: 'Сломана скамейка во дворе дома 3' });
  });
  after(() => t.close());

  /** A session valid at the clock's current time (the clock jumps weeks, past the sessions' lifetime). */
  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function submit(who: Who, payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(await session(who)),
      payload: { municipalityId: kem, channel: 'web', ...payload },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Card;
  }
  async function act(who: Who, id: number, action: string, payload: Record<string, unknown> = {}) {
    return t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/${action}`, headers: as(await session(who)), payload });
  }
  async function card(who: Who, id: number) {
    const res = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: as(await session(who)) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Card;
  }
  async function similarTo(who: Who, id: number) {
    return t.app.inject({ url: `/api/v1/cases/${id}/similar`, headers: as(await session(who)) });
  }
  async function similarFor(who: Who, payload: Record<string, unknown>) {
    return t.app.inject({ method: 'POST', url: '/api/v1/cases/similar', headers: as(await session(who)), payload });
  }
  const reasons = (s: Similar) => Object.fromEntries(s.items.map((i) => [i.id, i.reason]));

  test('staff: similar to a case — the same applicant and similar texts of its category; not closed, other categories or municipalities', async () => {
    const res = await similarTo('operator', c.a.id);
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json() as Similar;
    assert.deepEqual(reasons(s), {
      [c.bench.id]: 'same_applicant', // Новиков's other open case, whatever its text
      [c.b.id]: 'similar_text',
      [c.letter.id]: 'similar_text',
    });
    assert.equal(s.items[0]?.id, c.bench.id, 'the same applicant first');
    const b = s.items.find((i) => i.id === c.b.id)!;
    assert.ok(b.score >= 0.4 && b.score <= 1, `score ${b.score}`);
    assert.equal(b.text, 'Большая яма на дороге возле дома 5 на Ленина', 'staff see the summary');
    assert.equal(s.hiddenCount, 0);
    // Not: the case itself, the same text in another category, a redirected case, a case of Белово.
    for (const x of [c.a, c.otherCategory, c.redirected, c.belovo]) assert.ok(!(x.id in reasons(s)), x.number);
  });

  test('staff: similar before registering — by the applicant’s e-mail and by text; Белово staff see Белово only', async () => {
    const res = await similarFor('operator', {
      municipalityId: kem,
      categoryId: roads,
      text: 'Большая яма на дороге у дома 5 по Ленина',
      email: 'RESIDENT2@otklik.demo',
    });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json() as Similar;
    assert.deepEqual(reasons(s), {
      [c.b.id]: 'same_applicant',
      [c.otherCategory.id]: 'same_applicant',
      [c.a.id]: 'similar_text',
      [c.letter.id]: 'similar_text',
    });
    const bel = (
      await similarFor('belOperator', {
        municipalityId: t.demo.municipalities.belovo!,
        categoryId: belRoads,
        text: 'Яма на дороге у дома 5 по ул. Ленина',
      })
    ).json() as Similar;
    assert.deepEqual(reasons(bel), { [c.belovo.id]: 'similar_text' });
    // A text of two words is not compared (it would match every case of the category).
    const short = (await similarFor('operator', { municipalityId: kem, categoryId: roads, text: 'Яма' })).json() as Similar;
    assert.deepEqual(short.items, []);
  });

  test('a resident sees only their own open cases and a count of similar ones — never another person’s text or name', async () => {
    const res = await similarFor('resident', {
      municipalityId: kem,
      categoryId: roads,
      text: 'Глубокая яма на дороге возле дома 5 по Ленина',
    });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json() as Similar;
    assert.deepEqual(reasons(s), { [c.a.id]: 'same_applicant', [c.bench.id]: 'same_applicant' });
    assert.equal(s.items[0]?.id, c.a.id, 'the most similar of one’s own first');
    assert.equal(s.hiddenCount, 2, 'Орлова’s case and the letter');
    for (const secret of [c.b.number, c.letter.number, 'Большая яма', 'отремонтировать', 'Петров', 'Орлова', 'resident2']) {
      assert.ok(!res.body.includes(secret), `the answer leaks ${secret}`);
    }
    // A staff member of Белово is a resident for Кемерово.
    const bel = (
      await similarFor('belOperator', {
        municipalityId: kem,
        categoryId: roads,
        text: 'Яма на дороге у дома 5 по ул. Ленина',
      })
    ).json() as Similar;
    assert.deepEqual(bel.items, []);
    assert.equal(bel.hiddenCount, 3);
  });

  test('similar: bad input and scope', async () => {
    const cases: Array<[string, Who, Record<string, unknown>, number]> = [
      [
        'a category of another municipality',
        'resident',
        { municipalityId: kem, categoryId: belRoads, text: 'Яма на дороге' },
        400,
      ],
      ['an unknown municipality', 'resident', { municipalityId: 999999, text: 'Яма на дороге' }, 404],
      ['an unknown field', 'resident', { municipalityId: kem, text: 'Яма', extra: 1 }, 400],
      ['an empty text', 'resident', { municipalityId: kem, text: '' }, 400],
    ];
    for (const [name, who, payload, status] of cases) {
      assert.equal((await similarFor(who, payload)).statusCode, status, name);
    }
    assert.equal((await similarTo('resident', c.a.id)).statusCode, 404, 'a resident, even the applicant');
    assert.equal((await similarTo('belOperator', c.a.id)).statusCode, 404, 'Белово staff');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases/similar',
      payload: { municipalityId: kem, text: 'x' },
    });
    assert.equal(anonymous.statusCode, 401);
  });

  test('merge: who may, and which cases', async () => {
    // B goes to the executor before the merge (the member's executor must then be refused).
    const assigned = await act('operator', c.b.id, 'assign', { departmentId: improvement, executorUserId: executorId });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const refusals: Array<[string, Who, number, number[], number]> = [
      ['an executor', 'executor', c.a.id, [c.b.id], 403],
      ['Белово’s operator', 'belOperator', c.a.id, [c.b.id], 404],
      ['the applicant', 'resident', c.a.id, [c.b.id], 404],
      ['a redirected case', 'operator', c.a.id, [c.b.id, c.redirected.id], 409],
      ['into a redirected case', 'operator', c.redirected.id, [c.b.id], 409],
      ['a case of Белово', 'operator', c.a.id, [c.belovo.id], 400],
      ['into itself', 'operator', c.a.id, [c.a.id], 400],
      ['no cases', 'operator', c.a.id, [], 400],
    ];
    for (const [name, who, id, caseIds, status] of refusals) {
      const res = await act(who, id, 'merge', { caseIds });
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
    }
    assert.equal((await card('head', c.b.id)).cluster, null, 'nothing changed');

    const merged = await act('operator', c.a.id, 'merge', { caseIds: [c.b.id, c.letter.id] });
    assert.equal(merged.statusCode, 200, merged.body);
    const a = merged.json() as Card;
    assert.deepEqual(a.cluster, {
      primaryCaseId: c.a.id,
      primaryNumber: c.a.number,
      members: [
        { id: c.b.id, number: c.b.number, status: 'assigned' },
        { id: c.letter.id, number: c.letter.number, status: 'registered' },
      ],
    });
    assert.equal(a.clusterPrimaryCaseId, null);
    assert.equal(a.timeline.at(-1)?.type, 'merged');
    assert.deepEqual(a.timeline.at(-1)?.data, {
      kind: 'cluster_joined',
      cases: [
        { id: c.b.id, number: c.b.number },
        { id: c.letter.id, number: c.letter.number },
      ],
    });
    assert.ok(a.allowedActions.includes('merge'), 'the primary takes more');
    const b = await card('head', c.b.id);
    assert.equal(b.clusterPrimaryCaseId, c.a.id);
    assert.equal(b.cluster?.primaryNumber, c.a.number);
    assert.equal(b.timeline.at(-1)?.type, 'merged');
    assert.deepEqual(b.timeline.at(-1)?.data, { kind: 'merged_into', primaryCaseId: c.a.id, primaryNumber: c.a.number });
    assert.equal((await card('head', c.letter.id)).timeline.at(-1)?.data.kind, 'merged_into');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'case.merge')
      .where('entity_id', '=', String(c.a.id))
      .execute();
    assert.equal(audit.length, 1);

    // A member's own applicant sees the cluster's numbers, not the other applicants.
    const mine = await t.app.inject({ url: `/api/v1/cases/${c.b.id}`, headers: as(await session('resident2')) });
    assert.equal((mine.json() as Card).cluster?.primaryCaseId, c.a.id);
    // (The letter's applicant is Петров Пётр; the demo executor Петров Дмитрий may be named as staff.)
    for (const secret of ['Новиков', 'Пётр', '650000', 'resident@otklik.demo']) assert.ok(!mine.body.includes(secret), secret);

    // Members are not merged again; the cluster is no longer suggested as similar to its primary.
    assert.equal((await act('operator', c.a.id, 'merge', { caseIds: [c.b.id] })).statusCode, 409);
    assert.equal((await act('operator', c.otherCategory.id, 'merge', { caseIds: [c.b.id] })).statusCode, 409);
    const again = (await (await similarTo('operator', c.a.id)).json()) as Similar;
    assert.deepEqual(reasons(again), { [c.bench.id]: 'same_applicant' });
  });

  test('a member is worked on through its primary: actions on it are refused with 409, its card offers none', async () => {
    const member = await card('head', c.b.id);
    assert.deepEqual(member.allowedActions.sort(), ['unmerge', 'withdraw'], 'the withdrawal (the applicant’s right), unmerge');
    const attempts: Array<[Who, string, Record<string, unknown>]> = [
      ['executor', 'start', {}],
      ['executor', 'draft-answer', { text: 'Яму заделают', result: 'supported' }],
      ['head', 'approve-answer', {}],
      ['operator', 'assign', { departmentId: improvement, executorUserId: executorId }],
      ['head', 'extend', { reason: 'Нужна проверка' }],
      ['operator', 'merge', { caseIds: [c.otherCategory.id] }],
    ];
    for (const [who, action, payload] of attempts) {
      const res = await act(who, c.b.id, action, payload);
      assert.equal(res.statusCode, 409, `${action}: ${res.body}`);
      const expected =
        action === 'merge'
          ? `${c.b.number} is in the cluster of ${c.a.number}; merge into that case`
          : `The case is in the cluster of ${c.a.number}; act on that case`;
      assert.equal(res.json().error.message, expected);
    }
    assert.equal((await card('head', c.b.id)).status, 'assigned', 'unchanged');
  });

  test('answering the primary answers every member: each its own event, lateness and letter', async () => {
    const run = async (who: Who, action: string, payload: Record<string, unknown> = {}) => {
      const res = await act(who, c.a.id, action, payload);
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
    };
    await run('operator', 'assign', { departmentId: improvement, executorUserId: executorId });
    await run('executor', 'start');
    await run('executor', 'draft-answer', { text: 'Яма у дома 5 по ул. Ленина будет заделана до 1 июня.', result: 'supported' });
    await t.app.jobs.drain(); // the letters so far (registration, redirection) out of the way
    t.mailer.sent.length = 0;
    t.clock.set('2026-05-20T03:00:00Z');
    await run('head', 'approve-answer');
    await t.app.jobs.drain();

    const answer = { text: 'Яма у дома 5 по ул. Ленина будет заделана до 1 июня.', result: 'supported' };
    for (const [x, late] of [
      [c.a, false],
      [c.b, true], // B's period (from 10 March) ended in April
      [c.letter, false],
    ] as const) {
      const seen = await card('head', x.id);
      assert.equal(seen.status, 'answered', x.number);
      assert.deepEqual({ text: seen.answer?.text, result: seen.answer?.result }, answer, x.number);
      const answered = seen.timeline.filter((e) => e.type === 'answered');
      assert.equal(answered.length, 1, x.number);
      assert.equal(answered[0]?.late, late, x.number);
    }
    const b = await card('resident2', c.b.id);
    assert.equal(b.timeline.at(-1)?.data.clusterPrimaryNumber, c.a.number);
    assert.equal((await card('head', c.letter.id)).timeline.at(-1)?.data.post_required, true, 'the letter goes by post');

    const subjects = t.mailer.sent.map((m) => [m.to, m.subject]).sort();
    assert.deepEqual(subjects, [
      ['resident2@otklik.demo', `Ответ на обращение ${c.b.number}`],
      ['resident@otklik.demo', `Ответ на обращение ${c.a.number}`],
    ]);
    assert.match(t.mailer.lastTo('resident2@otklik.demo')?.text ?? '', /будет заделана до 1 июня/);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'case.approve_answer')
      .where('entity_id', 'in', [c.a.id, c.b.id, c.letter.id].map(String))
      .execute();
    assert.equal(audit.length, 3, 'an audit row per case');

    // Answered, the member is the applicant's again to rate.
    const rated = await act('resident2', c.b.id, 'rate', { rating: 4 });
    assert.equal(rated.statusCode, 200, rated.body);
  });

  test('the OpenAPI document lists the routes with their bodies', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    assert.ok(doc.paths['/api/v1/cases/similar']?.post);
    assert.ok(doc.paths['/api/v1/cases/{id}/similar']?.get);
    assert.ok(doc.paths['/api/v1/cases/{id}/unmerge']?.post);
    const merge = doc.paths['/api/v1/cases/{id}/merge']?.post;
    assert.deepEqual(Object.keys(merge.requestBody.content['application/json'].schema.properties), ['caseIds']);
    assert.ok(merge.responses['200'] && merge.responses['409']);
  });

  test('two clusters become one; unmerge: a member merged by mistake becomes a case of its own', async () => {
    t.clock.set('2026-05-21T03:00:00Z');
    const x = await submit('resident', { categoryId: yards, text: 'Не вывозят мусор со двора дома 9' });
    const y = await submit('resident2', { categoryId: yards, text: 'Мусор во дворе дома 9 не вывозят неделю' });
    const z = await submit('resident2', { categoryId: yards, text: 'Двор дома 9 завален мусором' });
    const w = await submit('resident', { categoryId: yards, text: 'Мусор у дома 9 не убран' });
    assert.equal((await act('operator', x.id, 'merge', { caseIds: [y.id] })).statusCode, 200);
    assert.equal((await act('head', z.id, 'merge', { caseIds: [w.id] })).statusCode, 200);
    const both = await act('head', x.id, 'merge', { caseIds: [z.id] });
    assert.equal(both.statusCode, 200, both.body);
    assert.deepEqual(
      (both.json() as Card).cluster?.members.map((m) => m.id),
      [y.id, z.id, w.id],
      'z brings its member w along',
    );
    assert.equal((await card('head', w.id)).clusterPrimaryCaseId, x.id);
    assert.equal((await act('operator', w.id, 'unmerge')).statusCode, 200);
    assert.equal((await act('operator', z.id, 'unmerge')).statusCode, 200);
    assert.equal((await act('executor', y.id, 'unmerge')).statusCode, 403);
    assert.equal((await act('operator', x.id, 'unmerge')).statusCode, 409, 'the primary is no member');
    const res = await act('operator', y.id, 'unmerge');
    assert.equal(res.statusCode, 200, res.body);
    const alone = res.json() as Card;
    assert.equal(alone.cluster, null);
    assert.equal(alone.clusterPrimaryCaseId, null);
    assert.equal(alone.timeline.at(-1)?.type, 'unmerged');
    assert.equal((await card('head', x.id)).cluster, null);
  });
});
