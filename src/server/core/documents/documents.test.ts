import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  approval,
  BOM,
  bold,
  contentDisposition,
  csvField,
  type DataTable,
  type DocumentSpec,
  documentTable,
  EXCEL_RU,
  formatDecimal,
  formatInt,
  formatPercent,
  heading,
  italic,
  NBSP,
  OPEN_DATA,
  pageBreak,
  paragraph,
  renderDocx,
  renderPdf,
  sheetName,
  tablesToCsv,
  tablesToXlsx,
  typeset,
} from './index.ts';
import { readPdf } from './test-pdf.ts';
import { docxText, unzip } from './test-zip.ts';

const created = new Date('2026-03-02T03:00:00Z');

/** A table long enough to run onto a second page, with a header row spanning two columns. */
function spec(orientation: 'portrait' | 'landscape' = 'portrait'): DocumentSpec {
  return {
    title: 'Доклад о работе с обращениями граждан',
    author: 'Администрация Кемеровского городского округа',
    orientation,
    createdAt: created,
    blocks: [
      approval(['Глава города Кемерово', '____________ И. О. Фамилия', '«___» ____________ 2026 г.']),
      heading(1, 'ДОКЛАД о работе с обращениями граждан за 2025 год'),
      paragraph([
        'Доклад подготовлен в соответствии с ',
        bold('Федеральным законом'),
        ' от 2 мая 2006 г. № 59-ФЗ, ',
        italic('курсивом'),
        '. Всего поступило 12 345 обращений.',
      ]),
      heading(2, '1. Обращения по каналам'),
      {
        kind: 'table',
        columns: [{ width: 5 }, { width: 2, align: 'right' }, { width: 2, align: 'right' }],
        header: [['Канал', { text: 'Поступило и рассмотрено', colSpan: 2 }]],
        rows: Array.from({ length: 40 }, (_, i) => [`Канал поступления № ${i + 1}`, i * 10, `${i} %`]),
      },
      pageBreak(),
      paragraph('Последняя страница.', { align: 'left' }),
    ],
  };
}

describe('documents: Russian typography', () => {
  const numbers: Array<[string, string, string]> = [
    ['formatInt 1234 is not grouped', formatInt(1234), '1234'],
    ['formatInt groups from five digits', formatInt(12345), `12${NBSP}345`],
    ['formatInt a million', formatInt(1_000_000), `1${NBSP}000${NBSP}000`],
    ['formatInt negative uses the minus sign', formatInt(-5), '\u22125'],
    ['formatInt rounds', formatInt(2.5), '3'],
    ['formatDecimal decimal comma', formatDecimal(97.54, 1), '97,5'],
    ['formatDecimal two digits', formatDecimal(0.125, 2), '0,13'],
    ['formatDecimal grouped', formatDecimal(12345.67, 1), `12${NBSP}345,7`],
    ['formatDecimal minus zero is zero', formatDecimal(-0.01, 1), '0,0'],
    ['formatPercent share with a space before %', formatPercent(0.975), `97,5${NBSP}%`],
    ['formatPercent 100 %', formatPercent(1, 0), `100${NBSP}%`],
  ];
  for (const [name, got, want] of numbers) test(name, () => assert.equal(got, want));

  const texts: Array<[string, string]> = [
    ['в городе и в районе', `в${NBSP}городе и${NBSP}в${NBSP}районе`],
    ['Закон № 59-ФЗ', `Закон №${NBSP}59-ФЗ`],
    ['97 % случаев за 24 ч', `97${NBSP}% случаев за${NBSP}24${NBSP}ч`],
    ['2 мая 2006 г. и 2020 год', `2 мая 2006${NBSP}г. и${NBSP}2020${NBSP}год`],
    ['подписал И. О. Петров', `подписал И.${NBSP}О.${NBSP}Петров`],
    ['Москва — столица', `Москва${NBSP}— столица`],
    // «11 ч» also reads as hours: kept together too, which does no harm.
    ['по ст. 11 ч. 2 и п. 5', `по${NBSP}ст.${NBSP}11${NBSP}ч.${NBSP}2 и${NBSP}п.${NBSP}5`],
    ['Слово', 'Слово'],
  ];
  for (const [input, want] of texts) test(`typeset: ${input}`, () => assert.equal(typeset(input), want));
});

