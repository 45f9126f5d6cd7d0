import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { allFacts, allRollupRows, rebuildAnalytics, refreshAnalytics } from './index.ts';
import { figuresFromFacts, recountFacts, rollupOf } from './recount.ts';

// Issue 7: after a random sequence of case events (every workflow action through the real API, the clock moving on
// and past deadlines, refreshes of random sizes in between), the stored facts and the rollup equal a full recount
// from the cases and their timelines, and the summary's figures equal those computed from the recount.

const USERS = {
  resident: 'resident@otklik.demo',
  resident2: 'resident2@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
} as const;
type Who = keyof typeof USERS;

/** A small deterministic generator (the seed is printed on failure). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SEED = Number(process.env.ANALYTICS_SEED ?? 20260407);
const STEPS = 260;

describe(`analytics: rollups equal a full recount after random case events (seed ${SEED})`, () => {
  let t: TestContext;
  let kem: number;
  let departments: number[];
  let categories: number[];
  const ids = {} as Record<Who, number>;
  const sessions = new Map<Who, Session & { at: number }>();
  const cases: Array<{ id: number; applicant: Who | null }> = [];
  const rnd = lcg(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const outcomes = new Map<string, number>();

  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now - s.at < 3600_000 && now >= s.at) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function post(who: Who, url: string, payload: unknown, label: string) {
    const res = await t.app.inject({ method: 'POST', url, headers: as(await session(who)), payload: payload as object });
    assert.ok(res.statusCode < 500, `${label}: ${res.statusCode} ${res.body}`);
    const key = `${label} ${res.statusCode}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    return res;
  }

  async function submit() {
    const byOperator = rnd() < 0.35;
    const who: Who = byOperator ? 'operator' : pick(['resident', 'resident2'] as const);
    const point = rnd() < 0.5 ? { lat: 55.3 + rnd() * 0.1, lon: 86.05 + rnd() * 0.07 } : {};
    const payload = byOperator
      ? {
          municipalityId: kem,
          channel: pick(['phone', 'reception', 'meeting'] as const),
          regime: pick(['appeal', 'message', 'incident'] as const),
          ...(rnd() < 0.7 && { categoryId: pick(categories) }),
          text: 'Звонок жителя',
          lastName: 'Сидоров',
          firstName: 'Иван',
          ...(rnd() < 0.5 && { email: pick(['a@example.org', 'b@example.org']) }),
          // A letter or a call registered days later: received before cases of the same applicant already counted.
          ...(rnd() < 0.4 && {
            receivedAt: new Date(t.clock.now().getTime() - Math.floor(rnd() * 10 * 24 * 3600_000)).toISOString(),
          }),
          ...point,
        }
      : { municipalityId: kem, channel: 'web', categoryId: pick(categories), text: 'Обращение жителя', ...point };
    const res = await post(who, '/api/v1/cases', payload, 'submit');
    if (res.statusCode === 201) cases.push({ id: (res.json() as { id: number }).id, applicant: byOperator ? null : who });
  }

  async function step() {
    if (cases.length < 3 || rnd() < 0.2) return submit();
    const c = pick(cases);
    const url = (a: string) => `/api/v1/cases/${c.id}/${a}`;
    const ANY = [
      'assign',
      'start',
      'draft',
      'approve',
      'return',
      'rate',
      'reopen',
      'convert',
      'redirect',
      'withdraw',
      'extend',
      'merge',
    ] as const;
    // Mostly an action the case's status allows (so cases get answered, rated and reopened), sometimes any.
    const row = await t.database.db
      .selectFrom('case')
      .select(['status', 'executor_user_id'])
      .where('id', '=', c.id)
      .executeTakeFirst();
    const likely: Record<string, ReadonlyArray<(typeof ANY)[number]>> = {
      registered: ['assign', 'assign', 'assign', 'assign', 'assign', 'convert', 'redirect', 'withdraw', 'merge'],
      assigned: row?.executor_user_id === ids.executor ? ['start', 'start', 'extend'] : ['assign'],
      in_work: ['draft', 'draft', 'draft', 'draft', 'extend', 'withdraw'],
      answer_drafted: ['approve', 'approve', 'approve', 'return'],
      answered: ['rate', 'rate', 'reopen'],
      rated: ['reopen'],
    };
    const action = pick(rnd() < 0.85 && row && likely[row.status] ? likely[row.status]! : ANY);
    switch (action) {
      case 'assign': {
        const toExecutor = rnd() < 0.7;
        return post(
          'operator',
          url('assign'),
          toExecutor ? { departmentId: departments[0], executorUserId: ids.executor } : { departmentId: pick(departments) },
          action,
        );
      }
      case 'start':
        return post('executor', url('start'), {}, action);
      case 'draft':
        return post(
          'executor',
          url('draft-answer'),
          { text: 'Ответ', result: pick(['supported', 'explained'] as const) },
          action,
        );
      case 'approve':
        return post('head', url('approve-answer'), {}, action);
      case 'return':
        return post('head', url('return-draft'), { comment: 'Уточните' }, action);
      case 'rate':
        return c.applicant && post(c.applicant, url('rate'), { rating: 1 + Math.floor(rnd() * 5) }, action);
      case 'reopen':
        return c.applicant && post(c.applicant, url('reopen'), { reason: 'Не решено' }, action);
      case 'convert':
        return post(
          'operator',
          url('convert'),
          { regime: pick(['appeal', 'message', 'incident'] as const), reason: 'Иной порядок' },
          action,
        );
      case 'redirect':
        return post('head', url('redirect'), { to: 'Министерство', reason: 'По компетенции' }, action);
      case 'withdraw':
        return post('operator', url('withdraw'), { reason: 'Отозвано' }, action);
      case 'extend':
        return post('head', url('extend'), { reason: 'Запрос документов', days: 1 + Math.floor(rnd() * 30) }, action);
      case 'merge': {
        const other = pick(cases);
        return other.id === c.id ? undefined : post('operator', url('merge'), { caseIds: [other.id] }, action);
      }
    }
  }

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    const depts = await t.database.db
      .selectFrom('department')
      .select(['id', 'name'])
      .where('municipality_id', '=', kem)
      .orderBy('id')
      .execute();
    const improvement = depts.find((d) => d.name === 'Управление благоустройства')!.id;
    departments = [improvement, ...depts.filter((d) => d.id !== improvement).map((d) => d.id)];
    categories = (
      await t.database.db.selectFrom('category').select('id').where('municipality_id', '=', kem).orderBy('id').execute()
    ).map((c) => c.id);
    const users = await t.database.db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where('email', 'in', Object.values(USERS))
      .execute();
    for (const [k, email] of Object.entries(USERS)) ids[k as Who] = users.find((u) => u.email === email)!.id;

    t.clock.set('2026-03-02T02:00:00Z');
    for (let i = 0; i < STEPS; i++) {
      await step();
      // The clock moves on by up to a day, sometimes by weeks (deadlines pass: open cases become overdue).
      const jump = rnd() < 0.08 ? 10 * 24 * 3600_000 : Math.floor(rnd() * 24 * 3600_000);
      t.clock.set(new Date(t.clock.now().getTime() + jump));
      if (rnd() < 0.12) {
        // A refresh of a random size (a read's partial refresh, or the job's), in small batches.
        const maxCases = rnd() < 0.5 ? 1 + Math.floor(rnd() * 6) : undefined;
        await refreshAnalytics(t.database.db, t.app.calendars, {
          now: t.clock.now(),
          batch: 1 + Math.floor(rnd() * 4),
          ...(maxCases !== undefined && { maxCases }),
        });
      }
    }
    await refreshAnalytics(t.database.db, t.app.calendars, { now: t.clock.now(), batch: 7 });
  });
  after(() => t.close());

  test('the random sequence exercised the workflow', () => {
    const ok = (label: string) => outcomes.get(`${label} 200`) ?? 0;
    for (const a of ['assign', 'start', 'draft', 'approve', 'rate', 'reopen', 'convert', 'redirect', 'withdraw', 'extend']) {
      assert.ok(ok(a) > 0, `${a} succeeded at least once: ${JSON.stringify([...outcomes])}`);
    }
    assert.ok(cases.length >= 30);
  });

  test('the stored facts equal facts recomputed from the cases', async () => {
    const fresh = await recountFacts(t.database.db, t.app.calendars, t.clock.now());
    const stored = await allFacts(t.database.db);
    assert.equal(stored.length, fresh.length);
    assert.deepEqual(stored, fresh);
  });

  test('the rollup equals the sums of the recomputed facts', async () => {
    const fresh = rollupOf(await recountFacts(t.database.db, t.app.calendars, t.clock.now()));
    const stored = await allRollupRows(t.database.db);
    const order = (a: { municipalityId: number; day: string; dim: string; key: string }, b: typeof a) =>
      `${a.municipalityId}|${a.day}|${a.dim}|${a.key}` < `${b.municipalityId}|${b.day}|${b.dim}|${b.key}` ? -1 : 1;
    assert.ok(fresh.length > 50);
    assert.deepEqual(
      stored
        .map(({ municipality_id, day, dim, key, ...m }) => ({ municipalityId: municipality_id, day, dim, key, m }))
        .sort(order),
      [...fresh].sort(order),
    );
  });

  test('a rebuild from nothing gives the same facts and rollup', async () => {
    const facts = await allFacts(t.database.db);
    const rows = await allRollupRows(t.database.db);
    const r = await rebuildAnalytics(t.database.db, t.app.calendars, t.clock.now(), 9);
    assert.equal(r.cases, facts.length);
    assert.deepEqual(await allFacts(t.database.db), facts);
    assert.deepEqual(await allRollupRows(t.database.db), rows);
  });

  test('the summary equals the figures of the recount', async () => {
    const facts = await recountFacts(t.database.db, t.app.calendars, t.clock.now());
    const head = await session('head');
    for (const period of [
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-03-02', to: '2026-12-31' },
    ]) {
      const res = await t.app.inject({
        url: `/api/v1/analytics/municipalities/${kem}/summary?from=${period.from}&to=${period.to}`,
        headers: as(head, { csrf: false }),
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { figures: Array<{ key: string; value: number | null; base: number }> };
      const expected = figuresFromFacts(facts, kem, period);
      assert.deepEqual(
        Object.fromEntries(body.figures.map((f) => [f.key, { value: f.value, base: f.base }])),
        expected,
        `${period.from} … ${period.to}`,
      );
    }
  });
});
