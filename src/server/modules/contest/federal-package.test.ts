import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Block, DocumentSpec } from '../../core/documents/index.ts';
import type { Figure } from './commands/applications.ts';
import { type FederalPackageInput, federalPackageSpec, figureValue, fileSize, packageDeadline } from './federal-package.ts';

// The content of the federal-stage package (issue 8, item 5), without rendering: what each part of the document says.

const NBSP = '\u00a0';
const plain = (s: string) => s.replaceAll(NBSP, ' ');

/** Every text of the document, a block (a table row) per line. */
function lines(spec: DocumentSpec): string[] {
  const text = (b: Block): string[] => {
    switch (b.kind) {
      case 'heading':
        return [b.text];
      case 'paragraph':
        return [b.runs.map((r) => (typeof r === 'string' ? r : r.text)).join('')];
      case 'table':
        return [...b.header, ...b.rows].map((row) => row.map((c) => (typeof c === 'object' ? c.text : String(c))).join(' | '));
      case 'approval':
        return b.lines;
      default:
        return [];
    }
  };
  return spec.blocks.flatMap(text).map(plain);
}

const figure = (over: Partial<Figure>): Figure => ({
  key: null,
  label: 'Показатель',
  value: 1,
  unit: 'count',
  definition: '',
  source: 'указано муниципальным образованием',
  period: null,
  pulledValue: null,
  edited: false,
  ...over,
});

const BASE: FederalPackageInput = {
  contest: {
    title: 'Лучшая муниципальная практика',
    nomination: 'Муниципальная экономическая политика и управление муниципальными финансами',
    year: 2020,
    regionName: 'Кемеровская область – Кузбасс',
    protocolNumber: '1',
    approvedOn: '2020-07-17',
  },
  municipality: { name: 'Кемеровский городской округ', type: 'urban_okrug' },
  applicantName: 'Кемеровский городской округ',
  category: { code: 'I', name: 'городские, муниципальные округа и городские поселения' },
  place: 1,
  sections: {
    practice: 'Практика «Открытый диалог»',
    prerequisites: 'Потребность в обратной связи.',
    description: 'Первый абзац описания.\n\nВторой абзац описания.',
    results: 'В 2019 году поступило 11787 обращений.',
  },
  figures: [],
  attachments: [],
  assignments: [],
};

describe('federal package: values and sizes as the document prints them', () => {
  const values: Array<[string, Pick<Figure, 'value' | 'unit'>, string]> = [
    ['a count, grouped', { value: 11787, unit: 'count' }, '11 787'],
    ['a count that is not whole', { value: 2.5, unit: 'count' }, '2,5'],
    ['a share in per cent', { value: 0.975, unit: 'share' }, '97,5 %'],
    ['hours', { value: 36, unit: 'hours' }, '36,0 ч'],
    ['working hours', { value: 12.25, unit: 'working_hours' }, '12,3 раб. ч'],
    ['a typed unit', { value: 14, unit: 'ТОС' }, '14 ТОС'],
    ['no unit (four digits are not grouped)', { value: 4655, unit: '' }, '4655'],
    ['no value', { value: null, unit: 'count' }, 'нет данных'],
  ];
  for (const [name, f, expected] of values) {
    test(`${name}: ${expected}`, () => assert.equal(plain(figureValue(f)), expected));
  }

  const sizes: Array<[number, string]> = [
    [512, '512 байт'],
    [2048, '2 КБ'],
    [1536 * 1024, '1,5 МБ'],
    [10 * 1024 * 1024, '10,0 МБ'],
  ];
  for (const [bytes, expected] of sizes)
    test(`${bytes} bytes: ${expected}`, () => assert.equal(plain(fileSize(bytes)), expected));
});

describe('federal package: the deadline is the federal assignment’s, else the earliest dated one', () => {
  const a = (text: string, dueOn: string | null, responsible = 'Департаменту') => ({ text, responsible, dueOn });
  const cases: Array<[string, FederalPackageInput['assignments'], string | null]> = [
    ['none', [], null],
    ['undated only', [a('подготовить заявки', null)], null],
    [
      'the federal one, though later',
      [a('опубликовать итоги', '2020-07-20'), a('представить в федеральную комиссию', '2020-08-20')],
      '2020-08-20',
    ],
    [
      'federal named in the responsible',
      [a('направить', '2020-08-01', 'Федеральной комиссии'), a('иное', '2020-07-01')],
      '2020-08-01',
    ],
    ['else the earliest', [a('б', '2020-09-01'), a('а', '2020-08-01'), a('в', null)], '2020-08-01'],
  ];
  for (const [name, list, expected] of cases) {
    test(name, () => assert.equal(packageDeadline(list)?.dueOn ?? null, expected));
  }
});

