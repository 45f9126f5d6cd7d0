import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readPdf } from '../../src/server/core/documents/test-pdf.ts';
import { as, login, type Session } from '../support/test-app.ts';
import {
  assertNoProblems,
  type E2EServer,
  launchBrowser,
  openPage,
  SCREENSHOT_DIR,
  settled,
  signIn,
  snap,
  startServer,
} from './support.ts';

/*
 * Issue 8 in the browser: the region's administrator sets up the contest «Лучшая муниципальная практика»; Кемерово's
 * administrator fills in the application form (server refusals shown at the fields, figures pulled from analytics, a
 * brochure uploaded) and submits it; the region returns it with remarks, it is resubmitted, checked and admitted; the
 * meeting is opened; the commission member votes on the voting screen (a second ballot from a stale tab is refused
 * with a clear message); the meeting is closed, the tally shown, the protocol approved and published; the protocol's
 * PDF is rendered to PNG; the public page shows the winners without personal data.
 */

const USERS = {
  region: 'region.admin@otklik.demo',
  commission: 'commission@otklik.demo',
  kem: 'kem.admin@otklik.demo',
  bel: 'bel.admin@otklik.demo',
  resident: 'resident@otklik.demo',
} as const;
type Who = keyof typeof USERS;

const NOMINATION =
  'Обеспечение эффективной «обратной связи» с жителями муниципальных образований, развитие территориального общественного самоуправления';
const REMARKS = 'Не раскрыты сильные стороны практики: дополните раздел и приложите брошюру-презентацию.';

/** A small real PDF (the server sniffs the content): one page with a line of text. */
function brochurePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 24 Tf 72 760 Td (Brochure: feedback practice) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** `YYYY-MM-DDTHH:mm` of an instant in Кемерово's zone (the browser's zone in these tests), for datetime-local. */
function localInput(ms: number): string {
  const p = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Novokuznetsk',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const v = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${v('year')}-${v('month')}-${v('day')}T${v('hour')}:${v('minute')}`;
}

/** Runs `step` with a confirm() dialog accepted. */
async function accepting(page: Page, step: () => Promise<void>) {
  page.once('dialog', (d) => void d.accept());
  await step();
}

