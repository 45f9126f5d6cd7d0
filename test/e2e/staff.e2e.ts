import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { as, login } from '../support/test-app.ts';
import { assertNoProblems, type E2EServer, launchBrowser, openPage, signIn, snap, startServer } from './support.ts';

const DEPARTMENT = 'Управление по делам молодёжи';
const EXECUTOR = { email: 'a.sokolov@kemerovo.example', password: 'Kedr-Lipa-2026' };

async function navItems(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Разделы рабочего места' });
  await nav.waitFor();
  return (await nav.getByRole('link').allTextContents()).map((s) => s.replace(/скоро$/, '').trim());
}

describe('staff workspace and administration', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a municipal administrator creates a department and an executor in it', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.admin@otklik.demo');
    assert.equal(new URL(page.url()).pathname, '/staff');
    assert.deepEqual(await navItems(page), [
      'Обзор',
      'Источники мониторинга',
      'Производственный календарь',
      'Проверка сроков',
      'Муниципалитет',
      'Подразделения',
      'Сотрудники',
      'Сроки и контроль',
      'Журнал аудита',
      'Аналитика',
      'Конкурс «Лучшая муниципальная практика»',
    ]);
    await page.getByText('Кемеровский городской округ', { exact: false }).first().waitFor();
    await snap(page, 'workspace-municipal-admin');

    // Their own municipality only, editable; adding municipalities is the region's business.
    await page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Муниципалитет' }).click();
    await page.getByRole('heading', { name: 'Муниципалитет', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Изменить: Кемеровский городской округ' }).waitFor();
    assert.equal(await page.locator('.table tbody tr').count(), 1);
    assert.equal(await page.getByRole('button', { name: 'Добавить муниципалитет' }).count(), 0);

    // Departments: the administrator's one municipality is chosen for them.
    await page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Подразделения' }).click();
    await page.getByRole('heading', { name: 'Подразделения', level: 1 }).waitFor();
    await page.getByText('Муниципалитет: Кемеровский городской округ').waitFor();
    await page.getByRole('rowheader', { name: 'Управление благоустройства' }).waitFor();
    const form = page.getByRole('region', { name: 'Новое подразделение' });
    await form.getByLabel('Название').fill(DEPARTMENT);
    await form.getByLabel(/Электронная почта/).fill('molodezh@kemerovo.example');
    await form.getByLabel(/Телефон/).fill('+7 (3842) 36-00-00');
    await form.getByRole('button', { name: 'Создать подразделение' }).click();
    await page.getByRole('status').getByText(`Подразделение «${DEPARTMENT}» создано.`).waitFor();
    await page.getByRole('rowheader', { name: DEPARTMENT }).waitFor();

    // The same name again: the server's conflict shows at the name field.
    await form.getByLabel('Название').fill(DEPARTMENT);
    await form.getByRole('button', { name: 'Создать подразделение' }).click();
    await page.locator('#dep-new-name-error').getByText('Такое значение уже используется.').waitFor();
    await snap(page, 'admin-departments');

    // Staff: a new executor in the new department.
    await page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Сотрудники' }).click();
    await page.getByRole('heading', { name: 'Сотрудники', level: 1 }).waitFor();
    await page.getByRole('rowheader', { name: /Иванова Ольга Николаевна/ }).waitFor();
    const staffForm = page.getByRole('region', { name: 'Новый сотрудник' });
    await staffForm.getByLabel('Фамилия').fill('Соколов');
    await staffForm.getByLabel('Имя', { exact: true }).fill('Артём');
    await staffForm.getByLabel(/Отчество/).fill('Игоревич');
    await staffForm.getByLabel('Электронная почта').fill(EXECUTOR.email);
    await staffForm.getByLabel('Начальный пароль').fill(EXECUTOR.password);
    await staffForm.getByRole('checkbox', { name: 'Исполнитель' }).check();
    await staffForm.getByLabel(/Подразделение/).selectOption({ label: DEPARTMENT });
    await staffForm.getByRole('button', { name: 'Создать учётную запись' }).click();
    await page.getByRole('status').getByText(`Учётная запись ${EXECUTOR.email} создана.`, { exact: false }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Соколов Артём Игоревич/ }) });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`Исполнитель${DEPARTMENT}`));
    await snap(page, 'admin-users');

    // Blocking and unblocking a colleague (a PATCH with the CSRF token).
    const moderator = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Смирнова Анна Олеговна/ }) });
    await moderator.getByRole('button', { name: /Заблокировать/ }).click();
    await moderator.getByText('заблокирован', { exact: true }).waitFor();
    await moderator.getByRole('button', { name: /Разблокировать/ }).click();
    await moderator.getByText('активен', { exact: true }).waitFor();
    assert.equal(
      await page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: /Белова Наталья Сергеевна/ }) })
        .getByRole('button')
        .count(),
      0,
      'no block button against oneself',
    );
    // The job queue is the region's business.
    await page.goto(`${server.baseUrl}/staff/admin/jobs`);
    await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('the new executor signs in and sees the executor’s workspace only', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) apiCalls.push(url.pathname);
    });
    await signIn(page, server, EXECUTOR.email, EXECUTOR.password);
    assert.equal(new URL(page.url()).pathname, '/staff');
    assert.deepEqual(await navItems(page), ['Обзор', 'Обращения', 'Производственный календарь', 'Проверка сроков']);
    await page.getByRole('heading', { name: 'Соколов Артём Игоревич' }).waitFor();
    const roles = page.getByRole('list', { name: 'Ваши роли' });
    await roles.getByText(`Кемеровский городской округ · ${DEPARTMENT}`).waitFor();
    assert.equal(await roles.getByText('Исполнитель').count(), 1);
    // The grant carries its names: no lookups of municipalities or departments for the overview.
    assert.deepEqual(
      apiCalls.filter((p) => /municipalities|departments/.test(p)),
      [],
    );
    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByText('Кемеровский городской округ', { exact: true })
      .waitFor();
    await snap(page, 'workspace-executor');

    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByRole('link', { name: /Обращения/ })
      .click();
    // The cases queue (cases-staff.e2e.ts covers it); the executor sees it, not the operator's registration.
    await page.getByRole('heading', { name: 'Обращения', level: 1 }).waitFor();

    // Another role's sections stay closed, even by address.
    for (const path of ['/staff/admin/users', '/staff/cases/new']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    }
    assertNoProblems(t);
    await t.close();
  });

  test('a regional administrator adds a municipality and browses the audit log page by page', async () => {
    // Enough department changes to need a second page of the log (50 rows a page).
    const kemAdmin = await login(server.app, 'kem.admin@otklik.demo');
    const scope = await server.app.inject({ url: '/api/v1/admin/municipalities', headers: as(kemAdmin) });
    const kemerovoId = (scope.json() as { items: Array<{ id: number }> }).items[0]!.id;
    const departments = await server.app.inject({
      url: `/api/v1/municipalities/${kemerovoId}/departments`,
      headers: as(kemAdmin),
    });
    const departmentId = (departments.json() as { items: Array<{ id: number }> }).items[0]!.id;
    for (let i = 0; i < 55; i++) {
      const res = await server.app.inject({
        method: 'PATCH',
        url: `/api/v1/departments/${departmentId}`,
        headers: as(kemAdmin),
        payload: { phone: `+7 (3842) 00-00-${String(i).padStart(2, '0')}` },
      });
      assert.equal(res.statusCode, 200, res.body);
    }

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'region.admin@otklik.demo');
    const items = await navItems(page);
    assert.ok(items.includes('Муниципалитеты региона') && items.includes('Сводка по региону'), items.join(', '));
    assert.ok(items.includes('Фоновые задачи'), items.join(', '));
    // A regional role is shown with the region's name, as the server gives it with the grant.
    await page.getByRole('list', { name: 'Ваши роли' }).getByText('Кемеровская область – Кузбасс', { exact: true }).waitFor();
    await snap(page, 'workspace-regional-admin');
    assert.ok(!items.includes('Конкурс') && !items.includes('Обращения'));

    await page.getByRole('link', { name: 'Муниципалитеты региона' }).first().click();
    await page.getByRole('heading', { name: 'Муниципалитеты региона', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Добавить муниципалитет' }).click();
    const form = page.getByRole('region', { name: 'Новый муниципалитет' });
    await form.getByLabel('Полное название').fill('Юргинский городской округ');
    await form.getByLabel('Краткое название').fill('Юрга');
    await form.getByLabel('Адрес в ссылках').fill('yurga');
    await form.getByLabel('Префикс номеров').fill('ЮРГ');
    await form.getByLabel('ОКТМО').fill('3273');
    await form.getByLabel(/Население/).fill('79 000');
    await form.getByRole('button', { name: 'Добавить муниципалитет' }).click();
    // A bad OKTMO is refused by the server and pointed at.
    await page.locator('#mun-new-oktmo-error').getByText('Неверный формат.').waitFor();
    await snap(page, 'admin-municipality-form-error', { phone: false });
    await form.getByLabel('ОКТМО').fill('32731000');
    await form.getByRole('button', { name: 'Добавить муниципалитет' }).click();
    await page.getByRole('status').getByText('Муниципалитет «Юргинский городской округ» добавлен.').waitFor();
    await page.getByRole('rowheader', { name: /Юргинский городской округ/ }).waitFor();

    await page.getByRole('button', { name: 'Изменить: Юргинский городской округ' }).click();
    const edit = page.getByRole('region', { name: 'Изменение: Юргинский городской округ' });
    await edit.getByLabel(/Население/).fill('78500');
    await edit.getByRole('button', { name: 'Сохранить изменения' }).click();
    await page.getByRole('status').getByText('Изменения сохранены: Юргинский городской округ.').waitFor();
    assert.match(
      (await page.getByRole('row').filter({ hasText: 'Юргинский' }).textContent()) ?? '',
      /78\s500/,
      'the list shows the new population',
    );
    await snap(page, 'admin-municipalities');

    await page.getByRole('link', { name: 'Журнал аудита' }).first().click();
    await page.getByRole('heading', { name: 'Журнал аудита', level: 1 }).waitFor();
    await page
      .getByRole('rowheader', { name: /Изменение муниципалитета/ })
      .first()
      .waitFor();
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Novokuznetsk' });
    await page.getByLabel(/Действие/).fill('department.update');
    await page.getByLabel(/С даты/).fill(today);
    await page.getByLabel(/По дату/).fill(today);
    await page.getByRole('button', { name: 'Показать', exact: true }).click();
    const rows = page.locator('.table--audit tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('.table--audit tbody tr').length === 50);
    await page.getByRole('button', { name: 'Показать ещё' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.table--audit tbody tr').length === 55);
    assert.equal(await page.getByRole('button', { name: 'Показать ещё' }).count(), 0);
    assert.equal(await rows.filter({ hasNotText: 'Изменение подразделения' }).count(), 0);
    await rows.first().getByText('Подробнее').click();
    await rows.first().getByText('Стало').waitFor();

    await page.getByRole('button', { name: 'Сбросить' }).click();
    await page.getByLabel(/Действие/).fill('municipality.');
    await page.getByRole('button', { name: 'Показать', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.table--audit tbody tr').length === 2);
    await snap(page, 'admin-audit');
    assertNoProblems(t);
    await t.close();
  });
  test('a regional administrator sees the background jobs and sends a dead letter back to the queue', async () => {
    // A registration queues its confirmation letter (a mail.send job), which the listening server delivers.
    const registered = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'jobs.letter@example.ru', password: 'Ryabina-Kust-31', lastName: 'Письмова', firstName: 'Ольга' },
    });
    assert.equal(registered.statusCode, 201, registered.body);
    // A letter that could not be delivered after all its attempts (the SMTP server was down).
    const dead = await server.database.db
      .insertInto('job')
      .values({
        name: 'mail.send',
        payload: JSON.stringify({
          to: 'undelivered@example.ru',
          subject: 'Отклик: подтвердите адрес электронной почты',
          text: 'Ссылка: http://localhost:3000/confirm-email?token=secret-one-time-token',
        }),
        status: 'dead',
        attempts: 8,
        max_attempts: 8,
        last_error: 'connect ECONNREFUSED 127.0.0.1:25',
        run_at: new Date(),
        finished_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'region.admin@otklik.demo');
    await page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Фоновые задачи' }).click();
    await page.getByRole('heading', { name: 'Фоновые задачи', level: 1 }).waitFor();
    const stats = page.getByRole('list', { name: 'Задачи по состояниям' });
    await stats.waitFor();
    // The registration letter has gone out by now (the runner polls every second).
    const letter = page.getByRole('row').filter({ hasText: 'jobs.letter@example.ru' });
    for (let i = 0; i < 20 && !(await letter.getByText('выполнена', { exact: true }).count()); i++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Обновить' }).click();
    }
    await letter.getByText('выполнена', { exact: true }).waitFor();
    await letter.getByRole('rowheader', { name: /Отправка письма/ }).waitFor();
    assert.match((await stats.textContent()) ?? '', /1не выполнены/);

    const deadRow = page.getByRole('row').filter({ hasText: 'undelivered@example.ru' });
    await deadRow.getByText('не выполнена', { exact: true }).waitFor();
    await deadRow.getByText('connect ECONNREFUSED 127.0.0.1:25').waitFor();
    assert.match((await deadRow.textContent()) ?? '', /8 из 8/);
    // A letter's text holds one-time links: the page shows its recipient and subject, never the text.
    assert.equal(await page.getByText('secret-one-time-token', { exact: false }).count(), 0);
    // The schedules the server keeps: deadline reminders every 15 minutes, the nightly purge of unattached files.
    const schedules = page.getByRole('region', { name: 'Регулярные задачи' });
    await schedules.getByRole('rowheader', { name: /Напоминания о сроках/ }).waitFor();
    await schedules.getByRole('rowheader', { name: /Удаление непривязанных файлов/ }).waitFor();
    await snap(page, 'admin-jobs');

    // Only the dead ones, then back to the queue.
    await page.getByLabel('Состояние').selectOption({ label: 'не выполнена' });
    await page.getByRole('button', { name: 'Показать', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.table--jobs tbody tr').length === 1);
    await page.getByRole('button', { name: `Повторить задачу № ${dead.id}` }).click();
    await page
      .getByRole('status')
      .getByText(`Задача № ${dead.id} («Отправка письма») возвращена в очередь`, { exact: false })
      .waitFor();
    await page.getByText('Задач не найдено').waitFor();
    // The runner delivers it this time.
    const deadline = Date.now() + 10_000;
    while (!server.mailer.sent.some((m) => m.to === 'undelivered@example.ru') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      server.mailer.sent.some((m) => m.to === 'undelivered@example.ru'),
      'the retried letter was sent',
    );
    await page.getByRole('button', { name: 'Сбросить' }).click();
    const retried = page.getByRole('row').filter({ hasText: 'undelivered@example.ru' });
    for (let i = 0; i < 20 && !(await retried.getByText('выполнена', { exact: true }).count()); i++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Обновить' }).click();
    }
    await retried.getByText('выполнена', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: /Повторить задачу/ }).count(), 0);

    // The retry is in the audit log.
    await page.getByRole('link', { name: 'Журнал аудита' }).first().click();
    await page
      .getByRole('rowheader', { name: /Повтор фоновой задачи/ })
      .first()
      .waitFor();
    assertNoProblems(t);
    await t.close();
  });
});
