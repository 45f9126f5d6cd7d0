import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

describe('staff accounts and the audit log', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let kemAdmin: Session;
  let belAdmin: Session;
  let regionAdmin: Session;
  let kemDepartment: number;
  let belDepartment: number;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    [kemAdmin, belAdmin, regionAdmin] = await Promise.all([
      login(t.app, 'kem.admin@otklik.demo'),
      login(t.app, 'bel.admin@otklik.demo'),
      login(t.app, 'region.admin@otklik.demo'),
    ]);
    const dept = async (m: number) =>
      (
        await t.database.db
          .selectFrom('department')
          .select('id')
          .where('municipality_id', '=', m)
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
    kemDepartment = await dept(kem);
    belDepartment = await dept(bel);
  });
  after(() => t.close());

  const newStaff = (roles: object[], email = `staff${Math.random().toString(36).slice(2, 8)}@kemerovo.example`) => ({
    email,
    password: 'Начальный-пароль-1',
    lastName: 'Сидоров',
    firstName: 'Олег',
    roles,
  });

  test('a municipal admin creates an executor in a department; the executor logs in with that role', async () => {
    const body = newStaff([{ role: 'executor', municipalityId: kem, departmentId: kemDepartment }], 'sidorov@kemerovo.example');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/staff', headers: as(kemAdmin), payload: body });
    assert.equal(res.statusCode, 201, res.body);
    const s = await login(t.app, 'sidorov@kemerovo.example', 'Начальный-пароль-1');
    const me = (await t.app.inject({ url: '/api/v1/me', headers: as(s) })).json().user;
    assert.equal(me.isStaff, true);
    assert.equal(me.emailConfirmed, true, 'an admin-provisioned address counts as confirmed');
    assert.deepEqual(
      me.roles.map((r: { role: string; municipalityId: number; departmentId: number }) => [
        r.role,
        r.municipalityId,
        r.departmentId,
      ]),
      [['executor', kem, kemDepartment]],
    );
    const list = await t.app.inject({ url: `/api/v1/staff?municipalityId=${kem}&q=сидор`, headers: as(kemAdmin) });
    assert.deepEqual(
      list.json().items.map((u: { email: string }) => u.email),
      ['sidorov@kemerovo.example'],
    );
    const listRead = await t.database.db
      .selectFrom('audit_log')
      .select(['after', 'actor_user_id'])
      .where('action', '=', 'personal_data.read')
      .where('entity_type', '=', 'user_list')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(listRead.actor_user_id, kemAdmin.userId);
    assert.deepEqual((listRead.after as { userIds: number[] }).userIds, [list.json().items[0].id]);
  });

  // [case, who, grants, expected status, field?]
  const grants: Array<[string, () => Session, () => object[], number, string?]> = [
    [
      'municipal admin grants a role in another municipality',
      () => kemAdmin,
      () => [{ role: 'operator', municipalityId: bel }],
      403,
    ],
    ['municipal admin grants regional_admin', () => kemAdmin, () => [{ role: 'regional_admin' }], 403],
    ['nobody grants resident through the staff API', () => regionAdmin, () => [{ role: 'resident' }], 403],
    [
      'department of another municipality',
      () => kemAdmin,
      () => [{ role: 'executor', municipalityId: kem, departmentId: belDepartment }],
      400,
      'roles.0.departmentId',
    ],
    ['municipal role without municipality', () => regionAdmin, () => [{ role: 'operator' }], 400, 'roles.0.municipalityId'],
    [
      'unknown municipality',
      () => regionAdmin,
      () => [{ role: 'operator', municipalityId: 99999 }],
      400,
      'roles.0.municipalityId',
    ],
    ['unknown role name', () => regionAdmin, () => [{ role: 'mayor', municipalityId: kem }], 400, 'roles.0.role'],
    ['no roles at all', () => regionAdmin, () => [], 400, 'roles'],
    ['regional admin creates a commission member', () => regionAdmin, () => [{ role: 'commission_member' }], 201],
    ['regional admin creates a Белово operator', () => regionAdmin, () => [{ role: 'operator', municipalityId: bel }], 201],
  ];
  for (const [name, who, roles, status, field] of grants) {
    test(`staff creation: ${name} → ${status}`, async () => {
      const before = await t.database.db.selectFrom('app_user').select('id').execute();
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/staff', headers: as(who()), payload: newStaff(roles()) });
      assert.equal(res.statusCode, status, res.body);
      if (field) assert.equal(res.json().error.details[0].field, field);
      const after = await t.database.db.selectFrom('app_user').select('id').execute();
      assert.equal(after.length, before.length + (status === 201 ? 1 : 0), 'a refused account leaves no user row behind');
    });
  }

  test('reading a staff member’s card is written to the audit log (152-ФЗ)', async () => {
    const operator = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'kem.operator@otklik.demo')
      .executeTakeFirstOrThrow();
    const res = await t.app.inject({ url: `/api/v1/staff/${operator.id}`, headers: as(kemAdmin) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().email, 'kem.operator@otklik.demo');
    const reads = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'personal_data.read')
      .where('entity_id', '=', String(operator.id))
      .execute();
    assert.equal(reads.length, 1);
    assert.equal(reads[0]?.actor_user_id, kemAdmin.userId);
    assert.equal(reads[0]?.municipality_id, kem);
  });

  test('the audit log is append-only in the database itself', async () => {
    await assert.rejects(t.database.db.updateTable('audit_log').set({ action: 'tampered' }).execute(), /append-only/);
    await assert.rejects(t.database.db.deleteFrom('audit_log').execute(), /append-only/);
  });

  test('admins browse the audit log within their scope, with filters', async () => {
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/departments`,
      headers: as(kemAdmin),
      payload: { name: 'Отдел для аудита' },
    });
    const mine = await t.app.inject({ url: '/api/v1/audit?entityType=department', headers: as(kemAdmin) });
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.json().items.length >= 1);
    assert.ok(mine.json().items.every((r: { municipalityId: number }) => r.municipalityId === kem));

    const theirs = await t.app.inject({ url: '/api/v1/audit?entityType=department', headers: as(belAdmin) });
    assert.ok(theirs.json().items.every((r: { municipalityId: number }) => r.municipalityId === bel));
    const peek = await t.app.inject({ url: `/api/v1/audit?municipalityId=${kem}`, headers: as(belAdmin) });
    assert.equal(peek.statusCode, 403);

    const all = await t.app.inject({ url: '/api/v1/audit?action=auth.&limit=2', headers: as(regionAdmin) });
    const page1 = all.json();
    assert.equal(page1.items.length, 2);
    assert.ok(page1.items.every((r: { action: string }) => r.action.startsWith('auth.')));
    const page2 = (
      await t.app.inject({ url: `/api/v1/audit?action=auth.&limit=2&before=${page1.nextBefore}`, headers: as(regionAdmin) })
    ).json();
    assert.ok(page2.items.every((r: { id: number }) => r.id < page1.nextBefore));

    const operator = await login(t.app, 'kem.operator@otklik.demo');
    assert.equal((await t.app.inject({ url: '/api/v1/audit', headers: as(operator) })).statusCode, 403);
  });
});
