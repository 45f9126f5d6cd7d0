import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { as, login, type Session } from '../support/test-app.ts';
import { assertNoProblems, type E2EServer, launchBrowser, openPage, settled, signIn, snap, startServer } from './support.ts';

// Issue 7, items 2–3 (and the export of item 4): the head's dashboard shows exactly the JSON route's figures, a
// figure drills down to as many cases as it counts, the department's executors, the region side by side, the heat map,
// and the XLSX export holds the page's numbers.

const DAY = 86_400_000;
/** Points in Кемерово (inside the demo boundary): two in one 0.005° cell near пл. Советов, one in Рудничный. */
const CENTRE = { lat: 55.3547, lon: 86.0873 };
const NEAR_CENTRE = { lat: 55.3535, lon: 86.0868 };
const NORTH = { lat: 55.43, lon: 86.2 };

interface Figure {
  key: string;
  label: string;
  value: number | null;
  unit: 'count' | 'share' | 'hours' | 'working_hours';
  base: number;
  drill: string;
}
interface Summary {
  municipality: { id: number; shortName: string };
  period: { from: string; to: string };
  figures: Figure[];
  byDepartment: Array<{ key: string; label: string; received: number }>;
}

/** The number a figure's text on the page shows: «83,3 %» → 83.3, «12 345» → 12345, «—» → null. */
function shownNumber(text: string): number | null {
  const t = text.replace(/[\u00a0\u202f\s]/g, '');
  if (t.startsWith('—')) return null;
  const m = /^[−-]?\d+(,\d+)?/.exec(t);
  assert.ok(m, `no number in «${text}»`);
  return Number(m[0].replace('−', '-').replace(',', '.'));
}

/** The figure's JSON value as the page rounds it: counts whole, shares in per cent with one decimal, hours one decimal. */
function expectedShown(f: Figure): number | null {
  if (f.value === null) return null;
  if (f.unit === 'count') return f.value;
  if (f.unit === 'share') return Math.round(f.value * 1000) / 10;
  return Math.round(f.value * 10) / 10;
}

const ZONE = 'Asia/Novokuznetsk';
/** `YYYY-MM-DD` of an instant in Кемерово's zone. */
const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(ms));
/** The last eight days: every case of the test is in it, whatever the date (no month boundary to fall over). */
const WEEK = () => ({ from: localDay(Date.now() - 7 * DAY), to: localDay(Date.now()) });
const weekQuery = () => `period=custom&from=${WEEK().from}&to=${WEEK().to}`;

/** «Свой период» in the period picker: two dates and «Показать». */
async function chooseWeek(page: Page): Promise<void> {
  const { from, to } = WEEK();
  await page.getByText('Свой период', { exact: true }).click();
  await page.getByLabel('Первый день периода').fill(from);
  await page.getByLabel('Последний день периода').fill(to);
  await page.getByRole('button', { name: 'Показать', exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('from') === from && u.searchParams.get('to') === to);
}

/** The charts on the page have been drawn (ECharts arrives by dynamic import). */
async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('.analytics-chart')];
    return charts.length > 0 && charts.every((c) => c.getAttribute('data-ready') === 'true' && c.querySelector('svg'));
  });
}

