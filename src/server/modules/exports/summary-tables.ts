// The analytics summary (modules/analytics, GET /analytics/municipalities/{id}/summary) as tables of data: one per
// part of the dashboard, for CSV and XLSX exports and the annual report. Pure: no SQL, no clock.
import type { ColumnKind, DataColumn, DataTable } from '../../core/documents/index.ts';

/** The parts of the analytics summary the exports use (its contract: analytics/analytics.schemas.ts SummaryOut). */
export interface SummaryFigure {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  base: number;
  definition: string;
}
export interface SummaryBreakdownRow {
  key: string;
  label: string;
  received: number;
  answered: number;
  onTime: number;
  late: number;
  onTimeShare: number | null;
  overdue: number;
  resolutionWorkHoursMean: number | null;
  rated: number;
  satisfaction: number | null;
}
export interface SummaryPeriod {
  from: string;
  to: string;
  timeZone: string;
}
export interface Summary {
  municipality: { id: number; name: string; shortName: string; timeZone: string };
  period: SummaryPeriod;
  compare: { period: SummaryPeriod; figures: SummaryFigure[] };
  figures: SummaryFigure[];
  byChannel: SummaryBreakdownRow[];
  byRegime: SummaryBreakdownRow[];
  byCategory: SummaryBreakdownRow[];
  byDepartment: SummaryBreakdownRow[];
  byDistrict: SummaryBreakdownRow[];
  trend: Array<{ month: string; received: number; answered: number; onTimeShare: number | null }>;
  overdueNow: Array<{ number: string; dueAt: string; department: string | null; executor: string | null }>;
  asOf: string;
}

/** A figure's unit → how its value is written: a count, a share (0…1) as a percentage, hours. */
export const UNIT_KIND: Record<string, ColumnKind> = {
  count: 'integer',
  share: 'percent',
  hours: 'hours',
  working_hours: 'hours',
};
export const UNIT_NAMES: Record<string, string> = {
  count: 'дел',
  share: '%',
  hours: 'ч (календарные)',
  working_hours: 'ч (рабочие)',
};

const ruDate = (iso: string) => iso.split('-').reverse().join('.');
export const periodText = (p: { from: string; to: string }) => `с ${ruDate(p.from)} по ${ruDate(p.to)}`;

const BREAKDOWN_COLUMNS: DataColumn[] = [
  { key: 'received', title: 'Поступило', kind: 'integer' },
  { key: 'answered', title: 'Дан ответ', kind: 'integer' },
  { key: 'onTime', title: 'В срок', kind: 'integer' },
  { key: 'late', title: 'С нарушением срока', kind: 'integer' },
  { key: 'onTimeShare', title: 'Доля решённых в срок', kind: 'percent' },
  { key: 'overdue', title: 'Просрочено сейчас', kind: 'integer' },
  { key: 'resolutionWorkHoursMean', title: 'Среднее время решения, раб. ч', kind: 'decimal' },
  { key: 'rated', title: 'Оценено ответов', kind: 'integer' },
  { key: 'satisfaction', title: 'Удовлетворённость', kind: 'percent' },
];

const BREAKDOWN_NOTE =
  'Дела, поступившие в периоде. «В срок» и «с нарушением срока» — решённые дела; открытое дело с истёкшим сроком ' +
  'считается нарушением срока. Удовлетворённость — доля положительных оценок среди оценённых ответов.';

function breakdown(name: string, title: string, first: string, rows: SummaryBreakdownRow[], s: Summary): DataTable {
  return {
    name,
    title: `${title}, ${periodText(s.period)}`,
    columns: [{ key: 'label', title: first }, ...BREAKDOWN_COLUMNS],
    rows: rows.map((r) => ({ ...r })),
    note: BREAKDOWN_NOTE,
    timeZone: s.period.timeZone,
  };
}

/**
 * The summary as tables: the figures with their definitions and the comparison period, the breakdowns by channel,
 * regime, category, department and district, the 12-month trend, the overdue list.
 */
export function summaryTables(s: Summary): DataTable[] {
  const compared = new Map(s.compare.figures.map((f) => [f.key, f]));
  const figures: DataTable = {
    name: 'Показатели',
    title: `${s.municipality.name}: показатели обратной связи ${periodText(s.period)}`,
    columns: [
      { key: 'label', title: 'Показатель', width: 34 },
      { key: 'value', title: 'Значение', kind: 'decimal', kindFrom: 'kind', width: 12 },
      { key: 'unit', title: 'Единица', width: 14 },
      { key: 'base', title: 'Число дел в расчёте', kind: 'integer', width: 12 },
      { key: 'compare', title: `Для сравнения: ${periodText(s.compare.period)}`, kind: 'decimal', kindFrom: 'kind' },
      { key: 'definition', title: 'Определение', width: 80 },
    ],
    rows: s.figures.map((f) => ({
      key: f.key,
      label: f.label,
      value: f.value,
      kind: UNIT_KIND[f.unit] ?? 'decimal',
      unit: UNIT_NAMES[f.unit] ?? f.unit,
      base: f.base,
      compare: compared.get(f.key)?.value ?? null,
      definition: f.definition,
    })),
    note: `Данные на ${s.asOf}; даты — по местному времени (${s.period.timeZone}). Источник: «Отклик».`,
    timeZone: s.period.timeZone,
  };
  return [
    figures,
    breakdown('По каналам', 'Поступление по каналам', 'Канал', s.byChannel, s),
    breakdown('По видам', 'По видам (порядок рассмотрения)', 'Вид', s.byRegime, s),
    breakdown('По рубрикам', 'По рубрикам', 'Рубрика', s.byCategory, s),
    breakdown('По подразделениям', 'По подразделениям (от худшей доли решённых в срок)', 'Подразделение', s.byDepartment, s),
    breakdown('По районам', 'По районам', 'Район', s.byDistrict, s),
    {
      name: 'Динамика',
      title: 'Динамика за 12 месяцев (по месяцу поступления)',
      columns: [
        { key: 'month', title: 'Месяц', kind: 'month' },
        { key: 'received', title: 'Поступило', kind: 'integer' },
        { key: 'answered', title: 'Дан ответ', kind: 'integer' },
        { key: 'onTimeShare', title: 'Доля решённых в срок', kind: 'percent' },
      ],
      rows: s.trend.map((t) => ({ ...t })),
      timeZone: s.period.timeZone,
    },
    {
      name: 'Просрочено сейчас',
      title: 'Открытые дела с истёкшим сроком (не более 100, самые просроченные)',
      columns: [
        { key: 'number', title: 'Номер', width: 18 },
        { key: 'dueAt', title: 'Срок', kind: 'datetime' },
        { key: 'department', title: 'Подразделение' },
        { key: 'executor', title: 'Исполнитель', width: 24 },
      ],
      rows: s.overdueNow.map((o) => ({ ...o, dueAt: new Date(o.dueAt) })),
      timeZone: s.period.timeZone,
    },
  ];
}
