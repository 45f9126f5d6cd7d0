import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { as, login } from '../support/test-app.ts';
import {
  assertNoProblems,
  type E2EServer,
  launchBrowser,
  openPage,
  PHONE,
  settled,
  signIn,
  snap,
  startServer,
} from './support.ts';

const RESIDENT = 'resident@otklik.demo';
const MUNICIPALITY = 'Кемеровский городской округ';
const CATEGORY = 'Дороги и тротуары';

/** CRC-32 as PNG chunks need it (node 20 has no zlib.crc32 before 20.15 everywhere). */
function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A real PNG (a small red-and-white image), built byte by byte: the server sniffs the content, not the name. */
function pngImage(width = 24, height = 16): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set((x + y) % 4 < 2 ? [200, 30, 30] : [255, 255, 255], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface CaseSummary {
  id: number;
  number: string;
  status: string;
  answerDue: { dueAt: string } | null;
}

/** The resident's cases as the API gives them (the page's own cookies). */
async function myCases(page: Page): Promise<CaseSummary[]> {
  const res = await page.request.get(new URL('/api/v1/cases', page.url()).toString());
  assert.equal(res.status(), 200, await res.text());
  return ((await res.json()) as { items: CaseSummary[] }).items;
}

const ddmmyyyy = (iso: string) => iso.slice(0, 10).split('-').reverse().join('.');

async function fillAppeal(page: Page, text: string) {
  await page.getByLabel('Муниципалитет').selectOption({ label: MUNICIPALITY });
  await page.getByLabel('Тема').selectOption({ label: CATEGORY });
  await page.getByLabel('Характер обращения').selectOption({ label: 'Жалоба' });
  await page.getByLabel('Текст обращения').fill(text);
}

describe('resident case pages', () => {
  let server: E2EServer;
  let browser: Browser;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('on a phone: an appeal with a photo, then the list with its due date, then its page', async () => {
    const t = await openPage(browser, server, PHONE);
    const { page } = t;
    await signIn(page, server, RESIDENT);
    await page.goto(`${server.baseUrl}/cabinet`);
    await page.getByText('У вас пока нет обращений').waitFor();
    await page.getByRole('link', { name: 'Подать обращение' }).click();
    await page.getByRole('heading', { name: 'Новое обращение' }).waitFor();
    await settled(page);
    await snap(page, 'case-new');

    await fillAppeal(
      page,
      'На ул. Весенней у дома 12 во дворе провал асфальта глубиной около 20 см, машины объезжают по тротуару. Прошу отремонтировать.',
    );
    await page.getByLabel('Адрес места').fill('Кемерово, ул. Весенняя, 12');
    // The photo goes up at once, with its name; the server checks its content.
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/attachments') && r.request().method() === 'POST');
    await page
      .locator('#case-new-attachmentIds')
      .setInputFiles({ name: 'яма во дворе.png', mimeType: 'image/png', buffer: pngImage() });
    const upload = await uploaded;
    assert.equal(upload.status(), 201, await upload.text());
    assert.equal(upload.request().headers()['x-file-name'], encodeURIComponent('яма во дворе.png'));
    await page.getByText('загружен', { exact: true }).waitFor();

    // A program dressed as a photo: refused with the reason in Russian, and the form goes on without it.
    await page
      .locator('#case-new-attachmentIds')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('MZ\x90\x00 this is not an image') });
    await page
      .locator('.upload--error')
      .getByText('Файл не принят: это программа или сценарий, их прикладывать нельзя.')
      .waitFor();
    await snap(page, 'case-new-filled');
    await page.getByRole('button', { name: 'Убрать файл photo.png' }).click();

    const before = await myCases(page);
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/v1/cases') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Отправить обращение' }).click();
    const res = await submitted;
    assert.equal(res.status(), 201, await res.text());
    assert.match(res.request().headers()['idempotency-key'] ?? '', /^[0-9a-f-]{32,36}$/);
    const card = (await res.json()) as CaseSummary & { attachments?: Array<{ fileName: string }> };
    assert.deepEqual(
      card.attachments?.map((a) => a.fileName),
      ['яма во дворе.png'],
    );

    // The case page: number, status, the answer deadline with its rule, the photo.
    await page.waitForURL(`**/cabinet/cases/${card.id}`);
    await page.getByRole('heading', { name: `Обращение № ${card.number}` }).waitFor();
    await page.getByText('Обращение отправлено и зарегистрировано').waitFor();
    assert.ok(card.answerDue, 'an appeal has an answer deadline');
    const due = ddmmyyyy(card.answerDue.dueAt);
    await page.getByText(`до ${due}`).first().waitFor();
    await page.getByText('59-ФЗ ст. 12 ч. 1').first().waitFor();
    await page.getByRole('link', { name: 'яма во дворе.png' }).waitFor();
    await page.getByText('Обращение зарегистрировано').waitFor();
    await snap(page, 'case-page');
    // The photo downloads for its applicant.
    const href = await page.getByRole('link', { name: 'яма во дворе.png' }).getAttribute('href');
    const file = await page.request.get(new URL(href ?? '', page.url()).toString());
    assert.equal(file.status(), 200);
    assert.deepEqual(Buffer.from(await file.body()), pngImage());

    // My cases: one more, with its number, category, status and due date.
    assert.equal((await myCases(page)).length, before.length + 1);
    await page.getByRole('link', { name: 'Мои обращения' }).click();
    await page.getByRole('heading', { name: 'Мои обращения', level: 1 }).waitFor();
    const row = page.locator('.rcase-row', { hasText: card.number });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`${CATEGORY}.*Зарегистрировано|Зарегистрировано.*${CATEGORY}`));
    assert.match((await row.textContent()) ?? '', new RegExp(`Ответ до ${due.replace(/\./g, '\\.')}`));
    await snap(page, 'cases-mine');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Обращение № ${card.number}` }).waitFor();

    // The cabinet lists it too.
    await page.goto(`${server.baseUrl}/cabinet`);
    await page.locator('.rcase-row', { hasText: card.number }).waitFor();
    await snap(page, 'cabinet-with-cases');
    // The registration letter is also a notice in the cabinet; read, it loses its «новое» mark.
    const notices = page.getByRole('region', { name: /Уведомления/ });
    await notices.getByRole('link', { name: `Обращение ${card.number} зарегистрировано` }).waitFor();
    await notices.getByText('новое', { exact: true }).waitFor();
    await notices.getByRole('button', { name: 'Отметить все прочитанными' }).click();
    await notices.getByRole('button', { name: 'Отметить все прочитанными' }).waitFor({ state: 'detached' });
    assert.equal(await notices.getByText('новое', { exact: true }).count(), 0);
    assertNoProblems(t);
    await t.close();
  });

  test('answer by post without a postal address: the hint by the field, and no case made', async () => {
    const t = await openPage(browser, server, PHONE);
    const { page } = t;
    await signIn(page, server, RESIDENT);
    const before = await myCases(page);
    await page.goto(`${server.baseUrl}/cabinet/cases/new`);
    await fillAppeal(page, 'Прошу ответить письмом: во дворе дома 5 не вывозят мусор вторую неделю.');
    // The resident's own open case in this municipality is pointed out before a second one is sent.
    const similar = page.locator('.rcase-similar');
    await similar.getByText('Похожие обращения уже поданы').waitFor();
    await similar.getByRole('link', { name: new RegExp(`№ ${before[0]?.number}`) }).waitFor();
    await page.getByLabel('Письмом по почте').check();
    const postal = page.getByLabel('Почтовый адрес для ответа');
    await postal.waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/cases') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Отправить обращение' }).click();
    const res = await answered;
    assert.equal(res.status(), 400, 'the server, not the browser, judged the form');
    const body = (await res.json()) as { error: { details: Array<{ field: string }> } };
    assert.deepEqual(
      body.error.details.map((d) => d.field),
      ['postalAddress'],
    );
    const hint = page.locator('#case-new-postalAddress-error');
    await hint.waitFor();
    assert.match((await hint.textContent()) ?? '', /почтовый адрес/);
    assert.equal(await postal.getAttribute('aria-invalid'), 'true');
    assert.match((await postal.getAttribute('aria-describedby')) ?? '', /case-new-postalAddress-error/);
    // The summary above the form takes focus and names the field.
    const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки в форме' });
    assert.ok(await summary.evaluate((el) => el === document.activeElement));
    assert.match((await summary.textContent()) ?? '', /Почтовый адрес/);
    await snap(page, 'case-new-postal-missing');
    assert.equal((await myCases(page)).length, before.length, 'nothing was created');

    // With the address it goes through (the same form, the same Idempotency-Key).
    await postal.fill('650000, г. Кемерово, ул. Весенняя, д. 5, кв. 1');
    // A collective appeal: a neighbour signs it too.
    await page.getByLabel(/Обращение подписывают и другие жители/).check();
    await page.getByLabel('Фамилия').fill('Смирнова');
    await page.getByLabel('Имя', { exact: true }).fill('Анна');
    await page.getByLabel('Электронная почта').fill('smirnova@example.ru');
    await snap(page, 'case-new-collective');
    await page.getByRole('button', { name: 'Отправить обращение' }).click();
    await page.waitForURL(/\/cabinet\/cases\/\d+$/);
    await page.getByText('письмом по почте: 650000, г. Кемерово').waitFor();
    await page.getByText('Коллективное обращение, соавторы').waitFor();
    await page.getByText('Смирнова Анна', { exact: true }).waitFor();
    assert.equal((await myCases(page)).length, before.length + 1);
    assertNoProblems(t);
    await t.close();
  });

  test('a double click on «Отправить» makes one case; the applicant then withdraws it', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, RESIDENT);
    const before = await myCases(page);
    await page.goto(`${server.baseUrl}/cabinet/cases/new`);
    await fillAppeal(page, 'Не горит уличный фонарь у остановки «Школа № 7» уже неделю, вечером очень темно.');
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/cases')) posts.push(r.headers()['idempotency-key'] ?? '');
    });
    await page.getByRole('button', { name: 'Отправить обращение' }).dblclick();
    await page.waitForURL(/\/cabinet\/cases\/\d+$/);
    const after = await myCases(page);
    assert.equal(after.length, before.length + 1, 'one case for a double click');
    assert.ok(posts.length >= 1 && new Set(posts).size === 1, `every request carried the same key: ${posts.join(', ')}`);
    const made = after.find((c) => !before.some((b) => b.id === c.id));
    assert.ok(made);

    // The same key sent again (a retry after a lost answer) returns the first case, not a second one.
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    assert.equal(id, made.id);
    const retried = await page.evaluate(async (key) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const municipalities = (await (await fetch('/api/v1/municipalities')).json()) as {
        items: Array<{ id: number; name: string }>;
      };
      const m = municipalities.items.find((x) => x.name === 'Кемеровский городской округ');
      const res = await fetch('/api/v1/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ municipalityId: m?.id, channel: 'web', text: 'повтор', answerBy: 'email' }),
      });
      return { status: res.status, id: ((await res.json()) as { id: number }).id };
    }, posts[0] ?? '');
    assert.deepEqual(retried, { status: 200, id });
    assert.equal((await myCases(page)).length, before.length + 1);

    // Only the actions the server allows are offered: a fresh case may be withdrawn, not rated or reopened.
    await page.getByRole('button', { name: 'Отозвать обращение' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Оценить ответ' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /пересмотреть/ }).count(), 0);
    await page.getByRole('button', { name: 'Отозвать обращение' }).click();
    await page.getByLabel('Причина').fill('Фонарь уже починили.');
    const withdrawn = page.waitForResponse((r) => r.url().endsWith('/withdraw'));
    await page.getByRole('button', { name: 'Да, отозвать обращение' }).click();
    const w = await withdrawn;
    assert.equal(w.status(), 200, await w.text());
    await page.getByText('Обращение отозвано. Рассмотрение прекращено.').waitFor();
    await page.getByText('Обращение отозвано заявителем').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Отозвать обращение' }).count(), 0);
    await snap(page, 'case-withdrawn');
    assertNoProblems(t);
    await t.close();
  });
  test('the answer with its result; the applicant rates it, then asks to reconsider', async () => {
    // The staff side through the API: the resident's appeal assigned, taken into work, answered and approved.
    const app = server.app;
    const resident = await login(app, RESIDENT);
    const operator = await login(app, 'kem.operator@otklik.demo');
    const executor = await login(app, 'kem.executor@otklik.demo');
    const head = await login(app, 'kem.head@otklik.demo');
    const municipalities = (await app.inject({ url: '/api/v1/municipalities' })).json() as {
      items: Array<{ id: number; name: string }>;
    };
    const kemerovo = municipalities.items.find((m) => m.name === MUNICIPALITY)!;
    const categories = (await app.inject({ url: `/api/v1/municipalities/${kemerovo.id}/categories` })).json() as {
      items: Array<{ id: number; name: string; departmentId: number }>;
    };
    const yards = categories.items.find((c) => c.name === 'Благоустройство дворов')!;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(resident),
      payload: {
        municipalityId: kemerovo.id,
        channel: 'web',
        categoryId: yards.id,
        text: 'Во дворе дома 3 по ул. Мира сломана скамейка у детской площадки.',
        answerBy: 'email',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = (created.json() as { id: number }).id;
    const step = async (who: typeof operator, action: string, payload?: object) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/cases/${id}/${action}`,
        headers: as(who),
        payload: payload ?? {},
      });
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
    };
    await step(operator, 'assign', { departmentId: yards.departmentId, executorUserId: executor.userId });
    await step(executor, 'start');
    await step(executor, 'draft-answer', { text: 'Скамейку заменят до 20 декабря 2026 г.', result: 'supported' });
    await step(head, 'approve-answer');

    const t = await openPage(browser, server, PHONE);
    const { page } = t;
    await signIn(page, server, RESIDENT);
    await page.goto(`${server.baseUrl}/cabinet/cases/${id}`);
    await page.getByRole('heading', { name: /^Ответ от \d\d\.\d\d\.\d{4}$/ }).waitFor();
    await page.getByText('Скамейку заменят до 20 декабря 2026 г.').waitFor();
    await page.locator('.rcase-answer').getByText('Поддержано').waitFor();
    await page.getByText('ответ дан в срок').waitFor();
    // The staff-only steps (the draft) are not in the resident's timeline.
    const timeline = (await page.locator('.rcase-timeline').textContent()) ?? '';
    assert.match(timeline, /Передано в подразделение.*Исполнитель приступил к работе.*Дан ответ/);
    assert.doesNotMatch(timeline, /проект|Изменение по обращению/i);
    // Answered: rate or reopen, no withdrawal any more.
    assert.equal(await page.getByRole('button', { name: 'Отозвать обращение' }).count(), 0);

    await page.getByRole('button', { name: 'Оценить ответ' }).click();
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.getByText('Выберите оценку от 1 до 5.').waitFor();
    await page.getByLabel('5', { exact: true }).check();
    await page.getByLabel('Комментарий').fill('Спасибо за быстрый ответ.');
    await snap(page, 'case-rate');
    await page.getByRole('button', { name: 'Отправить оценку' }).click();
    await page.getByText('Спасибо! Ваша оценка сохранена.').waitFor();
    await page.locator('.rcase-head').getByText('Ответ оценён').waitFor();
    await page.getByText('Вы оценили ответ').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Оценить ответ' }).count(), 0, 'rated once');

    await page.getByRole('button', { name: 'Не согласен, пересмотреть' }).click();
    await page.getByRole('button', { name: 'Попросить пересмотреть' }).click();
    await page.getByText('Напишите, почему ответ вас не устроил.').waitFor();
    await page.getByLabel('Почему ответ вас не устроил').fill('Скамейку так и не заменили.');
    await page.getByRole('button', { name: 'Попросить пересмотреть' }).click();
    await page.getByText('Обращение снова в работе').waitFor();
    await page.locator('.rcase-head').getByText('В работе').waitFor();
    await page.getByText('Причина: Скамейку так и не заменили.').waitFor();
    await page.getByRole('heading', { name: /^Прежний ответ от / }).waitFor();
    await snap(page, 'case-reopened');
    assertNoProblems(t);
    await t.close();
  });
});
