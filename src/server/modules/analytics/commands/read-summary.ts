import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { invalid } from '../../../core/http/errors.ts';
import {
  cohortStats,
  namesOf,
  overdueCounts,
  overdueList,
  type RollupSums,
  rollupByDimension,
  rollupByMonth,
} from '../analytics.repository.ts';
import { FIGURE_KEYS, type FigureKey } from '../analytics.schemas.ts';
import { type Dim, type Measures, zeroMeasures } from '../facts.ts';
import { CHANNEL_NAMES, FIGURES, type FigureValue, figureValues, NONE_NAMES, REGIME_NAMES } from '../figures.ts';
import { drillUrl, type Period, parsePeriod, previousPeriod, trendMonths } from '../period.ts';
import { hours, mean, share, shareValue } from '../stats.ts';
import type { Calendars } from '../work-time.ts';
import { municipalityFor, refreshForRead } from './access.ts';

/** The overdue list shows the most overdue cases first, at most this many (the figure counts them all). */
export const OVERDUE_LIST = 100;

export interface SummaryQuery {
  from: string;
  to: string;
  compareFrom?: string | undefined;
  compareTo?: string | undefined;
}

const sumsOf = (rows: RollupSums[], dim: Dim, key: string): Measures => {
  const r = rows.find((x) => x.dim === dim && x.key === key);
  return r ?? zeroMeasures();
};

/** The figures of a period, in the catalogue's order, each with its definition and drill-down. */
export function figureList(
  municipalityId: number,
  period: Period,
  values: Partial<Record<FigureKey, FigureValue>>,
  keys: readonly FigureKey[] = FIGURE_KEYS,
) {
  return keys
    .filter((k) => values[k] !== undefined)
    .map((key) => {
      const v = values[key] as FigureValue;
      const def = FIGURES[key];
      return {
        key,
        label: def.label,
        value: v.value,
        unit: def.unit,
        base: v.base,
        definition: def.definition,
        drill: drillUrl({ municipalityId, figure: key, period }),
      };
    });
}

/**
 * The head of a municipality's dashboard: the period's figures next to a comparison period, breakdowns by channel,
 * regime, category, department (ranked by on-time share, worst first) and district, the 12-month trend and the
 * overdue list. Reads bring the rollup up to date first (refreshForRead).
 */
export async function readSummary(db: Db, ctx: CommandContext, calendars: Calendars, municipalityId: number, q: SummaryQuery) {
  const m = await municipalityFor(db, ctx, municipalityId);
  const period = parsePeriod(q.from, q.to);
  if ((q.compareFrom === undefined) !== (q.compareTo === undefined)) {
    throw invalid(q.compareFrom === undefined ? 'compareFrom' : 'compareTo', 'give both compareFrom and compareTo, or neither');
  }
  const compare =
    q.compareFrom !== undefined && q.compareTo !== undefined
      ? parsePeriod(q.compareFrom, q.compareTo, ['compareFrom', 'compareTo'])
      : previousPeriod(period);
  const asOf = await refreshForRead(db, calendars, ctx.now, m.pending);
  const trend = trendMonths(period.to);
  const [rows, cmpRows, stats, cmpStats, months, overdue, overdueRows, names] = await Promise.all([
    rollupByDimension(db, m.id, period.from, period.to),
    rollupByDimension(db, m.id, compare.from, compare.to),
    cohortStats(db, m.id, period.from, period.to),
    cohortStats(db, m.id, compare.from, compare.to),
    rollupByMonth(db, m.id, trend.from, trend.to),
    overdueCounts(db, m.id),
    overdueList(db, m.id, OVERDUE_LIST),
    namesOf(db, m.id),
  ]);
  const overdueNow = overdue.get(m.id) ?? 0;
  const values = figureValues(sumsOf(rows, 'total', ''), sumsOf(rows, 'regime', 'incident'), stats, overdueNow);
  const cmpValues = figureValues(sumsOf(cmpRows, 'total', ''), sumsOf(cmpRows, 'regime', 'incident'), cmpStats, overdueNow);

  const labels: Record<Exclude<Dim, 'total'>, (key: string) => string> = {
    channel: (k) => CHANNEL_NAMES[k] ?? k,
    regime: (k) => REGIME_NAMES[k] ?? k,
    category: (k) => (k === 'none' ? NONE_NAMES.category : (names.category.get(k) ?? `Рубрика ${k}`)),
    department: (k) => (k === 'none' ? NONE_NAMES.department : (names.department.get(k) ?? `Подразделение ${k}`)),
    district: (k) => (k === 'none' ? NONE_NAMES.district : (names.district.get(k) ?? `Район ${k}`)),
  };
  const filterOf = (dim: Exclude<Dim, 'total'>, key: string) => {
    const id = key === 'none' ? 0 : Number(key);
    switch (dim) {
      case 'channel':
        return { channel: key };
      case 'regime':
        return { regime: key };
      case 'category':
        return { categoryId: id };
      case 'department':
        return { departmentId: id };
      case 'district':
        return { districtId: id };
    }
  };
  const breakdown = (dim: Exclude<Dim, 'total'>) =>
    rows
      .filter((r) => r.dim === dim)
      .map((r) => ({
        key: r.key,
        label: labels[dim](r.key),
        received: r.received,
        answered: r.answered,
        onTime: r.on_time,
        late: r.late,
        onTimeShare: shareValue(share(r.on_time, r.on_time + r.late)),
        overdue: r.overdue,
        resolutionWorkHoursMean: hours(mean(r.resolution_work_ms, r.resolution_work_n)),
        rated: r.rated,
        satisfaction: shareValue(share(r.rated_positive, r.rated)),
        drill: drillUrl({ municipalityId: m.id, figure: 'received', period, ...filterOf(dim, r.key) }),
      }))
      .sort((a, b) => b.received - a.received || a.label.localeCompare(b.label, 'ru'));
  const byDepartment = breakdown('department').sort(
    (a, b) =>
      (a.onTimeShare ?? Number.POSITIVE_INFINITY) - (b.onTimeShare ?? Number.POSITIVE_INFINITY) ||
      b.received - a.received ||
      a.label.localeCompare(b.label, 'ru'),
  );
  const byMonth = new Map(months.map((r) => [r.month, r]));

  return {
    municipality: { id: m.id, name: m.name, shortName: m.short_name, timeZone: m.time_zone },
    period: { ...period, timeZone: m.time_zone },
    compare: { period: { ...compare, timeZone: m.time_zone }, figures: figureList(m.id, compare, cmpValues) },
    figures: figureList(m.id, period, values),
    byChannel: breakdown('channel'),
    byRegime: breakdown('regime'),
    byCategory: breakdown('category'),
    byDepartment,
    byDistrict: breakdown('district'),
    trend: trend.months.map((month) => {
      const r = byMonth.get(month);
      return {
        month,
        received: r?.received ?? 0,
        answered: r?.answered ?? 0,
        onTimeShare: r ? shareValue(share(r.on_time, r.on_time + r.late)) : null,
      };
    }),
    overdueNow: overdueRows.map((r) => ({
      caseId: r.case_id,
      number: r.number,
      dueAt: (r.due_at as Date).toISOString(),
      departmentId: r.department_id,
      department: r.department_name,
      executorUserId: r.executor_user_id,
      executor: r.last_name ? `${r.last_name} ${r.first_name ?? ''}`.trim() : null,
    })),
    asOf: asOf.toISOString(),
  };
}
