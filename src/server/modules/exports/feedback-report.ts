// The annual feedback report of a municipality (issue 7, item 4): the figures a contest application («Лучшая
// муниципальная практика», issue 8) cites — received by channel, reaction time, share on time, satisfaction, incidents
// and the reaction to them — each with its definition, as a document for DOCX and PDF. Pure: the figures come from
// the analytics summary, the instant of generation from the caller.
import {
  approval,
  bold,
  type CellInput,
  type DocumentSpec,
  formatDecimal,
  formatHours,
  formatInt,
  formatPercent,
  heading,
  italic,
  pageBreak,
  paragraph,
  ruDateTime,
  spacer,
  type Table,
} from '../../core/documents/index.ts';
import { periodText, type Summary, type SummaryBreakdownRow, type SummaryFigure } from './summary-tables.ts';

export const NO_DATA = 'нет данных';

/** A figure's value as written in the report, «нет данных» when there is nothing to compute it over. */
export function figureText(f: Pick<SummaryFigure, 'value' | 'unit'> | undefined): string {
  if (!f || f.value === null) return NO_DATA;
  switch (f.unit) {
    case 'count':
      return formatInt(f.value);
    case 'share':
      return formatPercent(f.value);
    case 'hours':
      return formatHours(f.value);
    case 'working_hours':
      return `${formatDecimal(f.value)} раб.\u00a0ч`;
    default:
      return formatDecimal(f.value);
  }
}

const shareText = (v: number | null) => (v === null ? '—' : formatPercent(v));
const hoursText = (v: number | null) => (v === null ? '—' : formatDecimal(v));

/** The figures a contest application cites, in the order the report lists them. */
export const KEY_FIGURES = [
  'received',
  'answered',
  'onTimeShare',
  'reactionHoursMean',
  'reactionHoursMedian',
  'resolutionWorkHoursMean',
  'satisfaction',
  'rated',
  'incidents',
  'incidentReactionHoursMean',
  'incidentReactionHoursMedian',
  'overdueNow',
] as const;

/**
 * Participation figures that later modules will provide (polls, hearings, ТОС): listed now so a contest application
 * finds its line, each «нет данных» until its module is in use.
 */
export const PARTICIPATION_PLACEHOLDERS = [
  ['Опросы и голосования жителей', 'Проведено опросов и голосований, число участников'],
  ['Публичные слушания и общественные обсуждения', 'Проведено слушаний и обсуждений, число участников и предложений'],
  ['Территориальное общественное самоуправление (ТОС)', 'Число ТОС и их участников, реализованные проекты'],
  ['Инициативное бюджетирование', 'Поддержанные проекты и число проголосовавших'],
] as const;

export interface ReportMeta {
  year: number;
  /** When the report was generated (the injected clock). */
  generatedAt: Date;
}

const table = (columns: Table['columns'], header: string[], rows: Table['rows']): Table => ({
  kind: 'table',
  columns,
  header: [header],
  rows,
});

function channelTable(s: Summary): Table {
  const total = s.byChannel.reduce((n, r) => n + r.received, 0);
  const rows: CellInput[][] = s.byChannel.map((r) => [
    r.label,
    formatInt(r.received),
    total > 0 ? formatPercent(r.received / total) : '—',
    formatInt(r.answered),
    shareText(r.onTimeShare),
    shareText(r.satisfaction),
  ]);
  rows.push([
    { text: 'Всего', bold: true },
    { text: formatInt(total), bold: true },
    total > 0 ? '100,0\u00a0%' : '—',
    '',
    '',
    '',
  ]);
  return table(
    [
      { width: 30 },
      { width: 12, align: 'right' },
      { width: 12, align: 'right' },
      { width: 12, align: 'right' },
      { width: 14, align: 'right' },
      { width: 16, align: 'right' },
    ],
    ['Канал поступления', 'Поступило', 'Доля', 'Дан ответ', 'Решено в срок', 'Удовлетворённость'],
    rows,
  );
}

function breakdownTable(first: string, rows: SummaryBreakdownRow[]): Table {
  return table(
    [
      { width: 30 },
      { width: 13, align: 'right' },
      { width: 13, align: 'right' },
      { width: 14, align: 'right' },
      { width: 20, align: 'right' },
    ],
    [first, 'Поступило', 'Дан ответ', 'Решено в срок', 'Время решения, раб.\u00a0ч (среднее)'],
    rows.map((r) => [
      r.label,
      formatInt(r.received),
      formatInt(r.answered),
      shareText(r.onTimeShare),
      hoursText(r.resolutionWorkHoursMean),
    ]),
  );
}

const MONTHS = [
  'Январь',
  'Февраль',
  'Март',
  'Апрель',
  'Май',
  'Июнь',
  'Июль',
  'Август',
  'Сентябрь',
  'Октябрь',
  'Ноябрь',
  'Декабрь',
];

