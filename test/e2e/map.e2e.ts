import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { as, login, type Session } from '../support/test-app.ts';
import {
  assertNoProblems,
  DESKTOP,
  type E2EServer,
  launchBrowser,
  openPage,
  PHONE,
  pngImage,
  settled,
  signIn,
  snap,
  startServer,
  tapMapAt,
} from './support.ts';

const MUNICIPALITY = 'Кемеровский городской округ';
const CATEGORY = 'Ямы на дорогах';
// The reported pothole: Кемерово, пр. Советский near пл. Советов.
const POTHOLE = { lat: 55.3547, lon: 86.0873 };

describe('map reports (e2e)', () => {
  let server: E2EServer;
  let browser: Browser;
  let report: { id: number; number: string };
  let kem: number;

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
    server = await startServer();
    browser = await launchBrowser();
    const m = await server.database.db
      .selectFrom('municipality')
      .select('id')
      .where('name', '=', MUNICIPALITY)
      .executeTakeFirstOrThrow();
    kem = m.id;
    const category = await server.database.db
      .selectFrom('category')
      .select('id')
      .where('municipality_id', '=', kem)
      .where('name', '=', CATEGORY)
      .executeTakeFirstOrThrow();
    // Another resident reported the pothole earlier, with a photo.
    const other = await login(server.app, 'resident2@otklik.demo');
    const photo = await upload(other, pngImage([176, 112, 64]), 'яма.png');
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(other),
      payload: {
        municipalityId: kem,
        channel: 'web',
        categoryId: category.id,
        text: 'Глубокая яма на проезжей части у остановки',
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

  test('a resident taps the map, sees the pothole already reported nearby and joins it (phone)', async () => {
    const t = await openPage(browser, server, PHONE);
    const { page } = t;
    await signIn(page, server, 'resident@otklik.demo');
    await page.goto(`${server.baseUrl}/map`);
    await page.getByRole('link', { name: 'Сообщить о проблеме' }).click();
    await page.waitForURL('**/cabinet/report');
    await page.getByRole('heading', { name: 'Сообщить о проблеме' }).waitFor();
    await page.getByLabel('Муниципалитет').selectOption({ label: MUNICIPALITY });
    await settled(page);
    // The map fits the municipality's boundary; tap where the pothole is.
    await page.waitForTimeout(400);
    await tapMapAt(page, '.map--report', POTHOLE);
    await page.getByText(/Место отмечено: 55\.35/).waitFor();
    assert.equal(await page.locator('.map--report .map-pin').count(), 1, 'the pin is on the map');
    await page.getByLabel('Вид проблемы').selectOption({ label: CATEGORY });
    const nearby = page.getByRole('region', { name: 'Рядом об этом уже сообщили' });
    await nearby.waitFor();
    await nearby.getByText(report.number).waitFor();
    assert.match((await nearby.textContent()) ?? '', /\d+ м от отмеченного места/);
    await snap(page, 'map-report-nearby');

    await nearby.getByRole('button', { name: 'Присоединиться' }).click();
    await page.waitForURL(/\/cabinet\/cases\/\d+$/);
    const mine = Number(new URL(page.url()).pathname.split('/').at(-1));
    const card = await page.request.get(`${server.baseUrl}/api/v1/cases/${mine}`);
    const body = (await card.json()) as { text: string; cluster: { primaryNumber: string } | null; status: string };
    assert.equal(body.text, `Присоединился к сообщению ${report.number}`);
    assert.equal(body.cluster?.primaryNumber, report.number, 'the joiner’s case is in the report’s cluster');
    await settled(page);
    await snap(page, 'map-report-joined', { phone: false });
    assertNoProblems(t);
    await t.close();
  });

  test('the public map shows the fixed report; its page has the before and after photos', async () => {
    // Staff fix the pothole: the head marks it fixed on the case card, with the after-photo.
    const staff = await openPage(browser, server, DESKTOP);
    await signIn(staff.page, server, 'kem.head@otklik.demo');
    await staff.page.goto(`${server.baseUrl}/staff/cases/${report.id}`);
    await staff.page.getByRole('button', { name: 'Отметить как устранённое' }).click();
    await staff.page.getByLabel('Что сделано').fill('Яма заделана, покрытие восстановлено.');
    await staff.page
      .getByLabel('Фото после устранения')
      .setInputFiles({ name: 'после.png', mimeType: 'image/png', buffer: pngImage([70, 150, 90]) });
    await staff.page.getByText('после.png: загружено').waitFor();
    await snap(staff.page, 'map-staff-mark-fixed', { phone: false });
    await staff.page.getByRole('button', { name: 'Устранено — ответить заявителю' }).click();
    await staff.page.getByText(/Отмечено как устранённое/).waitFor();
    const card = await staff.page.request.get(`${server.baseUrl}/api/v1/cases/${report.id}`);
    assert.equal(((await card.json()) as { status: string }).status, 'answered');
    assertNoProblems(staff);
    await staff.close();

    // A visitor, not signed in: the map (no tile server here — a plain background), only this server's requests.
    const t = await openPage(browser, server, DESKTOP);
    const { page } = t;
    await page.goto(`${server.baseUrl}/map?m=${kem}&status=solved`);
    await settled(page);
    await page.locator('.map--public[data-markers="1"]').waitFor();
    assert.ok(await page.locator('.map--public.map--no-tiles').count(), 'no tiles: the plain background');
    const listed = page.getByRole('link', { name: new RegExp(report.number) });
    await listed.waitFor();
    assert.equal(await page.locator('.leaflet-tile').count(), 0);
    // Boundaries are drawn when the places module knows them.
    const places = await page.request.get(`${server.baseUrl}/api/v1/places?municipalityId=${kem}`);
    if (places.status() === 200)
      assert.ok((await page.locator('.map--public path.leaflet-interactive, .map--public canvas').count()) > 0);
    await snap(page, 'map-public');

    await listed.click();
    await page.waitForURL(`**/map/reports/${report.id}`);
    await page.getByRole('heading', { name: CATEGORY }).waitFor();
    await page.getByText('Решено', { exact: true }).first().waitFor();
    for (const alt of ['Фото жителя: как было', 'Фото после устранения: как стало']) {
      const img = page.getByRole('img', { name: alt });
      await img.waitFor();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
      assert.ok(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth > 0), `${alt} is shown`);
    }
    const text = (await page.locator('main').textContent()) ?? '';
    assert.ok(!text.includes('Глубокая яма'), 'the report’s text is not public');
    assert.ok(!text.includes('Яма заделана'), 'the answer’s text is not public');
    assert.ok(text.includes('Дан ответ') && text.includes('Присоединились'));
    await snap(page, 'map-report-page');
    assertNoProblems(t);
    await t.close();

    // The joiner got the same answer.
    const resident = await login(server.app, 'resident@otklik.demo');
    const mine = await server.app.inject({ url: '/api/v1/cases', headers: as(resident, { csrf: false }) });
    const joined = (mine.json() as { items: Array<{ status: string; number: string }> }).items;
    assert.ok(
      joined.some((c) => c.status === 'answered'),
      JSON.stringify(joined),
    );
  });

  test('20,000 reports: the public map clusters them and shows the view quickly', async () => {
    // Copies of the report spread over Кемерово (set-based, straight into the table).
    await sql`
      insert into "case" (municipality_id, number, regime, channel, kind, category_id, applicant_user_id, text, lat, lon,
        status, received_at, registered_at, deadlines, created_at)
      select c.municipality_id, 'MAP-' || g, c.regime, c.channel, c.kind, c.category_id, c.applicant_user_id, c.text,
        55.27 + (g % 200) * 0.0009, 85.96 + (g / 200) * 0.0028, 'registered', c.received_at, c.registered_at,
        c.deadlines, c.created_at
      from "case" c, generate_series(1, 20000) g where c.id = ${report.id}
    `.execute(server.database.db);
    const t = await openPage(browser, server, DESKTOP);
    const { page } = t;
    const started = Date.now();
    await page.goto(`${server.baseUrl}/map?m=${kem}&status=open`);
    await page.locator('.map--public[data-markers="20000"]').waitFor({ timeout: 30_000 });
    await page.locator('.map--public .map-cluster').first().waitFor();
    const ms = Date.now() - started;
    process.stdout.write(`# 20,000 markers on the public map in ${ms} ms\n`);
    assert.ok(ms < 15_000, `${ms} ms`);
    // Zooming into a cluster splits it.
    const before = await page.locator('.map--public .map-cluster').count();
    await page.locator('.map--public .map-cluster').first().click();
    await page.waitForTimeout(600);
    assert.ok((await page.locator('.map--public .map-cluster').count()) > 0 || before > 0);
    await snap(page, 'map-public-20000', { phone: false });
    assertNoProblems(t);
    await t.close();
  });
});