describe('documents: CSV', () => {
  const fields: Array<[string, string, string]> = [
    ['plain', 'Кемерово', 'Кемерово'],
    ['separator', 'a;b', '"a;b"'],
    ['quotes doubled', 'улица "Весенняя"', '"улица ""Весенняя"""'],
    ['line feed', 'две\nстроки', '"две\nстроки"'],
    ['CR LF', 'две\r\nстроки', '"две\r\nстроки"'],
    ['leading space kept', ' отступ', '" отступ"'],
    ['formula guarded', '=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['plus guarded', '+7 999', "'+7 999"],
    ['at sign guarded', '@cmd', "'@cmd"],
    ['comma needs no quotes with ;', '1,5', '1,5'],
  ];
  for (const [name, input, want] of fields) test(`Excel field: ${name}`, () => assert.equal(csvField(input, EXCEL_RU), want));
  test('open data field: the comma separator is quoted, formulas are left as they are', () => {
    assert.equal(csvField('1,5', OPEN_DATA), '"1,5"');
    assert.equal(csvField('=1', OPEN_DATA), '=1');
    assert.equal(csvField('a;b', OPEN_DATA), 'a;b');
  });

  const table: DataTable = {
    name: 'Каналы',
    title: 'Поступление по каналам',
    columns: [
      { key: 'label', title: 'Канал' },
      { key: 'received', title: 'Поступило', kind: 'integer' },
      { key: 'share', title: 'Доля в срок', kind: 'percent' },
      { key: 'hours', title: 'Часы', kind: 'hours' },
      { key: 'day', title: 'Дата', kind: 'date' },
      { key: 'value', title: 'Значение', kind: 'decimal', kindFrom: 'unit' },
    ],
    rows: [
      { label: 'Сайт; форма', received: 12345, share: 0.975, hours: 24.25, day: '2026-03-02', value: 0.5, unit: 'percent' },
      { label: 'Телефон "горячая линия"', received: 3, share: null, hours: null, day: null, value: 7, unit: 'integer' },
    ],
    note: 'Определение: доля рассмотренных в срок.',
  };

  test('Excel dialect: BOM, ; separator, CRLF, decimal commas, dd.mm.yyyy, a section per table', () => {
    const csv = tablesToCsv([table, { ...table, title: 'Вторая' }]);
    assert.ok(csv.startsWith(BOM), 'starts with the UTF-8 byte order mark');
    assert.equal(Buffer.from(csv, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
    const lines = csv.slice(1).split('\r\n');
    assert.deepEqual(lines.slice(0, 5), [
      'Поступление по каналам',
      'Канал;Поступило;Доля в срок;Часы;Дата;Значение',
      '"Сайт; форма";12345;97,5%;24,3;02.03.2026;50,0%',
      '"Телефон ""горячая линия""";3;;;;7',
      'Определение: доля рассмотренных в срок.',
    ]);
    assert.equal(lines[5], '', 'an empty line between sections');
    assert.equal(lines[6], 'Вторая');
    assert.ok(!csv.slice(1).includes(BOM), 'one BOM only');
  });

  test('open data dialect: no BOM, commas, raw numbers, no titles', () => {
    const csv = tablesToCsv([table], OPEN_DATA, { titles: false });
    assert.ok(!csv.startsWith(BOM));
    assert.deepEqual(csv.split('\r\n').slice(0, 3), [
      'Канал,Поступило,Доля в срок,Часы,Дата,Значение',
      'Сайт; форма,12345,0.975,24.25,2026-03-02,0.5',
      '"Телефон ""горячая линия""",3,,,,7',
    ]);
  });

  test('XLSX: a sheet per table, numbers as numbers with their formats, re-read by exceljs', async () => {
    const bytes = await tablesToXlsx([table, { ...table, name: 'Каналы' }], { title: 'Отчёт', created });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Каналы', 'Каналы 2'],
    );
    const ws = wb.worksheets[0]!;
    assert.equal(ws.getCell('A1').value, 'Поступление по каналам');
    assert.deepEqual(
      (ws.getRow(2).values as unknown[]).slice(1),
      table.columns.map((c) => c.title),
    );
    assert.equal(ws.getCell('A3').value, 'Сайт; форма');
    assert.equal(ws.getCell('B3').value, 12345);
    assert.equal(ws.getCell('C3').value, 0.975);
    assert.equal(ws.getCell('C3').numFmt, '0.0%');
    assert.equal(ws.getCell('D3').value, 24.25);
    assert.deepEqual(ws.getCell('E3').value, new Date('2026-03-02T00:00:00Z'));
    assert.equal(ws.getCell('F3').numFmt, '0.0%', 'the kind of a figure comes from its row');
    assert.equal(ws.getCell('F4').numFmt, '#,##0');
    assert.equal(ws.getCell('C4').value, null, 'no value → an empty cell');
    assert.equal(ws.getCell('A6').value, table.note);
  });

  const names: Array<[string, string]> = [
    ['По каналам', 'По каналам'],
    ['a/b:c*d?[e]\\f', 'a b c d  e  f'],
    ['Очень длинное название листа, длиннее тридцати одного знака', 'Очень длинное название листа, д'],
  ];
  for (const [input, want] of names) test(`sheet name: ${input}`, () => assert.equal(sheetName(input, new Set()), want));

  test('document table: header from the titles, values as people read them', () => {
    const t = documentTable(table);
    assert.deepEqual(t.header, [['Канал', 'Поступило', 'Доля в срок', 'Часы', 'Дата', 'Значение']]);
    assert.deepEqual(t.rows[0], ['Сайт; форма', `12${NBSP}345`, `97,5${NBSP}%`, `24,3${NBSP}ч`, '02.03.2026', `50,0${NBSP}%`]);
    assert.deepEqual(t.rows[1], ['Телефон "горячая линия"', '3', '—', '—', '—', '7']);
    assert.equal(t.columns[1]?.align, 'right');
  });
});

describe('documents: Content-Disposition', () => {
  const cases: Array<[string, string]> = [
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['Отчёт 2025.docx', `attachment; filename="_____ 2025.docx"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%202025.docx`],
    [`a"b'(c).csv`, `attachment; filename="a_b'(c).csv"; filename*=UTF-8''a%22b%27%28c%29.csv`],
  ];
  for (const [name, want] of cases) test(name, () => assert.equal(contentDisposition(name), want));
});

describe('documents: DOCX', () => {
  test('a zip whose word/document.xml holds the text, styles, the approval block, page numbers from page 2', async () => {
    const bytes = await renderDocx(spec());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    const parts = unzip(bytes);
    const xml = parts.get('word/document.xml')?.toString('utf8') ?? '';
    const text = docxText(xml);
    for (const s of ['УТВЕРЖДАЮ', 'Глава города Кемерово', 'Федеральным законом', 'курсивом', 'Канал поступления №']) {
      assert.ok(text.includes(s), `the text holds «${s}»`);
    }
    // The paragraph's runs: bold and italic where the model says.
    assert.match(xml, /<w:b\/>(?:(?!<\/w:r>).)*<w:t[^>]*>Федеральным законом<\/w:t>/s);
    assert.match(xml, /<w:i\/>(?:(?!<\/w:r>).)*<w:t[^>]*>курсивом<\/w:t>/s);
    assert.match(xml, /<w:pStyle w:val="Approval"\/>(?:(?!<\/w:p>).)*УТВЕРЖДАЮ/s);
    assert.equal((xml.match(/<w:tblHeader\/>/g) ?? []).length, 1, 'the header row repeats on every page');
    assert.ok(!xml.includes('w:tblHeader w:val'), 'body rows carry no tblHeader at all');
    assert.match(xml, /<w:gridSpan w:val="2"\/>/);
    assert.match(xml, /<w:pgSz w:w="11906" w:h="16838"/, 'A4 portrait');
    assert.match(xml, /<w:titlePg\/>/, 'a first page of its own (no number on it)');
    const headers = [...parts.keys()].filter((k) => /^word\/header\d+\.xml$/.test(k)).map((k) => parts.get(k)!.toString());
    assert.ok(
      headers.some((h) => h.includes('PAGE')),
      'a header with the PAGE field',
    );
    const styles = parts.get('word/styles.xml')?.toString() ?? '';
    assert.match(styles, /Times New Roman/);
    const core = parts.get('docProps/core.xml')?.toString() ?? '';
    assert.match(core, /<dc:title>Доклад о работе с обращениями граждан<\/dc:title>/);
  });

  test('landscape swaps the page size', async () => {
    const xml =
      unzip(await renderDocx(spec('landscape')))
        .get('word/document.xml')
        ?.toString() ?? '';
    assert.match(xml, /<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/);
  });

  test('a table row that does not span the columns is refused', async () => {
    await assert.rejects(
      renderDocx({ title: 't', blocks: [{ kind: 'table', columns: [{ width: 1 }, { width: 1 }], header: [['a']], rows: [] }] }),
      /does not span the 2 columns/,
    );
  });
});

describe('documents: PDF', () => {
  test('A4 pages with embedded PT Serif, the text extractable, numbers from page 2, the header repeated', async () => {
    const bytes = await renderPdf(spec());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const pdf = readPdf(bytes);
    assert.equal(pdf.pages, 3, 'the table runs onto page 2; the page break starts page 3');
    for (const [w, h] of pdf.sizes) {
      assert.ok(Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1, `A4 portrait, got ${w}×${h}`);
    }
    assert.equal(pdf.info('Title'), 'Доклад о работе с обращениями граждан');
    const first = pdf.text(0);
    for (const s of ['УТВЕРЖДАЮ', 'ДОКЛАД о работе с обращениями граждан', 'Федеральным законом', 'Канал поступления']) {
      assert.ok(first.replace(/\u00a0/g, ' ').includes(s), `page 1 holds «${s}»:\n${first}`);
    }
    assert.ok(!first.includes('\ufffd'), 'every glyph maps back to its character (no missing glyphs)');
    const lines = pdf.lines(0);
    assert.ok(
      lines.every((l) => /PTSerif/.test(l.font)),
      'every line in PT Serif',
    );
    const stamp = lines.find((l) => l.text === 'УТВЕРЖДАЮ');
    assert.ok(stamp && stamp.x > 595.28 / 2, 'the approval block sits in the right half');
    assert.ok(!lines.some((l) => /^\d+$/.test(l.text.trim()) && l.y < 50), 'no page number on page 1');
    const second = pdf.lines(1);
    const number = second.find((l) => l.text.trim() === '2');
    assert.ok(number && number.y < 57 && Math.abs(number.x + number.w / 2 - (85 + (595.28 - 85 - 42.5) / 2)) < 5);
    assert.ok(
      second.some((l) => l.text.includes('Канал')),
      'the header row is repeated on page 2',
    );
    assert.ok(pdf.text(2).includes('Последняя страница.'));
  });

  test('no two lines overlap on a page', async () => {
    const pdf = readPdf(await renderPdf(spec()));
    for (let p = 0; p < pdf.pages; p++) {
      const lines = pdf.lines(p);
      for (let i = 0; i < lines.length; i++) {
        for (let j = i + 1; j < lines.length; j++) {
          const a = lines[i]!;
          const b = lines[j]!;
          const dx = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const dy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          assert.ok(dx <= 1 || dy <= 3, `page ${p + 1}: «${a.text}» overlaps «${b.text}»`);
        }
      }
    }
  });

  test('landscape', async () => {
    const pdf = readPdf(await renderPdf(spec('landscape')));
    const [w, h] = pdf.sizes[0]!;
    assert.ok(w > h && Math.abs(w - 841.89) < 1);
  });
});