/** The report as a document: a title page with the approval stamp, the key figures, the breakdowns, definitions. */
export function feedbackReport(s: Summary, meta: ReportMeta): DocumentSpec {
  const zone = s.period.timeZone;
  const byKey = new Map(s.figures.map((f) => [f.key, f]));
  const social = s.byChannel.find((r) => r.key === 'social');
  const meeting = s.byChannel.find((r) => r.key === 'meeting');
  const title = `Отчёт об обратной связи с жителями за ${meta.year} год`;
  const asOf = ruDateTime(new Date(s.asOf), zone);
  const generated = ruDateTime(meta.generatedAt, zone);
  const fullYear = s.period.from === `${meta.year}-01-01` && s.period.to === `${meta.year}-12-31`;

  const keyRows = KEY_FIGURES.map((key, i) => {
    const f = byKey.get(key);
    return [String(i + 1), f?.label ?? key, figureText(f), f?.definition ?? ''];
  });
  keyRows.push([
    String(keyRows.length + 1),
    'Поступило из социальных сетей',
    social ? formatInt(social.received) : '0',
    'Дела, поступившие в периоде по каналу «Социальные сети» (в том числе найденные мониторингом соцсетей).',
  ]);

  const topCategories = s.byCategory.slice(0, 15);

  return {
    title: `${title}: ${s.municipality.name}`,
    author: s.municipality.name,
    subject: 'Показатели работы с обращениями граждан, сообщениями и инцидентами',
    createdAt: meta.generatedAt,
    blocks: [
      // The title page.
      approval([
        'Глава муниципального образования',
        `«${s.municipality.name}»`,
        '____________ / ____________________',
        `«___» ____________ ${meta.year + 1} г.`,
      ]),
      spacer(150),
      paragraph(s.municipality.name.toUpperCase(), { align: 'center', indent: false, size: 14 }),
      spacer(24),
      heading(1, title.toUpperCase()),
      paragraph('Показатели работы с обращениями граждан, сообщениями и инцидентами', { align: 'center', indent: false }),
      spacer(12),
      paragraph(
        italic(`Период: ${periodText(s.period)}${fullYear ? '' : ' (неполный год)'}. Даты и время — местные (${zone}).`),
        {
          align: 'center',
          indent: false,
          size: 12,
        },
      ),
      spacer(200),
      paragraph(`Сформирован ${generated} в системе «Отклик». Данные на ${asOf}.`, { align: 'center', indent: false, size: 11 }),
      pageBreak(),

      heading(1, '1. Основные показатели'),
      paragraph([
        'Показатели рассчитаны по делам, ',
        bold(`поступившим ${periodText(s.period)}`),
        ': обращениям граждан (Федеральный закон от 2 мая 2006 г. № 59-ФЗ), сообщениям и инцидентам. ',
        'Исключение — «Просрочено сейчас»: это положение на дату формирования отчёта. ',
        'Время отсчитывается от поступления дела; рабочие часы — по графику работы и производственному календарю.',
      ]),
      table(
        [{ width: 5, align: 'center' }, { width: 30 }, { width: 14, align: 'right' }, { width: 51 }],
        ['№', 'Показатель', 'Значение', 'Определение'],
        keyRows,
      ),

      heading(1, '2. Поступление по каналам'),
      paragraph(`Всего поступило ${figureText(byKey.get('received'))} дел. Распределение по каналам поступления:`),
      channelTable(s),

      heading(1, '3. По видам обращений'),
      breakdownTable('Вид (порядок рассмотрения)', s.byRegime),

      heading(1, '4. По рубрикам'),
      ...(s.byCategory.length > topCategories.length
        ? [paragraph(`Приведены ${topCategories.length} рубрик с наибольшим числом дел из ${s.byCategory.length}.`)]
        : []),
      breakdownTable('Рубрика', topCategories),

      heading(1, '5. По подразделениям'),
      paragraph('Подразделения упорядочены от наименьшей доли дел, решённых в срок.'),
      breakdownTable('Подразделение', s.byDepartment),

      heading(1, '6. Динамика по месяцам'),
      table(
        [{ width: 40 }, { width: 20, align: 'right' }, { width: 20, align: 'right' }, { width: 20, align: 'right' }],
        ['Месяц', 'Поступило', 'Дан ответ', 'Решено в срок'],
        s.trend.map((t) => [
          `${MONTHS[Number(t.month.slice(5, 7)) - 1] ?? t.month} ${t.month.slice(0, 4)}`,
          formatInt(t.received),
          formatInt(t.answered),
          shareText(t.onTimeShare),
        ]),
      ),

      heading(1, '7. Участие жителей'),
      paragraph(
        'Показатели участия (опросы, слушания, ТОС, инициативное бюджетирование) появятся в отчёте, когда соответствующие ' +
          'разделы будут вестись в системе «Отклик»; до тех пор указано «нет данных».',
      ),
      table(
        [{ width: 34 }, { width: 16, align: 'right' }, { width: 50 }],
        ['Форма участия', 'Значение', 'Что учитывается'],
        [
          ...PARTICIPATION_PLACEHOLDERS.map(([name, what]) => [name, NO_DATA, what]),
          [
            'Встречи с жителями, выездные приёмы',
            meeting ? formatInt(meeting.received) : '0',
            'Дела, зарегистрированные по итогам встреч и выездов (канал «Встреча, выезд»).',
          ],
        ],
      ),

      heading(1, '8. Все показатели и их определения'),
      table(
        [{ width: 28 }, { width: 15, align: 'right' }, { width: 12, align: 'right' }, { width: 45 }],
        ['Показатель', 'Значение', 'Дел в расчёте', 'Определение'],
        s.figures.map((f) => [f.label, figureText(f), formatInt(f.base), f.definition]),
      ),
      paragraph(
        italic(
          'Отчёт сформирован автоматически по данным системы «Отклик»; каждый показатель можно проверить по перечню дел, ' +
            'стоящих за ним, в разделе «Аналитика».',
        ),
        { size: 11 },
      ),
    ],
  };
}

export const reportFileName = (s: Pick<Summary, 'municipality'>, year: number, ext: 'docx' | 'pdf') =>
  `Отчёт об обратной связи ${year} — ${s.municipality.shortName}.${ext}`;
