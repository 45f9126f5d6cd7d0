/**
 * The figures: their Russian labels and one-sentence definitions (shown next to each figure), units, and how each is
 * computed from the rollup's sums and the cohort's percentiles. README.md says the same at length.
 */
import type { FigureKey, FigureUnit } from './analytics.schemas.ts';
import { type Measures, POSITIVE_RATING } from './facts.ts';
import { hours, mean, share, shareValue } from './stats.ts';

export interface FigureDef {
  label: string;
  unit: FigureUnit;
  definition: string;
}

const CAL = 'в календарных часах';
const WORK = 'в рабочих часах (производственный календарь региона и график работы муниципалитета)';
const REACTION =
  'от поступления до первого действия сотрудника (направление исполнителю, взятие в работу, проект или ответ, переадресация, закрытие по ст. 11 59-ФЗ)';
const RESOLUTION = 'от поступления до действующего ответа';
const OF_RECEIVED = 'по делам, поступившим в периоде';

const durations = (
  prefix: 'reaction' | 'resolution' | 'incidentReaction',
  title: string,
  what: string,
  unitText: string,
  unit: FigureUnit,
) =>
  ({
    [`${prefix}${unit === 'working_hours' ? 'Work' : ''}HoursMean`]: {
      label: `${title}, среднее`,
      unit,
      definition: `Среднее время ${what}, ${unitText}, ${OF_RECEIVED}.`,
    },
    [`${prefix}${unit === 'working_hours' ? 'Work' : ''}HoursMedian`]: {
      label: `${title}, медиана`,
      unit,
      definition: `Медиана времени ${what} (половина дел — быстрее), ${unitText}, ${OF_RECEIVED}.`,
    },
    [`${prefix}${unit === 'working_hours' ? 'Work' : ''}HoursP90`]: {
      label: `${title}, 90-й процентиль`,
      unit,
      definition: `Время ${what}, в которое укладываются 90 % дел, ${unitText}, ${OF_RECEIVED}.`,
    },
  }) as Record<string, FigureDef>;

export const FIGURES: Record<FigureKey, FigureDef> = {
  received: {
    label: 'Поступило',
    unit: 'count',
    definition:
      'Обращения, сообщения и инциденты, поступившие в периоде (по дате поступления в часовом поясе муниципалитета), включая присоединённые к кластерам дубликатов.',
  },
  answered: {
    label: 'Дан ответ',
    unit: 'count',
    definition:
      'Дела, поступившие в периоде, по которым сейчас действует ответ (статусы «дан ответ» и «ответ оценён»); возобновлённые и снова находящиеся в работе не учитываются.',
  },
  onTimeShare: {
    label: 'Решено в срок',
    unit: 'share',
    definition:
      'Доля дел, решённых в срок, среди поступивших в периоде дел, чей срок уже решился: ответ, переадресация или закрытие без ответа по существу — в срок или с нарушением, открытое дело с истёкшим сроком — с нарушением; для инцидента — первая реакция.',
  },
  overdueNow: {
    label: 'Просрочено сейчас',
    unit: 'count',
    definition: 'Открытые сейчас дела (любой даты поступления), срок по которым уже истёк.',
  },
  ...(durations('reaction', 'Первая реакция', REACTION, CAL, 'hours') as Record<'reactionHoursMean', FigureDef>),
  ...(durations('reaction', 'Первая реакция (рабочие часы)', REACTION, WORK, 'working_hours') as Record<
    'reactionWorkHoursMean',
    FigureDef
  >),
  ...(durations('resolution', 'Срок до ответа', RESOLUTION, CAL, 'hours') as Record<'resolutionHoursMean', FigureDef>),
  ...(durations('resolution', 'Срок до ответа (рабочие часы)', RESOLUTION, WORK, 'working_hours') as Record<
    'resolutionWorkHoursMean',
    FigureDef
  >),
  satisfaction: {
    label: 'Удовлетворённость',
    unit: 'share',
    definition: `Доля ответов, оценённых заявителем на ${POSITIVE_RATING} или 5 из 5, среди оценённых ответов ${OF_RECEIVED} (учитывается последняя оценка).`,
  },
  rated: {
    label: 'Оценено ответов',
    unit: 'count',
    definition: 'Дела, поступившие в периоде, ответ по которым заявитель оценил.',
  },
  reopenRate: {
    label: 'Возобновлено',
    unit: 'share',
    definition: 'Доля дел, возобновлённых по просьбе заявителя, среди поступивших в периоде дел, по которым давался ответ.',
  },
  redirectedShare: {
    label: 'Переадресовано',
    unit: 'share',
    definition: 'Доля поступивших в периоде дел, направленных по компетенции в другой орган (59-ФЗ ст. 8 ч. 3).',
  },
  repeat: {
    label: 'Повторные обращения',
    unit: 'count',
    definition:
      'Дела, поступившие в периоде от заявителя (по учётной записи, иначе по e-mail), у которого в этом же периоде раньше уже было дело той же рубрики.',
  },
  converted: {
    label: 'Изменён порядок рассмотрения',
    unit: 'count',
    definition: 'Дела, поступившие в периоде, переведённые в другой режим (обращение по 59-ФЗ, сообщение, инцидент).',
  },
  incidents: {
    label: 'Инциденты',
    unit: 'count',
    definition: 'Инциденты (в том числе найденные мониторингом соцсетей), поступившие в периоде.',
  },
  ...(durations(
    'incidentReaction',
    'Реакция на инцидент',
    'от поступления инцидента до первого действия сотрудника',
    CAL,
    'hours',
  ) as Record<'incidentReactionHoursMean', FigureDef>),
} as Record<FigureKey, FigureDef>;