describe('analytics dashboards', () => {
  let server: E2EServer;
  let browser: Browser;
  let kemerovo: number;
  let improvement: number;
  let head: Session;

  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const { app } = server;
    const list = (await app.inject({ url: '/api/v1/municipalities' })).json() as { items: Array<{ id: number; slug: string }> };
    kemerovo = list.items.find((m) => m.slug === 'kemerovo')?.id ?? 0;
    const operator = await login(app, 'kem.operator@otklik.demo');
    const executor = await login(app, 'kem.executor@otklik.demo');
    head = await login(app, 'kem.head@otklik.demo');
    const departments = (
      await app.inject({ url: `/api/v1/municipalities/${kemerovo}/departments`, headers: as(head) })
    ).json() as {
      items: Array<{ id: number; name: string }>;
    };
    improvement = departments.items.find((d) => d.name === 'Управление благоустройства')?.id ?? 0;
    const categories = (await app.inject({ url: `/api/v1/municipalities/${kemerovo}/categories` })).json() as {
      items: Array<{ id: number; name: string }>;
    };
    const category = (name: string) => categories.items.find((c) => c.name === name)?.id;

    let n = 0;
    const submit = async (payload: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: { ...as(operator), 'idempotency-key': `e2e-analytics-${++n}` },
        payload: { municipalityId: kemerovo, lastName: 'Орлов', ...payload },
      });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { id: number }).id;
    };
    const act = async (who: Session, id: number, action: string, payload: Record<string, unknown> = {}) => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/cases/${id}/${action}`, headers: as(who), payload });
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
    };
    const now = Date.now();
    // Received within the hour.
    const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();

    // Two overdue incidents: taken by phone days ago, no reaction since (24 hours for the first reaction).
    await submit({
      channel: 'phone',
      regime: 'incident',
      text: 'Открыт люк у остановки',
      receivedAt: new Date(now - 3 * DAY).toISOString(),
      ...NORTH,
    });
    await submit({
      channel: 'phone',
      regime: 'incident',
      text: 'Упало дерево на тротуар',
      receivedAt: new Date(now - 2 * DAY).toISOString(),
    });
    // Answered on time: an appeal by letter, through the whole workflow.
    const answered = await submit({
      channel: 'letter',
      text: 'Прошу отремонтировать скамейки во дворе',
      receivedAt: minutesAgo(50),
      postalAddress: '650000, г. Кемерово, ул. Весенняя, д. 5',
      categoryId: category('Благоустройство дворов'),
    });
    await act(head, answered, 'assign', { departmentId: improvement, executorUserId: executor.userId });
    await act(executor, answered, 'start');
    await act(executor, answered, 'draft-answer', { text: 'Скамейки отремонтируют до конца месяца.', result: 'supported' });
    await act(head, answered, 'approve-answer');
    // In work with the executor, and new ones with a point on the map (the heat map).
    const inWork = await submit({
      channel: 'phone',
      text: 'Не горят фонари во дворе',
      receivedAt: minutesAgo(40),
      ...CENTRE,
      categoryId: category('Уличное освещение'),
    });
    await act(head, inWork, 'assign', { departmentId: improvement, executorUserId: executor.userId });
    await submit({
      channel: 'phone',
      text: 'Не горит фонарь у подъезда',
      receivedAt: minutesAgo(30),
      ...NEAR_CENTRE,
      categoryId: category('Уличное освещение'),
    });
    await submit({
      channel: 'reception',
      text: 'Яма у дома 7',
      receivedAt: minutesAgo(20),
      ...CENTRE,
      categoryId: category('Ямы на дорогах'),
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the head: the figures are the JSON route’s, «Просрочено сейчас» drills down to as many cases, the executors', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    await page.getByRole('navigation', { name: 'Разделы рабочего места' }).getByRole('link', { name: 'Аналитика' }).click();
    await page.getByRole('heading', { level: 1, name: 'Аналитика: Кемерово' }).waitFor();
    await page.locator('.figure-tile').first().waitFor();
    // The last eight days, chosen in the picker; compared with the eight days before.
    const answer = page.waitForResponse(
      (r) =>
        /\/api\/v1\/analytics\/municipalities\/\d+\/summary\?/.test(r.url()) && r.url().includes(`from=${WEEK().from}`) && r.ok(),
    );
    await chooseWeek(page);
    // The same request, made apart from the page.
    const url = new URL((await answer).url());
    const json = (await server.app.inject({ url: `${url.pathname}${url.search}`, headers: as(head) })).json() as Summary;
    assert.equal(json.municipality.id, kemerovo);
    await page.locator('.figure-tile').first().waitFor();
    await settled(page);
    await chartsDrawn(page);

    const byKey = new Map(json.figures.map((f) => [f.key, f]));
    for (const key of ['received', 'answered', 'onTimeShare', 'overdueNow']) {
      const f = byKey.get(key);
      assert.ok(f, key);
      assert.ok((f.value ?? 0) > 0, `${key} is not zero: ${f.value}`);
    }
    // Every tile and every row of «Все показатели» shows the route's value.
    const tiles = page.locator('.figure-tile');
    assert.equal(await tiles.count(), 8);
    for (const tile of await tiles.all()) {
      const key = (await tile.getAttribute('data-figure')) ?? '';
      const f = byKey.get(key);
      assert.ok(f, `the tile ${key} is a figure of the route`);
      const value = (await tile.locator('.figure-tile__value').evaluate((e) => e.firstChild?.textContent ?? '')) ?? '';
      assert.equal(shownNumber(value), expectedShown(f), `tile ${key}: «${value}» vs ${f.value}`);
      assert.equal(await tile.getByRole('heading').textContent(), f.label);
    }
    const rows = page.locator('.analytics-all tbody tr');
    assert.equal(await rows.count(), json.figures.length);
    for (const f of json.figures) {
      const cell = page.locator(`.analytics-all tr[data-figure="${f.key}"] td`).first();
      assert.equal(shownNumber((await cell.textContent()) ?? ''), expectedShown(f), `row ${f.key}`);
    }
    // A definition opens next to its figure.
    const onTime = page.locator('.figure-tile[data-figure="onTimeShare"]');
    await onTime.getByRole('button', { name: 'Что означает «Решено в срок»' }).click();
    await onTime.getByText('Доля дел, решённых в срок', { exact: false }).waitFor();
    // A change is coloured by meaning: more answered is good (green), more received is neither.
    await page.locator('.figure-tile[data-figure="answered"] .analytics-change--good').getByText('+1').waitFor();
    await page.locator('.figure-tile[data-figure="received"] .analytics-change--neutral').waitFor();
    // Overdue has no comparison: it is a figure of the present moment.
    await page.locator('.figure-tile[data-figure="overdueNow"]').getByText('на текущий момент').waitFor();
    // Departments ranked by on-time share; the overdue list.
    const overdueNow = byKey.get('overdueNow') as Figure;
    await page.getByRole('heading', { name: `Просрочено сейчас: ${overdueNow.value}` }).waitFor();
    assert.equal(await page.locator('.analytics-overdue tbody tr').count(), overdueNow.value);
    await snap(page, 'analytics-dashboard');
    assertNoProblems(t);

    // «Просрочено сейчас» → the cases behind it: as many as the figure.
    await page.locator('.figure-tile[data-figure="overdueNow"]').getByRole('link').click();
    await page.waitForURL(/\/staff\/analytics\/drill\?/);
    await page.getByRole('heading', { level: 1, name: 'Дела: Просрочено сейчас' }).waitFor();
    const total = page.locator('.analytics-drill__total');
    await total.waitFor();
    assert.equal(Number(await total.getAttribute('data-total')), overdueNow.value);
    const drillRows = page.locator('.analytics-drill tbody tr');
    assert.equal(await drillRows.count(), overdueNow.value);
    for (const r of await drillRows.all()) await r.getByText('Просрочено', { exact: true }).waitFor();
    await snap(page, 'analytics-drill');
    // A case of the list opens its card.
    const first = drillRows.first().getByRole('link');
    const number = (await first.textContent()) ?? '';
    await first.click();
    await page.getByRole('heading', { level: 1, name: `Обращение ${number}` }).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: '← К показателям' }).click();
    await page.getByRole('heading', { level: 1, name: 'Аналитика: Кемерово' }).waitFor();

    // «Поступило» drills down to as many cases as it counts too.
    const received = byKey.get('received') as Figure;
    await page.locator('.figure-tile[data-figure="received"]').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Дела: Поступило' }).waitFor();
    await page.locator('.analytics-drill__total').waitFor();
    assert.equal(Number(await page.locator('.analytics-drill__total').getAttribute('data-total')), received.value);
    await page.goBack();

    // The department head's view: their executors, as the executors route counts them.
    const executorsAnswer = page.waitForResponse(
      (r) => /\/api\/v1\/analytics\/departments\/\d+\/executors\?/.test(r.url()) && r.ok(),
    );
    await page.getByRole('navigation', { name: 'Разделы аналитики' }).getByRole('link', { name: 'Моё подразделение' }).click();
    await page.getByRole('heading', { level: 1, name: 'Управление благоустройства: исполнители' }).waitFor();
    const eUrl = new URL((await executorsAnswer).url());
    assert.equal(eUrl.pathname, `/api/v1/analytics/departments/${improvement}/executors`);
    const executors = (await server.app.inject({ url: `${eUrl.pathname}${eUrl.search}`, headers: as(head) })).json() as {
      executors: Array<{ userId: number | null; name: string; assigned: number; overdueNow: number }>;
    };
    const petrov = executors.executors.find((e) => e.name.startsWith('Петров'));
    assert.ok(petrov && petrov.assigned >= 2, JSON.stringify(executors));
    const row = page.locator(`.analytics-executors tr[data-executor="${petrov.userId}"]`);
    assert.equal(shownNumber((await row.locator('td').first().textContent()) ?? ''), petrov.assigned);
    await settled(page);
    await chartsDrawn(page);
    await snap(page, 'analytics-department');
    assertNoProblems(t);
    await t.close();
  });

  test('the region: municipalities side by side, sortable, a click opens one municipality’s dashboard', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'region.admin@otklik.demo');
    const admin = await login(server.app, 'region.admin@otklik.demo');
    await page
      .getByRole('navigation', { name: 'Разделы рабочего места' })
      .getByRole('link', { name: 'Сводка по региону' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Аналитика: муниципалитеты региона' }).waitFor();
    await page.locator('.analytics-region').waitFor();
    const answer = page.waitForResponse(
      (r) => r.url().includes('/api/v1/analytics/region/summary?') && r.url().includes(`from=${WEEK().from}`) && r.ok(),
    );
    await chooseWeek(page);
    const url = new URL((await answer).url());
    const json = (await server.app.inject({ url: `${url.pathname}${url.search}`, headers: as(admin) })).json() as {
      municipalities: Array<{ id: number; name: string; figures: Figure[] }>;
    };
    const rows = page.locator('.analytics-region tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), json.municipalities.length);
    for (const m of json.municipalities) {
      for (const f of m.figures) {
        const cell = page.locator(`.analytics-region tr[data-municipality="${m.id}"] td[data-figure="${f.key}"]`);
        if ((await cell.count()) === 0) continue; // a figure the table does not show
        assert.equal(shownNumber((await cell.textContent()) ?? ''), expectedShown(f), `${m.name} ${f.key}`);
      }
    }
    // Sorted by «Поступило», most first: Кемерово, which has this test's cases, leads.
    await page.getByRole('button', { name: /^Поступило/ }).click();
    assert.equal(await page.locator('th:has(button:text-matches("^Поступило"))').getAttribute('aria-sort'), 'descending');
    assert.equal(await rows.first().getAttribute('data-municipality'), String(kemerovo));
    await settled(page);
    await chartsDrawn(page);
    await snap(page, 'analytics-region');
    await rows.first().getByRole('link', { name: 'Кемерово' }).click();
    await page.getByRole('heading', { level: 1, name: 'Аналитика: Кемерово' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('m'), String(kemerovo));
    await page.locator('.figure-tile').first().waitFor();
    assertNoProblems(t);
    await t.close();
  });

  test('the heat map: the route’s cells as graded squares with a legend, without tiles', async () => {
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    const answer = page.waitForResponse((r) => r.url().includes('/api/v1/analytics/heat?') && r.ok());
    await page.goto(`${server.baseUrl}/staff/analytics/heat?${weekQuery()}`);
    await page.getByRole('heading', { level: 1, name: 'Карта проблем: Кемерово' }).waitFor();
    const url = new URL((await answer).url());
    const heat = (await server.app.inject({ url: `${url.pathname}${url.search}`, headers: as(head) })).json() as {
      points: Array<[number, number, number]>;
      total: number;
    };
    assert.ok(heat.total >= 3, JSON.stringify(heat));
    const map = page.locator('.analytics-heat__map');
    await page.waitForFunction(() => document.querySelector('.analytics-heat__map')?.getAttribute('data-total') !== null);
    assert.equal(Number(await map.getAttribute('data-total')), heat.total);
    assert.equal(Number(await map.getAttribute('data-cells')), heat.points.length);
    // Two of the reports share a square near пл. Советов: it is the darkest.
    assert.ok(Math.max(...heat.points.map((p) => p[2])) >= 2);
    await page.locator('[data-heat-total]').getByText(`${heat.total} `, { exact: false }).waitFor();
    await page.locator('.analytics-heat__legend').getByText('Дел в ячейке:').waitFor();
    await page.locator('.analytics-heat__legend').getByText('без подложки').waitFor();
    await settled(page);
    await snap(page, 'analytics-heat');
    // One category: only its cases.
    const lights = page.waitForResponse(
      (r) => r.url().includes('/api/v1/analytics/heat?') && r.url().includes('categoryId=') && r.ok(),
    );
    await page.getByLabel('Рубрика', { exact: true }).selectOption({ label: 'Уличное освещение' });
    const only = (await (await lights).json()) as { total: number };
    assert.equal(only.total, 2);
    await page.waitForFunction(() => document.querySelector('.analytics-heat__map')?.getAttribute('data-total') === '2');
    // Zoomed in to the cases, the cells are squares of their true size.
    await page.getByRole('button', { name: 'Приблизить к делам на карте' }).click();
    await settled(page);
    await snap(page, 'analytics-heat-category', { phone: false });
    assertNoProblems(t);
    await t.close();
  });

  test('the XLSX export of the dashboard opens and holds the numbers on the page', async (ctx) => {
    const probe = await server.app.inject({
      url: `/api/v1/exports/analytics/municipalities/${kemerovo}/summary.xlsx?from=2026-01-01&to=2026-01-31`,
      headers: as(head),
    });
    if (probe.statusCode === 404) {
      ctx.skip('the exports route is not there yet');
      return;
    }
    const t = await openPage(browser, server);
    const { page } = t;
    await signIn(page, server, 'kem.head@otklik.demo');
    await page.goto(`${server.baseUrl}/staff/analytics?${weekQuery()}`);
    await page.locator('.figure-tile').first().waitFor();
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'XLSX' }).click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const file = await download.path();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('Показатели');
    assert.ok(sheet, `sheets: ${book.worksheets.map((s) => s.name).join(', ')}`);
    // Label → value, as the sheet holds them.
    const values = new Map<string, unknown>();
    sheet.eachRow((row) => {
      const label = row.getCell(1).value;
      if (typeof label === 'string') values.set(label, row.getCell(2).value);
    });
    for (const tile of await page.locator('.figure-tile').all()) {
      const label = (await tile.getByRole('heading').textContent()) ?? '';
      const shown = shownNumber(
        (await tile.locator('.figure-tile__value').evaluate((e) => e.firstChild?.textContent ?? '')) ?? '',
      );
      assert.ok(values.has(label), `the sheet has «${label}»`);
      const cell = values.get(label);
      const key = await tile.getAttribute('data-figure');
      if (shown === null) {
        assert.ok(cell === null || cell === undefined || cell === '' || cell === '—', `${label}: ${String(cell)}`);
        continue;
      }
      assert.equal(typeof cell, 'number', `${label}: ${String(cell)}`);
      const unit = key === 'onTimeShare' || key === 'satisfaction' || key === 'reopenRate' ? 'share' : 'other';
      const inSheet = unit === 'share' ? Math.round((cell as number) * 1000) / 10 : Math.round((cell as number) * 10) / 10;
      assert.equal(inSheet, shown, `${label}: the sheet ${String(cell)}, the page ${shown}`);
    }
    // The other links answer with their files: CSV of the tables, the annual report, open data.
    const expected: Array<[string, RegExp]> = [
      ['Таблицы за период', /^text\/csv|spreadsheetml/],
      ['Годовой отчёт', /wordprocessingml|pdf/],
      ['Открытые данные', /^text\/csv|^application\/json/],
    ];
    for (const [group, type] of expected) {
      const links = page.locator('.analytics-exports__group').filter({ hasText: group }).getByRole('link');
      assert.ok((await links.count()) >= 2, group);
      for (const link of await links.all()) {
        const href = (await link.getAttribute('href')) ?? '';
        const res = await server.app.inject({ url: href, headers: as(head) });
        assert.equal(res.statusCode, 200, `${group} ${href}: ${res.statusCode}`);
        assert.match(String(res.headers['content-type']), type, href);
      }
    }
    assertNoProblems(t);
    await t.close();
  });
});
