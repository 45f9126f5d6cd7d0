import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { executorOverdue, executorStats, findDepartment, findMunicipality, peopleOf } from '../analytics.repository.ts';
import { NONE_NAMES } from '../figures.ts';
import { drillUrl, parsePeriod } from '../period.ts';
import { canViewDepartment, worksIn } from '../permissions.ts';
import { hours, mean, share, shareValue } from '../stats.ts';
import type { Calendars } from '../work-time.ts';
import { refreshForRead } from './access.ts';

/**
 * A department head's view of their executors: per executor, the department's cases received in the period that
 * are assigned to them now (answered, on time, late, mean resolution in working hours) and their overdue cases now.
 * Everyone with an executor's or head's role in the department is listed, with or without cases; a last row (user
 * null) holds the department's cases nobody is assigned to. A department of another municipality is 404.
 */
export async function readExecutors(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  departmentId: number,
  q: { from: string; to: string },
) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see the figures');
  const d = await findDepartment(db, departmentId);
  if (!d || !worksIn(p, d.municipality_id)) throw notFound('Department');
  if (!canViewDepartment(p, d)) throw forbidden('A department’s executors are seen by its head and the administrators');
  const m = await findMunicipality(db, d.municipality_id);
  const period = parsePeriod(q.from, q.to);
  const asOf = await refreshForRead(db, calendars, ctx.now);
  const [stats, overdue] = await Promise.all([executorStats(db, d.id, period.from, period.to), executorOverdue(db, d.id)]);
  const named = [...stats.map((s) => s.executor_user_id), ...overdue.map((o) => o.executor_user_id)].filter(
    (x): x is number => x !== null,
  );
  const people = await peopleOf(db, d.id, [...new Set(named)]);
  const row = (userId: number | null, name: string) => {
    const s = stats.find((x) => x.executor_user_id === userId);
    const onTime = s?.on_time ?? 0;
    const late = s?.late ?? 0;
    return {
      userId,
      name,
      assigned: s?.assigned ?? 0,
      answered: s?.answered ?? 0,
      onTime,
      late,
      onTimeShare: shareValue(share(onTime, onTime + late)),
      overdueNow: overdue.find((x) => x.executor_user_id === userId)?.n ?? 0,
      resolutionWorkHoursMean: hours(mean(s?.resolution_work_ms ?? 0, s?.resolution_work_n ?? 0)),
      drill: drillUrl({
        municipalityId: d.municipality_id,
        figure: 'received',
        period,
        departmentId: d.id,
        executorId: userId ?? 0,
      }),
    };
  };
  return {
    department: { id: d.id, name: d.name, municipalityId: d.municipality_id },
    period: { ...period, timeZone: m?.time_zone ?? 'Europe/Moscow' },
    executors: [...people.map((u) => row(u.id, `${u.last_name} ${u.first_name}`.trim())), row(null, NONE_NAMES.executor)],
    asOf: asOf.toISOString(),
  };
}