describe('contest «Лучшая муниципальная практика» in the browser', () => {
  let server: E2EServer;
  let browser: Browser;
  const s = {} as Record<Who, Session>;
  let kem: number;
  let bel: number;
  let commissionUser: number;
  let contestId: number;
  let kemApp: number;
  let belApp: number;
  let kemName: string;
  let belName: string;

  const api = async (who: Who | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, code = 200) => {
    const res = await server.app.inject({
      method,
      url: `/api/v1${url}`,
      ...(who && { headers: as(s[who]) }),
      ...(payload && { payload }),
    });
    assert.equal(res.statusCode, code, `${method} ${url}: ${res.body.slice(0, 500)}`);
    return res.json();
  };

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    for (const [k, email] of Object.entries(USERS)) s[k as Who] = await login(server.app, email);
    const municipalities = (await api(null, 'GET', '/municipalities')).items as Array<{ id: number; slug: string; name: string }>;
    const byslug = (slug: string) => municipalities.find((m) => m.slug === slug)!;
    kem = byslug('kemerovo').id;
    bel = byslug('belovo').id;
    commissionUser = s.commission.userId;
    // Cases for the analytics figures the application pulls.
    for (const text of ['Яма у подъезда на ул. Весенней', 'Не горит фонарь во дворе', 'Не вывезен мусор с площадки']) {
      await api('resident', 'POST', '/cases', { municipalityId: kem, channel: 'web', text }, 201);
    }
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the region sets up the contest in the browser; the commission is named', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, USERS.region);
    await page.goto(`${server.baseUrl}/staff`);
    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByRole('link', { name: 'Конкурс «Лучшая муниципальная практика»' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Конкурс «Лучшая муниципальная практика»' }).waitFor();
    await page.getByRole('button', { name: 'Новый конкурс' }).click();
    const form = page.locator('form.contest-form');
    // The form's own check before anything is sent.
    await form.getByRole('button', { name: 'Создать конкурс' }).click();
    await page.getByRole('alert').getByText('Укажите номинацию.').waitFor();
    await page.locator('#contest-new-nomination').fill(NOMINATION);
    await page
      .locator('#contest-new-organizer')
      .fill('департамент внутренней политики Губернатора Кемеровской области – Кузбасса');
    await page
      .locator('#contest-new-regulation')
      .fill('Положению о региональном этапе Всероссийского конкурса «Лучшая муниципальная практика»');
    const now = Date.now();
    await page.locator('#contest-new-applicationsFrom').fill(localInput(now - 3_600_000));
    // A window that closes before it opens: the server's refusal is shown at the field.
    await page.locator('#contest-new-applicationsTo').fill(localInput(now - 7_200_000));
    await form.getByRole('button', { name: 'Создать конкурс' }).click();
    await page
      .locator('#contest-new-applicationsTo-error')
      .getByText('Приём заявок должен заканчиваться позже, чем начинается.')
      .waitFor();
    await page.locator('#contest-new-applicationsTo').fill(localInput(now + 7 * 86_400_000));
    await page.locator('#contest-new-meetingPlace').fill('г. Кемерово, пр. Советский, 62');
    await page
      .locator('#contest-new-agenda')
      .fill('Об итогах регионального этапа Всероссийского конкурса «Лучшая муниципальная практика»');
    await page.locator('#contest-new-recommendTop').fill('2');
    await form.getByRole('button', { name: 'Создать конкурс' }).click();
    await page.waitForURL(/\/staff\/contest\/\d+$/);
    contestId = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.getByRole('heading', { level: 2, name: 'Конкурсная комиссия' }).waitFor();
    const view = await api('region', 'GET', `/contests/${contestId}`);
    assert.equal(view.contest.nomination, NOMINATION);
    assert.equal(view.contest.recommendTop, 2);
    assert.deepEqual(
      view.categories.map((k: { code: string }) => k.code),
      ['I', 'II'],
    );
    // The commission: the chair votes on the site under the commission member's account (names filled from it); the
    // secretary on paper (the region enters the ballot). Two chairs are refused by the server, shown in Russian.
    await page.getByRole('button', { name: 'Сформировать комиссию' }).click();
    const C = `#commission-${contestId}`;
    await page.locator(`${C}-0-user`).selectOption({ label: `на сайте: Громов Алексей (${USERS.commission})` });
    assert.equal(await page.locator(`${C}-0-last`).inputValue(), 'Громов');
    assert.equal(await page.locator(`${C}-0-middle`).inputValue(), 'Викторович');
    await page.locator(`${C}-0-position`).fill('заместитель Губернатора Кемеровской области – Кузбасса');
    await page.getByRole('button', { name: 'Добавить члена комиссии' }).click();
    await page.locator(`${C}-1-role`).selectOption({ label: 'Председатель' });
    await page.locator(`${C}-1-last`).fill('Левкович');
    await page.locator(`${C}-1-first`).fill('Олеся');
    await page.locator(`${C}-1-middle`).fill('Анатольевна');
    await page
      .locator(`${C}-1-position`)
      .fill('начальник департамента внутренней политики Губернатора Кемеровской области – Кузбасса');
    await page.getByRole('button', { name: 'Сохранить состав' }).click();
    await page.getByRole('alert').getByText('В комиссии должен быть ровно один председатель.').waitFor();
    await page.locator(`${C}-1-role`).selectOption({ label: 'Секретарь' });
    await page.getByRole('button', { name: 'Сохранить состав' }).click();
    await page.getByText('Состав комиссии сохранён.').waitFor();
    const members = (await api('region', 'GET', `/contests/${contestId}`)).commission as Array<{
      role: string;
      userId: number | null;
    }>;
    assert.deepEqual(
      members.map((m) => [m.role, m.userId]),
      [
        ['chair', commissionUser],
        ['secretary', null],
      ],
    );
    await snap(page, 'contest-setup');
    await page.reload();
    await page.getByRole('cell', { name: 'на бумаге' }).waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('Кемерово fills in the application: refusals at the fields, figures from analytics, the brochure, submitted', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, USERS.kem);
    await page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    await page.getByRole('button', { name: /^Начать заявку/ }).click();
    await page.waitForURL(/\/staff\/contest\/applications\/\d+$/);
    kemApp = Number(new URL(page.url()).pathname.split('/').at(-1));
    await page.locator('#app-practice').fill('«Открытая администрация»: обратная связь с жителями через «Отклик»');

    // Submitted too early: the server names the missing sections, and each is marked at its field.
    await page.getByRole('button', { name: 'Подать заявку' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Исправьте ошибки в форме' });
    await summary.waitFor();
    for (const label of ['Предпосылки реализации практики', 'Описание практики', 'Результаты (с цифрами)']) {
      await summary.getByText(label, { exact: false }).first().waitFor();
    }
    await page.locator('#app-prerequisites-error').getByText('Заполните этот раздел: без него заявку не подать.').waitFor();
    assert.equal((await api('kem', 'GET', `/contest-applications/${kemApp}`)).status, 'draft');

    await page
      .locator('#app-prerequisites')
      .fill('Жители не знали, куда обратиться с проблемой двора или дороги, и не видели, что с обращением происходит.');
    await page
      .locator('#app-description')
      .fill(
        'Единый приём обращений на сайте, по телефону и на личном приёме; сроки по 59-ФЗ под контролем; ответ и оценка жителя в личном кабинете; карта решённых проблем.',
      );
    await page.locator('#app-interactionForms').fill('Сходы граждан, личный приём, опросы, сообщества в социальных сетях, ТОС.');
    await page.locator('#app-strengths').fill('Прозрачность: каждое обращение видно с номером и сроком.');
    await page.locator('#app-weaknesses').fill('Не все жители пользуются интернетом.');
    await page.locator('#app-resourcesMaterial').fill('Сервер и рабочие места операторов.');
    await page.locator('#app-resourcesImmaterial').fill('Обученные сотрудники, доверие жителей.');
    await page.locator('#app-results').fill('За год число обращений выросло, доля ответов в срок — выше 95 %.');

    // Figures pulled from analytics for the period, with their source; one typed in.
    await page.getByRole('button', { name: 'Подтянуть показатели' }).click();
    await page.getByText('Показатели подтянуты из аналитики «Отклика».', { exact: false }).waitFor();
    const sources = page.locator('.contest-figure__source');
    assert.ok((await sources.count()) >= 5, 'analytics gives its figures');
    assert.match((await sources.first().textContent()) ?? '', /Источник: Отклик: аналитика за период с \d\d\.\d\d\.\d{4} по /);
    // The text typed before the pull is kept.
    assert.match(await page.locator('#app-description').inputValue(), /Единый приём обращений/);
    const received = (await api('kem', 'GET', `/contest-applications/${kemApp}`)).figures.find(
      (f: { key: string | null }) => f.key === 'received',
    );
    assert.equal(received.value, 3);
    // «Поступило» is edited by hand: the source stays, the analytics value is shown beside it.
    const receivedRow = page.locator('.contest-figure').filter({ has: page.locator(`input[value="${received.label}"]`) });
    await receivedRow.getByLabel(/^Значение/).fill('4');
    await receivedRow.getByText('изменено, по данным аналитики — 3').waitFor();
    await page.getByRole('button', { name: 'Добавить показатель' }).click();
    const last = page.locator('.contest-figure').last();
    await last.getByLabel(/^Показатель \d+$/).fill('Создано ТОС');
    await last.getByLabel(/^Значение/).fill('14');

    // A file over 10 MB is refused before it is sent.
    await page.locator('#app-file').setInputFiles({
      name: 'Видео практики.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([brochurePdf(), Buffer.alloc(10 * 1024 * 1024)]),
    });
    await page.getByRole('alert').getByText('Файл не принят: он больше 10 МБ.').waitFor();
    // The brochure-presentation: uploaded, then linked to the application.
    await page.locator('#app-file').setInputFiles({
      name: 'Брошюра-презентация.pdf',
      mimeType: 'application/pdf',
      buffer: brochurePdf(),
    });
    await page.getByText('Файл «Брошюра-презентация.pdf» приложен к заявке.').waitFor();
    const saved = await api('kem', 'GET', `/contest-applications/${kemApp}`);
    assert.equal(saved.attachmentIds.length, 1);
    assert.match(saved.sections.results, /95 %/);
    await settled(page);
    await snap(page, 'contest-application-form');

    await page.getByRole('button', { name: 'Подать заявку' }).click();
    await page.getByText('Заявка подана и ушла на проверку.').waitFor();
    const submitted = await api('kem', 'GET', `/contest-applications/${kemApp}`);
    assert.equal(submitted.status, 'submitted');
    kemName = submitted.applicantName;
    const typed = submitted.figures.find((f: { label: string }) => f.label === 'Создано ТОС');
    assert.deepEqual([typed.value, typed.source], [14, 'указано муниципальным образованием']);
    const edited = submitted.figures.find((f: { key: string | null }) => f.key === 'received');
    assert.deepEqual([edited.value, edited.pulledValue, edited.edited], [4, 3, true]);
    assertNoProblems(t);
    await t.close();
  });

  test('the region returns the application with remarks; it is resubmitted, found conforming and admitted', async () => {
    const region = await openPage(browser, server);
    await signIn(region.page, server, USERS.region);
    await region.page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    await region.page.getByRole('link', { name: `Проверить заявку: ${kemName}` }).click();
    await region.page.getByRole('heading', { name: 'Проверка на соответствие Положению' }).waitFor();
    // The region reads the submitted form with its brochure, named as uploaded, and can download it.
    const brochure = region.page.getByRole('link', { name: 'Брошюра-презентация.pdf' });
    await brochure.waitFor();
    const file = await server.app.inject({ url: (await brochure.getAttribute('href')) ?? '', headers: as(s.region) });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    await region.page.getByText('Вернуть на доработку с замечаниями').click();
    // Returning without remarks is refused at the field.
    await region.page.getByRole('button', { name: 'Записать результат проверки' }).click();
    await region.page.locator('#check-remarks-error').getByText('Напишите замечания').waitFor();
    await region.page.locator('#check-remarks').fill(REMARKS);
    await snap(region.page, 'contest-check');
    await region.page.getByRole('button', { name: 'Записать результат проверки' }).click();
    await region.page.getByText('Заявка возвращена на доработку с замечаниями.').waitFor();
    assert.equal((await api('region', 'GET', `/contest-applications/${kemApp}`)).status, 'returned');

    const kemPage = await openPage(browser, server);
    await signIn(kemPage.page, server, USERS.kem);
    await kemPage.page.goto(`${server.baseUrl}/staff/contest/applications/${kemApp}`);
    const returned = kemPage.page.getByRole('status').filter({ hasText: 'Заявка возвращена на доработку' });
    await returned.getByText(REMARKS).waitFor();
    await kemPage.page
      .locator('#app-strengths')
      .fill('Прозрачность: каждое обращение видно с номером и сроком. Жители оценивают ответы, повторные обращения снижаются.');
    await kemPage.page.getByRole('button', { name: 'Подать повторно' }).click();
    await kemPage.page.getByText('Заявка подана повторно и ушла на проверку.').waitFor();
    assertNoProblems(kemPage);
    await kemPage.close();

    await region.page.reload();
    await region.page.getByText('Соответствует Положению', { exact: true }).click();
    await region.page.getByRole('button', { name: 'Записать результат проверки' }).click();
    await region.page.getByRole('heading', { name: 'Допуск к участию' }).waitFor();
    await region.page.getByRole('button', { name: 'Допустить к участию' }).click();
    await region.page.getByText('Заявка допущена к участию в конкурсе.').waitFor();
    assert.equal((await api('region', 'GET', `/contest-applications/${kemApp}`)).status, 'admitted');

    // Белово's application goes the same way through the API.
    const a = await api(
      'bel',
      'POST',
      `/contests/${contestId}/applications`,
      {
        municipalityId: bel,
        sections: {
          practice: 'Народный бюджет Белово',
          prerequisites: 'Жители хотели решать, на что тратить часть бюджета.',
          description: 'Жители предлагают и выбирают проекты благоустройства.',
          results: 'Реализовано 12 проектов.',
        },
      },
      201,
    );
    belApp = a.id;
    belName = a.applicantName;
    await api('bel', 'POST', `/contest-applications/${belApp}/submit`);
    await api('region', 'POST', `/contest-applications/${belApp}/check`, { conforms: true });
    await api('region', 'POST', `/contest-applications/${belApp}/admit`);
    assertNoProblems(region);
    await region.close();
  });

  test('the commission votes on the voting screen once; a second ballot is refused with a clear message', async () => {
    const member = await openPage(browser, server);
    await signIn(member.page, server, USERS.commission);
    // Before the meeting is opened there is nothing to vote on.
    await member.page.goto(`${server.baseUrl}/staff/contest/${contestId}/vote`);
    await member.page.getByText('Голосование не открыто').waitFor();
    assert.equal(await member.page.getByRole('button', { name: 'Проголосовать' }).count(), 0);

    const region = await openPage(browser, server);
    await signIn(region.page, server, USERS.region);
    await region.page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    // Opening without the quorum is refused.
    await region.page.getByRole('button', { name: 'Открыть заседание и голосование' }).click();
    await region.page.getByText('Нет кворума: присутствуют 0 из 2 членов комиссии', { exact: false }).waitFor();
    await region.page.getByLabel('Громов Алексей Викторович — председатель конкурсной комиссии').check();
    await region.page.getByLabel('Левкович Олеся Анатольевна — секретарь конкурсной комиссии').check();
    await region.page.getByRole('button', { name: 'Отметить присутствующих' }).click();
    await region.page.getByText('Присутствуют 2 из 2.').waitFor();
    await region.page.getByRole('button', { name: 'Открыть заседание и голосование' }).click();
    await region.page.getByText('Заседание открыто: члены комиссии могут голосовать.').waitFor();

    // Two tabs of the voting screen: the second one goes stale once the first has voted.
    await member.page.reload();
    const stale = await member.context.newPage();
    await stale.goto(`${server.baseUrl}/staff/contest/${contestId}/vote`);
    for (const page of [member.page, stale]) {
      await page.getByRole('heading', { name: /^I категория/ }).waitFor();
      await page.getByLabel('1 место').selectOption({ label: kemName });
      await page.getByLabel('2 место').selectOption({ label: belName });
    }
    // Category II had no applications: nothing to vote on.
    await member.page.getByText('Заявок не поступило; места не распределяются.').waitFor();
    await settled(member.page);
    await snap(member.page, 'contest-vote');
    await member.page.getByRole('button', { name: 'Проголосовать' }).click();
    await member.page.getByText('Ваш голос учтён: бюллетень по этой категории записан.', { exact: false }).waitFor();
    await stale.getByRole('button', { name: 'Проголосовать' }).click();
    await stale
      .getByRole('alert')
      .getByText('Голос в этой категории уже учтён. Повторно проголосовать или изменить голос нельзя.')
      .waitFor();
    await stale.getByText('Ваш голос учтён: бюллетень по этой категории записан.', { exact: false }).waitFor();
    await settled(stale);
    await snap(stale, 'contest-vote-refused', { phone: false });
    const view = await api('region', 'GET', `/contests/${contestId}`);
    const votes = view.ballots.find((b: { memberId: number }) => b.memberId === view.mySeat?.memberId);
    assert.equal(votes, undefined); // the region's administrator has no seat
    const chair = view.commission.find((m: { userId: number | null }) => m.userId === commissionUser);
    assert.deepEqual(view.ballots.find((b: { memberId: number }) => b.memberId === chair.id).categoryIds, [
      view.categories[0].id,
    ]);
    const tI = view.tally.find((x: { categoryId: number }) => x.categoryId === view.categories[0].id);
    assert.deepEqual(
      tI.rows.map((r: { applicationId: number; ballots: number }) => [r.applicationId, r.ballots]),
      [
        [kemApp, 1],
        [belApp, 1],
      ],
    );
    assertNoProblems(member);
    assertNoProblems(region);
    await stale.close();
    await member.close();
    await region.close();
  });

  test('the secretary’s paper ballot, closing, the tally, assignments, approval and publication; the protocol PDF', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, USERS.region);
    // The secretary's paper ballot, entered by the region's administrator on the voting screen.
    await page.goto(`${server.baseUrl}/staff/contest/${contestId}/vote`);
    await page
      .getByLabel('Бумажный бюллетень члена комиссии')
      .selectOption({ label: 'Левкович Олеся Анатольевна — секретарь конкурсной комиссии' });
    await page.getByLabel('1 место').selectOption({ label: kemName });
    await page.getByLabel('2 место').selectOption({ label: belName });
    await page.getByRole('button', { name: 'Внести бюллетень' }).click();
    await page.getByText('Бюллетень внесён', { exact: false }).waitFor();

    await page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    const tally = page.locator('table.contest-tally').first();
    await tally
      .getByRole('row', { name: new RegExp(kemName) })
      .getByRole('cell', { name: '2', exact: true })
      .first()
      .waitFor();
    await page.getByText('Заявок не поступило; места не распределялись.', { exact: false }).waitFor();

    // The decision's assignment: prepare the federal applications by a date.
    await page.locator('#assignment-0-due').fill('2026-12-20');
    await page.getByRole('button', { name: 'Сохранить поручения' }).click();
    await page.getByText('Поручения сохранены.').waitFor();

    await accepting(page, () => page.getByRole('button', { name: 'Закрыть заседание' }).click());
    await page.getByText('Заседание закрыто: места определены', { exact: false }).waitFor();
    const row = (name: string) => page.locator('table.contest-tally tbody tr').filter({ hasText: name });
    assert.match((await row(kemName).locator('td').first().textContent()) ?? '', /^1/);
    assert.match((await row(belName).locator('td').first().textContent()) ?? '', /^2/);
    await snap(page, 'contest-tally');

    await page.locator('#approve-number').fill('1');
    await page.getByRole('button', { name: 'Утвердить протокол' }).click();
    await page.getByText('Протокол № 1 утверждён.').waitFor();
    await page.getByRole('button', { name: 'Опубликовать итоги' }).click();
    await page.getByText('Итоги опубликованы на сайте.').waitFor();

    // The recommended applications' federal-stage packages, once the protocol is approved.
    for (const id of [kemApp, belApp]) {
      const link = page.locator(`a[href="/api/v1/contest-applications/${id}/federal-package.pdf"]`);
      await link.waitFor();
      const pkg = await server.app.inject({ url: (await link.getAttribute('href')) ?? '', headers: as(s.region) });
      assert.equal(pkg.statusCode, 200, pkg.body.slice(0, 300));
      assert.equal(pkg.headers['content-type'], 'application/pdf');
    }
    const protocolLink = page
      .locator('p.contest-links')
      .filter({ hasText: 'Протокол заседания' })
      .getByRole('link', { name: 'PDF' });
    const href = await protocolLink.getAttribute('href');
    assert.equal(href, `/api/v1/contests/${contestId}/protocol.pdf`);
    const res = await server.app.inject({ url: href, headers: as(s.region) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const docx = await server.app.inject({ url: `/api/v1/contests/${contestId}/protocol.docx`, headers: as(s.region) });
    assert.equal(docx.statusCode, 200);
    const pdf = readPdf(res.rawPayload);
    const text = Array.from({ length: pdf.pages }, (_, i) => pdf.text(i))
      .join('\n')
      .replace(/\u00a0/g, ' ');
    for (const phrase of ['УТВЕРЖДАЮ', 'ПРОТОКОЛ', 'Доложили', 'Решили', kemName, belName, '20 декабря 2026 года']) {
      assert.ok(text.includes(phrase) || text.toUpperCase().includes(phrase.toUpperCase()), `the protocol says «${phrase}»`);
    }
    assert.match(text, /места не распределялись/);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(path.join(SCREENSHOT_DIR, 'contest-protocol-pdf.png'), pdf.png(0, 1.5));
    if (pdf.pages > 1) writeFileSync(path.join(SCREENSHOT_DIR, 'contest-protocol-pdf-page2.png'), pdf.png(1, 1.5));
    assertNoProblems(t);
    await t.close();
  });

  test('after publication: the municipality sees its place and package, the commission the tally and protocol', async () => {
    const kemPage = await openPage(browser, server);
    await signIn(kemPage.page, server, USERS.kem);
    await kemPage.page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    const card = kemPage.page.locator('.contest-card').filter({ hasText: kemName });
    await card.getByText('1 место', { exact: false }).waitFor();
    await card.getByText('рекомендована на федеральный этап', { exact: false }).waitFor();
    await card.locator(`a[href="/api/v1/contest-applications/${kemApp}/federal-package.docx"]`).waitFor();
    // Another municipality's application is not shown to Кемерово.
    assert.equal(await kemPage.page.getByText(belName).count(), 0);
    await snap(kemPage.page, 'contest-municipality');
    assertNoProblems(kemPage);
    await kemPage.close();

    const member = await openPage(browser, server);
    await signIn(member.page, server, USERS.commission);
    await member.page.goto(`${server.baseUrl}/staff/contest/${contestId}`);
    await member.page.getByRole('heading', { name: 'Итоги голосования' }).waitFor();
    await member.page.locator('table.contest-tally tbody tr').filter({ hasText: kemName }).waitFor();
    await member.page.locator(`a[href="/api/v1/contests/${contestId}/protocol.pdf"]`).waitFor();
    // The voting screen after the meeting: nothing to vote on.
    await member.page.goto(`${server.baseUrl}/staff/contest/${contestId}/vote`);
    await member.page.getByText('Заседание закрыто: голосование завершено.', { exact: false }).waitFor();
    assertNoProblems(member);
    await member.close();
  });

  /** Another contest of this year in the same region (the region's API, 201), for a test of its own: its view. */
  const anotherContest = async (conditions: Record<string, unknown>) => {
    const regionId = (await api('region', 'GET', `/contests/${contestId}`)).contest.regionId;
    const created = await api(
      'region',
      'POST',
      `/regions/${regionId}/contests`,
      { year: new Date().getFullYear(), stage: 'regional', title: 'Лучшая муниципальная практика', ...conditions },
      201,
    );
    return created;
  };

  test('after the application window: no application can be started', async () => {
    const created = await anotherContest({
      nomination: 'Укрепление межнационального мира и согласия',
      applicationsFrom: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      applicationsTo: new Date(Date.now() - 86_400_000).toISOString(),
      method: 'ranking',
    });
    const id: number = created.contest.id;
    const t = await openPage(browser, server);
    await signIn(t.page, server, USERS.kem);
    await t.page.goto(`${server.baseUrl}/staff/contest/${id}`);
    await t.page.getByText('Приём заявок по этому конкурсу закрыт.').waitFor();
    assert.equal(await t.page.getByRole('button', { name: /^Начать заявку/ }).count(), 0);
    // The server refuses it too, and nothing is made.
    await api('kem', 'POST', `/contests/${id}/applications`, { municipalityId: kem }, 409);
    assert.deepEqual((await api('kem', 'GET', `/contests/${id}/applications`)).items, []);
    assertNoProblems(t);
    await t.close();
  });

  test('a contest voted by criteria: scores 1–10 per criterion, a score out of range refused before sending', async () => {
    const created = await anotherContest({
      nomination: 'Муниципальная экономическая политика и управление муниципальными финансами',
      applicationsFrom: new Date(Date.now() - 3_600_000).toISOString(),
      applicationsTo: new Date(Date.now() + 86_400_000).toISOString(),
      method: 'criteria',
      criteria: [
        { code: 'effect', name: 'Результативность', weight: 2 },
        { code: 'novelty', name: 'Новизна', weight: 1 },
      ],
      recommendTop: 1,
    });
    const id: number = created.contest.id;
    const view = await api('region', 'PUT', `/contests/${id}/commission`, {
      members: [{ role: 'chair', lastName: 'Громов', firstName: 'Алексей', position: 'председатель', userId: commissionUser }],
    });
    const sections = {
      practice: 'Открытый бюджет',
      prerequisites: 'Жители не понимали бюджет.',
      description: 'Бюджет для граждан.',
      results: 'Выросло участие.',
    };
    const a = await api('kem', 'POST', `/contests/${id}/applications`, { municipalityId: kem, sections }, 201);
    await api('kem', 'POST', `/contest-applications/${a.id}/submit`);
    await api('region', 'POST', `/contest-applications/${a.id}/check`, { conforms: true });
    await api('region', 'POST', `/contest-applications/${a.id}/admit`);
    await api('region', 'PUT', `/contests/${id}/meeting/attendance`, { present: [view.commission[0].id] });
    await api('region', 'POST', `/contests/${id}/meeting/open`);

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, USERS.commission);
    await page.goto(`${server.baseUrl}/staff/contest/${id}/vote`);
    await page.getByText('Оцените каждую допущенную заявку по критериям', { exact: false }).waitFor();
    const scores = page.getByRole('group', { name: a.applicantName });
    await scores.getByLabel('Результативность (1–10)').fill('11');
    await scores.getByLabel('Новизна (1–10)').fill('7');
    await page.getByRole('button', { name: 'Проголосовать' }).click();
    await page.getByRole('alert').getByText('«Результативность»: поставьте целое число от 1 до 10.', { exact: false }).waitFor();
    const none = (await api('region', 'GET', `/contests/${id}`)).ballots as Array<{ categoryIds: number[] }>;
    assert.ok(
      none.every((b) => b.categoryIds.length === 0),
      'nothing was sent',
    );
    await scores.getByLabel('Результативность (1–10)').fill('9');
    await page.getByRole('button', { name: 'Проголосовать' }).click();
    await page.getByText('Ваш голос учтён', { exact: false }).waitFor();
    const after = await api('region', 'GET', `/contests/${id}`);
    // (2·9 + 7) / 3
    assert.equal(Math.round(after.tally[0].rows[0].score * 1000) / 1000, 8.333);
    assertNoProblems(t);
    await t.close();
  });

  test('a tie: no places until the region records the chair’s deciding vote in the tie-break form', async () => {
    const created = await anotherContest({
      nomination: 'Развитие физической культуры и спорта',
      applicationsFrom: new Date(Date.now() - 3_600_000).toISOString(),
      applicationsTo: new Date(Date.now() + 86_400_000).toISOString(),
      method: 'ranking',
      recommendTop: 1,
    });
    const id: number = created.contest.id;
    const view = await api('region', 'PUT', `/contests/${id}/commission`, {
      members: [
        { role: 'chair', lastName: 'Громов', firstName: 'Алексей', position: 'председатель', userId: commissionUser },
        { role: 'secretary', lastName: 'Левкович', firstName: 'Олеся', position: 'секретарь' },
      ],
    });
    const sections = {
      practice: 'Спорт во дворах',
      prerequisites: 'Нет площадок.',
      description: 'Площадки.',
      results: '10 площадок.',
    };
    const ids: Record<'kem' | 'bel', number> = { kem: 0, bel: 0 };
    for (const [who, municipalityId] of [
      ['kem', kem],
      ['bel', bel],
    ] as const) {
      const a = await api(who, 'POST', `/contests/${id}/applications`, { municipalityId, sections }, 201);
      ids[who] = a.id;
      await api(who, 'POST', `/contest-applications/${a.id}/submit`);
      await api('region', 'POST', `/contest-applications/${a.id}/check`, { conforms: true });
      await api('region', 'POST', `/contest-applications/${a.id}/admit`);
    }
    const [chair, secretary] = view.commission as Array<{ id: number }>;
    await api('region', 'PUT', `/contests/${id}/meeting/attendance`, { present: [chair!.id, secretary!.id] });
    await api('region', 'POST', `/contests/${id}/meeting/open`);
    const catI = created.categories.find((k: { code: string }) => k.code === 'I').id;
    await api('commission', 'POST', `/contests/${id}/ballots`, { categoryId: catI, ranking: [ids.kem, ids.bel] }, 201);
    await api(
      'region',
      'POST',
      `/contests/${id}/ballots`,
      { categoryId: catI, memberId: secretary!.id, ranking: [ids.bel, ids.kem] },
      201,
    );

    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, USERS.region);
    await page.goto(`${server.baseUrl}/staff/contest/${id}`);
    await page.getByText('Равенство результатов: требуется решение', { exact: false }).waitFor();
    // Closing with an unresolved tie is refused.
    await accepting(page, () => page.getByRole('button', { name: 'Закрыть заседание' }).click());
    await page.getByText('Категория I: сначала разрешите равенство результатов', { exact: false }).waitFor();
    const form = page.locator('form.contest-tiebreak');
    await form.getByLabel('1-е из равных').selectOption({ label: belName });
    await form.getByLabel('2-е из равных').selectOption({ label: kemName });
    await form.getByRole('button', { name: 'Записать решение' }).click();
    await page.getByText('Решение при равенстве записано.').waitFor();
    await page.getByText('Равенство разрешено: решающий голос председателя конкурсной комиссии', { exact: false }).waitFor();
    // The earlier refusal to close was about the tie: it is gone with it.
    assert.equal(await page.getByText('сначала разрешите равенство результатов', { exact: false }).count(), 0);
    const row = (name: string) => page.locator('table.contest-tally tbody tr').filter({ hasText: name });
    assert.match((await row(belName).locator('td').first().textContent()) ?? '', /^1 \(по решению при равенстве\)/);
    assert.match((await row(kemName).locator('td').first().textContent()) ?? '', /^2 \(по решению при равенстве\)/);
    await snap(page, 'contest-tiebreak');
    await accepting(page, () => page.getByRole('button', { name: 'Закрыть заседание' }).click());
    await page.getByText('Заседание закрыто: места определены', { exact: false }).waitFor();
    const bel1 = await api('bel', 'GET', `/contest-applications/${ids.bel}`);
    assert.deepEqual([bel1.place, bel1.recommended], [1, true]);
    assertNoProblems(t);
    await t.close();
  });

  test('the public page shows the winners, without personal data', async () => {
    const t = await openPage(browser, server, undefined, { strict: true });
    const { page } = t;
    // From any page: the footer links the results.
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Итоги конкурса «Лучшая муниципальная практика»' }).click();
    await page.waitForURL(`${server.baseUrl}/contests`);
    await page.getByRole('link', { name: new RegExp(`«Лучшая муниципальная практика» ${new Date().getFullYear()}`) }).click();
    await page.waitForURL(`${server.baseUrl}/contests/${contestId}`);
    const winners = page.locator('.contest-winner');
    await winners.first().waitFor();
    assert.deepEqual(
      (await winners.locator('.contest-winner__name').allTextContents()).map((x) => x.replace(/рекомендован.*$/, '')),
      [`1 место: ${kemName}`, `2 место: ${belName}`],
    );
    await page
      .getByText('Места не распределялись', { exact: false })
      .or(page.getByText('Заявок не поступило', { exact: false }))
      .first()
      .waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    for (const personal of ['Громов', 'Левкович', 'Белова', 'Соколова', 'otklik.demo', REMARKS]) {
      assert.ok(!body.includes(personal), `the public page does not show «${personal}»`);
    }
    await snap(page, 'contest-public');
    assertNoProblems(t);
    await t.close();
  });
});
