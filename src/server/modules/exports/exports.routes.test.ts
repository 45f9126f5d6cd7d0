import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { readPdf } from '../../core/documents/test-pdf.ts';
import { docxText, unzip } from '../../core/documents/test-zip.ts';
import { OPEN_DATA_PAGE } from './commands/open-data.ts';
import { OPEN_DATA_FIELDS } from './open-data.ts';

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test-results/screenshots');

/** Local Кемерово time (+07) → the instant. */
const at = (local: string) => new Date(`${local}+07:00`).toISOString();

type Figure = { key: string; label: string; value: number | null; unit: string; base: number; definition: string };
type Row = {
  key: string;
  label: string;
  received: number;
  answered: number;
  onTimeShare: number | null;
  satisfaction: number | null;
};
type Summary = {
  figures: Figure[];
  byChannel: Row[];
  byCategory: Row[];
  trend: Array<{ month: string; received: number }>;
};
type OpenCase = Record<(typeof OPEN_DATA_FIELDS)[number]['name'], string | number | boolean | null>;

// What the seeded cases hold that open data must never show: names, contacts, addresses, texts, answers.
const PERSONAL = [
  'Сидорова',
  'Анна',
  'sidorova@example.org',
  '+7 900 111-22-33',
  '900 111',
  'Петров',
  'Весенняя',
  'Новиков',
  'Павел',
  'Орлова',
  'resident@otklik.demo',
  'resident2@otklik.demo',
  'Яма у дома 5',
  'не работает фонарь у подъезда',
  'Письмо о качелях',
  'Яма заделана',
  '55.35471',
  '86.08734',
  '55.3547',
];

