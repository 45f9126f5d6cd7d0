import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { Bbox } from './map-rules.ts';

// The map's only SQL. Every query keeps to the cases the map may show — messages and incidents with a location that
// are not a member of a cluster — in the words of the partial indexes of migration 0018, literally, so the planner
// can use them: open reports through case_map_open_idx (GiST: `point(lon, lat) <@ box` is answered from the index),
// solved ones through case_map_solved_idx (B-tree on answered_at: only the recent answers are read).
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
  /** At most this many markers; `count` tells whether there were more (it counts up to limit + 1). */
  limit: number;
}

/**
 * The markers in a box as a subquery `m` (id, number, lat, lon, category_id, state, at), no order (the browser
 * clusters them), at most limit + 1: open reports, and those solved since `solvedSince`, each part from its own
 * index (UNION ALL; migration 0018). `at`: received when open, answered when solved.
 */
function markersInBox(q: BoxQuery) {
  const filters = sql.join(
    [
      MAP_CASE,
      inBox(q.box),
      ...(q.categoryId !== undefined ? [sql<boolean>`c.category_id = ${q.categoryId}`] : []),
      ...(q.municipalityId !== undefined ? [sql<boolean>`c.municipality_id = ${q.municipalityId}`] : []),
    ],
    sql` and `,
  );
  const open = sql`select c.id, c.number, c.lat, c.lon, c.category_id, 'open' as state, c.received_at as at
    from "case" c where ${filters} and ${OPEN_SQL}`;
  const solved = sql`select c.id, c.number, c.lat, c.lon, c.category_id, 'solved' as state, c.answered_at as at
    from "case" c where ${filters} and ${SOLVED_SQL} and c.answered_at >= ${q.solvedSince}`;
  const parts = q.state === 'open' ? open : q.state === 'solved' ? solved : sql`${open} union all ${solved}`;
  return sql`(${parts} limit ${q.limit + 1})`;
}

// The markers' JSON is built by PostgreSQL (map.presenters.ts): with 20,000 markers a Date, an object and a
// serialisation per marker cost Node more than the query itself.

/**
 * Each marker as a JSON object — map.schemas.ts MapReportOut, its fields by name and in its order, `at` as ISO 8601
 * UTC with milliseconds (as Date.toISOString) — joined by commas (null when none), at most `limit` of them; `count`
 * is how many there were, up to limit + 1.
 */
export async function markerObjectsInBox(db: Db, q: BoxQuery): Promise<{ count: number; items: string | null }> {
  const json = sql<string>`'{"id":' || m.id || ',"number":' || to_json(m.number)::text || ',"lat":' || m.lat
    || ',"lon":' || m.lon || ',"categoryId":' || coalesce(m.category_id::text, 'null') || ',"status":"' || m.state
    || '","at":"' || to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}'`;
  const { rows } = await sql<{ count: number; items: string | null }>`
    select count(*)::int as count, string_agg(${json}, ',') filter (where m.n <= ${q.limit}) as items
    from (select p.*, row_number() over () as n from ${markersInBox(q)} p) m`.execute(db);
  return rows[0] ?? { count: 0, items: null };
}

/** The markers column by column: each value list is JSON array content (comma-separated, no brackets). */
export interface MarkerColumns {
  count: number;
  id: string | null;
  /** A whole JSON array of strings (brackets included). */
  number: string | null;
  lat: string | null;
  lon: string | null;
  category_id: string | null;
  /** 1 solved, 0 open. */
  solved: string | null;
  /** Milliseconds since the epoch, rounded. */
  at_ms: string | null;
}

/**
 * The same markers as one list per field, in the same order — no text built per marker: a list is one call per
 * field (array_agg, array_to_string), a third less work for PostgreSQL than a JSON array per marker. Null when none.
 */
export async function markerColumnsInBox(db: Db, q: BoxQuery): Promise<MarkerColumns> {
  const list = (value: RawBuilder<unknown>, nullAs = sql``) =>
    sql<string | null>`array_to_string((array_agg(${value}))[1:${q.limit}], ','${nullAs})`;
  const { rows } = await sql<MarkerColumns>`
    select count(*)::int as count,
      ${list(sql`m.id`)} as id,
      array_to_json((array_agg(m.number))[1:${q.limit}])::text as number,
      ${list(sql`m.lat`)} as lat,
      ${list(sql`m.lon`)} as lon,
      ${list(sql`m.category_id`, sql`, 'null'`)} as category_id,
      ${list(sql`(m.state = 'solved')::int`)} as solved,
      ${list(sql`round(date_part('epoch', m.at) * 1000)::int8`)} as at_ms
    from ${markersInBox(q)} m`.execute(db);
  const r = rows[0];
  if (!r) throw new Error('an aggregate without a row');
  return r;
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
