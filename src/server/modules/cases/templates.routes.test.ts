import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { renderTemplate, TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './commands/render-template.ts';

type Template = { id: number; categoryId: number | null; title: string; text: string; result: string | null; isActive: boolean };
type Rule = { categoryId: number; categoryName: string; departmentId: number | null; departmentName: string | null };
type Load = { userId: number; name: string; departmentName: string | null; open: number; overdue: number; dueSoon: number };

describe('answer templates: placeholders', () => {
  const values = {
    number: 'КЕМ-2026-000007',
    applicant: 'Новиков Павел Сергеевич',
    received: '30.04.2026',
    registered: '30.04.2026',
    category: 'Дороги и тротуары',
    address: '',
    municipality: 'Кемеровский городской округ',
    today: '05.05.2026',
  };
  // [case, template, rendered]
  const cases: Array<[string, string, string]> = [
    ['no placeholders', 'Ответ.', 'Ответ.'],
    [
      'number and applicant',
      'Уважаемый(ая) {{applicant}}! № {{number}}',
      'Уважаемый(ая) Новиков Павел Сергеевич! № КЕМ-2026-000007',
    ],
    ['spaces inside the braces', '{{ received }} / {{today}}', '30.04.2026 / 05.05.2026'],
    ['the same placeholder twice', '{{number}}, {{number}}', 'КЕМ-2026-000007, КЕМ-2026-000007'],
    ['a missing value renders empty', 'Адрес: {{address}}.', 'Адрес: .'],
    ['a missing value in brackets drops the brackets', 'о дороге ({{address}}) у школы', 'о дороге у школы'],
    ['a present value keeps its brackets', 'о дороге ({{category}})', 'о дороге (Дороги и тротуары)'],
    ['an unknown one is left as is', '{{nomer}} {{category}}', '{{nomer}} Дороги и тротуары'],
    ['single braces are text', '{number} {{municipality}}', '{number} Кемеровский городской округ'],
  ];
  for (const [name, text, expected] of cases) test(name, () => assert.equal(renderTemplate(text, values), expected));

  test('unknown placeholders are found (a typo would reach the applicant)', () => {
    assert.deepEqual(unknownPlaceholders('{{number}} {{ applicant }} {{nomer}} {{nomer}} {{}}'), ['{{nomer}}', '{{}}']);
    assert.deepEqual(
      unknownPlaceholders(
        Object.keys(TEMPLATE_PLACEHOLDERS)
          .map((k) => `{{${k}}}`)
          .join(' '),
      ),
      [],
    );
  });
});

const USERS = {
  resident: 'resident@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  head: 'kem.head@otklik.demo',
  admin: 'kem.admin@otklik.demo',
  belOperator: 'bel.operator@otklik.demo',
  belAdmin: 'bel.admin@otklik.demo',
  belHead: 'bel.head@otklik.demo',
} as const;
type Who = keyof typeof USERS;

describe('answer templates, routing and workload over HTTP', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let categories: Record<string, number>; // Кемерово: name → id
  let belCategory: number;
  let departments: Record<string, number>; // Кемерово: name → id
  let belDepartment: number;
  const sessions = new Map<Who, Session & { at: number }>();

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово (+07)
    const db = t.database.db;
    const cats = await db.selectFrom('category').select(['id', 'name', 'municipality_id']).execute();
    categories = Object.fromEntries(cats.filter((c) => c.municipality_id === kem).map((c) => [c.name, c.id]));
    belCategory = cats.find((c) => c.municipality_id === bel)!.id;
    const depts = await db.selectFrom('department').select(['id', 'name', 'municipality_id']).execute();
    departments = Object.fromEntries(depts.filter((d) => d.municipality_id === kem).map((d) => [d.name, d.id]));
    belDepartment = depts.find((d) => d.municipality_id === bel)!.id;
  });
  after(() => t.close());

  /** A session valid at the clock's current time (tests move the clock past the sessions' lifetime). */
  async function session(who: Who): Promise<Session> {
    const now = t.clock.now().getTime();
    const s = sessions.get(who);
    if (s && now >= s.at && now - s.at < 3600_000) return s;
    const fresh = Object.assign(await login(t.app, USERS[who]), { at: now });
    sessions.set(who, fresh);
    return fresh;
  }
  async function call(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: object) {
    return t.app.inject({ method, url: `/api/v1${url}`, headers: as(await session(who)), ...(payload && { payload }) });
  }
  async function submit(text: string, categoryId: number) {
    const res = await call('resident', 'POST', '/cases', { municipalityId: kem, channel: 'web', text, categoryId });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; number: string; departmentId: number | null };
  }
  const auditCount = async (action: string) =>
    Number(
      (
        await t.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('action', '=', action)
          .executeTakeFirstOrThrow()
      ).n,
    );

  test('the OpenAPI document lists the routes with their bodies', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, methods] of [
      ['/api/v1/municipalities/{id}/answer-templates', ['get', 'post']],
      ['/api/v1/answer-templates/{id}', ['patch', 'delete']],
      ['/api/v1/cases/{id}/answer-templates', ['get']],
      ['/api/v1/municipalities/{id}/routing', ['get', 'put']],
      ['/api/v1/municipalities/{id}/workload', ['get']],
      ['/api/v1/admin/totko/import', ['post']],
    ] as const) {
      assert.deepEqual(Object.keys(doc.paths[path] ?? {}).sort(), [...methods].sort(), path);
    }
  });

  test('the demo seeds templates for Кемерово: one per category and a generic one; Белово has a head', async () => {
    const res = await call('executor', 'GET', `/municipalities/${kem}/answer-templates`);
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Template[];
    assert.deepEqual(
      items.map((i) => i.categoryId).sort(),
      [...Object.values(categories), null].sort(),
      'category-specific ones first, the generic last',
    );
    assert.equal(items.at(-1)?.categoryId, null);
    assert.equal((await session('belHead')).userId > 0, true);
  });

  test('CRUD permissions: head and admin write; executor and operator read only; Белово staff 404 by id, 403 by list', async () => {
    const body = (title: string) => ({
      categoryId: categories['Дороги и тротуары'],
      title,
      text: 'Текст {{number}}',
      result: 'explained',
    });
    const byHead = await call('head', 'POST', `/municipalities/${kem}/answer-templates`, body('Шаблон руководителя'));
    assert.equal(byHead.statusCode, 201, byHead.body);
    const id = (byHead.json() as Template).id;
    assert.deepEqual(byHead.json(), {
      id,
      municipalityId: kem,
      categoryId: categories['Дороги и тротуары'],
      title: 'Шаблон руководителя',
      text: 'Текст {{number}}',
      result: 'explained',
      isActive: true,
    });
    const byAdmin = await call('admin', 'POST', `/municipalities/${kem}/answer-templates`, {
      title: 'Общий',
      text: 'Для любой рубрики',
    });
    assert.equal(byAdmin.statusCode, 201, byAdmin.body);
    assert.equal(byAdmin.json().categoryId, null);

    // [who, method, url, payload, expected status]
    const table: Array<[Who, 'POST' | 'PATCH' | 'DELETE' | 'GET', string, object | undefined, number]> = [
      ['executor', 'POST', `/municipalities/${kem}/answer-templates`, body('Исполнитель'), 403],
      ['operator', 'POST', `/municipalities/${kem}/answer-templates`, body('Оператор'), 403],
      ['resident', 'POST', `/municipalities/${kem}/answer-templates`, body('Житель'), 403],
      ['belAdmin', 'POST', `/municipalities/${kem}/answer-templates`, body('Белово'), 403],
      ['executor', 'PATCH', `/answer-templates/${id}`, { title: 'Правка' }, 403],
      ['executor', 'DELETE', `/answer-templates/${id}`, undefined, 403],
      ['belHead', 'PATCH', `/answer-templates/${id}`, { title: 'Правка' }, 404],
      ['belAdmin', 'DELETE', `/answer-templates/${id}`, undefined, 404],
      ['belOperator', 'GET', `/municipalities/${kem}/answer-templates`, undefined, 403],
      ['resident', 'GET', `/municipalities/${kem}/answer-templates`, undefined, 403],
      ['operator', 'GET', `/municipalities/${kem}/answer-templates`, undefined, 200],
      ['head', 'PATCH', '/answer-templates/999999', { title: 'Нет такого' }, 404],
    ];
    for (const [who, method, url, payload, status] of table) {
      const res = await call(who, method, url, payload);
      assert.equal(res.statusCode, status, `${who} ${method} ${url}: ${res.body}`);
    }
    const unchanged = await t.database.db
      .selectFrom('answer_template')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(unchanged.title, 'Шаблон руководителя', 'refused writes changed nothing');

    const patched = await call('admin', 'PATCH', `/answer-templates/${id}`, {
      title: 'Ремонт отложен',
      result: null,
      isActive: false,
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual([patched.json().title, patched.json().result, patched.json().isActive], ['Ремонт отложен', null, false]);
    // Inactive: heads see it, executors do not.
    const forHead = (await call('head', 'GET', `/municipalities/${kem}/answer-templates`)).json().items as Template[];
    const forExecutor = (await call('executor', 'GET', `/municipalities/${kem}/answer-templates`)).json().items as Template[];
    assert.ok(forHead.some((i) => i.id === id));
    assert.ok(!forExecutor.some((i) => i.id === id));

    assert.equal((await call('head', 'DELETE', `/answer-templates/${id}`)).statusCode, 204);
    assert.equal((await call('head', 'PATCH', `/answer-templates/${id}`, { title: 'x' })).statusCode, 404);
    assert.equal(await auditCount('answer_template.create'), 2);
    assert.equal(await auditCount('answer_template.update'), 1);
    const deleted = await t.database.db
      .selectFrom('audit_log')
      .select(['before', 'actor_user_id'])
      .where('action', '=', 'answer_template.delete')
      .executeTakeFirstOrThrow();
    assert.equal((deleted.before as { title: string }).title, 'Ремонт отложен');
    assert.equal(deleted.actor_user_id, (await session('head')).userId);
  });

  test('validation errors name the field', async () => {
    const url = `/municipalities/${kem}/answer-templates`;
    // [case, payload, field]
    const table: Array<[string, object, string]> = [
      ['category of another municipality', { categoryId: belCategory, title: 'А', text: 'Б' }, 'categoryId'],
      ['unknown placeholder', { title: 'А', text: 'Уважаемый {{aplicant}}' }, 'text'],
      ['blank title', { title: '   ', text: 'Б' }, 'title'],
      ['missing text', { title: 'А' }, 'text'],
      ['bad result', { title: 'А', text: 'Б', result: 'maybe' }, 'result'],
      ['unknown field', { title: 'А', text: 'Б', color: 'red' }, 'color'],
    ];
    for (const [name, payload, field] of table) {
      const res = await call('head', 'POST', url, payload);
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      const err = res.json().error as { message: string; details: Array<{ field: string }> };
      assert.ok(
        err.details.some((d) => d.field === field) || err.message.includes(field),
        `${name}: ${field} in ${JSON.stringify(err)}`,
      );
    }
    const empty = await call('head', 'PATCH', `/answer-templates/1`, {});
    assert.equal(empty.statusCode, 400);
  });

  test('templates for a case: its category’s and the generic ones, placeholders filled; staff only', async () => {
    const c = await submit('Яма на дороге у дома 5 по ул. Весенней', categories['Дороги и тротуары']!);
    const res = await call('executor', 'GET', `/cases/${c.id}/answer-templates`);
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Template[];
    assert.deepEqual(
      items.map((i) => i.categoryId),
      [categories['Дороги и тротуары'], null, null],
      'roads first, then the generic ones (demo + the admin’s), none of other categories',
    );
    const roads = items[0]!;
    assert.match(roads.text, new RegExp(`Ваше обращение № ${c.number} от 30\\.04\\.2026`));
    assert.match(roads.text, /^Уважаемый\(ая\) Новиков Павел Сергеевич!/);
    assert.match(roads.text, /Кемеровский городской округ$/);
    assert.doesNotMatch(roads.text, /\{\{/);
    const read = await t.database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_user_id'])
      .where('action', '=', 'personal_data.read')
      .where('entity_id', '=', String(c.id))
      .where('actor_user_id', '=', (await session('executor')).userId)
      .execute();
    assert.equal(read.length, 1, 'filling in the applicant’s name is an audited read');

    assert.equal((await call('resident', 'GET', `/cases/${c.id}/answer-templates`)).statusCode, 403);
    assert.equal((await call('belOperator', 'GET', `/cases/${c.id}/answer-templates`)).statusCode, 404);
    assert.equal((await call('executor', 'GET', '/cases/999999/answer-templates')).statusCode, 404);

    const yards = await submit('Нет скамеек во дворе', categories['Благоустройство дворов']!);
    const forYards = (await call('head', 'GET', `/cases/${yards.id}/answer-templates`)).json().items as Template[];
    assert.deepEqual(
      forYards.map((i) => i.categoryId),
      [categories['Благоустройство дворов'], null, null],
    );
    const filtered = (
      await call('operator', 'GET', `/municipalities/${kem}/answer-templates?categoryId=${categories['Благоустройство дворов']}`)
    ).json().items as Template[];
    assert.deepEqual(
      filtered.map((i) => i.categoryId),
      [categories['Благоустройство дворов'], null, null],
    );
  });

  test('routing: staff read it; the admin moves a category and a NEW case goes to the new department', async () => {
    const roads = categories['Дороги и тротуары']!;
    const roadsDept = departments['Управление дорожного хозяйства и транспорта']!;
    const improvement = departments['Управление благоустройства']!;
    const read = await call('operator', 'GET', `/municipalities/${kem}/routing`);
    assert.equal(read.statusCode, 200, read.body);
    const rule = (read.json().rules as Rule[]).find((r) => r.categoryId === roads)!;
    assert.deepEqual([rule.departmentId, rule.departmentName], [roadsDept, 'Управление дорожного хозяйства и транспорта']);
    assert.equal((await call('belOperator', 'GET', `/municipalities/${kem}/routing`)).statusCode, 403);

    const earlier = await submit('Разбит тротуар', roads);
    assert.equal(earlier.departmentId, roadsDept);

    // [who, rules, status, field]
    const refused: Array<[Who, object[], number, string?]> = [
      ['head', [{ categoryId: roads, departmentId: improvement }], 403],
      ['belAdmin', [{ categoryId: roads, departmentId: improvement }], 403],
      ['admin', [{ categoryId: roads, departmentId: belDepartment }], 400, 'rules.0.departmentId'],
      ['admin', [{ categoryId: belCategory, departmentId: improvement }], 400, 'rules.0.categoryId'],
      [
        'admin',
        [
          { categoryId: roads, departmentId: improvement },
          { categoryId: roads, departmentId: null },
        ],
        400,
        'rules.1.categoryId',
      ],
      ['admin', [{ categoryId: roads, departmentId: improvement, extra: 1 }], 400],
    ];
    for (const [who, rules, status, field] of refused) {
      const res = await call(who, 'PUT', `/municipalities/${kem}/routing`, { rules });
      assert.equal(res.statusCode, status, `${who} ${JSON.stringify(rules)}: ${res.body}`);
      if (field) assert.equal(res.json().error.details[0].field, field);
    }
    const untouched = await t.database.db
      .selectFrom('category')
      .select('department_id')
      .where('id', '=', roads)
      .executeTakeFirstOrThrow();
    assert.equal(untouched.department_id, roadsDept, 'a refused PUT changes nothing');

    const put = await call('admin', 'PUT', `/municipalities/${kem}/routing`, {
      rules: [
        { categoryId: roads, departmentId: improvement },
        { categoryId: categories['Благоустройство дворов'], departmentId: improvement }, // unchanged
      ],
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((put.json().rules as Rule[]).find((r) => r.categoryId === roads)?.departmentName, 'Управление благоустройства');

    const later = await submit('Снова разбит тротуар', roads);
    assert.equal(later.departmentId, improvement, 'a new case follows the new rule');
    const again = (await call('operator', 'GET', `/cases/${earlier.id}`)).json();
    assert.equal(again.departmentId, roadsDept, 'a registered case keeps its department');

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['before', 'after', 'municipality_id'])
      .where('action', '=', 'routing.update')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]!.before, [{ categoryId: roads, departmentId: roadsDept }]);
    assert.deepEqual(audit[0]!.after, [{ categoryId: roads, departmentId: improvement }]);
    assert.equal(audit[0]!.municipality_id, kem);

    // Back to the roads department: unrouted (null) is also allowed.
    const back = await call('admin', 'PUT', `/municipalities/${kem}/routing`, {
      rules: [{ categoryId: roads, departmentId: null }],
    });
    assert.equal((back.json().rules as Rule[]).find((r) => r.categoryId === roads)?.departmentId, null);
    await call('admin', 'PUT', `/municipalities/${kem}/routing`, { rules: [{ categoryId: roads, departmentId: roadsDept }] });
  });

  test('workload: open, overdue and due within 24 h per executor, as cases are assigned and the clock moves', async () => {
    const improvement = departments['Управление благоустройства']!;
    const executorId = (await session('executor')).userId;
    const headId = (await session('head')).userId;
    const load = async (who: Who = 'head') => {
      const res = await call(who, 'GET', `/municipalities/${kem}/workload`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as Load[];
    };
    const of = (items: Load[], userId: number) => items.find((i) => i.userId === userId);

    t.clock.set('2026-05-04T03:00:00Z');
    const before = await load();
    const base = of(before, executorId);
    assert.ok(base, 'every executor of the municipality is listed, even with no cases');
    assert.equal(base.name, 'Петров Дмитрий Андреевич');
    assert.equal(base.departmentName, 'Управление благоустройства');
    assert.equal(of(before, headId), undefined, 'a head holding no case is not listed');

    const a = await submit('Сломана скамейка', categories['Благоустройство дворов']!);
    const b = await submit('Не вывезен мусор', categories['Благоустройство дворов']!);
    const c = await submit('Сломаны качели', categories['Благоустройство дворов']!);
    for (const [id, executorUserId] of [
      [a.id, executorId],
      [b.id, executorId],
      [c.id, headId],
    ] as const) {
      const res = await call('operator', 'POST', `/cases/${id}/assign`, { departmentId: improvement, executorUserId });
      assert.equal(res.statusCode, 200, res.body);
    }
    const assigned = await load('operator');
    assert.deepEqual(
      [of(assigned, executorId)?.open, of(assigned, executorId)?.overdue, of(assigned, executorId)?.dueSoon],
      [base.open + 2, base.overdue, base.dueSoon],
    );
    assert.equal(of(assigned, headId)?.open, 1, 'anyone holding open cases is listed');

    // Move the clock: 12 hours before the next deadline of case a, then one second past it.
    const due = await t.database.db.selectFrom('case').select(['id', 'due_at']).where('id', 'in', [a.id, b.id]).execute();
    const dueA = due.find((r) => r.id === a.id)!.due_at!;
    const dueB = due.find((r) => r.id === b.id)!.due_at!;
    t.clock.set(new Date(dueA.getTime() - 12 * 3600_000).toISOString());
    const expectSoon = [dueA, dueB].filter((d) => d.getTime() - t.clock.now().getTime() <= 24 * 3600_000).length;
    const soon = of(await load(), executorId)!;
    assert.deepEqual([soon.open, soon.overdue, soon.dueSoon], [base.open + 2, 0, expectSoon]);
    assert.ok(soon.dueSoon >= 1);

    t.clock.set(new Date(dueA.getTime() + 1000).toISOString());
    const late = of(await load(), executorId)!;
    const expectOverdue = [dueA, dueB].filter((d) => d.getTime() < t.clock.now().getTime()).length;
    assert.equal(late.overdue, expectOverdue);
    assert.ok(late.overdue >= 1);
    const sorted = await load();
    assert.equal(sorted[0]?.userId, executorId, 'the most overdue first');

    assert.equal((await call('belOperator', 'GET', `/municipalities/${kem}/workload`)).statusCode, 403);
    assert.equal((await call('resident', 'GET', `/municipalities/${kem}/workload`)).statusCode, 403);
    assert.equal((await call('executor', 'GET', '/municipalities/999999/workload')).statusCode, 404);
  });
});