export interface FigureValue {
  value: number | null;
  base: number;
}

/** Medians and 90th percentiles in ms from the cohort (null: not computed, e.g. the region's side-by-side view). */
export interface Percentiles {
  reaction: [number | null, number | null];
  reactionWork: [number | null, number | null];
  resolution: [number | null, number | null];
  resolutionWork: [number | null, number | null];
  incidentReaction: [number | null, number | null];
  repeat: number;
}

/**
 * Every figure's value from the period's sums (`total`), the incidents' sums (`incidents`: the regime row), the
 * cohort's percentiles and the overdue count now.
 */
export function figureValues(
  total: Measures,
  incidents: Measures,
  p: Percentiles | null,
  overdueNow: number,
): Partial<Record<FigureKey, FigureValue>> {
  const t = total;
  const dur = (sum: number, n: number): FigureValue => ({ value: hours(mean(sum, n)), base: n });
  const pct = (v: number | null | undefined, n: number): FigureValue | undefined =>
    p ? { value: hours(v ?? null), base: n } : undefined;
  const out: Partial<Record<FigureKey, FigureValue | undefined>> = {
    received: { value: t.received, base: t.received },
    answered: { value: t.answered, base: t.answered },
    onTimeShare: { value: shareValue(share(t.on_time, t.on_time + t.late)), base: t.on_time + t.late },
    overdueNow: { value: overdueNow, base: overdueNow },
    reactionHoursMean: dur(t.reaction_ms, t.reaction_n),
    reactionHoursMedian: pct(p?.reaction[0], t.reaction_n),
    reactionHoursP90: pct(p?.reaction[1], t.reaction_n),
    reactionWorkHoursMean: dur(t.reaction_work_ms, t.reaction_work_n),
    reactionWorkHoursMedian: pct(p?.reactionWork[0], t.reaction_work_n),
    reactionWorkHoursP90: pct(p?.reactionWork[1], t.reaction_work_n),
    resolutionHoursMean: dur(t.resolution_ms, t.resolution_n),
    resolutionHoursMedian: pct(p?.resolution[0], t.resolution_n),
    resolutionHoursP90: pct(p?.resolution[1], t.resolution_n),
    resolutionWorkHoursMean: dur(t.resolution_work_ms, t.resolution_work_n),
    resolutionWorkHoursMedian: pct(p?.resolutionWork[0], t.resolution_work_n),
    resolutionWorkHoursP90: pct(p?.resolutionWork[1], t.resolution_work_n),
    satisfaction: { value: shareValue(share(t.rated_positive, t.rated)), base: t.rated },
    rated: { value: t.rated, base: t.rated },
    reopenRate: { value: shareValue(share(t.reopened, t.ever_answered)), base: t.ever_answered },
    redirectedShare: { value: shareValue(share(t.redirected, t.received)), base: t.received },
    repeat: p ? { value: p.repeat, base: p.repeat } : undefined,
    converted: { value: t.converted, base: t.converted },
    incidents: { value: incidents.received, base: incidents.received },
    incidentReactionHoursMean: dur(incidents.reaction_ms, incidents.reaction_n),
    incidentReactionHoursMedian: pct(p?.incidentReaction[0], incidents.reaction_n),
    incidentReactionHoursP90: pct(p?.incidentReaction[1], incidents.reaction_n),
  };
  for (const k of Object.keys(out) as FigureKey[]) if (out[k] === undefined) delete out[k];
  return out as Partial<Record<FigureKey, FigureValue>>;
}

/** The key figures of the region's side-by-side view (no percentiles: sums only). */
export const REGION_FIGURES: readonly FigureKey[] = [
  'received',
  'answered',
  'onTimeShare',
  'overdueNow',
  'reactionWorkHoursMean',
  'resolutionWorkHoursMean',
  'satisfaction',
  'rated',
  'reopenRate',
  'redirectedShare',
];

export const CHANNEL_NAMES: Record<string, string> = {
  web: 'Сайт',
  api: 'Мобильное приложение / API',
  phone: 'Телефон',
  reception: 'Личный приём',
  meeting: 'Встреча, выезд',
  letter: 'Письмо',
  social: 'Социальные сети',
  open311: 'Open311',
  epgu: 'Госуслуги (ЕПГУ)',
};

export const REGIME_NAMES: Record<string, string> = {
  appeal: 'Обращения (59-ФЗ)',
  message: 'Сообщения',
  incident: 'Инциденты',
};

export const NONE_NAMES = {
  category: 'Без рубрики',
  department: 'Подразделение не назначено',
  district: 'Вне районов / без точки',
  executor: 'Исполнитель не назначен',
} as const;
