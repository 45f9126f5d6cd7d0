import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { caseDeadlineRecomputer } from './recompute.ts';

type Case = {
  id: number;
  number: string;
  departmentId: number | null;
  categoryId: number | null;
  text: string;
  receivedAt: string;
  registeredAt: string | null;
  answerDue: { kind: string; dueAt: string; rule: string; source: string } | null;
  due: { kind: string; dueAt: string; rule: string; source: string } | null;
  applicant: Record<string, unknown>;
  deadlines: Array<{ kind: string; dueAt: string; rule: string; source: string }>;
  timeline: Array<{ type: string; at: string; late: boolean | null; deadlineAt: string | null; data: Record<string, unknown> }>;
};

describe('cases: one intake for every channel', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let resident: Session;
  let resident2: Session;
  let kemOperator: Session;
  let belOperator: Session;
  let kemAdmin: Session;
  let roads: { id: number; departmentId: number };

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово (+07); sessions start now
    [resident, resident2, kemOperator, belOperator, kemAdmin] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'resident2@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'bel.operator@otklik.demo'),
      login(t.app, 'kem.admin@otklik.demo'),
    ]);
    const cats = (await t.app.inject({ url: `/api/v1/municipalities/${kem}/categories` })).json().items as Array<{
      id: number;
      name: string;
      departmentId: number;
    }>;
    roads = cats.find((c) => c.name === 'Дороги и тротуары')!;
  });
  after(() => t.close());

  const submit = (session: Session | undefined, payload: Record<string, unknown>, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...(session && as(session)), ...(key && { 'idempotency-key': key }) },
      payload,
    });
  const get = (session: Session | undefined, id: number) =>
    t.app.inject({ url: `/api/v1/cases/${id}`, ...(session && { headers: as(session) }) });
  const list = (session: Session, query = '') => t.app.inject({ url: `/api/v1/cases${query}`, headers: as(session) });
  const web = (text: string, extra: Record<string, unknown> = {}) => ({ municipalityId: kem, channel: 'web', text, ...extra });

  const created: Record<string, Case> = {};

  test('demo categories: public list with ТОТКО codes and routing', async () => {
    const res = await t.app.inject({ url: `/api/v1/municipalities/${kem}/categories` });
    assert.equal(res.statusCode, 200);
    const names = res.json().items.map((c: { name: string; totkoCode: string }) => `${c.name} ${c.totkoCode}`);
    assert.deepEqual(names.sort(), [
      'Благоустройство дворов 0003.0009.0097.0689',
      'Дороги и тротуары 0003.0009.0099.0742',
      'ЖКХ: отопление и водоснабжение 0005.0005.0056',
      // The map-report categories (issue 5), messages under ПОС rules.
      'Уличное освещение 0003.0009.0097.0689',
      'Ямы на дорогах 0003.0009.0099.0742',
    ]);
  });

  test('a resident submits on the web: number, routing, deadlines, timeline, letter', async () => {
    const res = await submit(resident, web('Яма на дороге у дома 5 по ул. Весенней', { categoryId: roads.id }));
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json() as Case;
    created.first = c;
    assert.equal(c.number, 'КЕМ-2026-000001');
    assert.equal(c.departmentId, roads.departmentId);
    assert.equal(c.receivedAt, '2026-04-30T10:00:00+07:00');
    assert.equal(c.registeredAt, c.receivedAt);
    assert.equal(c.answerDue?.dueAt, '2026-05-29T23:59:59+07:00');
    assert.match(c.answerDue?.source ?? '', /59-ФЗ/);
    assert.equal(c.due?.kind, 'answer');
    assert.equal(c.due?.dueAt, '2026-05-29T23:59:59+07:00');
    assert.match(c.due?.source ?? '', /59-ФЗ ст\. 12/);
    assert.ok(c.due?.rule);
    assert.ok(c.deadlines.every((d) => d.rule && d.source && /\+07:00$/.test(d.dueAt)));
    assert.deepEqual(
      c.timeline.map((e) => [e.type, e.late]),
      [
        ['received', null],
        ['registered', false],
      ],
    );
    assert.equal(c.applicant.lastName, 'Новиков');
    const mail = await t.database.db
      .selectFrom('job')
      .select('payload')
      .where('name', '=', 'mail.send')
      .where(sql<boolean>`payload->>'subject' like ${'%КЕМ-2026-000001%'}`)
      .execute();
    assert.equal(mail.length, 1);
  });

  test('numbering: yearly sequence per municipality', async () => {
    const second = await submit(resident, web('Не убран снег во дворе'));
    assert.equal(second.json().number, 'КЕМ-2026-000002');
    const belovo = await submit(resident, { ...web('Нет света в подъезде'), municipalityId: bel });
    assert.equal(belovo.json().number, 'БЕЛ-2026-000001');
    created.belovo = belovo.json();
  });

  test('numbering: concurrent intakes get distinct numbers with no gap; a new year takes over a counter row', async () => {
    const before = Number((await submit(resident, web('Перед параллельной подачей'))).json().number.slice(-6));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => submit(resident, web(`Параллельная подача № ${i + 1}`))),
    );
    const numbers = results.map((r) => Number(r.json().number.slice(-6))).sort((a, b) => a - b);
    assert.deepEqual(
      numbers,
      Array.from({ length: 12 }, (_, i) => before + 1 + i),
    );
    // A deployment numbered by the older counter row goes on after its last number in a year it had started.
    await t.database.db.insertInto('case_counter').values({ municipality_id: kem, year: 2027, last: 41 }).execute();
    const saved = t.clock.now();
    t.clock.set('2027-02-01T03:00:00Z');
    const next = await submit(await login(t.app, 'resident@otklik.demo'), web('Первое в 2027 году'));
    assert.equal(next.statusCode, 201, next.body);
    assert.equal(next.json().number, 'КЕМ-2027-000042');
    t.clock.set(saved.toISOString());
  });

  test('an operator registers a letter and a call with the contact details', async () => {
    const letter = await submit(kemOperator, {
      municipalityId: kem,
      channel: 'letter',
      kind: 'complaint',
      text: 'Письмо о протечке кровли',
      receivedAt: '2026-04-28T02:00:00Z',
      lastName: 'Петров',
      firstName: 'Пётр',
      postalAddress: '650000, г. Кемерово, ул. Ленина, д. 1, кв. 2',
      answerBy: 'post',
    });
    assert.equal(letter.statusCode, 201, letter.body);
    const c = letter.json() as Case;
    assert.equal(c.receivedAt, '2026-04-28T09:00:00+07:00');
    assert.equal(c.registeredAt, '2026-04-30T10:00:00+07:00');
    assert.equal(c.applicant.lastName, 'Петров');
    assert.equal(c.applicant.userId, null);
    const registered = c.timeline.find((e) => e.type === 'registered');
    assert.equal(registered?.late, false);
    const call = await submit(kemOperator, {
      municipalityId: kem,
      channel: 'phone',
      text: 'Звонок: не работает фонарь',
      lastName: 'Сидорова',
      phone: '+7 900 000-00-00',
      email: 'sidorova@example.org',
    });
    assert.equal(call.statusCode, 201, call.body);
    assert.equal(call.json().applicant.answerBy, 'email');
  });

  // [name, session, payload, status, field]
  const refusals: Array<[string, () => Session | undefined, Record<string, unknown>, number, string?]> = [
    [
      'a letter without the surname (ст. 7)',
      () => kemOperator,
      { channel: 'letter', text: 'x', postalAddress: 'адрес', answerBy: 'post' },
      400,
      'lastName',
    ],
    [
      'a letter answered by post without the postal address',
      () => kemOperator,
      { channel: 'letter', text: 'x', lastName: 'Петров', answerBy: 'post' },
      400,
      'postalAddress',
    ],
    [
      'a letter answered by e-mail without the e-mail',
      () => kemOperator,
      { channel: 'letter', text: 'x', lastName: 'Петров', answerBy: 'email' },
      400,
      'email',
    ],
    ['a resident’s anonymous appeal', () => resident, { channel: 'web', text: 'x', isAnonymous: true }, 400, 'isAnonymous'],
    ['a resident registering a letter', () => resident, { channel: 'letter', text: 'x', lastName: 'И' }, 403],
    ['a Белово operator registering in Кемерово', () => belOperator, { channel: 'phone', text: 'x', lastName: 'И' }, 403],
    ['a category of another municipality', () => resident, { channel: 'web', text: 'x', categoryId: 999999 }, 400, 'categoryId'],
    ['nobody signed in', () => undefined, { channel: 'web', text: 'x' }, 401],
    ['an unknown field', () => resident, { channel: 'web', text: 'x', priority: 1 }, 400],
  ];
  for (const [name, who, payload, status, field] of refusals) {
    test(`refused: ${name} → ${status}${field ? ` (${field})` : ''}`, async () => {
      const res = await submit(who(), { municipalityId: kem, ...payload });
      assert.equal(res.statusCode, status, res.body);
      if (field)
        assert.ok(
          res.json().error.details?.some((d: { field: string }) => d.field === field),
          res.body,
        );
    });
  }

  test('idempotency: a repeated key returns the same case with 200', async () => {
    const a = await submit(resident, web('Повторная отправка'), 'key-seq-1');
    const b = await submit(resident, web('Повторная отправка'), 'key-seq-1');
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 200);
    assert.equal(b.json().id, a.json().id);
    // The same key from another applicant is another case.
    const c = await submit(resident2, web('Повторная отправка'), 'key-seq-1');
    assert.equal(c.statusCode, 201);
    assert.notEqual(c.json().id, a.json().id);
  });

  test('idempotency: concurrent double submits make one case', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => submit(resident, web('Двойной клик'), 'key-conc-1')));
    const ids = new Set(results.map((r) => r.json().id));
    assert.equal(ids.size, 1, results.map((r) => r.body).join('\n'));
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 200, 201]);
    const rows = await t.database.db.selectFrom('case').select('id').where('text', '=', 'Двойной клик').execute();
    assert.equal(rows.length, 1);
  });

  test('reading: the applicant and the municipality’s staff; others get 404, visitors 401', async () => {
    const id = created.first!.id;
    assert.equal((await get(resident, id)).statusCode, 200);
    assert.equal((await get(kemOperator, id)).statusCode, 200);
    assert.equal((await get(resident2, id)).statusCode, 404);
    assert.equal((await get(belOperator, id)).statusCode, 404);
    assert.equal((await get(undefined, id)).statusCode, 401);
    assert.equal((await get(resident, 999999)).statusCode, 404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id'])
      .where('action', '=', 'personal_data.read')
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(id))
      .execute();
    assert.deepEqual(
      audit.map((a) => a.actor_user_id),
      [kemOperator.userId],
    );
  });

  test('the queue: staff see their municipality, nearest deadline first; residents their own', async () => {
    const kemQueue = (await list(kemOperator)).json().items as Array<{ municipalityId: number; due: { dueAt: string } }>;
    assert.ok(kemQueue.length >= 4);
    assert.ok(kemQueue.every((c) => c.municipalityId === kem));
    const dues = kemQueue.map((c) => c.due.dueAt);
    assert.deepEqual([...dues].sort(), dues);
    const belQueue = (await list(belOperator)).json().items as Array<{ municipalityId: number }>;
    assert.deepEqual(
      belQueue.map((c) => c.municipalityId),
      [bel],
    );
    const own = (await list(resident2)).json().items as Array<{ text: string }>;
    assert.deepEqual(
      own.map((c) => c.text),
      ['Повторная отправка'],
    );
    assert.equal((await t.app.inject({ url: '/api/v1/cases' })).statusCode, 401);
    const byChannel = (await list(kemOperator, '?channel=letter')).json().items;
    assert.deepEqual(
      byChannel.map((c: { text: string }) => c.text),
      ['Письмо о протечке кровли'],
    );
    const byDepartment = (await list(kemOperator, `?department=${roads.departmentId}`)).json().items;
    assert.equal(byDepartment.length, 1);
    assert.equal((await list(kemOperator, '?overdue=true')).json().items.length, 0);
  });

  test('Russian full-text search: «ямы» finds «Яма на дороге»', async () => {
    const res = await list(kemOperator, `?q=${encodeURIComponent('ямы')}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().items.map((c: { number: string }) => c.number),
      ['КЕМ-2026-000001'],
    );
    const none = await list(belOperator, `?q=${encodeURIComponent('ямы')}`);
    assert.equal(none.json().items.length, 0);
  });

  test('HTML in the text is stored and returned as text', async () => {
    const text = '<script>alert(1)</script><b>двор</b>';
    const res = await submit(resident, web(text));
    assert.equal(res.json().text, text);
  });

  test('the timeline is append-only', async () => {
    const id = created.first!.id;
    await assert.rejects(sql`update case_event set type = 'x' where case_id = ${id}`.execute(t.database.db), /append-only/);
    await assert.rejects(sql`delete from case_event where case_id = ${id}`.execute(t.database.db), /append-only/);
  });

  test('categories: the municipal admin adds and changes one; others cannot', async () => {
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/categories`,
      headers: as(kemAdmin),
      payload: { name: 'Освещение улиц', totkoCode: '0003.0009.0097.0689', departmentId: roads.departmentId },
    });
    assert.equal(add.statusCode, 201, add.body);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/categories/${add.json().id}`,
      headers: as(kemAdmin),
      payload: { isActive: false },
    });
    assert.equal(patch.json().isActive, false);
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/categories`,
      headers: as(kemAdmin),
      payload: { name: 'Неизвестное', totkoCode: '9999.9999' },
    });
    assert.equal(bad.statusCode, 400);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/categories`,
      headers: as(belOperator),
      payload: { name: 'Чужая' },
    });
    assert.equal(foreign.statusCode, 403);
  });

  test('calendar recompute: a case whose deadline moved gets new deadlines and an event', async () => {
    const id = created.first!.id;
    // Simulate deadlines computed on an older calendar: the stored answer deadline differs from today's calendar.
    const row = await t.database.db.selectFrom('case').select('deadlines').where('id', '=', id).executeTakeFirstOrThrow();
    const stale = (row.deadlines as Array<{ kind: string; dueAt: string }>).map((d) =>
      d.kind === 'answer' ? { ...d, dueAt: '2026-05-28T23:59:59+07:00' } : d,
    );
    await t.database.db
      .updateTable('case')
      .set({ deadlines: JSON.stringify(stale), due_at: new Date('2026-05-28T16:59:59Z') })
      .where('id', '=', id)
      .execute();
    const { items } = await caseDeadlineRecomputer.recompute({
      years: [2026],
      region: null,
      calendarFor: (region) => t.app.calendars.calendarFor(region),
      db: t.database.db,
      now: t.clock.now(),
    });
    assert.ok(items >= 1);
    const c = (await get(resident, id)).json() as Case;
    assert.equal(c.due?.dueAt, '2026-05-29T23:59:59+07:00');
    const ev = c.timeline.at(-1);
    assert.equal(ev?.type, 'deadlines_recomputed');
    assert.deepEqual(ev?.data.changed, [{ kind: 'answer', from: '2026-05-28T23:59:59+07:00', to: '2026-05-29T23:59:59+07:00' }]);
  });
});
