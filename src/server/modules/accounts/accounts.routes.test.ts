import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { linkToken, TestSmtpServer } from '../../../../test/support/smtp.ts';
import { as, createTestContext, login, sessionCookieOf, type TestContext } from '../../../../test/support/test-app.ts';
import { LOGIN_LOCKOUT_MS, LOGIN_MAX_FAILURES_PER_ACCOUNT, SESSION_IDLE_MS } from '../../../shared/limits.ts';

describe('accounts: registration, confirmation over real SMTP, login, lockout, logout, password reset, sessions', () => {
  let t: TestContext;
  const smtp = new TestSmtpServer();

  before(async () => {
    const smtpUrl = await smtp.start();
    t = await createTestContext({ config: { smtpUrl } });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const register = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
  const person = {
    email: 'Anna.Lebedeva@example.ru',
    password: 'Сосновый-бор-17',
    lastName: 'Лебедева',
    firstName: 'Анна',
    middleName: 'Игоревна',
  };

  test('a resident registers, gets the confirmation mail over SMTP, confirms, logs in and sees herself in /me', async () => {
    const res = await register(person);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(await t.app.jobs.drain(), 1, 'one letter was queued with the registration');
    const mail = await smtp.waitFor('Anna.Lebedeva@example.ru');
    assert.match(mail.subject ?? '', /подтвердите/);
    assert.match(mail.text ?? '', /Здравствуйте, Анна!/);
    const token = linkToken(mail.text ?? '', '/confirm-email');

    const s1 = await login(t.app, 'anna.lebedeva@example.ru', person.password);
    const me1 = await t.app.inject({ url: '/api/v1/me', headers: as(s1) });
    assert.equal(me1.json().user.emailConfirmed, false);

    const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email', payload: { token } });
    assert.equal(confirm.statusCode, 200);
    const me2 = await t.app.inject({ url: '/api/v1/me', headers: as(s1) });
    const user = me2.json().user;
    assert.deepEqual(
      {
        confirmed: user.emailConfirmed,
        staff: user.isStaff,
        roles: user.roles.map((r: { role: string }) => r.role),
        middle: user.middleName,
      },
      { confirmed: true, staff: false, roles: ['resident'], middle: 'Игоревна' },
    );
    assert.equal(me2.json().csrfToken, s1.csrf);

    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email', payload: { token } });
    assert.equal(again.statusCode, 410, 'a confirmation link works once');
  });

  // [case, payload changes, expected status, code, field]
  const badRegistrations: Array<[string, object, number, string, string]> = [
    ['same e-mail in other case', { email: 'ANNA.LEBEDEVA@example.ru' }, 409, 'EMAIL_TAKEN', 'email'],
    ['short password', { email: 'short@example.ru', password: 'Ab1' }, 400, 'VALIDATION_FAILED', 'password'],
    ['common password', { email: 'common@example.ru', password: 'password123' }, 400, 'VALIDATION_FAILED', 'password'],
    [
      'password contains the name',
      { email: 'n@example.ru', password: 'Lebedeva-2026', lastName: 'Lebedeva' },
      400,
      'VALIDATION_FAILED',
      'password',
    ],
    ['not an e-mail', { email: 'anna' }, 400, 'VALIDATION_FAILED', 'email'],
    ['blank first name', { email: 'blank@example.ru', firstName: '   ' }, 400, 'VALIDATION_FAILED', 'firstName'],
    ['unknown field', { email: 'extra@example.ru', role: 'regional_admin' }, 400, 'VALIDATION_FAILED', 'role'],
  ];
  for (const [name, change, status, code, field] of badRegistrations) {
    test(`registration refused: ${name} → ${status} ${code} on ${field}`, async () => {
      const res = await register({ ...person, ...change });
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error.code, code);
      assert.ok(
        res.json().error.details.some((d: { field: string }) => d.field === field),
        res.body,
      );
    });
  }

  test('wrong password → 401; repeated failures lock the account (429 + Retry-After) until the lockout passes', async () => {
    const email = 'resident2@otklik.demo';
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: '10.0.0.7' });
    for (let i = 1; i < LOGIN_MAX_FAILURES_PER_ACCOUNT; i++) {
      const res = await attempt('wrong-password');
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'INVALID_CREDENTIALS');
    }
    const locking = await attempt('wrong-password');
    assert.equal(locking.statusCode, 429);
    assert.equal(locking.json().error.code, 'ACCOUNT_LOCKED');
    assert.ok(Number(locking.headers['retry-after']) > 0);
    const rightButLocked = await attempt('Otklik-demo-2026');
    assert.equal(rightButLocked.statusCode, 429, 'the right password does not bypass the lock');
    const failures = await t.database.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.login_failed').execute();
    assert.ok(failures.length >= LOGIN_MAX_FAILURES_PER_ACCOUNT);

    t.clock.advance(LOGIN_LOCKOUT_MS + 1000);
    const after = await attempt('Otklik-demo-2026');
    assert.equal(after.statusCode, 200);
  });

  test('unknown e-mail gets the same 401 as a wrong password', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.ru', password: 'whatever-123' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.message, 'Wrong e-mail or password');
  });

  test('the session cookie is HttpOnly and SameSite=Lax; each login issues a new session', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'resident@otklik.demo', password: 'Otklik-demo-2026' },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'resident@otklik.demo', password: 'Otklik-demo-2026' },
    });
    const raw = String(a.headers['set-cookie']);
    assert.match(raw, /HttpOnly/);
    assert.match(raw, /SameSite=Lax/);
    assert.notEqual(sessionCookieOf(a), sessionCookieOf(b));
  });

  test('logout needs the CSRF token, then ends the session', async () => {
    const s = await login(t.app, 'resident@otklik.demo');
    const noToken = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: as(s, { csrf: false }) });
    assert.equal(noToken.statusCode, 403);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: as(s) });
    assert.equal(out.statusCode, 204);
    const me = await t.app.inject({ url: '/api/v1/me', headers: as(s) });
    assert.equal(me.statusCode, 401);
  });

  test('an idle session expires', async () => {
    const s = await login(t.app, 'resident@otklik.demo');
    t.clock.advance(SESSION_IDLE_MS + 60_000);
    const me = await t.app.inject({ url: '/api/v1/me', headers: as(s) });
    assert.equal(me.statusCode, 401);
  });

  test('password reset: same answer for unknown addresses, mail with a one-time link, other sessions end', async () => {
    const before = smtp.messages.length;
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: 'ghost@example.ru' },
    });
    assert.equal(unknown.statusCode, 202);

    const old = await login(t.app, 'kem.executor@otklik.demo');
    const req = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: 'kem.executor@otklik.demo' },
    });
    assert.equal(req.statusCode, 202);
    assert.equal(await t.app.jobs.drain(), 1, 'one letter queued: for the known address only');
    const mail = await smtp.waitFor('kem.executor@otklik.demo', before);
    assert.ok(!smtp.messages.slice(before).some((m) => JSON.stringify(m.to).includes('ghost')), 'no mail to an unknown address');
    const token = linkToken(mail.text ?? '', '/reset-password');

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'short' },
    });
    assert.equal(weak.statusCode, 400);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'Новый-пароль-2026' },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: as(old) })).statusCode, 401, 'the old session ended');
    await login(t.app, 'kem.executor@otklik.demo', 'Новый-пароль-2026');
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'Ещё-один-пароль-1' },
    });
    assert.equal(reuse.statusCode, 410);
  });

  test('a blocked staff account loses its sessions and cannot log in', async () => {
    const kemAdmin = await login(t.app, 'kem.admin@otklik.demo');
    const moderator = await login(t.app, 'kem.moderator@otklik.demo');
    const block = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${moderator.userId}`,
      headers: as(kemAdmin),
      payload: { isActive: false },
    });
    assert.equal(block.statusCode, 200, block.body);
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: as(moderator) })).statusCode, 401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'kem.moderator@otklik.demo', password: 'Otklik-demo-2026' },
      remoteAddress: '10.0.0.9',
    });
    assert.equal(again.statusCode, 401);
  });
});
