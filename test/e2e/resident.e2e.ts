import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoProblems,
  DESKTOP,
  type E2EServer,
  launchBrowser,
  linkFromMail,
  openPage,
  PHONE,
  signIn,
  signOut,
  snap,
  startServer,
} from './support.ts';

describe('resident pages', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the home page lists the municipalities and remembers the chosen one in the header', async () => {
    // Strict: a visitor's page makes no request the server refuses, so the console stays clean (no 401 from /me).
    const t = await openPage(browser, server, DESKTOP, { strict: true });
    const { page } = t;
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname);
    });
    await page.goto(server.baseUrl);
    await assertTitle(page, 'Отклик — обратная связь с администрацией');
    const kemerovo = page.getByRole('button', { name: /Кемеровский городской округ/ });
    await kemerovo.waitFor();
    assert.deepEqual(
      (await kemerovo.locator('.choice__meta').allTextContents()).map((s) => s.replace(/\s/g, ' ')),
      ['городской округ', '532 884 жителя'],
    );
    assert.equal(await page.getByRole('button', { name: /Калининское сельское поселение/ }).count(), 1);
    // Unbuilt features are marked «скоро», not offered as links; appeals work.
    const soon = (await page.locator('.feature--soon .feature__title').allTextContents()).join(' | ');
    assert.match(soon, /Голосования и опросы/);
    assert.match(soon, /ТОС/);
    assert.doesNotMatch(soon, /Подать обращение/);
    assert.equal(await page.locator('.features a').count(), 0);

    await page.getByRole('button', { name: /Беловский городской округ/ }).click();
    await page.getByRole('button', { name: /Беловский городской округ/, pressed: true }).waitFor();
    assert.match((await page.locator('.municipality-chip').textContent()) ?? '', /Белово/);
    await page.reload();
    assert.match((await page.locator('.municipality-chip').textContent()) ?? '', /Белово/);
    await page.getByRole('button', { name: /Беловский городской округ/, pressed: true }).waitFor();
    await snap(page, 'home');

    // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Перейти к основному содержанию' });
    assert.ok(await skip.evaluate((el) => el === document.activeElement));
    assert.ok(await skip.isVisible(), 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.ok(await page.locator('main').evaluate((el) => el === document.activeElement), 'the skip link moves focus to main');
    // The next Tab lands on the first control of the page, with a visible focus ring.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    assert.deepEqual(focused, { text: 'Зарегистрироваться', outline: 'solid 3px' });
    assert.ok(apiCalls.includes('/api/v1/session'), apiCalls.join(', '));
    assert.ok(!apiCalls.includes('/api/v1/me'), 'a visitor’s page does not ask /me (it would answer 401)');
    assertNoProblems(t);
    await t.close();
  });

  test('registration with a short password shows the server’s hint next to the password field', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await page.goto(`${server.baseUrl}/register`);
    await snap(page, 'register');
    await page.getByLabel('Фамилия').fill('Короткова');
    await page.getByLabel('Имя', { exact: true }).fill('Вера');
    await page.getByLabel('Электронная почта').fill('vera.short@example.ru');
    await page.getByLabel('Пароль', { exact: true }).fill('abc12');
    await page.getByLabel(/Я даю согласие/).check();
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/register'));
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const res = await answer;
    assert.equal(res.status(), 400, 'the server, not the browser, judged the password');
    const body = (await res.json()) as { error: { details: Array<{ field: string }> } };
    assert.deepEqual(
      body.error.details.map((d) => d.field),
      ['password'],
    );

    const hint = page.locator('#register-password-error');
    await hint.waitFor();
    assert.match((await hint.textContent()) ?? '', /не короче 8 символов/);
    // The hint belongs to the password field: inside its frame and announced with it.
    const password = page.getByLabel('Пароль', { exact: true });
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.match((await password.getAttribute('aria-describedby')) ?? '', /register-password-error/);
    assert.equal(await page.locator('.field--error').count(), 1);
    // The summary above the form takes focus and links to the field.
    const summary = page.getByRole('alert');
    assert.ok(await summary.evaluate((el) => el === document.activeElement));
    assert.match((await summary.textContent()) ?? '', /Пароль: Должно быть не короче 8 символов/);
    await snap(page, 'register-password-error');

    assertNoProblems(t);
    await t.close();
  });

  test('registration without the consent goes through (it is optional); the cabinet offers to give it', async () => {
    const email = 'pavel.bez.soglasiya@example.ru';
    const password = 'Kamen-Reka-2026';
    const t = await openPage(browser, server, PHONE, { strict: true });
    const { page } = t;
    await page.goto(`${server.baseUrl}/register`);
    // The consent is its own optional statement, its text folded under «Текст согласия».
    const checkbox = page.getByRole('checkbox', { name: /Я даю согласие на обработку моих персональных данных/ });
    await checkbox.waitFor();
    assert.match((await page.locator('label[for="register-consent"]').textContent()) ?? '', /\(необязательно\)/);
    const consentText = page.getByText('Цель обработки', { exact: false });
    assert.equal(await consentText.isVisible(), false, 'the text is folded');
    await page.getByText('Текст согласия', { exact: true }).click();
    await consentText.waitFor();
    await page.getByText(/Действующая редакция от \d\d\.\d\d\.\d{4}/).waitFor();

    await page.getByLabel('Фамилия').fill('Гордеев');
    await page.getByLabel('Имя', { exact: true }).fill('Павел');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль', { exact: true }).fill(password);
    assert.equal(await checkbox.isChecked(), false);
    const request = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/register'));
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const body = (await request).postDataJSON() as Record<string, unknown>;
    assert.equal('consent' in body, false, 'no consent is sent when the box is not ticked');
    await page.getByRole('heading', { name: 'Проверьте почту' }).waitFor();
    await page.getByText('Согласие на обработку персональных данных вы не дали.', { exact: false }).waitFor();

    await signIn(page, server, email, password);
    const card = page.getByRole('region', { name: 'Согласие на обработку персональных данных' });
    await card.getByText('не дано', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Дать согласие' }).waitFor();
    assert.equal(await card.getByRole('button', { name: 'Отозвать согласие' }).count(), 0);
    assertNoProblems(t);
    await t.close();
  });

  test('a consent ticked for a text that has since changed is refused in Russian, and the new text is shown', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    // The page was opened before the text changed: the first answer is an older version.
    let served = 0;
    await page.route('**/api/v1/legal/personal-data-consent', async (route) => {
      served += 1;
      if (served > 1) return route.continue();
      const res = await route.fetch();
      const current = (await res.json()) as Record<string, unknown>;
      return route.fulfill({ response: res, json: { ...current, version: '2020-01-01' } });
    });
    await page.goto(`${server.baseUrl}/register`);
    await page.getByLabel('Фамилия').fill('Старова');
    await page.getByLabel('Имя', { exact: true }).fill('Нина');
    await page.getByLabel('Электронная почта').fill('nina.old.text@example.ru');
    await page.getByLabel('Пароль', { exact: true }).fill('Staryi-Tekst-2026');
    await page.getByLabel(/Я даю согласие/).check();
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const error = page.locator('#register-consent-error');
    await error.getByText('Текст согласия за это время обновился.', { exact: false }).waitFor();
    assert.match(
      (await page.getByRole('alert').first().textContent()) ?? '',
      /Согласие на обработку персональных данных: Текст согласия/,
    );
    // Unticked, with the current text fetched again: the person reads it before agreeing.
    assert.equal(await page.getByLabel(/Я даю согласие/).isChecked(), false);
    for (let i = 0; i < 50 && served < 2; i++) await page.waitForTimeout(100);
    assert.equal(served, 2, 'the consent text was fetched again');
    await page.getByLabel(/Я даю согласие/).check();
    const request = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/register'));
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const body = (await request).postDataJSON() as { consent?: { version: string } };
    assert.notEqual(body.consent?.version, '2020-01-01');
    await page.getByRole('heading', { name: 'Проверьте почту' }).waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('a resident registers with the consent, asks for the letter again, confirms the e-mail, withdraws and gives the consent', async () => {
    const email = 'anna.lebedeva@example.ru';
    const password = 'Zelenyi-Bereg-58';
    const t = await openPage(browser, server);
    const { page } = t;
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: /Кемеровский городской округ/ }).click();
    await page.getByRole('link', { name: 'Регистрация' }).click();
    await page.getByLabel('Фамилия').fill('Лебедева');
    await page.getByLabel('Имя', { exact: true }).fill('Анна');
    await page.getByLabel(/Отчество/).fill('Викторовна');
    await page.getByLabel('Электронная почта').fill(email);
    await page.getByLabel('Пароль', { exact: true }).fill(password);
    await page.getByLabel(/Я даю согласие/).check();
    const served = (await page.evaluate(async () => (await fetch('/api/v1/legal/personal-data-consent')).json())) as {
      version: string;
    };
    const request = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/register'));
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
    const body = (await request).postDataJSON() as { consent?: { version: string } };
    assert.deepEqual(body.consent, { version: served.version }, 'the consent names the version of the text shown');
    await page.getByRole('heading', { name: 'Проверьте почту' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /anna\.lebedeva@example\.ru/);
    await page.getByText('Согласие на обработку персональных данных сохранено.', { exact: false }).waitFor();
    await snap(page, 'register-done', { phone: false });

    // Sign in before confirming: the cabinet says the address is not confirmed yet and offers a new letter.
    await signIn(page, server, email, password);
    assert.equal(new URL(page.url()).pathname, '/cabinet');
    await page.getByText('не подтверждена').waitFor();
    const resend = page.getByRole('button', { name: 'Отправить письмо ещё раз' });
    // The registration letter went out seconds ago: the server asks to wait a minute, and the page says so.
    const limited = page.waitForResponse((r) => r.url().endsWith('/auth/confirm-email/resend'));
    await resend.click();
    assert.equal((await limited).status(), 429);
    await page.getByText('Письмо уже отправлено меньше минуты назад.', { exact: false }).waitFor();
    // A minute later (the letter's token made older here), a new letter goes out.
    const user = await server.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    await sql`update email_token set created_at = created_at - interval '2 minutes' where user_id = ${user.id}`.execute(
      server.database.db,
    );
    const mailsBefore = server.mailer.sent.length;
    await resend.click();
    await page.getByText(`Письмо отправлено на адрес ${email}.`, { exact: false }).waitFor();
    await snap(page, 'cabinet-email-resent');

    // The consent given at registration is in the cabinet.
    const card = page.getByRole('region', { name: 'Согласие на обработку персональных данных' });
    await card.getByText('дано', { exact: true }).waitFor();
    assert.match((await card.locator('.consent-card__status').textContent()) ?? '', /редакция от \d\d\.\d\d\.\d{4}/);

    // The link from the new letter confirms the address.
    const link = await linkFromMail(server, email, '/confirm-email', mailsBefore);
    await page.goto(link);
    await page.getByText('Адрес подтверждён').waitFor();
    await snap(page, 'confirm-email', { phone: false });

    await signOut(page);
    await page.goto(`${server.baseUrl}/login`);
    await snap(page, 'login');
    await signIn(page, server, email, password);
    assert.equal(new URL(page.url()).pathname, '/cabinet');
    await page.getByRole('heading', { name: 'Личный кабинет', level: 1 }).waitFor();
    await page.getByText('Здравствуйте, Анна Викторовна!').waitFor();
    await page.getByText('подтверждена', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Отправить письмо ещё раз' }).count(), 0);
    await page.getByText('У вас пока нет обращений').waitFor();
    await page.getByText('Кемеровский городской округ').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Рабочее место' }).count(), 0, 'a resident has no workspace link');
    await snap(page, 'cabinet');

    // Withdraw the consent, then give it again; each is a write with the CSRF token.
    await card.getByRole('button', { name: 'Отозвать согласие' }).click();
    await page.getByRole('status').getByText('Согласие отозвано.', { exact: false }).waitFor();
    await card.getByText('отозвано', { exact: true }).waitFor();
    await card.getByRole('button', { name: 'Дать согласие' }).waitFor();
    await card.getByText('Текст согласия', { exact: true }).click();
    await card.getByText('Цель обработки', { exact: false }).waitFor();
    await card.getByText('История согласия').click();
    await snap(page, 'cabinet-consent-withdrawn');
    await card.getByRole('button', { name: 'Дать согласие' }).click();
    await page.getByRole('status').getByText('Согласие на обработку персональных данных дано.', { exact: false }).waitFor();
    await card.getByText('дано', { exact: true }).waitFor();
    assert.equal(await card.locator('.consent-history__list li').count(), 2, 'both consents are in the history');
    await card.getByRole('button', { name: 'Отозвать согласие' }).waitFor();
    await snap(page, 'cabinet-consent');
    const stored = await server.database.db
      .selectFrom('consent')
      .select(['version', 'withdrawn_at'])
      .where('user_id', '=', user.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      stored.map((c) => [c.version, c.withdrawn_at !== null]),
      [
        [served.version, true],
        [served.version, false],
      ],
    );
    assertNoProblems(t);
    await t.close();
  });

  test('a resident cannot open the staff workspace; a visitor is sent to the login form', async () => {
    const visitor = await openPage(browser, server, PHONE);
    await visitor.page.goto(`${server.baseUrl}/staff/admin/users`);
    await visitor.page.waitForURL((url) => url.pathname === '/login');
    assert.equal(new URL(visitor.page.url()).searchParams.get('next'), '/staff/admin/users');
    await visitor.page.getByText('Войдите, чтобы открыть эту страницу.').waitFor();
    assertNoProblems(visitor);
    await visitor.close();

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'resident@otklik.demo');
    await page.goto(`${server.baseUrl}/staff`);
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Разделы рабочего места' }).count(), 0);
    await snap(page, 'no-access');
    // The API agrees: the resident's session cannot list staff.
    const status = await page.evaluate(async () => (await fetch('/api/v1/staff?municipalityId=1')).status);
    assert.equal(status, 403);
    assertNoProblems(t);
    await t.close();
  });

  test('a forgotten password is reset through the link in the letter', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: 'Забыли пароль?' }).click();
    await page.getByRole('heading', { name: 'Восстановление пароля' }).waitFor();
    await page.getByLabel('Электронная почта').fill('resident2@otklik.demo');
    const mailsBefore = server.mailer.sent.length;
    await page.getByRole('button', { name: 'Получить ссылку' }).click();
    await page.getByText('Запрос принят').waitFor();
    await snap(page, 'reset-password-request', { phone: false });

    await page.goto(await linkFromMail(server, 'resident2@otklik.demo', '/reset-password', mailsBefore));
    await page.getByRole('heading', { name: 'Новый пароль' }).waitFor();
    await page.getByLabel('Новый пароль').fill('Sosna-Taiga-77');
    await page.getByLabel('Повторите пароль').fill('Sosna-Taiga-78');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.locator('#newpass-repeat-error').waitFor();
    await page.getByLabel('Повторите пароль').fill('Sosna-Taiga-77');
    await page.getByRole('button', { name: 'Сохранить пароль' }).click();
    await page.getByRole('heading', { name: 'Пароль изменён' }).waitFor();
    await snap(page, 'reset-password-done', { phone: false });
    await signIn(page, server, 'resident2@otklik.demo', 'Sosna-Taiga-77');
    assert.equal(new URL(page.url()).pathname, '/cabinet');
    assertNoProblems(t);
    await t.close();
  });
});

async function assertTitle(page: Page, title: string) {
  await page.waitForFunction((expected) => document.title === expected, title);
}
