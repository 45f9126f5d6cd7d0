import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type TestContext } from '../../../../test/support/test-app.ts';
import { PERSONAL_DATA_CONSENT } from '../../../shared/consent.ts';

describe('consent to personal-data processing, /session, named grants, resending the confirmation', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  const register = (payload: object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'user-agent': 'TestBrowser/1.0' },
      payload: { password: 'Берёзовая-роща-5', lastName: 'Согласная', firstName: 'Вера', ...payload },
    });

  test('the consent text is served with its version', async () => {
    const res = await t.app.inject({ url: '/api/v1/legal/personal-data-consent' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().version, PERSONAL_DATA_CONSENT.version);
    assert.ok(res.json().text.join(' ').includes('отозвать'));
  });

  test('a consent given at registration is stored as its own record, with version, time and user agent', async () => {
    const res = await register({ email: 'vera@example.ru', consent: { version: PERSONAL_DATA_CONSENT.version } });
    assert.equal(res.statusCode, 201, res.body);
    const row = await t.database.db
      .selectFrom('consent')
      .selectAll()
      .where('user_id', '=', res.json().user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      {
        kind: row.kind,
        version: row.version,
        at: row.accepted_at.toISOString(),
        ua: row.user_agent,
        withdrawn: row.withdrawn_at,
      },
      {
        kind: 'personal_data',
        version: PERSONAL_DATA_CONSENT.version,
        at: t.clock.now().toISOString(),
        ua: 'TestBrowser/1.0',
        withdrawn: null,
      },
    );
  });

  test('registration without consent is allowed (appeals rest on 59-ФЗ), and stores none', async () => {
    const res = await register({ email: 'no.consent@example.ru' });
    assert.equal(res.statusCode, 201);
    const rows = await t.database.db.selectFrom('consent').select('id').where('user_id', '=', res.json().user.id).execute();
    assert.equal(rows.length, 0);
  });

  test('an outdated consent version is refused and nothing is written', async () => {
    const res = await register({ email: 'old.text@example.ru', consent: { version: '2020-01-01' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, 'consent.version');
    const user = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', 'old.text@example.ru')
      .executeTakeFirst();
    assert.equal(user, undefined);
  });

  test('a resident withdraws the consent in the cabinet and can give it again', async () => {
    const s = await login(t.app, 'vera@example.ru', 'Берёзовая-роща-5');
    const withdrawn = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/consents/personal-data', headers: as(s) });
    assert.equal(withdrawn.statusCode, 200);
    assert.equal(withdrawn.json().items[0].withdrawnAt, t.clock.now().toISOString());
    const given = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/consents/personal-data',
      headers: as(s),
      payload: { version: PERSONAL_DATA_CONSENT.version },
    });
    assert.equal(given.statusCode, 200);
    assert.deepEqual(
      given.json().items.map((c: { withdrawnAt: string | null }) => c.withdrawnAt === null),
      [true, false],
    );
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'consent.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['consent.give', 'consent.withdraw', 'consent.give'],
    );
  });

  test('/session answers 200 with user null for a visitor, and the user with named grants when signed in', async () => {
    const anonymous = await t.app.inject({ url: '/api/v1/session' });
    assert.equal(anonymous.statusCode, 200);
    assert.deepEqual(anonymous.json(), { user: null, csrfToken: null });
    const s = await login(t.app, 'kem.executor@otklik.demo');
    const res = await t.app.inject({ url: '/api/v1/session', headers: as(s) });
    const grant = res.json().user.roles[0];
    assert.deepEqual(
      { m: grant.municipalityName, d: grant.departmentName, r: grant.regionName, csrf: res.json().csrfToken },
      { m: 'Кемеровский городской округ', d: 'Управление благоустройства', r: 'Кемеровская область – Кузбасс', csrf: s.csrf },
    );
  });

  test('a new confirmation link can be requested once a minute; none once confirmed', async () => {
    const s = await login(t.app, 'no.consent@example.ru', 'Берёзовая-роща-5');
    const sentBefore = t.mailer.sent.length;
    t.clock.advance(61_000);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email/resend', headers: as(s) });
    assert.equal(first.statusCode, 202, first.body);
    t.clock.advance(20_000);
    const soon = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email/resend', headers: as(s) });
    assert.equal(soon.statusCode, 429);
    assert.equal(soon.headers['retry-after'], '40', 'the time actually left');
    await t.app.jobs.drain();
    const letters = t.mailer.sent.slice(sentBefore).filter((m) => m.to === 'no.consent@example.ru');
    assert.equal(letters.length >= 1, true);
    const token = /token=([A-Za-z0-9_-]+)/.exec(letters.at(-1)?.text ?? '')?.[1];
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email', payload: { token } });
    assert.equal(ok.statusCode, 200);
    t.clock.advance(61_000);
    const after = await t.app.inject({ method: 'POST', url: '/api/v1/auth/confirm-email/resend', headers: as(s) });
    assert.deepEqual(after.json(), { alreadyConfirmed: true });
  });

  test('an administrator sees whom a queued letter is for, never its one-time link', async () => {
    const admin = await login(t.app, 'region.admin@otklik.demo');
    const res = await t.app.inject({ url: '/api/v1/admin/jobs?name=mail.send', headers: as(admin) });
    assert.equal(res.statusCode, 200);
    const items = res.json().items as Array<{ payload: Record<string, unknown> }>;
    assert.ok(items.length > 0);
    for (const job of items) {
      assert.deepEqual(Object.keys(job.payload).sort(), ['subject', 'to']);
      assert.ok(!JSON.stringify(job.payload).includes('token='));
    }
  });
});
