import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { IntakeReferences, intakeReferences, type Reference } from './intake-references.ts';

/**
 * The intake keeps the municipality and category rows it checks submissions against (intake-references.ts). Here
 * "another node" changes those rows straight in the database, behind this app's back, and every next submission
 * must still be decided by the rows as they are when it is written.
 */
describe('cases: the intake’s cached municipality and category rows never decide against the database', () => {
  let t: TestContext;
  let kem: number;
  let resident: Session;
  let category: number;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z');
    resident = await login(t.app, 'resident@otklik.demo');
    const c = await t.database.db
      .selectFrom('category')
      .select('id')
      .where('municipality_id', '=', kem)
      .where('is_active', '=', true)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    category = c.id;
  });
  after(() => t.close());

  const submit = (payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(resident),
      payload: { municipalityId: kem, channel: 'web', text: 'Не вывозят мусор', ...payload },
    });
  const cache = () => intakeReferences(t.database.db);
  // Another node, or a hand in psql: the rows change without this app knowing.
  const behindOurBack = (statement: string) => sql.raw(statement).execute(t.database.db);

  test('the second submission reads neither the municipality nor the category', async () => {
    const first = await submit({ categoryId: category });
    assert.equal(first.statusCode, 201, first.body);
    const reads = cache().stats.reads;
    const second = await submit({ categoryId: category });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(cache().stats.reads, reads, 'both rows came from the cache');
  });

  test('a category deactivated elsewhere refuses the next submission; reactivated, it accepts again', async () => {
    assert.equal((await submit({ categoryId: category })).statusCode, 201);
    await behindOurBack(`update category set is_active = false where id = ${category}`);
    const refused = await submit({ categoryId: category });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.json().error.message, /categoryId: no such active category/);
    await behindOurBack(`update category set is_active = true where id = ${category}`);
    const accepted = await submit({ categoryId: category });
    assert.equal(accepted.statusCode, 201, 'the cached inactive row does not refuse it: the refusal is checked afresh');
  });

  test('a required question added elsewhere is asked at once; removed, it is not', async () => {
    assert.equal((await submit({ categoryId: category })).statusCode, 201);
    await behindOurBack(
      `insert into category_attribute (category_id, code, datatype, required, variable, description, "order")
       values (${category}, 'entrance', 'string', true, true, 'Подъезд', 1)`,
    );
    const refused = await submit({ categoryId: category });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(refused.json().error.message, /attributes\.entrance/);
    const answered = await submit({ categoryId: category, attributes: { entrance: '3' } });
    assert.equal(answered.statusCode, 201, answered.body);
    assert.deepEqual(answered.json().attributes, { entrance: '3' });
    await behindOurBack(`delete from category_attribute where category_id = ${category} and code = 'entrance'`);
    const without = await submit({ categoryId: category });
    assert.equal(without.statusCode, 201, without.body);
  });

  test('deadline settings changed elsewhere set the deadline of the very next case', async () => {
    const message = { regime: 'message', kind: 'statement' };
    const before = await submit(message);
    assert.equal(before.statusCode, 201, before.body);
    await behindOurBack(`update municipality set deadline_settings = '{"message":{"defaultPeriod":3}}' where id = ${kem}`);
    const afterChange = await submit(message);
    assert.equal(afterChange.statusCode, 201, afterChange.body);
    const due = (r: typeof before) => Date.parse(r.json().due.dueAt as string);
    // 30 April 2026 (Thursday): 10 working days by default, 3 once the municipality says so.
    assert.ok(due(afterChange) < due(before), `${before.json().due.dueAt} then ${afterChange.json().due.dueAt}`);
    const [stored] = await t.database.db.selectFrom('case').select('deadlines').where('id', '=', afterChange.json().id).execute();
    assert.match(JSON.stringify(stored?.deadlines), /"dueAt"/);
    await behindOurBack(`update municipality set deadline_settings = '{}' where id = ${kem}`);
  });

  test('in the batch’s transaction: a reference to a row written since is stale, an untouched one is not', async () => {
    const refs = new IntakeReferences(t.database.db);
    const m = await refs.municipality(kem);
    const c = await refs.category(category);
    assert.ok(m && c);
    const untouched: Reference[] = [m.reference, c.reference];
    assert.equal((await refs.changed(t.database.db, untouched)).size, 0);
    await behindOurBack(`update municipality set name = name where id = ${kem}`);
    const changed = await refs.changed(t.database.db, untouched);
    assert.equal(IntakeReferences.isStale([m.reference], changed), true, 'an update, even to the same value, is a change');
    assert.equal(IntakeReferences.isStale([c.reference], changed), false);
    const again = await refs.municipality(kem);
    assert.notEqual(again?.reference.fingerprint, m.reference.fingerprint, 'the changed row was read again');
    assert.equal((await refs.changed(t.database.db, [again!.reference])).size, 0);
    assert.equal(await refs.municipality(999_999), undefined, 'no such municipality');
  });
});
