import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { as, login } from '../support/test-app.ts';
import {
  assertNoProblems,
  type E2EServer,
  launchBrowser,
  openPage,
  PHONE,
  SCREENSHOT_DIR,
  settled,
  signIn,
  snap,
  startServer,
} from './support.ts';

const ZONE = 'Asia/Novokuznetsk';
const DAY = 24 * 3600_000;

/** `YYYY-MM-DD` of an instant in Кемерово's zone (the municipality's, and the test browser's). */
const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(ms));

async function kemerovoId(server: E2EServer): Promise<number> {
  const res = await server.app.inject({ url: '/api/v1/municipalities' });
  const m = (res.json() as { items: Array<{ id: number; slug: string }> }).items.find((x) => x.slug === 'kemerovo');
  assert.ok(m, 'the demo has Кемерово');
  return m.id;
}

async function openCase(page: Page, server: E2EServer, id: number) {
  await page.goto(`${server.baseUrl}/staff/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: /^Обращение / }).waitFor();
  await settled(page);
}

describe('staff case pages', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a paper letter: the operator registers it, the head assigns, the executor answers, the head approves', async () => {
    // ——— the operator ———
    const op = await openPage(browser, server);
    await signIn(op.page, server, 'kem.operator@otklik.demo');
    const nav = op.page.getByRole('navigation', { name: 'Разделы рабочего места' });
    await nav.getByRole('link', { name: 'Регистрация обращений' }).click();
    await op.page.getByRole('heading', { name: 'Регистрация обращения', level: 1 }).waitFor();
    await settled(op.page);

    // The letter came yesterday morning; it is keyed in today.
    const yesterday = localDay(Date.now() - DAY);
    const form = op.page.getByRole('region', { name: 'Новое обращение' });
    assert.equal(await form.getByLabel('Как поступило').inputValue(), 'letter');
    await form.getByLabel('Дата поступления').fill(yesterday);
    await form.getByLabel('Время поступления').fill('09:30');
    await form.getByLabel('Категория').selectOption({ label: 'Благоустройство дворов' });
    await form.getByLabel('Вид обращения').selectOption({ label: 'Жалоба' });
    const text = 'Во дворе дома <b>Весенняя, 5</b> третий месяц не вывозят мусор <script>alert(1)</script>.';
    await form.getByLabel('Текст обращения').fill(text);
    // No surname and no postal address: the server's 59-ФЗ ст. 7 check comes back at the fields.
    await form.getByRole('button', { name: 'Зарегистрировать' }).click();
    await op.page.locator('#reg-lastName-error').getByText('59-ФЗ, ст. 7 ч. 1', { exact: false }).waitFor();
    await op.page.getByRole('alert').getByText('Исправьте ошибки в форме').waitFor();
    await snap(op.page, 'cases-register-errors', { phone: false });

    await form.getByLabel('Фамилия').fill('Сидорова');
    await form.getByLabel(/^Имя/).fill('Валентина');
    await form.getByLabel(/^Отчество/).fill('Петровна');
    await form.getByLabel(/^Почтовый адрес/).fill('650000, г. Кемерово, ул. Весенняя, д. 5, кв. 12');
    await form.getByRole('button', { name: 'Зарегистрировать' }).click();
    const created = op.page.getByRole('status').filter({ hasText: 'Обращение зарегистрировано' });
    await created.waitFor();
    const title = (await created.locator('.alert__title').textContent()) ?? '';
    const number = title.replace(/^.*№\s*/, '').trim();
    assert.match(number, /^КЕМ-\d{4}-\d{6}$/);
    await snap(op.page, 'cases-register');
    await created.getByRole('link', { name: `Открыть обращение ${number}` }).click();
    await op.page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(op.page);
    const id = Number(new URL(op.page.url()).pathname.split('/').pop());
    assert.ok(id > 0);
    // The applicant's markup is shown as the text it is; nothing of it is run or rendered.
    await op.page.locator('.case-text').getByText(text, { exact: true }).waitFor();
    assert.equal(await op.page.locator('.case-text b, .case-text script').count(), 0);
    // Received yesterday at 09:30 Кемерово time, registered now.
    const [y, m, d] = yesterday.split('-');
    await op.page.getByText(`${d}.${m}.${y} 09:30`).first().waitFor();
    await op.page.getByText('59-ФЗ ст. 12 ч. 1', { exact: false }).first().waitFor();
    assertNoProblems(op);
    await op.close();

    // ——— the head: sends it to the department and the executor ———
    const head = await openPage(browser, server);
    await signIn(head.page, server, 'kem.head@otklik.demo');
    await head.page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Обращения' }).click();
    await head.page.getByRole('heading', { name: 'Обращения', level: 1 }).waitFor();
    await head.page.getByRole('link', { name: number }).click();
    await head.page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(head.page);
    const assign = head.page.getByRole('region', { name: 'Назначить исполнителя' });
    // The category routed it to its department already.
    assert.equal(await assign.getByLabel('Подразделение').locator('option:checked').textContent(), 'Управление благоустройства');
    await assign.getByLabel(/^Исполнитель/).selectOption({ label: 'Петров Дмитрий Андреевич' });
    // The head may not start or draft it: those buttons are not there.
    assert.equal(await head.page.getByRole('button', { name: 'Принять в работу' }).count(), 0);
    await assign.getByRole('button', { name: 'Назначить' }).click();
    await head.page.getByRole('status').getByText('Обращение направлено исполнителю.').waitFor();
    await head.page.locator('.case-head__badges').getByText('Направлено исполнителю').waitFor();
    await head.page.locator('.case-timeline').getByText('Исполнитель: Петров Дмитрий Андреевич').waitFor();
    assertNoProblems(head);

    // ——— the executor: takes it into work and drafts the answer ———
    const ex = await openPage(browser, server);
    await signIn(ex.page, server, 'kem.executor@otklik.demo');
    await ex.page.goto(`${server.baseUrl}/staff/cases`);
    await ex.page.getByRole('heading', { name: 'Обращения', level: 1 }).waitFor();
    await ex.page.getByLabel('Исполнитель').selectOption({ label: 'Назначенные мне' });
    await ex.page.getByRole('button', { name: 'Показать' }).click();
    await ex.page.waitForURL(/executor=\d+/);
    await ex.page.getByRole('link', { name: number }).click();
    await ex.page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(ex.page);
    await ex.page.getByRole('button', { name: 'Принять в работу' }).click();
    await ex.page.getByRole('status').getByText('Обращение принято в работу.').waitFor();
    const draft = ex.page.getByRole('region', { name: 'Проект ответа' });
    await draft.waitFor();
    const template = draft.getByLabel(/^Шаблон ответа/);
    const answerText = draft.getByLabel('Текст ответа');
    if (await template.count()) {
      // The templates' route is there: one fills the text and the result.
      await template.selectOption({ index: 1 });
      assert.ok((await answerText.inputValue()).length > 40, 'the template filled the answer');
      assert.ok(await draft.getByLabel('Результат рассмотрения').inputValue());
      await answerText.fill(`${await answerText.inputValue()}\nВывоз мусора по графику восстановлен.`);
    } else {
      await answerText.fill('Уважаемая Валентина Петровна! Вывоз мусора по графику восстановлен.');
    }
    await draft.getByLabel('Результат рассмотрения').selectOption({ label: 'Поддержано' });
    await snap(ex.page, 'cases-draft-answer', { phone: false });
    await draft.getByRole('button', { name: 'Передать на согласование' }).click();
    await ex.page.getByRole('status').getByText('Проект ответа передан руководителю на согласование.').waitFor();
    await ex.page.locator('.case-head__badges').getByText('Проект ответа на согласовании').waitFor();
    // The executor does not approve their own draft.
    assert.equal(await ex.page.getByRole('button', { name: 'Утвердить ответ' }).count(), 0);
    assertNoProblems(ex);
    await ex.close();

    // ——— the head approves ———
    await head.page.reload();
    await head.page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(head.page);
    await head.page
      .getByRole('region', { name: 'Проект ответа' })
      .getByText('Вывоз мусора по графику восстановлен.', { exact: false })
      .waitFor();
    await head.page.getByRole('button', { name: 'Утвердить ответ' }).click();
    await head.page.getByRole('status').getByText('Ответ утверждён и направлен заявителю.').waitFor();
    await head.page.locator('.case-head__badges').getByText('Дан ответ').waitFor();
    await head.page.getByRole('region', { name: 'Ответ', exact: true }).getByText('Поддержано', { exact: false }).waitFor();
    await head.page.getByText('Сейчас у вас нет действий по этому обращению.').waitFor();
    await snap(head.page, 'cases-case-answered', { phone: false });
    // The card at a phone's width: no sideways scrolling.
    await head.page.setViewportSize(PHONE);
    await settled(head.page);
    await head.page.screenshot({ path: `${SCREENSHOT_DIR}/cases-case-answered-phone.png`, fullPage: true });
    const overflow = await head.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the case page is ${overflow}px wider than a phone`);
    assertNoProblems(head);
    await head.close();
  });

  test('an incident whose first reaction is past its 24 hours shows as overdue in the queue', async () => {
    const municipalityId = await kemerovoId(server);
    const operator = await login(server.app, 'kem.operator@otklik.demo');
    // Taken by phone three days ago and keyed in only now: the 24 hours of the first reaction have run out.
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as(operator), 'idempotency-key': 'e2e-overdue-incident' },
      payload: {
        municipalityId,
        channel: 'phone',
        regime: 'incident',
        text: 'Открыт канализационный люк у остановки «Весенняя»',
        receivedAt: new Date(Date.now() - 3 * DAY).toISOString(),
        lastName: 'Орлов',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const overdueNumber = (res.json() as { number: string }).number;

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    await page.goto(`${server.baseUrl}/staff/cases`);
    await page.getByRole('heading', { name: 'Обращения', level: 1 }).waitFor();
    await settled(page);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: overdueNumber }) });
    await row.getByText('Просрочено', { exact: true }).waitFor();
    await row.getByText('Первая реакция:').waitFor();
    // Nearest deadline first: the overdue incident leads the queue.
    assert.equal(await page.locator('.case-queue tbody tr').first().getByRole('link').first().textContent(), overdueNumber);

    // The «Просрочено» filter, kept in the address.
    await page.getByLabel('Просрочено').check();
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/overdue=1/);
    await settled(page);
    const rows = page.locator('.case-queue tbody tr');
    assert.ok((await rows.count()) >= 1);
    for (const r of await rows.all()) await r.getByText('Просрочено', { exact: true }).waitFor();
    await snap(page, 'cases-queue-overdue', { phone: false });
    await page.reload();
    await settled(page);
    assert.equal(await page.getByLabel('Просрочено').isChecked(), true, 'the filter survives a reload');

    // Back to the whole queue, desktop and phone.
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await settled(page);
    await snap(page, 'cases-queue');
    await openCase(page, server, (res.json() as { id: number }).id);
    await page.locator('.case-head__badges').getByText('Просрочено', { exact: true }).waitFor();

    // A letter that lay ten days before it was registered: the registration step is marked late (59-ФЗ ст. 8 ч. 2).
    // Its scan is attached.
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(operator), 'content-type': 'text/plain', 'x-file-name': encodeURIComponent('письмо Кравец.txt') },
      payload: 'Прошу отремонтировать скамейки в сквере. Кравец',
    });
    assert.equal(upload.statusCode, 201, upload.body);
    const late = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...as(operator), 'idempotency-key': 'e2e-late-letter' },
      payload: {
        municipalityId,
        channel: 'letter',
        text: 'Прошу отремонтировать скамейки в сквере',
        receivedAt: new Date(Date.now() - 10 * DAY).toISOString(),
        lastName: 'Кравец',
        postalAddress: '650000, г. Кемерово, ул. Островского, д. 3',
        attachmentIds: [(upload.json() as { id: number }).id],
      },
    });
    assert.equal(late.statusCode, 201, late.body);
    await openCase(page, server, (late.json() as { id: number }).id);
    const registered = page.locator('.case-timeline__item').filter({ hasText: 'Зарегистрировано' });
    await registered.getByText('с нарушением срока').waitFor();
    const scan = page.getByRole('link', { name: 'письмо Кравец.txt' });
    assert.match((await scan.getAttribute('href')) ?? '', /\/api\/v1\/attachments\/\d+$/);
    assert.equal(
      await page.locator('.case-timeline__item').filter({ hasText: 'Поступило' }).getByText('с нарушением срока').count(),
      0,
    );
    await snap(page, 'cases-case-late-registration');

    // A colleague redirects the case while this head fills in the same form: the refusal is shown in the form.
    await page.getByRole('button', { name: 'Переадресовать' }).click();
    const redirect = page.getByRole('region', { name: 'Переадресовать' });
    await redirect.getByLabel('Куда направить').fill('Министерство строительства Кузбасса');
    await redirect.getByLabel('Причина').fill('Сквер на балансе области');
    const colleague = await login(server.app, 'kem.head@otklik.demo');
    const first = await server.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${(late.json() as { id: number }).id}/redirect`,
      headers: as(colleague),
      payload: { to: 'Министерство строительства Кузбасса', reason: 'Сквер на балансе области' },
    });
    assert.equal(first.statusCode, 200, first.body);
    await redirect.getByRole('button', { name: 'Переадресовать' }).click();
    await redirect
      .getByRole('alert')
      .getByText('Это действие сейчас недоступно: состояние обращения изменилось.', { exact: false })
      .waitFor();
    await page.reload();
    await page.locator('.case-head__badges').getByText('Переадресовано').waitFor();
    await page.locator('.case-timeline').getByText('Куда: Министерство строительства Кузбасса').waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('two letters about the same yard: the head sees the similar one and merges them', async () => {
    const municipalityId = await kemerovoId(server);
    const operator = await login(server.app, 'kem.operator@otklik.demo');
    const cats = await server.app.inject({ url: `/api/v1/municipalities/${municipalityId}/categories` });
    const yards = (cats.json() as { items: Array<{ id: number; name: string }> }).items.find(
      (c) => c.name === 'Благоустройство дворов',
    );
    assert.ok(yards);
    const letter = async (lastName: string, key: string) => {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: { ...as(operator), 'idempotency-key': key },
        payload: {
          municipalityId,
          channel: 'letter',
          categoryId: yards.id,
          text: 'Во дворе дома по улице Тухачевского, 22 сломаны качели и горка на детской площадке',
          lastName,
          postalAddress: '650000, г. Кемерово, ул. Тухачевского, д. 22',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: number; number: string };
    };
    const first = await letter('Зайцева', 'e2e-merge-1');
    const second = await letter('Лебедев', 'e2e-merge-2');

    // A third letter on the same: the operator is shown the open ones before registering it.
    const op = await openPage(browser, server);
    await signIn(op.page, server, 'kem.operator@otklik.demo');
    await op.page.goto(`${server.baseUrl}/staff/cases/new`);
    const form = op.page.getByRole('region', { name: 'Новое обращение' });
    await form.getByLabel('Категория').selectOption({ label: 'Благоустройство дворов' });
    await form.getByLabel('Текст обращения').fill('Сломаны качели и горка на детской площадке во дворе дома Тухачевского, 22');
    const hint = op.page.getByRole('region', { name: 'Похожие открытые обращения' });
    await hint.getByRole('link', { name: first.number }).waitFor();
    await hint.getByRole('link', { name: second.number }).waitFor();
    await snap(op.page, 'cases-register-similar', { phone: false });
    assertNoProblems(op);
    await op.close();

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    await openCase(page, server, first.id);
    const similar = page.getByRole('region', { name: 'Похожие обращения' });
    await similar.getByRole('link', { name: second.number }).waitFor();
    await similar.getByText('Похожий текст в той же категории', { exact: false }).waitFor();
    await similar.getByRole('button', { name: `Объединить с обращением ${second.number}` }).click();
    await page.getByRole('status').getByText('Обращения объединены', { exact: false }).waitFor();
    await page.getByText('Объединены с этим (основным)').waitFor();
    await snap(page, 'cases-case-merged', { phone: false });

    // The member points to its primary, and is worked on through it.
    await openCase(page, server, second.id);
    await page.getByRole('link', { name: first.number }).first().waitFor();
    await page.getByText('ответ даётся через него').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Назначить исполнителя' }).count(), 0);
    assertNoProblems(t);
    await t.close();
  });
});
