import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestSmtpServer } from '../../../../test/support/smtp.ts';
import { createTestContext, type TestContext } from '../../../../test/support/test-app.ts';

describe('mail goes through the job queue: an SMTP outage delays a letter, it does not lose it', () => {
  let t: TestContext;
  const smtp = new TestSmtpServer();
  let port: number;

  before(async () => {
    // Find a free port, then leave it closed: the SMTP server is "down" when the resident registers.
    const probe = new TestSmtpServer();
    await probe.start();
    port = probe.port;
    await probe.stop();
    t = await createTestContext({ config: { smtpUrl: `smtp://127.0.0.1:${port}` } });
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  test('registration succeeds while SMTP is down; the letter is retried and delivered when it is back', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'outage@example.ru', password: 'Почта-вернётся-7', lastName: 'Ждущий', firstName: 'Пётр' },
    });
    assert.equal(res.statusCode, 201, 'the resident is not told to try again because of our mail server');

    await t.app.jobs.drain();
    const waiting = await t.database.db.selectFrom('job').selectAll().where('name', '=', 'mail.send').executeTakeFirstOrThrow();
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.attempts, 1);
    assert.match(String(waiting.last_error), /ECONNREFUSED|connect/i);

    await smtp.start(port);
    t.clock.advance(60 * 60 * 1000);
    await t.app.jobs.drain();
    const mail = await smtp.waitFor('outage@example.ru');
    assert.match(mail.text ?? '', /confirm-email\?token=/);
    const done = await t.database.db
      .selectFrom('job')
      .select(['status', 'attempts'])
      .where('id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(done, { status: 'done', attempts: 2 });
  });
});