describe('exports: analytics tables, the annual report, open data', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  const s: Record<string, Session> = {};
  const cat: Record<string, number> = {};
  const numbers: Record<string, string> = {};

  const emails: Record<string, string> = {};
  const signedInAt: Record<string, number> = {};
  /** A session valid at the test clock's time (sessions end after 8 idle hours; the seeding jumps days). */
  async function session(who: string): Promise<Session> {
    const now = t.clock.now().getTime();
    const since = signedInAt[who];
    if (!s[who] || since === undefined || now < since || now - since > 3600_000) {
      s[who] = await login(t.app, emails[who]!);
      signedInAt[who] = now;
    }
    return s[who]!;
  }
  async function post(who: string, url: string, payload: Record<string, unknown>) {
    const res = await t.app.inject({ method: 'POST', url, headers: as(await session(who)), payload });
    assert.ok(res.statusCode === 200 || res.statusCode === 201, `${who} POST ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id: number; number: string };
  }
  async function submit(when: string, who: string, name: string, payload: Record<string, unknown>) {
    t.clock.set(at(when));
    const c = await post(who, '/api/v1/cases', { municipalityId: kem, ...payload });
    numbers[name] = c.number;
    return c;
  }
  const get = (url: string, who?: string) => t.app.inject({ url, ...(who ? { headers: as(s[who]!, { csrf: false }) } : {}) });

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    const who = {
      resident: 'resident@otklik.demo',
      resident2: 'resident2@otklik.demo',
      operator: 'kem.operator@otklik.demo',
      executor: 'kem.executor@otklik.demo',
      head: 'kem.head@otklik.demo',
      admin: 'kem.admin@otklik.demo',
      belAdmin: 'bel.admin@otklik.demo',
      belOperator: 'bel.operator@otklik.demo',
      region: 'region.admin@otklik.demo',
      commission: 'commission@otklik.demo',
    };
    Object.assign(emails, who);
    const cats = await t.database.db.selectFrom('category').select(['id', 'name']).where('municipality_id', '=', kem).execute();
    for (const [k, name] of Object.entries({
      potholes: 'Ямы на дорогах',
      roads: 'Дороги и тротуары',
      yards: 'Благоустройство дворов',
    })) {
      cat[k] = cats.find((c) => c.name === name)!.id;
    }
    const executor = await t.database.db
      .selectFrom('app_user')
      .select('id')
      .where('email', '=', who.executor)
      .executeTakeFirstOrThrow();
    const dept = await t.database.db
      .selectFrom('department')
      .select('id')
      .where('municipality_id', '=', kem)
      .where('name', '=', 'Управление благоустройства')
      .executeTakeFirstOrThrow();

    // 2025: a map report answered on time, a phone appeal with a point and contacts, a letter, a Белово case.
    const pothole = await submit('2025-06-02T10:00:00', 'resident', 'pothole', {
      channel: 'web',
      categoryId: cat.potholes,
      text: 'Яма у дома 5 по ул. Весенней',
      address: 'ул. Весенняя, 5',
      lat: 55.35471,
      lon: 86.08734,
    });
    const act = (when: string, who: string, id: number, action: string, payload: Record<string, unknown> = {}) => {
      t.clock.set(at(when));
      return post(who, `/api/v1/cases/${id}/${action}`, payload);
    };
    await act('2025-06-02T11:00:00', 'operator', pothole.id, 'assign', { departmentId: dept.id, executorUserId: executor.id });
    await act('2025-06-02T12:00:00', 'executor', pothole.id, 'start');
    await act('2025-06-02T13:00:00', 'executor', pothole.id, 'draft-answer', { text: 'Яма заделана.', result: 'supported' });
    await act('2025-06-03T10:00:00', 'head', pothole.id, 'approve-answer');
    await act('2025-06-03T12:00:00', 'resident', pothole.id, 'rate', { rating: 5 });
    await submit('2025-06-04T10:00:00', 'operator', 'call', {
      channel: 'phone',
      categoryId: cat.roads,
      text: 'Звонок: не работает фонарь у подъезда',
      lastName: 'Сидорова',
      firstName: 'Анна',
      phone: '+7 900 111-22-33',
      email: 'sidorova@example.org',
      lat: 55.35471,
      lon: 86.08734,
    });
    await submit('2025-09-10T10:00:00', 'operator', 'letter', {
      channel: 'letter',
      categoryId: cat.yards,
      text: 'Письмо о качелях во дворе',
      lastName: 'Петров',
      firstName: 'Пётр',
      postalAddress: 'г. Кемерово, ул. Весенняя, д. 7',
      answerBy: 'post',
    });
    t.clock.set(at('2025-07-01T10:00:00'));
    await post('belOperator', '/api/v1/cases', {
      municipalityId: bel,
      channel: 'phone',
      text: 'Белово: вопрос',
      lastName: 'Беловский',
    });
    // 2026: one case this year.
    await submit('2026-02-10T10:00:00', 'resident2', 'now', {
      channel: 'web',
      categoryId: cat.potholes,
      text: 'Яма у дома 5, снова',
      lat: 55.36,
      lon: 86.1,
    });
    t.clock.set(at('2026-03-02T10:00:00'));
    for (const k of Object.keys(who)) await session(k);
  });
  after(async () => {
    await t.close();
  });

  // ——— Open data ———

  test('open data CSV: public, RFC 4180 with the stable header, the year’s cases, cached for a day (a closed year)', async () => {
    const res = await get('/api/v1/open-data/kemerovo/cases.csv?year=2025');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=86400');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.match(String(res.headers['content-disposition']), /filename="kemerovo-cases-2025\.csv"/);
    assert.ok(!res.body.startsWith('\ufeff'), 'no BOM: a file for programs');
    const lines = res.body.split('\r\n').filter((l) => l !== '');
    assert.equal(lines[0], OPEN_DATA_FIELDS.map((f) => f.name).join(','));
    assert.equal(lines.length, 1 + 3, 'the three Кемерово cases of 2025 (not Белово’s, not 2026’s)');
    const pothole = lines.find((l) => l.startsWith(numbers.pothole!));
    assert.equal(
      pothole,
      `${numbers.pothole},2025-06-02,message,web,Ямы на дорогах,0003.0009.0099.0742,Центральный район,rated,2025-06-03,true,supported,55.35,86.09`,
    );
    const call = lines.find((l) => l.startsWith(numbers.call!));
    assert.match(
      call!,
      /,appeal,phone,Дороги и тротуары,0003\.0009\.0099\.0742,Центральный район,registered,,false,,,$/,
      'an appeal keeps its district but has no point; open past its deadline: not on time',
    );
    for (const p of PERSONAL) assert.ok(!res.body.includes(p), `open data must not contain «${p}»`);
  });

  test('open data JSON: the fields described, the same cases, no personal data; this year cached for an hour', async () => {
    const res = await get('/api/v1/open-data/kemerovo/cases.json?year=2025');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const doc = res.json() as {
      version: number;
      year: number;
      municipality: { slug: string; oktmo: string };
      fields: Array<{ name: string; description: string; values?: Record<string, string> }>;
      cases: OpenCase[];
    };
    assert.equal(doc.version, 1);
    assert.equal(doc.year, 2025);
    assert.equal(doc.municipality.slug, 'kemerovo');
    assert.deepEqual(
      doc.fields.map((f) => f.name),
      OPEN_DATA_FIELDS.map((f) => f.name),
    );
    assert.ok(doc.fields.every((f) => f.description.length > 10));
    assert.equal(doc.fields.find((f) => f.name === 'regime')?.values?.appeal, 'обращение гражданина (59-ФЗ)');
    assert.equal(doc.cases.length, 3);
    const pothole = doc.cases.find((c) => c.number === numbers.pothole);
    assert.deepEqual(pothole, {
      number: numbers.pothole,
      received_date: '2025-06-02',
      regime: 'message',
      channel: 'web',
      category: 'Ямы на дорогах',
      totko_code: '0003.0009.0099.0742',
      district: 'Центральный район',
      status: 'rated',
      answered_date: '2025-06-03',
      on_time: true,
      result: 'supported',
      lat: 55.35,
      lon: 86.09,
    });
    for (const c of doc.cases) {
      assert.deepEqual(
        Object.keys(c),
        OPEN_DATA_FIELDS.map((f) => f.name),
        'exactly the published fields',
      );
      if (c.lat !== null) assert.equal(Math.round((c.lat as number) * 100) / 100, c.lat, 'rounded to 0.01°');
      if (c.regime === 'appeal') assert.equal(c.lat, null);
    }
    for (const p of PERSONAL) assert.ok(!res.body.includes(p), `open data must not contain «${p}»`);

    const now = await get('/api/v1/open-data/kemerovo/cases.json');
    assert.equal(now.statusCode, 200);
    assert.equal(now.headers['cache-control'], 'public, max-age=3600');
    const current = now.json() as { year: number; cases: OpenCase[] };
    assert.equal(current.year, 2026, 'the current year by default');
    assert.deepEqual(
      current.cases.map((c) => [c.number, c.lat, c.lon]),
      [[numbers.now, 55.36, 86.1]],
    );
  });

  test('open data: the default year is the current one in the municipality’s zone', async () => {
    const saved = t.clock.now().toISOString();
    try {
      t.clock.set('2025-12-31T18:00:00Z'); // 01.01.2026 01:00 in Кемерово (+07), still 2025 in UTC
      const res = await get('/api/v1/open-data/kemerovo/cases.json');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((res.json() as { year: number }).year, 2026);
    } finally {
      t.clock.set(saved);
    }
  });

  const refusals: Array<[string, string, number]> = [
    ['an unknown municipality', '/api/v1/open-data/atlantis/cases.csv?year=2025', 404],
    ['a year not begun', '/api/v1/open-data/kemerovo/cases.json?year=2027', 400],
    ['a year before the first', '/api/v1/open-data/kemerovo/cases.json?year=1999', 400],
    ['another format', '/api/v1/open-data/kemerovo/cases.xml?year=2025', 400],
    ['an unknown parameter', '/api/v1/open-data/kemerovo/cases.csv?year=2025&name=x', 400],
  ];
  for (const [name, url, status] of refusals) {
    test(`open data refuses ${name} → ${status}`, async () => {
      const res = await get(url);
      assert.equal(res.statusCode, status, res.body);
      assert.ok(res.json().error.code);
    });
  }

  test('open data pages through the table by id: every case once, in order, past several pages', async () => {
    // Many cases of one year in Белово, written directly (the intake is tested elsewhere): more than two pages.
    const n = OPEN_DATA_PAGE * 2 + 7;
    await sql`insert into "case" (municipality_id, number, regime, channel, kind, text, status, received_at, deadlines,
        lat, lon, last_name, email, created_at)
      select ${bel}, 'БЕЛ-2024-' || lpad(g::text, 6, '0'), 'message', 'web', 'other', 'Текст ' || g, 'registered',
        timestamptz '2024-03-01 10:00+07' + g * interval '1 minute', '{}', 54.4212345, 86.3012345, 'Фамилия' || g,
        'p' || g || '@example.org', now()
      from generate_series(1, ${n}) g`.execute(t.database.db);
    const csv = await get('/api/v1/open-data/belovo/cases.csv?year=2024');
    assert.equal(csv.statusCode, 200);
    const rows = csv.body
      .split('\r\n')
      .filter((l) => l !== '')
      .slice(1);
    assert.equal(rows.length, n);
    const got = rows.map((r) => r.split(',')[0]);
    assert.deepEqual(got, [...got].sort(), 'in order');
    assert.equal(new Set(got).size, n, 'each once');
    assert.ok(rows.every((r) => r.endsWith(',54.42,86.3')));
    assert.ok(!csv.body.includes('Фамилия') && !csv.body.includes('@example.org') && !csv.body.includes('Текст'));
    const json = (await get('/api/v1/open-data/belovo/cases.json?year=2024')).json() as { cases: OpenCase[] };
    assert.equal(json.cases.length, n);
  });

  // ——— Exports of the dashboard's tables ———

  const summaryUrl = (format: string) =>
    `/api/v1/exports/analytics/municipalities/${kem}/summary.${format}?from=2025-01-01&to=2025-12-31`;

  test('XLSX export: a sheet per table, the same numbers as the dashboard’s JSON, a Russian file name (RFC 8187)', async () => {
    const json = await get(`/api/v1/analytics/municipalities/${kem}/summary?from=2025-01-01&to=2025-12-31`, 'head');
    assert.equal(json.statusCode, 200, json.body);
    const summary = json.json() as Summary;
    const res = await get(summaryUrl('xlsx'), 'head');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(res.headers['cache-control'], 'private, no-store');
    const disposition = String(res.headers['content-disposition']);
    const name = 'Показатели Кемерово 2025-01-01—2025-12-31.xlsx';
    assert.equal(
      disposition,
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Показатели', 'По каналам', 'По видам', 'По рубрикам', 'По подразделениям', 'По районам', 'Динамика', 'Просрочено сейчас'],
    );
    const figures = wb.getWorksheet('Показатели')!;
    summary.figures.forEach((f, i) => {
      const row = figures.getRow(i + 3);
      assert.equal(row.getCell(1).value, f.label);
      assert.equal(row.getCell(2).value ?? null, f.value, `${f.key}: the value in the XLSX is the JSON's`);
      assert.equal(row.getCell(4).value, f.base);
      assert.equal(row.getCell(6).value, f.definition);
    });
    assert.equal(summary.figures.find((f) => f.key === 'received')?.value, 3, 'the three cases of 2025');
    const channels = wb.getWorksheet('По каналам')!;
    summary.byChannel.forEach((r, i) => {
      const row = channels.getRow(i + 3);
      assert.deepEqual(
        [row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(6).value ?? null],
        [r.label, r.received, r.answered, r.onTimeShare],
      );
    });
    const trend = wb.getWorksheet('Динамика')!;
    assert.deepEqual(
      summary.trend.map((p, i) => [p.month, p.received, trend.getRow(i + 3).getCell(2).value]),
      summary.trend.map((p) => [p.month, p.received, p.received]),
    );
  });

  test('CSV export: for Russian Excel — BOM, «;», a section per table', async () => {
    const res = await get(summaryUrl('csv'), 'region');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.ok(res.body.startsWith('\ufeff'));
    const lines = res.body.slice(1).split('\r\n');
    assert.match(lines[0]!, /^Кемеровский городской округ: показатели обратной связи с 01\.01\.2025 по 31\.12\.2025$/);
    assert.match(lines[1]!, /^Показатель;Значение;Единица;Число дел в расчёте;/);
    assert.match(res.body, /\r\nПоступило;3;дел;3;/);
    assert.ok(lines.includes('Поступление по каналам, с 01.01.2025 по 31.12.2025'));
  });

  const who: Array<[string, string | undefined, number]> = [
    ['nobody signed in', undefined, 401],
    ['a resident', 'resident', 403],
    ['an operator', 'operator', 403],
    ['an executor', 'executor', 403],
    ['another municipality’s administrator', 'belAdmin', 403],
    ['the municipality’s administrator', 'admin', 200],
    ['the commission', 'commission', 200],
  ];
  for (const [name, session, status] of who) {
    test(`the table export and the report for ${name} → ${status}`, async () => {
      const xlsx = await get(summaryUrl('xlsx'), session);
      assert.equal(xlsx.statusCode, status, xlsx.body);
      const report = await get(`/api/v1/reports/municipalities/${kem}/feedback-2025.pdf`, session);
      assert.equal(report.statusCode, status, status === 200 ? '' : report.body);
    });
  }

  const bad: Array<[string, string, number]> = [
    [
      'an unknown municipality',
      '/api/v1/exports/analytics/municipalities/999999/summary.xlsx?from=2025-01-01&to=2025-12-31',
      404,
    ],
    ['no period', `/api/v1/exports/analytics/municipalities/{kem}/summary.xlsx`, 400],
    [
      'a period ending before it starts',
      '/api/v1/exports/analytics/municipalities/{kem}/summary.csv?from=2025-02-01&to=2025-01-01',
      400,
    ],
    [
      'a format other than csv/xlsx',
      '/api/v1/exports/analytics/municipalities/{kem}/summary.pdf?from=2025-01-01&to=2025-12-31',
      400,
    ],
    ['a report of a year not over… or begun', '/api/v1/reports/municipalities/{kem}/feedback-2027.docx', 400],
    ['a report in another format', '/api/v1/reports/municipalities/{kem}/feedback-2025.odt', 400],
    ['a report of an unknown municipality', '/api/v1/reports/municipalities/999999/feedback-2025.pdf', 404],
  ];
  for (const [name, url, status] of bad) {
    test(`refused: ${name} → ${status}`, async () => {
      const res = await get(url.replace('{kem}', String(kem)), 'region');
      assert.equal(res.statusCode, status, res.body);
    });
  }

  // ——— The annual feedback report ———

  test('the DOCX report: the figures with their definitions, the approval block, a Russian file name', async () => {
    const summary = (
      await get(`/api/v1/analytics/municipalities/${kem}/summary?from=2025-01-01&to=2025-12-31`, 'head')
    ).json() as Summary;
    const res = await get(`/api/v1/reports/municipalities/${kem}/feedback-2025.docx`, 'head');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.match(
      String(res.headers['content-disposition']),
      new RegExp(`filename\\*=UTF-8''${encodeURIComponent('Отчёт об обратной связи 2025 — Кемерово.docx')}$`),
    );
    const text = docxText(unzip(res.rawPayload).get('word/document.xml')!.toString('utf8')).replace(/\u00a0/g, ' ');
    for (const line of [
      'УТВЕРЖДАЮ',
      '«Кемеровский городской округ»',
      'ОТЧЁТ ОБ ОБРАТНОЙ СВЯЗИ С ЖИТЕЛЯМИ ЗА 2025 ГОД',
      '1. Основные показатели',
      '2. Поступление по каналам',
      '7. Участие жителей',
      'Опросы и голосования жителей',
      'нет данных',
    ]) {
      assert.ok(text.includes(line), `the report holds «${line}»`);
    }
    for (const key of ['received', 'onTimeShare', 'satisfaction', 'incidents', 'reactionHoursMean']) {
      const f = summary.figures.find((x) => x.key === key)!;
      assert.ok(text.includes(f.label) && text.includes(f.definition.replace(/\u00a0/g, ' ')), `${key} with its definition`);
    }
    // 2025: the map report answered on time; the call and the letter are open past their deadlines (late): 1 of 3.
    const onTime = summary.figures.find((x) => x.key === 'onTimeShare')!;
    assert.ok(Math.abs((onTime.value ?? 0) - 1 / 3) < 0.001, `onTimeShare ${onTime.value}`);
    assert.ok(text.includes('33,3 %'), 'the share written as a Russian percentage');
    for (const p of ['Сидорова', 'sidorova@example.org', 'Яма у дома 5']) assert.ok(!text.includes(p));
  });

  test('the PDF report: A4 pages, the text extractable, page 1 rendered to PNG', async () => {
    const res = await get(`/api/v1/reports/municipalities/${kem}/feedback-2025.pdf`, 'region');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = readPdf(res.rawPayload);
    assert.ok(pdf.pages >= 3, `pages: ${pdf.pages}`);
    assert.equal(pdf.info('Title'), 'Отчёт об обратной связи с жителями за 2025 год: Кемеровский городской округ');
    const first = pdf.text(0).replace(/\u00a0/g, ' ');
    assert.ok(first.includes('УТВЕРЖДАЮ') && first.includes('ОТЧЁТ ОБ ОБРАТНОЙ СВЯЗИ С ЖИТЕЛЯМИ ЗА 2025 ГОД'), first);
    assert.ok(first.includes('Период: с 01.01.2025 по 31.12.2025.'), first);
    const all = Array.from({ length: pdf.pages }, (_, i) => pdf.text(i)).join('\n');
    assert.ok(all.includes('Основные показатели') && all.includes('Участие жителей'));
    assert.ok(!all.includes('\ufffd'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(path.join(SCREENSHOTS, 'report-feedback-pdf.png'), pdf.png(0, 1.5));
    writeFileSync(path.join(SCREENSHOTS, 'report-feedback-pdf-page2.png'), pdf.png(1, 1.5));
  });

  test('the current year’s report runs to today and says it is not a full year', async () => {
    const res = await get(`/api/v1/reports/municipalities/${kem}/feedback-2026.pdf`, 'head');
    assert.equal(res.statusCode, 200, res.body);
    const first = readPdf(res.rawPayload)
      .text(0)
      .replace(/\u00a0/g, ' ');
    assert.ok(first.includes('Период: с 01.01.2026 по 02.03.2026 (неполный год).'), first);
  });
});
