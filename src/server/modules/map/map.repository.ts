import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { Bbox } from './map-rules.ts';

// The map's only SQL. Every query keeps to the cases the map may show — messages and incidents with a location that
// are not a member of a cluster — in the words of the partial index case_map_point_idx (migration 0015), literally,
// so the planner can use it: `point(lon, lat) <@ box` is answered from the GiST index.
const MAP_CASE = sql<boolean>`c.lat is not null and c.lon is not null and c.regime in ('message', 'incident')
  and c.cluster_primary_id is null`;
const OPEN_SQL = sql<boolean>`c.status in ('registered', 'assigned', 'in_work', 'answer_drafted')`;
const SOLVED_SQL = sql<boolean>`c.status in ('answered', 'rated')`;
const inBox = (b: Bbox) =>
  sql<boolean>`point(c.lon, c.lat) <@ box(point(${b.minLon}, ${b.minLat}), point(${b.maxLon}, ${b.maxLat}))`;

export interface BoxQuery {
  box: Bbox;
  /** Solved reports answered since then are shown with the open ones. */
  solvedSince: Date;
  state?: 'open' | 'solved' | undefined;
  categoryId?: number | undefined;
  municipalityId?: number | undefined;
  limit: number;
}

/** The markers in a box: open reports and those solved since `solvedSince` (no order: the browser clusters them). */
export function reportsInBox(db: Db, q: BoxQuery) {
  const open = OPEN_SQL;
  const solved = sql<boolean>`(${SOLVED_SQL} and c.answered_at >= ${q.solvedSince})`;
  const state = q.state === 'open' ? open : q.state === 'solved' ? solved : sql<boolean>`(${open} or ${solved})`;
  let query = db
    .selectFrom('case as c')
    .select(['c.id', 'c.number', 'c.lat', 'c.lon', 'c.category_id', 'c.status', 'c.received_at', 'c.answered_at'])
    .where(MAP_CASE)
    .where(sql<boolean>`(c.status in ('registered', 'assigned', 'in_work', 'answer_drafted', 'answered', 'rated'))`)
    .where(inBox(q.box))
    .where(state);
  if (q.categoryId !== undefined) query = query.where('c.category_id', '=', q.categoryId);
  if (q.municipalityId !== undefined) query = query.where('c.municipality_id', '=', q.municipalityId);
  return query.limit(q.limit).execute();
}

/** Open reports of a category in a box (the caller measures the distance). */
export function openReportsInBox(db: Db, box: Bbox, categoryId: number) {
  return db
    .selectFrom('case as c')
    .select(['c.id', 'c.number', 'c.lat', 'c.lon', 'c.category_id', 'c.status', 'c.received_at', 'c.address'])
    .where(MAP_CASE)
    .where(OPEN_SQL)
    .where(inBox(box))
    .where('c.category_id', '=', categoryId)
    .limit(500)
    .execute();
}

/** One report with what its public page shows (no applicant, no text, no answer text). */
export function findReport(db: Db, id: number) {
  return db
    .selectFrom('case as c')
    .leftJoin('category as cat', 'cat.id', 'c.category_id')
    .innerJoin('municipality as m', 'm.id', 'c.municipality_id')
    .select([
      'c.id',
      'c.number',
      'c.regime',
      'c.municipality_id',
      'm.name as municipality_name',
      'c.category_id',
      'cat.name as category_name',
      'c.status',
      'c.address',
      'c.lat',
      'c.lon',
      'c.received_at',
      'c.answered_at',
      'c.applicant_user_id',
    ])
    .where('c.id', '=', id)
    .where(MAP_CASE)
    .executeTakeFirst();
}

/** The report's timeline: types and dates (and the data, read by the caller for the after-photo only). */
export function reportEvents(db: Db, caseId: number) {
  return db.selectFrom('case_event').select(['type', 'at', 'data']).where('case_id', '=', caseId).orderBy('id').execute();
}

/** How many residents joined the report (members of its cluster). */
export async function joinedCount(db: Db, caseId: number): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cluster_primary_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
