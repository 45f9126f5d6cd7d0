import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NBSP, renderPdf, tablesToCsv } from '../../core/documents/index.ts';
import { readPdf } from '../../core/documents/test-pdf.ts';
import { feedbackReport, figureText, KEY_FIGURES, NO_DATA } from './feedback-report.ts';
import {
  OPEN_DATA_FIELDS,
  type OpenDataSource,
  openDataCsvHeader,
  openDataCsvLine,
  openDataRow,
  roundCoordinate,
} from './open-data.ts';
import { summaryTables } from './summary-tables.ts';
import { SAMPLE_SUMMARY } from './test-summary.ts';

const ZONE = 'Asia/Novokuznetsk';
const NOW = new Date('2026-03-02T03:00:00Z');

const base: OpenDataSource = {
  id: 1,
  number: 'КЕМ-2025-000001',
  received_at: new Date('2025-12-31T17:30:00Z'), // 01.01.2026 00:30 in Кемерово (+07)
  regime: 'message',
  channel: 'web',
  category: 'Ямы на дорогах',
  totko_code: '0003.0009.0099.0742',
  district: 'Центральный район',
  status: 'answered',
  answered_at: new Date('2026-01-02T05:00:00Z'),
  due_at: null,
  answer_late: false,
  answer_result: 'supported',
  lat: 55.354_71,
  lon: 86.087_34,
};

describe('open data: one case as published', () => {
  test('local dates, rounded point, on time from the answer event', () => {
    assert.deepEqual(openDataRow(base, ZONE, NOW), {
      number: 'КЕМ-2025-000001',
      received_date: '2026-01-01',
      regime: 'message',
      channel: 'web',
      category: 'Ямы на дорогах',
      totko_code: '0003.0009.0099.0742',
      district: 'Центральный район',
      status: 'answered',
      answered_date: '2026-01-02',
      on_time: true,
      result: 'supported',
      lat: 55.35,
      lon: 86.09,
    });
  });

  // [name, changes, expected fields]
  const rows: Array<[string, Partial<OpenDataSource>, Partial<ReturnType<typeof openDataRow>>]> = [
    ['an appeal never has a point', { regime: 'appeal' }, { lat: null, lon: null }],
    ['an incident keeps its rounded point', { regime: 'incident', lat: -33.8678, lon: 151.2099 }, { lat: -33.87, lon: 151.21 }],
    ['no point → none', { lat: null, lon: null }, { lat: null, lon: null }],
    ['answered late', { answer_late: true }, { on_time: false }],
    ['answered without a deadline', { answer_late: null }, { on_time: null }],
    [
      'open past its deadline: late',
      { status: 'in_work', answered_at: null, answer_result: null, due_at: new Date('2026-03-01T00:00:00Z') },
      { on_time: false, answered_date: null, result: null },
    ],
    [
      'open within its deadline: not decided',
      { status: 'registered', answered_at: null, answer_result: null, due_at: new Date('2026-03-05T00:00:00Z') },
      { on_time: null, answered_date: null },
    ],
    ['reopened (in work again): the old answer is not published', { status: 'in_work' }, { answered_date: null, result: null }],
    ['closed without an answer', { status: 'closed', answered_at: null, answer_result: null }, { on_time: null, result: null }],
  ];
  for (const [name, change, want] of rows) {
    test(name, () => {
      const got = openDataRow({ ...base, ...change }, ZONE, NOW);
      for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof typeof got], v, k);
    });
  }

  const rounding: Array<[number, number]> = [
    [55.354_71, 55.35],
    [55.355, 55.36],
    [86.004_9, 86],
    [-0.004, -0],
  ];
  for (const [x, want] of rounding) test(`rounds ${x} to ${want}`, () => assert.equal(roundCoordinate(x), want));

  test('CSV: the stable header, booleans, empty for none, quoting', () => {
    assert.equal(openDataCsvHeader(), `${OPEN_DATA_FIELDS.map((f) => f.name).join(',')}\r\n`);
    const line = openDataCsvLine(openDataRow({ ...base, category: 'Дороги, тротуары', totko_code: null }, ZONE, NOW));
    assert.equal(
      line,
      'КЕМ-2025-000001,2026-01-01,message,web,"Дороги, тротуары",,Центральный район,answered,2026-01-02,true,supported,55.35,86.09\r\n',
    );
  });

  test('every field is described; the coded ones list their codes', () => {
    for (const f of OPEN_DATA_FIELDS) assert.ok(f.description.length > 10, f.name);
    for (const name of ['regime', 'channel', 'status', 'result']) {
      assert.ok(Object.keys(OPEN_DATA_FIELDS.find((f) => f.name === name)?.values ?? {}).length >= 3, name);
    }
  });
});