describe('federal package: the document’s parts', () => {
  test('title, the municipality and its category, place and recommendation with the protocol', () => {
    const text = lines(federalPackageSpec(BASE));
    for (const phrase of [
      'Конкурсная заявка',
      'на участие в федеральном этапе Всероссийского конкурса «Лучшая муниципальная практика» 2020 года',
      'в номинации «Муниципальная экономическая политика и управление муниципальными финансами»',
      'Муниципальное образование | Кемеровский городской округ',
      'Вид муниципального образования | городской округ',
      'Субъект Российской Федерации | Кемеровская область – Кузбасс',
      'Категория | I категория – городские, муниципальные округа и городские поселения',
    ]) {
      assert.ok(text.includes(phrase), `a line «${phrase}» in\n${text.join('\n')}`);
    }
    assert.ok(
      text.some((l) =>
        l.includes(
          'конкурсная заявка Кемеровский городской округ заняла 1 место в I категории «городские, муниципальные округа и городские поселения» и рекомендована для участия в федеральном этапе конкурса (протокол заседания региональной комиссии №1 от 17 июля 2020 года)',
        ),
      ),
      text.join('\n'),
    );
  });

  test('every section in the form’s order, an empty one said so, paragraphs kept', () => {
    const text = lines(federalPackageSpec(BASE));
    const headings = [
      'Практика',
      'Предпосылки реализации практики',
      'Описание практики',
      'Формы взаимодействия с жителями',
      'Сильные стороны практики',
      'Слабые стороны практики',
      'Ресурсы, необходимые для реализации практики: материальные',
      'Ресурсы, необходимые для реализации практики: нематериальные',
      'Результаты (с цифрами)',
    ];
    const at = headings.map((h) => text.indexOf(h));
    assert.ok(
      at.every((i) => i >= 0),
      `all sections present: ${at}`,
    );
    assert.deepEqual(
      [...at].sort((x, y) => x - y),
      at,
      'in the form’s order',
    );
    const description = text.indexOf('Описание практики');
    assert.deepEqual(text.slice(description + 1, description + 3), ['Первый абзац описания.', 'Второй абзац описания.']);
    const forms = text.indexOf('Формы взаимодействия с жителями');
    assert.equal(text[forms + 1], 'Не заполнено.');
  });

  const parts: Array<[string, Partial<FederalPackageInput>, string[], string[]]> = [
    ['no figures', {}, ['Показатели не указаны.'], ['№ | Показатель | Значение | Источник']],
    [
      'figures with their sources; an edited pulled figure shows the system’s value',
      {
        figures: [
          figure({ label: 'Поступило обращений', value: 11787, source: 'Отклик: аналитика за период 2019-01-01 – 2019-12-31' }),
          figure({
            key: 'onTimeShare',
            label: 'Решено в срок',
            value: 0.9,
            unit: 'share',
            source: 'Отклик: аналитика',
            definition: 'Доля дел, решённых в срок',
            pulledValue: 0.85,
            edited: true,
          }),
          figure({ label: 'Создано ТОС', value: 14, unit: '', source: '' }),
        ],
      },
      [
        '№ | Показатель | Значение | Источник',
        '1 | Поступило обращений | 11 787 | Отклик: аналитика за период 2019-01-01 – 2019-12-31',
        '2 | Решено в срок | 90,0 % | Отклик: аналитика. Значение уточнено (по данным системы: 85,0 %). Определение: Доля дел, решённых в срок',
        '3 | Создано ТОС | 14 | указано муниципальным образованием',
      ],
      ['Показатели не указаны.'],
    ],
    ['no attachments', {}, ['Приложений нет.'], []],
    [
      'the attachments listed with type and size',
      {
        attachments: [
          { fileName: 'Буклет.pdf', contentType: 'application/pdf', size: 1536 * 1024 },
          { fileName: 'Фото.jpg', contentType: 'image/jpeg', size: 2048 },
        ],
      },
      ['1. Буклет.pdf (PDF, 1,5 МБ)', '2. Фото.jpg (JPEG, 2 КБ)'],
      ['Приложений нет.'],
    ],
    [
      'the deadline from the assignment',
      {
        assignments: [
          {
            text: 'подготовить конкурсные заявки и представить их в федеральную конкурсную комиссию',
            responsible: 'Департаменту внутренней политики',
            dueOn: '2020-08-20',
          },
        ],
      },
      [
        'Конкурсная заявка представляется в федеральную конкурсную комиссию в срок до 20 августа 2020 года.',
        'Основание: протокол заседания региональной комиссии №1 от 17 июля 2020 года, поручение «Департаменту внутренней политики: подготовить конкурсные заявки и представить их в федеральную конкурсную комиссию».',
      ],
      [],
    ],
    [
      'no deadline set',
      {},
      [
        'Срок представления решением региональной комиссии не установлен (протокол заседания региональной комиссии №1 от 17 июля 2020 года).',
      ],
      [],
    ],
  ];
  for (const [name, over, present, absent] of parts) {
    test(name, () => {
      const text = lines(federalPackageSpec({ ...BASE, ...over }));
      for (const line of present) assert.ok(text.includes(line), `«${line}» in\n${text.join('\n')}`);
      for (const line of absent) assert.ok(!text.includes(line), `no «${line}»`);
    });
  }

  test('the document’s metadata: title, author, the approval date', () => {
    const spec = federalPackageSpec(BASE);
    assert.equal(
      spec.title,
      'Конкурсная заявка Кемеровский городской округ на федеральный этап «Лучшая муниципальная практика» 2020',
    );
    assert.equal(spec.author, 'Кемеровский городской округ');
    assert.equal(spec.createdAt?.toISOString(), '2020-07-17T00:00:00.000Z');
  });
});
