import { type Kysely, sql } from 'kysely';

// Issue 5 (the public map of reports): the bounding-box query (`map.repository.ts`, `point(lon, lat) <@ box(…)`)
// and the nearby-duplicates query read this GiST index on the report's point. Partial: only cases the map can
// show at all — messages and incidents with a location, not a member of a cluster, open or answered (how recent
// an answer is, is decided by the query: a predicate cannot hold now()). Appeals under 59-ФЗ never appear.
// Covering (INCLUDE): the marker's columns come from the index itself (an index-only scan, no heap fetch per
// marker). Replaced by 0018: holding every answer ever, this index made a box read all the reports solved long
// ago in it too — `npm run bench -- map` (1,000,000 reports, a city box of ~15,600 markers) read ~440,000 entries
// to keep them, 180–240 ms in PostgreSQL and a bbox p95 of 0.7–1.2 s. (The figure first given here, 5.5 ms for a
// city box of ~1,500 markers, does not hold at that scale.)
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_map_point_idx on "case" using gist (point(lon, lat))
      include (id, lat, lon, status, answered_at, category_id, municipality_id, received_at, number)
      where lat is not null and lon is not null and regime in ('message', 'incident') and cluster_primary_id is null
        and status in ('registered', 'assigned', 'in_work', 'answer_drafted', 'answered', 'rated');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index case_map_point_idx;`.execute(db);
}
