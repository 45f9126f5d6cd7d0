import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

describe('HTTP: bad input gets a 4xx with a stable code, never a 500; CSRF and authentication on writes', () => {
  let t: TestContext;
  let kem: number;
  let admin: Session;
  const deptUrl = () => `/api/v1/municipalities/${kem}/departments`;
  const countDepartments = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('department')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    admin = await login(t.app, 'kem.admin@otklik.demo');
  });
  after(() => t.close());

  // [case, request body (string = raw), content-type, expected status, expected code, expected field?]
  const cases: Array<[string, string | object, string, number, string, string?]> = [
    ['malformed JSON', '{"name": "Отдел', 'application/json', 400, 'MALFORMED_JSON'],
    ['empty JSON body', '', 'application/json', 400, 'EMPTY_BODY'],
    ['wrong type (number for name)', { name: 12345 }, 'application/json', 400, 'VALIDATION_FAILED', 'name'],
    [
      'wrong type (string for boolean is not coerced)',
      { name: 'Отдел кадров', phone: 5 },
      'application/json',
      400,
      'VALIDATION_FAILED',
      'phone',
    ],
    ['unknown field', { name: 'Отдел кадров', colour: 'red' }, 'application/json', 400, 'VALIDATION_FAILED', 'colour'],
    ['missing required field', { email: 'a@b.ru' }, 'application/json', 400, 'VALIDATION_FAILED', 'name'],
    ['bad e-mail format', { name: 'Отдел кадров', email: 'not-an-email' }, 'application/json', 400, 'VALIDATION_FAILED', 'email'],
    ['too short', { name: 'О' }, 'application/json', 400, 'VALIDATION_FAILED', 'name'],
    ['array instead of object', [1, 2], 'application/json', 400, 'VALIDATION_FAILED', 'body'],
    ['form-encoded body', 'name=x', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['oversize body', { name: 'x'.repeat(2 * 1024 * 1024) }, 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [name, body, contentType, status, code, field] of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const before = await countDepartments();
      const res = await t.app.inject({
        method: 'POST',
        url: deptUrl(),
        headers: { ...as(admin), 'content-type': contentType },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      assert.equal(res.statusCode, status, res.body);
      const error = res.json().error;
      assert.equal(error.code, code);
      assert.ok(error.message.length > 5, 'a message a person can act on');
      assert.equal(error.requestId, res.headers['x-request-id']);
      if (field)
        assert.ok(
          error.details.some((d: { field: string }) => d.field === field),
          JSON.stringify(error.details),
        );
      assert.equal(await countDepartments(), before, 'nothing was written');
    });
  }

  test('bad path and query parameters are 400, unknown routes 404 JSON', async () => {
    const badId = await t.app.inject({ url: '/api/v1/municipalities/abc', headers: as(admin) });
    assert.equal(badId.statusCode, 400);
    assert.equal(badId.json().error.details[0].field, 'id');
    const badQuery = await t.app.inject({ url: '/api/v1/audit?limit=100000', headers: as(admin) });
    assert.equal(badQuery.statusCode, 400);
    assert.equal(badQuery.json().error.details[0].field, 'limit');
    const missing = await t.app.inject({ url: '/api/v1/nothing-here' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');
    const absent = await t.app.inject({ url: '/api/v1/municipalities/999999' });
    assert.equal(absent.statusCode, 404);
  });

  test('an unauthenticated write is refused with 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: deptUrl(), payload: { name: 'Анонимный отдел' } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'UNAUTHENTICATED');
  });

  test('a cookie-authenticated write without the CSRF token, or with a wrong one, is refused with 403', async () => {
    const before = await countDepartments();
    const without = await t.app.inject({
      method: 'POST',
      url: deptUrl(),
      headers: as(admin, { csrf: false }),
      payload: { name: 'Отдел без токена' },
    });
    assert.equal(without.statusCode, 403);
    assert.equal(without.json().error.code, 'CSRF_TOKEN_INVALID');
    const wrong = await t.app.inject({
      method: 'POST',
      url: deptUrl(),
      headers: { cookie: admin.cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'Отдел с чужим токеном' },
    });
    assert.equal(wrong.statusCode, 403);
    // Another session's token does not fit this session.
    const other = await login(t.app, 'region.admin@otklik.demo');
    const crossed = await t.app.inject({
      method: 'POST',
      url: deptUrl(),
      headers: { cookie: admin.cookie, 'x-csrf-token': other.csrf },
      payload: { name: 'Отдел с токеном другой сессии' },
    });
    assert.equal(crossed.statusCode, 403);
    assert.equal(await countDepartments(), before);
    const ok = await t.app.inject({ method: 'POST', url: deptUrl(), headers: as(admin), payload: { name: 'Отдел с токеном' } });
    assert.equal(ok.statusCode, 201);
  });

  test('a failed write leaves nothing half-written: the audit insert fails → the department is rolled back', async () => {
    const before = await countDepartments();
    const auditBefore = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // Make the command's second statement (its audit row) fail for the duration of this request.
    await sql`alter table audit_log add constraint test_refuse check (action <> 'department.create') not valid`.execute(
      t.database.db,
    );
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: deptUrl(),
        headers: as(admin),
        payload: { name: 'Отдел, который не должен остаться' },
      });
      assert.equal(res.statusCode, 500);
      assert.equal(res.json().error.code, 'INTERNAL');
      assert.ok(!res.body.includes('test_refuse'), 'internal details do not leak to the client');
    } finally {
      await sql`alter table audit_log drop constraint test_refuse`.execute(t.database.db);
    }
    assert.equal(await countDepartments(), before, 'the department insert was rolled back with the failed audit row');
    const auditAfter = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(auditAfter.n), Number(auditBefore.n));
  });

  test('security headers and no caching of API responses', async () => {
    const res = await t.app.inject({ url: '/api/v1/municipalities' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /object-src 'none'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(res.headers['x-request-id']);
  });

  test('a sane incoming X-Request-Id is kept; a hostile one is replaced', async () => {
    const kept = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'trace-1234abcd' } });
    assert.equal(kept.headers['x-request-id'], 'trace-1234abcd');
    const replaced = await t.app.inject({ url: '/api/health', headers: { 'x-request-id': 'evil\nline' } });
    assert.notEqual(replaced.headers['x-request-id'], 'evil\nline');
  });

  test('the OpenAPI document describes the client contract', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/municipalities',
    ]) {
      assert.ok(doc.paths[path], `${path} is documented`);
    }
    const register = doc.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(register.properties).sort(), [
      'consent',
      'email',
      'firstName',
      'lastName',
      'middleName',
      'password',
    ]);
    assert.deepEqual([...register.required].sort(), ['email', 'firstName', 'lastName', 'password']);
  });
});
