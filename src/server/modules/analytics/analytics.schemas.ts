import { Type } from 'typebox';
import { DateTime, StringEnum } from '../../core/http/schemas.ts';

// Issue 7 (analytics): the API contract of the dashboards, the drill-down, the heat map and the region view. The web
// dashboards and the exports/reports are built on these shapes; change them only by adding fields.
//
// Every period is a pair of local dates (YYYY-MM-DD, both included) in the municipality's own time zone; the figures
// of a period describe the cases RECEIVED in it (the cohort), as ССТУ reports do (domain-ru §1.7), except the "now"
// figures (overdueNow). See README.md in this folder for every definition.

export const ANALYTICS_REGIMES = ['appeal', 'message', 'incident'] as const;
export const ANALYTICS_CHANNELS = ['web', 'api', 'phone', 'reception', 'meeting', 'letter', 'social', 'open311', 'epgu'] as const;

/**
 * The figures, in the order the dashboard shows them. Counts drill down to exactly the cases they count; a share
 * drills down to its base (the denominator; `only=numerator` lists the numerator); a duration to the cases measured.
 */
export const FIGURE_KEYS = [
  'received',
  'answered',
  'onTimeShare',
  'overdueNow',
  'reactionHoursMean',
  'reactionHoursMedian',
  'reactionHoursP90',
  'reactionWorkHoursMean',
  'reactionWorkHoursMedian',
  'reactionWorkHoursP90',
  'resolutionHoursMean',
  'resolutionHoursMedian',
  'resolutionHoursP90',
  'resolutionWorkHoursMean',
  'resolutionWorkHoursMedian',
  'resolutionWorkHoursP90',
  'satisfaction',
  'rated',
  'reopenRate',
  'redirectedShare',
  'repeat',
  'converted',
  'incidents',
  'incidentReactionHoursMean',
  'incidentReactionHoursMedian',
  'incidentReactionHoursP90',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** count: cases; share: a fraction 0…1 (4 decimals); hours: calendar hours; working_hours: hours within office hours. */
export const FIGURE_UNITS = ['count', 'share', 'hours', 'working_hours'] as const;
export type FigureUnit = (typeof FIGURE_UNITS)[number];

const LocalDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD, local date, included)` });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const Figure = Type.Object({
  key: StringEnum(FIGURE_KEYS),
  /** Russian, as shown on the dashboard. */
  label: Type.String(),
  /** null when there is nothing to compute over (a share of 0 cases, the median of no durations). */
  value: NullableNumber,
  unit: StringEnum(FIGURE_UNITS),
  /** How many cases the figure is computed over: the count itself, a share's denominator, the durations measured. */
  base: Type.Integer(),
  /** Russian, one sentence: what counts. */
  definition: Type.String(),
  /** GET URL (GET /api/v1/analytics/drill…) of the cases behind the figure. */
  drill: Type.String(),
});

export const PeriodOut = Type.Object({
  from: Type.String({ description: 'YYYY-MM-DD' }),
  to: Type.String({ description: 'YYYY-MM-DD' }),
  /** The municipality's IANA zone in which the dates are read. */
  timeZone: Type.String(),
});

/** One value of a dimension (a channel, regime, category, department or district) in the period. */
export const BreakdownRow = Type.Object({
  /** The channel or regime code, or the id of the category / department / district as text; "none" = without one. */
  key: Type.String(),
  label: Type.String(),
  received: Type.Integer(),
  answered: Type.Integer(),
  onTime: Type.Integer(),
  late: Type.Integer(),
  onTimeShare: NullableNumber,
  /** Open now and past the deadline (of the cases received in the period). */
  overdue: Type.Integer(),
  resolutionWorkHoursMean: NullableNumber,
  rated: Type.Integer(),
  satisfaction: NullableNumber,
  /** The cases received in the period with this value. */
  drill: Type.String(),
});

export const TrendPoint = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  received: Type.Integer(),
  answered: Type.Integer(),
  onTimeShare: NullableNumber,
});

export const OverdueCase = Type.Object({
  caseId: Type.Integer(),
  number: Type.String(),
  dueAt: DateTime,
  departmentId: NullableInt,
  department: NullableString,
  executorUserId: NullableInt,
  executor: NullableString,
});

export const MunicipalityRef = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  shortName: Type.String(),
  timeZone: Type.String(),
});

export const SummaryQuery = Type.Object(
  {
    from: LocalDate('first day'),
    to: LocalDate('last day'),
    compareFrom: Type.Optional(LocalDate('first day of the comparison period; default: as long, just before')),
    compareTo: Type.Optional(LocalDate('last day of the comparison period')),
  },
  { additionalProperties: false },
);

export const SummaryOut = Type.Object({
  municipality: MunicipalityRef,
  period: PeriodOut,
  compare: Type.Object({ period: PeriodOut, figures: Type.Array(Figure) }),
  figures: Type.Array(Figure),
  byChannel: Type.Array(BreakdownRow),
  byRegime: Type.Array(BreakdownRow),
  byCategory: Type.Array(BreakdownRow),
  /** Ranked by on-time share, lowest first (no decided cases last). */
  byDepartment: Type.Array(BreakdownRow),
  byDistrict: Type.Array(BreakdownRow),
  /** The 12 months ending with the month of `to`, by the month of receipt. */
  trend: Type.Array(TrendPoint),
  /** Open cases past their deadline now, most overdue first (at most 100; the figure overdueNow counts all). */
  overdueNow: Type.Array(OverdueCase),
  /** The rollups include every case change committed before this instant. */
  asOf: DateTime,
});

export const RegionQuery = Type.Object(
  { from: LocalDate('first day'), to: LocalDate('last day') },
  { additionalProperties: false },
);

export const RegionOut = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** Each municipality with the key figures (counts, shares, means) for its own cases, in its own zone. */
  municipalities: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      shortName: Type.String(),
      population: NullableInt,
      figures: Type.Array(Figure),
    }),
  ),
  asOf: DateTime,
});

export const ExecutorsQuery = RegionQuery;

export const ExecutorsOut = Type.Object({
  department: Type.Object({ id: Type.Integer(), name: Type.String(), municipalityId: Type.Integer() }),
  period: PeriodOut,
  executors: Type.Array(
    Type.Object({
      /** null: the department's cases received in the period that nobody is assigned to. */
      userId: NullableInt,
      name: Type.String(),
      /** Cases received in the period, of this department, assigned to the executor now. */
      assigned: Type.Integer(),
      answered: Type.Integer(),
      onTime: Type.Integer(),
      late: Type.Integer(),
      onTimeShare: NullableNumber,
      /** Open now and past the deadline, whenever received. */
      overdueNow: Type.Integer(),
      resolutionWorkHoursMean: NullableNumber,
      drill: Type.String(),
    }),
  ),
  asOf: DateTime,
});

export const DrillQuery = Type.Object(
  {
    municipalityId: Type.Integer({ minimum: 1 }),
    figure: StringEnum(FIGURE_KEYS),
    from: LocalDate('first day'),
    to: LocalDate('last day'),
    channel: Type.Optional(StringEnum(ANALYTICS_CHANNELS)),
    regime: Type.Optional(StringEnum(ANALYTICS_REGIMES)),
    categoryId: Type.Optional(Type.Integer({ minimum: 0, description: '0 = without a category' })),
    departmentId: Type.Optional(Type.Integer({ minimum: 0, description: '0 = without a department' })),
    districtId: Type.Optional(Type.Integer({ minimum: 0, description: '0 = without a district' })),
    executorId: Type.Optional(Type.Integer({ minimum: 0, description: '0 = not assigned to anyone' })),
    only: Type.Optional(StringEnum(['numerator'] as const, { description: 'a share: list its numerator, not its base' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const DrillItem = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  status: Type.String(),
  regime: Type.String(),
  channel: Type.String(),
  categoryId: NullableInt,
  departmentId: NullableInt,
  executorUserId: NullableInt,
  receivedAt: DateTime,
  answeredAt: Type.Union([DateTime, Type.Null()]),
  /** The deadline in force while open (null once answered or closed). */
  dueAt: Type.Union([DateTime, Type.Null()]),
  /** Decided on time (false), late (true), or not decided yet / no deadline (null). */
  late: Type.Union([Type.Boolean(), Type.Null()]),
  overdue: Type.Boolean(),
  reactionHours: NullableNumber,
  resolutionHours: NullableNumber,
  rating: NullableInt,
  reopened: Type.Boolean(),
  redirected: Type.Boolean(),
});

export const DrillOut = Type.Object({
  figure: StringEnum(FIGURE_KEYS),
  label: Type.String(),
  /** How many cases match (count(drill) = the figure's value for count figures, its base otherwise). */
  total: Type.Integer(),
  items: Type.Array(DrillItem),
});

export const HeatQuery = Type.Object(
  {
    municipalityId: Type.Integer({ minimum: 1 }),
    from: LocalDate('first day'),
    to: LocalDate('last day'),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const HeatOut = Type.Object({
  /** The grid step in degrees of latitude and longitude. */
  cellDegrees: Type.Number(),
  /** [lat, lon, count] of each non-empty cell, the point being the cell's centre. */
  points: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Type.Integer()])),
  /** Cases with a point received in the period (the sum of the counts). */
  total: Type.Integer(),
});