describe('exports: the summary as tables', () => {
  const tables = summaryTables(SAMPLE_SUMMARY);

  test('a table per part of the dashboard', () => {
    assert.deepEqual(
      tables.map((t) => t.name),
      ['Показатели', 'По каналам', 'По видам', 'По рубрикам', 'По подразделениям', 'По районам', 'Динамика', 'Просрочено сейчас'],
    );
  });

  test('figures keep their values, units, bases, the comparison and the definition', () => {
    const figures = tables[0]!;
    const received = figures.rows.find((r) => r.key === 'received')!;
    assert.deepEqual(
      [received.value, received.kind, received.unit, received.base, received.compare],
      [12_345, 'integer', 'дел', 12_345, 11_000],
    );
    const share = figures.rows.find((r) => r.key === 'onTimeShare')!;
    assert.deepEqual([share.value, share.kind, share.compare], [0.9412, 'percent', 0.9]);
    assert.equal(figures.rows.find((r) => r.key === 'satisfaction')!.compare, null, 'not in the comparison');
    assert.equal(figures.rows.length, SAMPLE_SUMMARY.figures.length);
  });

  test('as CSV for Excel, a figure is written in its own unit', () => {
    const csv = tablesToCsv(tables.slice(0, 1));
    assert.match(csv, /\r\nПоступило;12345;дел;12345;11000;/);
    assert.match(csv, /\r\nРешено в срок;94,1%;%;11500;90,0%;/);
    assert.match(csv, /\r\nВремя первой реакции, среднее;24,5;ч \(календарные\);12000;;/);
  });
});

describe('exports: the annual feedback report', () => {
  const texts: Array<[string, { value: number | null; unit: string }, string]> = [
    ['a count', { value: 12_345, unit: 'count' }, `12${NBSP}345`],
    ['a share', { value: 0.9412, unit: 'share' }, `94,1${NBSP}%`],
    ['hours', { value: 24.5, unit: 'hours' }, `24,5${NBSP}ч`],
    ['working hours', { value: 36.125, unit: 'working_hours' }, `36,1 раб.${NBSP}ч`],
    ['nothing to compute over', { value: null, unit: 'hours' }, NO_DATA],
  ];
  for (const [name, f, want] of texts) test(`figure text: ${name}`, () => assert.equal(figureText(f), want));

  test('the document: title page, key figures with definitions, participation placeholders, every figure', async () => {
    const spec = feedbackReport(SAMPLE_SUMMARY, { year: 2025, generatedAt: NOW });
    assert.equal(spec.title, 'Отчёт об обратной связи с жителями за 2025 год: Кемеровский городской округ');
    assert.equal(spec.blocks[0]?.kind, 'approval');
    const pdf = readPdf(await renderPdf(spec));
    const text = Array.from({ length: pdf.pages }, (_, i) => pdf.text(i))
      .join('\n')
      .replace(/\u00a0/g, ' ')
      .replace(/\s+/g, ' ');
    for (const key of KEY_FIGURES) {
      const f = SAMPLE_SUMMARY.figures.find((x) => x.key === key);
      if (f) assert.ok(text.includes(f.definition), `${key}: its definition`);
    }
    for (const s of [
      'Период: с 01.01.2025 по 31.12.2025.',
      'Поступило из социальных сетей',
      'Опросы и голосования жителей',
      'Территориальное общественное самоуправление (ТОС)',
      'Встречи с жителями, выездные приёмы',
      'Приведены 15 рубрик с наибольшим числом дел из 18.',
      'Управление дорожного хозяйства и благоустройства',
      '94,1 %',
      'Декабрь 2025',
    ]) {
      assert.ok(text.includes(s), `the report holds «${s}»`);
    }
    assert.ok(!text.includes('неполный год'));
    assert.ok(!text.includes('Рубрика № 16;'), 'only the top 15 categories');
  });
});
