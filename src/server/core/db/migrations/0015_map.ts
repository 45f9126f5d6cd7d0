import { type Kysely, sql } from 'kysely';

// Issue 5 (the public map of reports): the bounding-box query (`map.repository.ts`, `point(lon, lat) <@ box(…)`)
// and the nearby-duplicates query read this GiST index on the report's point. Partial: only cases the map can
// show at all — messages and incidents with a location, not a member of a cluster, open or answered (how recent
// an answer is, is decided by the query: a predicate cannot hold now()). Appeals under 59-ФЗ never appear.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_map_point_idx on "case" using gist (point(lon, lat))
      where lat is not null and lon is not null and regime in ('message', 'incident') and cluster_primary_id is null
        and status in ('registered', 'assigned', 'in_work', 'answer_drafted', 'answered', 'rated');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index case_map_point_idx;`.execute(db);
}
