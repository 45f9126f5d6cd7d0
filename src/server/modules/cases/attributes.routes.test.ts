import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

describe('category questions (attributes) and service fields', () => {
  let t: TestContext;
  let kem: number;
  let admin: Session;
  let operator: Session;
  let belAdmin: Session;
  let resident: Session;
  let cat: number;
  let other: number;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z');
    [admin, operator, belAdmin, resident] = await Promise.all([
      login(t.app, 'kem.admin@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'bel.admin@otklik.demo'),
      login(t.app, 'resident@otklik.demo'),
    ]);
    const mk = async (name: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/municipalities/${kem}/categories`,
        headers: as(admin),
        payload: { name, regime: 'message' },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as number;
    };
    cat = await mk('Сломанная скамейка');
    other = await mk('Граффити');
  });
  after(() => t.close());

  const put = (s: Session | undefined, id: number, items: unknown[]) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/categories/${id}/attributes`, headers: s ? as(s) : {}, payload: { items } });
  const QUESTIONS = [
    {
      code: 'KIND',
      datatype: 'singlevaluelist',
      required: true,
      description: 'Что сломано?',
      values: [
        { key: 'seat', name: 'Сиденье' },
        { key: 'back', name: 'Спинка' },
      ],
    },
    { code: 'COUNT', datatype: 'number', required: false, description: 'Сколько скамеек?' },
  ];

  test('only the municipality’s administrators set the questions; anyone reads those of an active category', async () => {
    assert.equal((await put(undefined, cat, QUESTIONS)).statusCode, 401);
    assert.equal((await put(operator, cat, QUESTIONS)).statusCode, 404);
    assert.equal((await put(belAdmin, cat, QUESTIONS)).statusCode, 404);
    const ok = await put(admin, cat, QUESTIONS);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(
      ok.json().items.map((a: { code: string; order: number; variable: boolean }) => [a.code, a.order, a.variable]),
      [
        ['KIND', 1, true],
        ['COUNT', 2, true],
      ],
    );
    const pub = await t.app.inject({ url: `/api/v1/categories/${cat}/attributes` });
    assert.equal(pub.statusCode, 200);
    assert.deepEqual(pub.json(), ok.json());
    assert.equal((await t.app.inject({ url: '/api/v1/categories/999999/attributes' })).statusCode, 404);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'category')
      .where('entity_id', '=', String(cat))
      .where('action', '=', 'category.attributes')
      .execute();
    assert.equal(audit.length, 1);
  });

  test('a bad list of questions is refused whole, naming the item', async () => {
    const rows: Array<[unknown[], string]> = [
      [[QUESTIONS[0], QUESTIONS[0]], 'attributes.1.code'],
      [[{ code: 'L', datatype: 'multivaluelist', required: false, description: 'q' }], 'attributes.0.values'],
      [[{ code: 'bad code', datatype: 'string', required: false, description: 'q' }], 'items.0.code'],
      [[{ code: 'X', datatype: 'colour', required: false, description: 'q' }], 'items.0.datatype'],
    ];
    for (const [items, field] of rows) {
      const r = await put(admin, other, items);
      assert.equal(r.statusCode, 400, r.body);
      assert.ok(
        r.json().error.details?.some((d: { field: string }) => d.field.replace(/^body\./, '') === field) ||
          r.json().error.message.includes(field),
        `${field}: ${r.body}`,
      );
    }
    assert.deepEqual((await t.app.inject({ url: `/api/v1/categories/${other}/attributes` })).json(), { items: [] });
  });

  test('the intake checks the answers: a missing required one is a 400 on attributes.<code>; the card shows them', async () => {
    const submit = (attributes?: Record<string, unknown>, categoryId: number | null = cat) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: as(resident),
        payload: {
          municipalityId: kem,
          channel: 'web',
          ...(categoryId && { categoryId }),
          text: 'Сломана скамейка во дворе',
          ...(attributes && { attributes }),
        },
      });
    const missing = await submit(undefined);
    assert.equal(missing.statusCode, 400, missing.body);
    assert.deepEqual(missing.json().error.details, [{ field: 'attributes.KIND', reason: 'required: Что сломано?' }]);
    const wrong = await submit({ KIND: 'leg' });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.details[0].field, 'attributes.KIND');
    const noCategory = await submit({ KIND: 'seat' }, null);
    assert.equal(noCategory.statusCode, 400);
    assert.equal(noCategory.json().error.details[0].field, 'attributes');
    const ok = await submit({ KIND: 'seat', COUNT: '2' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().attributes, { KIND: 'seat', COUNT: '2' });
    const staff = await t.app.inject({ url: `/api/v1/cases/${ok.json().id}`, headers: as(operator) });
    assert.deepEqual(staff.json().attributes, { KIND: 'seat', COUNT: '2' });
  });

  test('service fields: a code unique in the municipality, digits only for the category’s own id', async () => {
    const patch = (id: number, payload: Record<string, unknown>, s = admin) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/categories/${id}/service`, headers: as(s), payload });
    const r = await patch(cat, { serviceCode: 'BENCH', keywords: 'скамейка', group: 'Благоустройство' });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json(), {
      categoryId: cat,
      serviceCode: 'BENCH',
      description: null,
      keywords: 'скамейка',
      group: 'Благоустройство',
    });
    assert.equal((await patch(other, { serviceCode: 'BENCH' })).statusCode, 409);
    assert.equal((await patch(other, { serviceCode: String(cat) })).statusCode, 400);
    const own = await patch(other, { serviceCode: String(other) });
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().serviceCode, String(other));
    assert.equal((await patch(other, { serviceCode: 'has space' })).statusCode, 400);
    assert.equal((await patch(other, {})).statusCode, 400);
    assert.equal((await patch(cat, { group: 'x' }, operator)).statusCode, 404);
  });
});
