import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestSmtpServer } from '../../../../test/support/smtp.ts';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

/**
 * The applicant's letters about a case — registration, extension, answer, redirect (issue 4 point 6) — delivered by
 * the job runner through a real SMTP server, with the number, the dates and the legal source in the text.
 */
describe('cases: the applicant’s letters over SMTP', () => {
  const smtp = new TestSmtpServer();
  let t: TestContext;
  let kem: number;
  let improvement: number;
  let executorId: number;
  let operator: Session;
  let head: Session;
  let executor: Session;
  const to = 'sidorov.letters@example.ru';

  before(async () => {
    const smtpUrl = await smtp.start();
    t = await createTestContext({ config: { smtpUrl } });
    t.clock.set('2026-03-02T03:00:00Z'); // Mon 02.03.2026, 10:00 in Кемерово
    kem = t.demo.municipalities.kemerovo!;
    improvement = (
      await t.database.db
        .selectFrom('department')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', 'Управление благоустройства')
        .executeTakeFirstOrThrow()
    ).id;
    executorId = (
      await t.database.db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'kem.executor@otklik.demo')
        .executeTakeFirstOrThrow()
    ).id;
    operator = await login(t.app, 'kem.operator@otklik.demo');
    head = await login(t.app, 'kem.head@otklik.demo');
    executor = await login(t.app, 'kem.executor@otklik.demo');
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  async function post(s: Session, url: string, payload: Record<string, unknown> = {}) {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(s), payload });
    assert.ok(res.statusCode === 200 || res.statusCode === 201, `${url}: ${res.body}`);
    return res.json() as { id: number; number: string };
  }
  const letter = (text: string) =>
    post(operator, '/cases', {
      municipalityId: kem,
      channel: 'letter',
      text,
      lastName: 'Сидоров',
      firstName: 'Пётр',
      email: to,
      answerBy: 'email',
    });
  /** The one letter to the applicant whose subject matches, once the job runner has sent it (waits for SMTP). */
  async function delivered(subject: RegExp) {
    await t.app.jobs.drain();
    const matching = () => smtp.messages.filter((m) => JSON.stringify(m.to).includes(to) && subject.test(m.subject ?? ''));
    for (let i = 0; i < 50 && matching().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const all = matching();
    assert.equal(all.length, 1, `exactly one letter ${subject}; got: ${all.map((m) => m.subject).join(' | ')}`);
    return all[0]!;
  }

  test('registration, extension and answer letters arrive, each once, with the number, date and source', async () => {
    const c = await letter('Прошу отремонтировать тротуар у школы № 12');
    const registered = await delivered(new RegExp(`Обращение ${c.number} зарегистрировано`));
    // Registered on 02.03.2026 → 30 days → 01.04.2026 (59-ФЗ ст. 12 ч. 1).
    assert.match(registered.text ?? '', /зарегистрировано 02\.03\.2026 10:00 \(UTC\+07:00\)/);
    assert.match(registered.text ?? '', /Срок ответа — по 01\.04\.2026 включительно/);
    assert.match(registered.text ?? '', /59-ФЗ ст\. 12 ч\. 1/);

    await post(head, `/cases/${c.id}/extend`, { reason: 'Запрошены документы в управляющей компании', days: 30 });
    const extended = await delivered(new RegExp(`Срок рассмотрения обращения ${c.number} продлён`));
    // 30 + 30 days from 02.03 → 01.05.2026 is a holiday → Thu 30.04.2026.
    assert.match(extended.text ?? '', /продлён по 30\.04\.2026 включительно/);
    assert.match(extended.text ?? '', /Запрошены документы/);

    await post(head, `/cases/${c.id}/assign`, { departmentId: improvement, executorUserId: executorId });
    await post(executor, `/cases/${c.id}/start`);
    await post(executor, `/cases/${c.id}/draft-answer`, { text: 'Ремонт тротуара включён в план на май.', result: 'supported' });
    await post(head, `/cases/${c.id}/approve-answer`);
    const answer = await delivered(new RegExp(`Ответ на обращение ${c.number}`));
    assert.match(answer.text ?? '', /Ремонт тротуара включён в план на май\./);
    assert.match(answer.text ?? '', /Результат: поддержано/);
  });

  test('a redirect letter names the body the appeal went to (59-ФЗ ст. 8 ч. 3)', async () => {
    const c = await letter('Прошу проверить работу областной больницы');
    await post(head, `/cases/${c.id}/redirect`, { to: 'Министерство здравоохранения Кузбасса', reason: 'Вопрос его ведения' });
    const redirected = await delivered(new RegExp(`Обращение ${c.number} направлено по компетенции`));
    assert.match(redirected.text ?? '', /Министерство здравоохранения Кузбасса/);
    assert.match(redirected.text ?? '', /ст\. 8 ч\. 3/);
  });
});
