import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { cleanAt, findMunicipality, refreshPending } from '../analytics.repository.ts';
import { canViewMunicipality } from '../permissions.ts';
import type { Calendars } from '../work-time.ts';
import { refreshAnalytics } from './refresh-analytics.ts';

/** A read brings the figures up to date with at most this many changed cases; the job does the rest. */
export const READ_REFRESH_CASES = 2000;

/**
 * 401 signed out, 404 no such municipality, 403 not its head or administrator (municipalities are public). Whether
 * the rollup has work pending is asked at the same time (it discloses nothing; it saves a round trip).
 */
export async function municipalityFor(db: Db, ctx: CommandContext, municipalityId: number) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see the figures');
  const [m, pending] = await Promise.all([findMunicipality(db, municipalityId), refreshPending(db, ctx.now)]);
  if (!m) throw notFound('Municipality');
  if (!canViewMunicipality(p, m.id)) {
    throw forbidden('The figures of a municipality are for its heads and administrators and for the region');
  }
  return Object.assign(m, { pending });
}

/**
 * Applies the changes not yet in the rollup (at most READ_REFRESH_CASES; the job does the rest); returns the instant
 * the figures are up to date with. `pending` false (asked beforehand): nothing to do.
 */
export async function refreshForRead(db: Db, calendars: Calendars, now: Date, pending?: boolean): Promise<Date> {
  if (pending === false || !(await refreshPending(db, now))) return now;
  const r = await refreshAnalytics(db, calendars, { now, maxCases: READ_REFRESH_CASES });
  return r.pending ? ((await cleanAt(db)) ?? new Date(0)) : now;
}
