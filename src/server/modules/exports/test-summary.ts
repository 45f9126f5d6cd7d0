// For tests: an analytics summary of the SummaryOut shape with hand-picked figures (the route tests use the real one).
import type { Summary, SummaryBreakdownRow } from './summary-tables.ts';

const row = (key: string, label: string, received: number, extra: Partial<SummaryBreakdownRow> = {}): SummaryBreakdownRow => ({
  key,
  label,
  received,
  answered: Math.round(received * 0.9),
  onTime: Math.round(received * 0.8),
  late: Math.round(received * 0.1),
  onTimeShare: 0.8889,
  overdue: 1,
  resolutionWorkHoursMean: 30.25,
  rated: Math.round(received * 0.3),
  satisfaction: 0.97,
  ...extra,
});

const figure = (key: string, label: string, value: number | null, unit: string, base: number) => ({
  key,
  label,
  value,
  unit,
  base,
  definition: `Определение показателя «${label}».`,
});

export const SAMPLE_SUMMARY: Summary = {
  municipality: { id: 1, name: 'Кемеровский городской округ', shortName: 'Кемерово', timeZone: 'Asia/Novokuznetsk' },
  period: { from: '2025-01-01', to: '2025-12-31', timeZone: 'Asia/Novokuznetsk' },
  compare: {
    period: { from: '2024-01-01', to: '2024-12-31', timeZone: 'Asia/Novokuznetsk' },
    figures: [
      figure('received', 'Поступило', 11_000, 'count', 11_000),
      figure('onTimeShare', 'Решено в срок', 0.9, 'share', 9000),
    ],
  },
  figures: [
    figure('received', 'Поступило', 12_345, 'count', 12_345),
    figure('answered', 'Дан ответ', 11_000, 'count', 11_000),
    figure('onTimeShare', 'Решено в срок', 0.9412, 'share', 11_500),
    figure('overdueNow', 'Просрочено сейчас', 17, 'count', 17),
    figure('reactionHoursMean', 'Время первой реакции, среднее', 24.5, 'hours', 12_000),
    figure('reactionHoursMedian', 'Время первой реакции, медиана', 20, 'hours', 12_000),
    figure('resolutionWorkHoursMean', 'Время решения, среднее', 36.125, 'working_hours', 11_000),
    figure('satisfaction', 'Удовлетворённость', 0.97, 'share', 3000),
    figure('rated', 'Оценено ответов', 3000, 'count', 3000),
    figure('incidents', 'Инциденты', 420, 'count', 420),
    figure('incidentReactionHoursMean', 'Время реакции на инциденты, среднее', 5.5, 'hours', 400),
    figure('incidentReactionHoursMedian', 'Время реакции на инциденты, медиана', null, 'hours', 0),
  ],
  byChannel: [
    row('web', 'Сайт', 6000),
    row('phone', 'Телефон', 3000),
    row('social', 'Социальные сети', 2000, { satisfaction: null }),
    row('letter', 'Письмо', 1300),
    row('meeting', 'Встреча, выезд', 45),
  ],
  byRegime: [row('appeal', 'Обращения (59-ФЗ)', 7000), row('message', 'Сообщения', 4925), row('incident', 'Инциденты', 420)],
  byCategory: Array.from({ length: 18 }, (_, i) => row(String(i + 1), `Рубрика № ${i + 1}; «кавычки»`, 1000 - i * 50)),
  byDepartment: [
    row('3', 'Управление дорожного хозяйства и благоустройства', 5000, { onTimeShare: 0.75 }),
    row('4', 'Управление ЖКХ', 4000, { onTimeShare: 0.95 }),
    row('none', 'Подразделение не назначено', 12, { onTimeShare: null, resolutionWorkHoursMean: null }),
  ],
  byDistrict: [row('7', 'Центральный район', 3000), row('none', 'Вне районов / без точки', 9345)],
  trend: Array.from({ length: 12 }, (_, i) => ({
    month: `2025-${String(i + 1).padStart(2, '0')}`,
    received: 1000 + i,
    answered: 900 + i,
    onTimeShare: i === 11 ? null : 0.9,
  })),
  overdueNow: [
    { number: 'КЕМ-2025-000017', dueAt: '2025-12-20T10:00:00.000Z', department: 'Управление ЖКХ', executor: 'Петров Пётр' },
  ],
  asOf: '2026-03-02T03:00:00.000Z',
};
