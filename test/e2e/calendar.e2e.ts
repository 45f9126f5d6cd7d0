import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoProblems, type E2EServer, launchBrowser, openPage, signIn, snap, startServer } from './support.ts';

const NAV = 'Разделы рабочего места';

async function openSection(page: Page, name: string, heading = name): Promise<void> {
  await page.getByRole('navigation', { name: NAV }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** The deadline card of a kind in the preview results. */
function deadline(page: Page, kind: string) {
  return page
    .getByRole('region', { name: 'Сроки' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: kind, exact: true, level: 3 }) });
}

async function previewAppeal(page: Page, date: string, time: string): Promise<void> {
  await page.getByLabel('Вид').selectOption('appeal');
  await page.getByLabel('Поступило: дата').fill(date);
  await page.getByLabel('Поступило: время').fill(time);
  await page.getByRole('button', { name: 'Рассчитать сроки' }).click();
  await page.getByRole('region', { name: 'Сроки' }).waitFor();
}

describe('production calendar, deadlines and their settings', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('an operator opens the 2026 calendar: 9 January is a day off by transfer, 30 April is shortened', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.operator@otklik.demo');
    await openSection(page, 'Производственный календарь');
    await page.getByText('Муниципалитет: Кемеровский городской округ').waitFor();
    await page.getByLabel('Год', { exact: true }).selectOption('2026');
    await page.getByRole('heading', { name: 'Январь 2026', level: 3 }).waitFor();

    const january9 = page.locator('td[data-date="2026-01-09"]');
    assert.match((await january9.textContent()) ?? '', /9 января, пятница: выходной \(перенос\)/);
    assert.match((await january9.getAttribute('class')) ?? '', /cal-day--transfer/);
    const april30 = page.locator('td[data-date="2026-04-30"]');
    assert.match((await april30.textContent()) ?? '', /30 апреля, четверг: сокращённый рабочий день, 7 часов/);
    assert.equal(await april30.locator('.cal-day__mark').textContent(), '7ч', 'a mark besides the colour');
    // The screen-reader text is the cell's name.
    await page.getByRole('cell', { name: /^9 января, пятница: выходной \(перенос\)/ }).waitFor();

    // A day's note on keyboard focus.
    await january9.focus();
    await january9.locator('.cal-day__tip').waitFor({ state: 'visible' });
    assert.match((await january9.locator('.cal-day__tip').textContent()) ?? '', /09\.01\.2026/);
    await page.keyboard.press('Escape');
    await january9.locator('.cal-day__tip').waitFor({ state: 'hidden' });

    const totals = page.getByRole('list', { name: 'Итоги 2026 года' });
    assert.match((await totals.textContent()) ?? '', /247\s*рабочих дней/);
    assert.match((await totals.textContent()) ?? '', /1\s?972\s*рабочих часов/);
    await page.getByRole('list', { name: 'Условные обозначения' }).getByText('Выходной по переносу').waitFor();
    await page
      .getByText(/Asia\/Novokuznetsk, UTC\+7/)
      .first()
      .waitFor();
    await page.getByRole('heading', { name: 'Источники' }).waitFor();
    assert.equal(await page.getByText('Предварительный календарь').count(), 0, '2026 is not provisional');
    await page.mouse.move(0, 0);
    await page.locator(':focus').blur();
    await snap(page, 'calendar-2026');

    // 2027 rests on a draft: a banner and unverified sources.
    await page.getByLabel('Год', { exact: true }).selectOption('2027');
    await page.getByRole('status').filter({ hasText: 'Предварительный календарь' }).waitFor();
    await page.getByText('не проверено').first().waitFor();
    await snap(page, 'calendar-2027-provisional', { phone: false });

    // The administrators' pages stay closed to an operator, even by address.
    for (const path of ['/staff/admin/calendar', '/staff/admin/deadline-settings']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
    }
    assertNoProblems(t);
    await t.close();
  });

  test('the preview of an appeal received 30.04.2026 10:00 in Кемерово: the answer is due 29.05.2026 23:59 UTC+7', async () => {
    // A colleague whose browser is on Moscow time: the time typed is Кемерово's, not the browser's.
    const t = await openPage(browser, server, undefined, { timezoneId: 'Europe/Moscow' });
    const { page } = t;
    const asked: URL[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/v1/deadlines/preview') asked.push(url);
    });
    await signIn(page, server, 'kem.operator@otklik.demo');
    await openSection(page, 'Проверка сроков');
    await page.getByText('Asia/Novokuznetsk, UTC+7').first().waitFor();
    await previewAppeal(page, '2026-04-30', '10:00');
    // The time typed is read in Кемерово's zone, and the browser's own zone is shown beside it.
    await page.getByText('30.04.2026, 10:00 (UTC+7) — у вас (Europe/Moscow) это 06:00').waitFor();

    assert.equal(asked.at(-1)?.searchParams.get('at'), '2026-04-30T10:00:00+07:00');
    assert.equal(asked.at(-1)?.searchParams.get('regime'), 'appeal');
    const answer = deadline(page, 'Ответ');
    const text = (await answer.textContent()) ?? '';
    assert.match(text, /29\.05\.2026/);
    assert.match(text, /23:59, UTC\+7/);
    assert.match(text, /59-ФЗ ст\. 12 ч\. 1/);
    assert.doesNotMatch(text, /внутренний контроль/);
    assert.match((await deadline(page, 'Регистрация').textContent()) ?? '', /59-ФЗ ст\. 8 ч\. 2/);
    await deadline(page, 'Ответ при продлении срока').waitFor();
    await page.getByText(/поступило 30\.04\.2026 в 10:00 \(Asia\/Novokuznetsk, UTC\+7\)/).waitFor();
    await snap(page, 'deadline-preview');

    // A message: working days, no registration fields.
    await page.getByLabel('Вид').selectOption('message');
    assert.equal(await page.getByLabel('Зарегистрировано: дата').count(), 0);
    await page.getByRole('button', { name: 'Рассчитать сроки' }).click();
    await page.getByText(/Сообщение \(ПОС\), поступило 30\.04\.2026/).waitFor();
    assert.match((await deadline(page, 'Ответ').textContent()) ?? '', /10 рабочих дней/);

    // An answer due beyond the last calendar year is not guessed.
    await page.getByLabel('Вид').selectOption('appeal');
    await page.getByLabel('Поступило: дата').fill('2027-12-20');
    await page.getByLabel('Поступило: время').fill('09:00');
    await page.getByRole('button', { name: 'Рассчитать сроки' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Сроки не рассчитаны' })
      .getByText(/нет производственного календаря/)
      .waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('the municipal administrator sets a stricter internal answer period; a looser one is refused at the field', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.admin@otklik.demo');
    await openSection(page, 'Сроки и контроль');
    const appeals = page.getByRole('region', { name: 'Обращения граждан (59-ФЗ)' });
    await appeals.getByText('Внутренний контрольный срок не может быть дольше установленного законом').waitFor();
    const answerField = appeals.getByLabel('Ответ, календарных дней', { exact: true });
    await answerField.fill('25');
    await appeals.getByRole('button', { name: 'Сохранить' }).click();
    await appeals
      .getByRole('status')
      .getByText(/сохранены/)
      .waitFor();

    await openSection(page, 'Проверка сроков');
    await previewAppeal(page, '2026-04-30', '10:00');
    const answer = deadline(page, 'Ответ');
    await answer.getByText('внутренний контроль', { exact: true }).waitFor();
    const text = (await answer.textContent()) ?? '';
    assert.match(text, /Внутренний срок:\s*25\.05\.2026 23:59, UTC\+7/);
    assert.match(text, /По закону:\s*29\.05\.2026 23:59, UTC\+7/);
    await snap(page, 'deadline-preview-internal');

    // Looser than the law: the server refuses it and the form shows why, at the field.
    await openSection(page, 'Сроки и контроль');
    await answerField.fill('35');
    await appeals.getByRole('button', { name: 'Сохранить' }).click();
    const error = page.locator('[id="ds-appeal-internalControl.answer-error"]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /35 — дольше срока по закону \(59-ФЗ ст\. 12 ч\. 1: 30 календарных дней\)/);
    assert.equal(await answerField.getAttribute('aria-invalid'), 'true');
    await appeals.getByRole('alert').getByRole('link', { name: /Ответ/ }).waitFor();
    await snap(page, 'admin-deadline-settings');

    // The saved value is still 25.
    await page.reload();
    await page.getByRole('heading', { name: 'Сроки и контроль', level: 1 }).waitFor();
    assert.equal(
      await page
        .getByRole('region', { name: 'Обращения граждан (59-ФЗ)' })
        .getByLabel('Ответ, календарных дней', { exact: true })
        .inputValue(),
      '25',
    );

    // Messages: a category with its own period, then the preview for that category.
    const messages = page.getByRole('region', { name: 'Сообщения (платформа обратной связи)' });
    await messages.getByRole('button', { name: 'Добавить категорию' }).click();
    await messages.getByLabel('Категория 1: код').fill('housing');
    await messages.getByLabel('Категория 1: срок').fill('5');
    await messages.getByRole('button', { name: 'Сохранить' }).click();
    await messages
      .getByRole('status')
      .getByText(/сохранены/)
      .waitFor();
    await snap(page, 'admin-deadline-settings-saved', { phone: true });
    await openSection(page, 'Проверка сроков');
    await page.getByLabel('Вид').selectOption('message');
    await page.getByLabel('Поступило: дата').fill('2026-04-30');
    await page.getByLabel('Поступило: время').fill('10:00');
    await page.getByLabel(/Код категории/).fill('housing');
    await page.getByRole('button', { name: 'Рассчитать сроки' }).click();
    await page.getByText(/Сообщение \(ПОС\), поступило 30\.04\.2026/).waitFor();
    assert.match((await deadline(page, 'Ответ').textContent()) ?? '', /5 рабочих дней \(категория «housing»\)/);
    assertNoProblems(t);
    await t.close();
  });

  test('the regional administrator publishes a correction for 2027 and sees the changed years', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'region.admin@otklik.demo');
    await openSection(page, 'Календарь: поправки');
    const row2027 = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '2027', exact: true }) });
    await row2027.getByText('предварительный').waitFor();
    await row2027.getByText('поставка').waitFor();

    await page.getByLabel('Год', { exact: true }).selectOption('2027');
    const textarea = page.getByLabel('Календарь 2027 года (JSON)');
    await textarea.waitFor();
    const document = JSON.parse(await textarea.inputValue()) as {
      year: number;
      transfers: Array<{ to: string }>;
      shortened: Array<{ date: string; source?: string; verified?: boolean }>;
    };
    assert.equal(document.year, 2027);

    // A transfer onto a Saturday: the server names the field.
    const broken = structuredClone(document);
    broken.transfers[0]!.to = '2027-11-06';
    await textarea.fill(JSON.stringify(broken, null, 2));
    await page.getByLabel('Основание поправки').fill('ПП РФ от 01.10.2026 № 1500 «О переносе выходных дней в 2027 году»');
    await page.getByRole('button', { name: 'Опубликовать поправку' }).click();
    const problems = page.getByRole('list', { name: 'Ошибки в документе' });
    await problems.waitFor();
    assert.match((await problems.textContent()) ?? '', /data\.transfers\.0\.to: 06\.11\.2027 — суббота или воскресенье/);
    await snap(page, 'admin-calendar-error', { phone: false });

    // The correction: 30 December is a shortened day.
    const fixed = structuredClone(document);
    fixed.shortened.push({ date: '2027-12-30', source: 'ПП РФ от 01.10.2026 № 1500', verified: true });
    await textarea.fill(JSON.stringify(fixed, null, 2));
    await page.getByRole('button', { name: 'Опубликовать поправку' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Поправка к 2027 году опубликована' });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /Изменились сроки в годах: 2027\./);
    assert.match((await notice.textContent()) ?? '', /задача № \d+/);
    await row2027.getByText('опубликована поправка').waitFor();
    await page
      .getByRole('table', { name: 'Опубликованные поправки' })
      .getByText('ПП РФ от 01.10.2026 № 1500 «О переносе выходных дней в 2027 году»')
      .waitFor();
    await snap(page, 'admin-calendar');

    // The calendar shows the corrected day.
    await page.goto(`${server.baseUrl}/staff/calendar?year=2027`);
    await page.getByRole('heading', { name: 'Декабрь 2027', level: 3 }).waitFor();
    assert.match((await page.locator('td[data-date="2027-12-30"]').textContent()) ?? '', /сокращённый рабочий день/);
    assertNoProblems(t);
    await t.close();
  });

  test('a resident cannot open the staff calendar pages', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'resident@otklik.demo');
    for (const path of ['/staff/calendar', '/staff/deadlines', '/staff/admin/calendar', '/staff/admin/deadline-settings']) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByRole('heading', { name: 'Нет доступа' }).waitFor();
      assert.equal(await page.getByRole('navigation', { name: NAV }).count(), 0, path);
    }
    assertNoProblems(t);
    await t.close();
  });
});
