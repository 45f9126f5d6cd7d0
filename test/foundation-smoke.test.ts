import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestContext, login, type TestContext } from './support/test-app.ts';

describe('foundation smoke', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  test('health answers ok', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
  });

  test('municipalities lists the four demo municipalities with type and time zone', async () => {
    const res = await t.app.inject({ url: '/api/v1/municipalities' });
    assert.equal(res.statusCode, 200);
    const items = res.json().items as Array<{ name: string; type: string; timeZone: string }>;
    assert.deepEqual(items.map((m) => m.name).sort(), [
      'Беловский городской округ',
      'Калининское сельское поселение',
      'Кемеровский городской округ',
      'Мариинское городское поселение',
    ]);
    assert.ok(items.every((m) => m.timeZone === 'Asia/Novokuznetsk'));
  });

  test('login and /me', async () => {
    const s = await login(t.app, 'kem.operator@otklik.demo');
    const res = await t.app.inject({ url: '/api/v1/me', headers: { cookie: s.cookie } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.roles[0].role, 'operator');
  });
});
