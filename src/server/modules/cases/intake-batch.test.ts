import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { intakeFor } from './index.ts';

// The smallest PNG there is: what the attachments module accepts as an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The intake's group commit (commands/intake-batch.ts): submissions that arrive together are written in one
 * transaction, yet each gets exactly what it would have got alone — its own number, card, letter, notice and audit
 * row, its own error — and a repeated idempotency key still makes one case.
 */
describe('cases: submissions arriving together are written together, each as if alone', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let resident: Session;
  let resident2: Session;
  let kemOperator: Session;
  let belOperator: Session;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    t.clock.set('2026-04-30T03:00:00Z');
    [resident, resident2, kemOperator, belOperator] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'resident2@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'bel.operator@otklik.demo'),
    ]);
  });
  after(() => t.close());

  const submit = (session: Session, payload: Record<string, unknown>, key?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as(session), ...(key && { 'idempotency-key': key }) },
      payload,
    });
  const letter = (municipalityId: number, text: string) => ({
    municipalityId,
    channel: 'letter',
    text,
    lastName: 'Соколова',
    firstName: 'Анна',
    postalAddress: 'г. Кемерово, ул. Весенняя, д. 1, кв. 2',
  });

  test('a burst: unique numbers per municipality, one case per key, only the faulty one fails', async () => {
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(resident2), 'content-type': 'image/png', 'x-file-name': 'photo.png' },
      payload: PNG,
    });
    assert.equal(upload.statusCode, 201, upload.body);
    const foreignFile = upload.json().id as number; // resident2's upload: resident may not attach it

    const before = await t.database.db
      .selectFrom('case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const stats0 = { ...intakeFor(t.database.db).stats };
    const requests = [
      ...Array.from({ length: 12 }, (_, i) => submit(resident, { municipalityId: kem, channel: 'web', text: `Пачка ${i}` })),
      ...Array.from({ length: 4 }, () =>
        submit(resident, { municipalityId: kem, channel: 'web', text: 'Один ключ' }, 'burst-key'),
      ),
      ...Array.from({ length: 5 }, (_, i) => submit(kemOperator, letter(kem, `Письмо ${i}`))),
      ...Array.from({ length: 5 }, (_, i) => submit(belOperator, letter(bel, `Белово ${i}`))),
      submit(resident, { municipalityId: kem, channel: 'web', text: 'Чужой файл', attachmentIds: [foreignFile] }),
      submit(resident2, { municipalityId: kem, channel: 'web', text: 'Свой файл', attachmentIds: [foreignFile] }),
    ];
    const results = await Promise.all(requests);
    const stats = intakeFor(t.database.db).stats;

    // The foreign attachment is refused (400, naming it); everyone else in its batch is written.
    const refused = results.filter((r) => r.statusCode === 400);
    assert.equal(refused.length, 1, results.map((r) => `${r.statusCode} ${r.body.slice(0, 120)}`).join('\n'));
    assert.match(refused[0]!.body, /not one of your uploads/);
    const ok = results.filter((r) => r.statusCode === 201 || r.statusCode === 200);
    assert.equal(ok.length, results.length - 1);

    // One key, one case: one 201 and three 200 with its id.
    const keyed = results.slice(12, 16);
    assert.deepEqual(keyed.map((r) => r.statusCode).sort(), [200, 200, 200, 201]);
    assert.equal(new Set(keyed.map((r) => r.json().id)).size, 1);

    const made = results.filter((r) => r.statusCode === 201).map((r) => r.json());
    const after = await t.database.db
      .selectFrom('case')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n) - Number(before.n), made.length, 'every 201 is one new row, and no more');

    // Numbers: unique, with each municipality's prefix.
    const numbers = made.map((c) => c.number as string);
    assert.equal(new Set(numbers).size, numbers.length);
    for (const c of made) assert.match(c.number, c.municipalityId === bel ? /^БЕЛ-2026-\d{6}$/ : /^КЕМ-2026-\d{6}$/);

    // They did go together: fewer transactions than cases; the batch that failed was written again in halves.
    assert.ok(stats.largest > 1, JSON.stringify(stats));
    assert.ok(stats.batches - stats0.batches < made.length, JSON.stringify(stats));
    assert.ok(stats.failedBatches > stats0.failedBatches, JSON.stringify(stats));

    // The one with its own file has it on its card.
    const own = made.find((c) => c.text === 'Свой файл');
    assert.deepEqual(
      own.attachments.map((a: { id: number }) => a.id),
      [foreignFile],
    );
  });

  test('the card that comes back is the card the case has', async () => {
    const cases = await Promise.all([
      submit(resident, { municipalityId: kem, channel: 'web', text: 'Карточка жителя', address: 'ул. Весенняя, 5' }),
      submit(kemOperator, {
        ...letter(kem, 'Карточка письма'),
        coSigners: [{ lastName: 'Петров', firstName: 'Пётр' }],
      }),
    ]);
    for (const [res, session] of [
      [cases[0]!, resident],
      [cases[1]!, kemOperator],
    ] as const) {
      assert.equal(res.statusCode, 201, res.body);
      const card = await t.app.inject({ url: `/api/v1/cases/${res.json().id}`, headers: as(session) });
      assert.deepEqual(res.json(), card.json());
    }
  });

  test('each case has its own letter, cabinet notice and audit row', async () => {
    const [a, b] = await Promise.all([
      submit(resident, { municipalityId: kem, channel: 'web', text: 'Уведомление А' }),
      submit(resident2, { municipalityId: kem, channel: 'web', text: 'Уведомление Б' }),
    ]);
    for (const [res, userId] of [
      [a!, resident.userId],
      [b!, resident2.userId],
    ] as const) {
      const c = res.json();
      const notices = await t.database.db.selectFrom('notice').select(['user_id', 'title']).where('case_id', '=', c.id).execute();
      assert.deepEqual(notices, [{ user_id: userId, title: `Обращение ${c.number} зарегистрировано` }]);
      const audit = await t.database.db
        .selectFrom('audit_log')
        .select(['actor_user_id', 'after'])
        .where('action', '=', 'case.submit')
        .where('entity_id', '=', String(c.id))
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_user_id, userId);
      assert.equal((audit[0]!.after as { number: string }).number, c.number);
      const mail = await t.database.db.selectFrom('job').select('payload').where('name', '=', 'mail.send').execute();
      assert.equal(mail.filter((m) => (m.payload as { subject: string }).subject.includes(c.number)).length, 1);
    }
  });
});
