import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { endOfLocalDay, localDate } from '../../core/time/index.ts';
import { findMunicipalityForCases } from './cases.repository.ts';
import type { CaseQuery } from './commands/read-case.ts';
import { canReadCasesOf, caseScope } from './permissions.ts';
import { type Box, type QueueMapFilter, queueCasesWithoutPoint, queueMarkersInBox } from './queue-map.repository.ts';

// The staff map of the queue (issue 5 point 5): the queue's filters, shown as markers.

/** At most this many markers per answer (as the public map: the browser clusters them); more → `truncated`. */
export const QUEUE_MAP_LIMIT = 20_000;
/** Cases without a point are counted; this many of them are listed (the nearest deadline first). */
export const WITHOUT_POINT_LIST = 50;

/** `minLon,minLat,maxLon,maxLat` (WGS 84, the GeoJSON order the public map's `bbox` takes), or why it is not one. */
export function parseBox(raw: string): Box | string {
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length !== 4 || parts.some((x) => x === '' || !Number.isFinite(Number(x)))) {
    return 'give four numbers: minLon,minLat,maxLon,maxLat';
  }
  const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as [number, number, number, number];
  if ([minLon, maxLon].some((x) => x < -180 || x > 180)) return 'longitudes lie between -180 and 180';
  if ([minLat, maxLat].some((x) => x < -90 || x > 90)) return 'latitudes lie between -90 and 90';
  if (minLon > maxLon || minLat > maxLat) return 'the minimum comes before the maximum: minLon,minLat,maxLon,maxLat';
  return { minLon, minLat, maxLon, maxLat };
}

export interface QueueMapQuery extends Omit<CaseQuery, 'limit' | 'offset'> {
  bbox?: string | undefined;
  /** One of the caller's municipalities (a regional administrator's map of one municipality). */
  municipalityId?: number | undefined;
}

/**
 * The queue on a map: the same filters and the same scope as the queue (GET /cases) — staff see the cases of their
 * municipalities only. Unlike the queue, a resident has no map of their own cases: 403. A municipality named
 * outside the caller's scope is 403 (municipalities are public), one that does not exist 404.
 */
export async function readQueueMap(db: Db, ctx: CommandContext, query: QueueMapQuery) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see the map of cases');
  const scope = caseScope(p);
  if (scope !== 'all' && scope.length === 0) throw forbidden('The map of cases is for the staff of a municipality');
  let municipalities = scope;
  if (query.municipalityId !== undefined) {
    if (!(await findMunicipalityForCases(db, query.municipalityId))) throw notFound('Municipality');
    if (!canReadCasesOf(p, query.municipalityId)) throw forbidden('These cases belong to another municipality');
    municipalities = [query.municipalityId];
  }
  let box: Box | undefined;
  if (query.bbox !== undefined) {
    const parsed = parseBox(query.bbox);
    if (typeof parsed === 'string') throw invalid('bbox', parsed);
    box = parsed;
  }
  const filter: QueueMapFilter = {
    municipalities,
    ...(query.status && { status: query.status }),
    ...(query.regime && { regime: query.regime }),
    ...(query.channel && { channel: query.channel }),
    ...(query.category !== undefined && { categoryId: query.category }),
    ...(query.department !== undefined && { departmentId: query.department }),
    ...(query.executor !== undefined && { executorUserId: query.executor }),
    ...(query.overdue && { overdueAt: ctx.now }),
    ...(query.q && { q: query.q }),
  };
  if (query.dueToday) {
    // "Due today" in the municipality's own day, as the queue counts it (its first municipality for a wider scope).
    const first = municipalities !== 'all' ? municipalities[0] : undefined;
    const zone = (first !== undefined && (await findMunicipalityForCases(db, first))?.time_zone) || 'Europe/Moscow';
    filter.dueBetween = [ctx.now, endOfLocalDay(localDate(ctx.now, zone), zone)];
  }
  const rows = await queueMarkersInBox(db, filter, box, ctx.now, QUEUE_MAP_LIMIT + 1);
  const truncated = rows.length > QUEUE_MAP_LIMIT;
  const withoutPoint = await queueCasesWithoutPoint(db, filter, ctx.now, WITHOUT_POINT_LIST);
  return { markers: truncated ? rows.slice(0, QUEUE_MAP_LIMIT) : rows, truncated, withoutPoint };
}

export type QueueMap = Awaited<ReturnType<typeof readQueueMap>>;
