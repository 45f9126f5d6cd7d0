import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { as, login, type Session } from '../support/test-app.ts';
import {
  assertNoProblems,
  DESKTOP,
  type E2EServer,
  launchBrowser,
  openPage,
  pngImage,
  settled,
  signIn,
  snap,
  startServer,
  tapMapAt,
} from './support.ts';

// Issue 5 point 5, staff side: a letter about a pothole already on the map is merged into the map report's cluster
// and answered with it when the report is fixed; the queue on a map. The public report page with the after-photo
// is map.e2e.ts's.

const MUNICIPALITY = 'Кемеровский городской округ';
const CATEGORY = 'Ямы на дорогах';
// The pothole: Кемерово, пр. Советский near пл. Советов. The overdue incident: far north-east, in Рудничный.
const POTHOLE = { lat: 55.3547, lon: 86.0873 };
const MANHOLE = { lat: 55.43, lon: 86.2 };
const DAY = 86_400_000;

async function openCase(page: Page, server: E2EServer, id: number) {
  await page.goto(`${server.baseUrl}/staff/cases/${id}`);
  await page.getByRole('heading', { level: 1, name: /^Обращение / }).waitFor();
  await settled(page);
}

describe('staff: a letter merged into a map report, the queue on a map (e2e)', () => {
  let server: E2EServer;
  let browser: Browser;
  let kem: number;
  let potholes: number;
  let report: { id: number; number: string };
  let letter: { id: number; number: string };
  let manhole: { id: number; number: string };

  async function upload(s: Session, bytes: Buffer, name: string): Promise<number> {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(s), 'content-type': 'image/png', 'x-file-name': encodeURIComponent(name) },
      payload: bytes,
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: number }).id;
  }

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const db = server.database.db;
    kem = (await db.selectFrom('municipality').select('id').where('name', '=', MUNICIPALITY).executeTakeFirstOrThrow()).id;
    potholes = (
      await db
        .selectFrom('category')
        .select('id')
        .where('municipality_id', '=', kem)
        .where('name', '=', CATEGORY)
        .executeTakeFirstOrThrow()
    ).id;
    // A resident reported the pothole on the map, with a photo.
    const resident = await login(server.app, 'resident2@otklik.demo');
    const photo = await upload(resident, pngImage([176, 112, 64]), 'яма.png');
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(resident),
      payload: {
        municipalityId: kem,
        channel: 'web',
        categoryId: potholes,
        text: 'Глубокая яма на проезжей части у остановки Весенняя, пр. Советский, 60',
        address: 'пр. Советский, 60',
        ...POTHOLE,
        attachmentIds: [photo],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    report = res.json() as { id: number; number: string };
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a paper letter about the pothole is merged into the map report and answered when the report is fixed', async () => {
    // ——— the operator registers the letter: it names the place, it has no point on the map ———
    const op = await openPage(browser, server);
    await signIn(op.page, server, 'kem.operator@otklik.demo');
    await op.page.goto(`${server.baseUrl}/staff/cases/new`);
    await op.page.getByRole('heading', { name: 'Регистрация обращения', level: 1 }).waitFor();
    await settled(op.page);
    const form = op.page.getByRole('region', { name: 'Новое обращение' });
    assert.equal(await form.getByLabel('Как поступило').inputValue(), 'letter');
    await form.getByLabel('Категория').selectOption({ label: CATEGORY });
    await form
      .getByLabel('Текст обращения')
      .fill(
        'Прошу заделать глубокую яму на проезжей части у остановки Весенняя, пр. Советский, 60. Машины объезжают её по встречной.',
      );
    await form.getByLabel('Адрес проблемы').fill('пр. Советский, 60');
    await form.getByLabel('Фамилия').fill('Сидорова');
    await form.getByLabel(/^Имя/).fill('Валентина');
    await form.getByLabel(/^Почтовый адрес/).fill('650000, г. Кемерово, ул. Весенняя, д. 5, кв. 12');
    // Before registering, the operator sees the map report on the same pothole.
    const hint = op.page.getByRole('region', { name: 'Похожие открытые обращения' });
    await hint.getByRole('link', { name: report.number }).waitFor();
    await form.getByRole('button', { name: 'Зарегистрировать' }).click();
    const created = op.page.getByRole('status').filter({ hasText: 'Обращение зарегистрировано' });
    await created.waitFor();
    const number = ((await created.locator('.alert__title').textContent()) ?? '').replace(/^.*№\s*/, '').trim();
    await created.getByRole('link', { name: `Открыть обращение ${number}` }).click();
    await op.page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await settled(op.page);
    letter = { id: Number(new URL(op.page.url()).pathname.split('/').pop()), number };
    assert.ok(letter.id > 0);

    // ——— in the letter's card, the similar cases show the map report ———
    const similar = op.page.getByRole('region', { name: 'Похожие обращения' });
    await similar.getByRole('link', { name: report.number }).waitFor();
    await similar.getByText('Похожий текст в той же категории', { exact: false }).waitFor();
    await snap(op.page, 'map-staff-letter-similar');

    // The letter has no point: it joins the map report's cluster (the report stays the primary and on the map).
    await similar.getByRole('button', { name: `Присоединить к сообщению на карте ${report.number}` }).click();
    await op.page.getByText(`Обращение присоединено к сообщению на карте ${report.number}`, { exact: false }).waitFor();
    await op.page.getByText('Ответ будет дан через основное обращение').waitFor();
    await snap(op.page, 'map-staff-letter-joined', { phone: false });
    await openCase(op.page, server, report.id);
    const members = op.page.locator('dl > div').filter({ has: op.page.getByText('Объединены с этим (основным)') });
    await members.getByRole('link', { name: letter.number }).waitFor();
    await snap(op.page, 'map-staff-report-merged', { phone: false });
    assertNoProblems(op);
    await op.close();

    // The letter now points to the map report; the report is still on the public map.
    const card = await server.app.inject({
      url: `/api/v1/cases/${letter.id}`,
      headers: as(await login(server.app, 'kem.head@otklik.demo'), { csrf: false }),
    });
    const body = card.json() as { cluster: { primaryCaseId: number } | null; channel: string; lat: number | null };
    assert.equal(body.cluster?.primaryCaseId, report.id);
    assert.equal(body.channel, 'letter');
    assert.equal(body.lat, null);
    const onMap = await server.app.inject({ url: `/api/v1/map/reports?bbox=86.0,55.3,86.2,55.4&municipalityId=${kem}` });
    assert.ok((onMap.json() as { items: Array<{ id: number }> }).items.some((m) => m.id === report.id));

    // ——— the head marks the report fixed, with the after-photo: the letter is answered with it ———
    const head = await openPage(browser, server);
    await signIn(head.page, server, 'kem.head@otklik.demo');
    await openCase(head.page, server, report.id);
    await head.page.getByRole('button', { name: 'Отметить как устранённое' }).click();
    await head.page.getByLabel('Что сделано').fill('Яма заделана, покрытие восстановлено.');
    await head.page
      .getByLabel('Фото после устранения')
      .setInputFiles({ name: 'после.png', mimeType: 'image/png', buffer: pngImage([70, 150, 90]) });
    await head.page.getByText('после.png: загружено').waitFor();
    await head.page.getByRole('button', { name: 'Устранено — ответить заявителю' }).click();
    await head.page.getByText(/Отмечено как устранённое/).waitFor();

    await openCase(head.page, server, letter.id);
    await head.page.locator('.case-head__badges').getByText('Дан ответ').waitFor();
    await head.page.getByRole('region', { name: 'Ответ', exact: true }).getByText('Яма заделана', { exact: false }).waitFor();
    await snap(head.page, 'map-staff-letter-answered');
    assertNoProblems(head);
    await head.close();
    // The public report shows the after-photo (its page is map.e2e.ts's).
    const pub = (await server.app.inject({ url: `/api/v1/map/reports/${report.id}` })).json() as {
      status: string;
      photos: { after: string | null };
    };
    assert.equal(pub.status, 'solved');
    assert.ok(pub.photos.after);
  });

  test('the queue on a map: the same filters, markers open the case, cases without a point are listed', async () => {
    // An incident phoned in three days ago, with a point: overdue. And a Белово case the Кемерово staff never see.
    const operator = await login(server.app, 'kem.operator@otklik.demo');
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(operator),
      payload: {
        municipalityId: kem,
        channel: 'phone',
        regime: 'incident',
        text: 'Открыт канализационный люк на тротуаре',
        receivedAt: new Date(Date.now() - 3 * DAY).toISOString(),
        lastName: 'Орлов',
        ...MANHOLE,
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    manhole = res.json() as { id: number; number: string };

    const t = await openPage(browser, server, DESKTOP);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    await page.goto(`${server.baseUrl}/staff/cases`);
    await page.getByRole('heading', { name: 'Обращения', level: 1 }).waitFor();
    const views = page.getByRole('navigation', { name: 'Вид очереди' });
    await views.getByRole('link', { name: 'На карте' }).click();
    await page.waitForURL(/view=map/);
    await page.locator('.map--staff[data-markers="2"]').waitFor();
    await settled(page);
    assert.equal(await views.getByRole('link', { name: 'На карте' }).getAttribute('aria-current'), 'page');
    // The report (fixed, green) and the incident (overdue, red); the letter has no point.
    const inView = page.getByRole('region', { name: /^В этой части карты/ });
    await inView.getByRole('link', { name: new RegExp(report.number) }).waitFor();
    await inView.getByRole('link', { name: new RegExp(manhole.number) }).waitFor();
    const unplaced = page.getByRole('region', { name: 'Без адреса на карте: 1' });
    await unplaced.getByRole('link', { name: new RegExp(letter.number) }).waitFor();
    await unplaced.getByText('пр. Советский, 60', { exact: false }).waitFor();
    await snap(page, 'map-staff-queue-map');

    // A filter keeps the map: only the overdue incident, and the address says both.
    await page.getByLabel('Просрочено').check();
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === '1' && url.searchParams.get('view') === 'map');
    await page.locator('.map--staff[data-markers="1"]').waitFor();
    await page.getByRole('region', { name: 'Без адреса на карте: 0' }).waitFor();
    await settled(page);
    await snap(page, 'map-staff-queue-map-overdue', { phone: false });
    // A reload shows the same.
    await page.reload();
    await page.locator('.map--staff[data-markers="1"]').waitFor();
    assert.equal(await page.getByLabel('Просрочено').isChecked(), true);

    // A tap on the marker opens the case card.
    await page.waitForTimeout(300);
    await tapMapAt(page, '.map--staff', MANHOLE);
    await page.waitForURL(`**/staff/cases/${manhole.id}`);
    await page.getByRole('heading', { level: 1, name: `Обращение ${manhole.number}` }).waitFor();
    await settled(page);

    // Back to the list with the same filter.
    await page.goBack();
    await page.locator('.map--staff[data-markers="1"]').waitFor();
    await page.getByRole('navigation', { name: 'Вид очереди' }).getByRole('link', { name: 'Списком' }).click();
    await page.waitForURL((url) => url.searchParams.get('overdue') === '1' && !url.searchParams.has('view'));
    await settled(page);
    const rows = page.locator('.case-queue tbody tr');
    // The list loads after the URL changes: wait for its row before counting (a fresh CI run counted too early).
    await rows.first().getByRole('link', { name: manhole.number }).waitFor();
    assert.equal(await rows.count(), 1);
    assertNoProblems(t);
    await t.close();

    // Белово's staff: none of Кемерово's cases on their map.
    const bel = await openPage(browser, server, DESKTOP);
    await signIn(bel.page, server, 'bel.operator@otklik.demo');
    await bel.page.goto(`${server.baseUrl}/staff/cases?view=map`);
    await bel.page.locator('.map--staff[data-markers-loaded="0"]').waitFor();
    await bel.page.getByRole('region', { name: 'Без адреса на карте: 0' }).waitFor();
    await settled(bel.page);
    assert.equal(await bel.page.getByText(report.number).count(), 0);
    assertNoProblems(bel);
    await bel.close();
  });
});
