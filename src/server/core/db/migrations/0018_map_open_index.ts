import { type Kysely, sql } from 'kysely';

// Issue 5 (the public map at scale). 0015's one GiST index held every report the map could ever show: all open
// ones and every answered or rated one ever — a predicate cannot hold now(), so the ones answered more than 30 days
// ago stayed in it. With 1,000,000 reports a city box read ~440,000 index entries to keep ~15,600 (bench map:
// bbox p95 708 ms). The map's query (map.repository.ts `reportsInBox`) is now two parts joined by UNION ALL, one
// index each, both covering (INCLUDE: an index-only scan, no heap fetch per marker):
//  - open reports: a GiST index on the point, holding only the open ones (they leave it when answered);
//  - solved reports: a B-tree on answered_at, so «answered in the last 30 days» is a range read of the recent
//    answers only (the box is checked on the index entry); reports answered long ago are never read.
// The predicates are the repository's MAP_CASE with the state, literally, so the planner can use them. Plain
// PostgreSQL (no btree_gist: PGlite has none, and it measured slower). Figures: `npm run bench -- map`.
//
// Open311 `GET requests.json?status=open` (open311.repository.ts `queryRequests`): the newest open requests of a
// municipality. Without an index in that order PostgreSQL read every open case of the 90-day window (9,101 in the
// bench's Кемерово) to sort them for the first 1000; this one is read backwards and stops after the page (54 → 12 ms).
const MAP_CASE = sql`lat is not null and lon is not null and regime in ('message', 'incident') and cluster_primary_id is null`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_map_open_idx on "case" using gist (point(lon, lat))
      include (id, lat, lon, category_id, municipality_id, received_at, number)
      where ${MAP_CASE} and status in ('registered', 'assigned', 'in_work', 'answer_drafted');
  `.execute(db);
  await sql`
    create index case_map_solved_idx on "case" (answered_at)
      include (id, lat, lon, category_id, municipality_id, number)
      where ${MAP_CASE} and status in ('answered', 'rated');
  `.execute(db);
  await sql`drop index case_map_point_idx;`.execute(db);
  await sql`
    create index case_open311_open_idx on "case" (municipality_id, received_at)
      where regime in ('message', 'incident') and status in ('registered', 'assigned', 'in_work', 'answer_drafted');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index case_open311_open_idx;`.execute(db);
  await sql`
    create index case_map_point_idx on "case" using gist (point(lon, lat))
      include (id, lat, lon, status, answered_at, category_id, municipality_id, received_at, number)
      where ${MAP_CASE} and status in ('registered', 'assigned', 'in_work', 'answer_drafted', 'answered', 'rated');
  `.execute(db);
  await sql`drop index case_map_solved_idx;`.execute(db);
  await sql`drop index case_map_open_idx;`.execute(db);
}
