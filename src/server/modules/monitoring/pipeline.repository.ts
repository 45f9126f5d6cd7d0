import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringPostStatus } from '../../core/db/schema.ts';
import { mdb, type StoredMatch, type StoredPlace } from './monitoring-db.ts';

/** The pipeline's SQL (pipeline.ts): what it reads to build its indexes and the two statements that store a batch. */

export function postsToProcess(trx: Db, ids: readonly number[]) {
  return trx.selectFrom('monitoring_post').select(['id', 'text', 'published_at']).where('id', 'in', ids).orderBy('id').execute();
}

/** The active queries with their default category's municipality (the guess is used only in that municipality). */
export function activeQueriesForMatcher(trx: Db) {
  return trx
    .selectFrom('monitoring_query as q')
    .leftJoin('category as c', (j) => j.onRef('c.id', '=', 'q.default_category_id').on('c.is_active', '=', true))
    .select([
      'q.id',
      'q.municipality_id',
      'q.text',
      sql<string>`q.updated_at::text`.as('version'),
      'c.id as category_id',
      'c.municipality_id as category_municipality_id',
    ])
    .where('q.active', '=', true)
    .orderBy('q.id')
    .execute();
}

/**
 * A fingerprint of what the gazetteer is built from: the municipalities, the places module's revision (bumped in
 * every places transaction) and the imported entries.
 */
export async function gazetteerVersion(trx: Db): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    select concat_ws(':',
      (select count(*) || '/' || coalesce(max(updated_at)::text, '') from municipality),
      (select coalesce(max(revision), 0) from place_revision),
      (select count(*) || '/' || coalesce(max(id), 0) from monitoring_gazetteer_entry)
    ) as v`.execute(trx);
  return rows[0]?.v ?? '';
}

export function municipalitiesForGazetteer(trx: Db) {
  return trx
    .selectFrom('municipality')
    .select(['id', 'name', 'short_name'])
    .where('is_active', '=', true)
    .orderBy('id')
    .execute();
}

export function districtsForGazetteer(trx: Db) {
  return trx.selectFrom('place').select(['id', 'municipality_id', 'name']).where('kind', '=', 'district').orderBy('id').execute();
}

export function gazetteerEntries(trx: Db) {
  return mdb(trx)
    .selectFrom('monitoring_gazetteer_entry')
    .select(['id', 'municipality_id', 'kind', 'name', 'aliases', 'strict'])
    .orderBy('id')
    .execute();
}

export async function maxPostId(trx: Db): Promise<number> {
  const r = await trx.selectFrom('monitoring_post').select(sql<number | null>`max(id)`.as('m')).executeTakeFirstOrThrow();
  return Number(r.m ?? 0);
}

export interface GroupedPost {
  id: number;
  signature: string;
  duplicate_of: number | null;
  published_at: Date;
}

/**
 * The newest `limit` grouped posts published since `since`, in the order they were stored. Read backwards along the
 * primary key (no index on published_at is needed: the newest posts are the newest ids, give or take a late one).
 */
export async function groupedPostsSince(trx: Db, since: Date, limit: number): Promise<GroupedPost[]> {
  const rows = await trx
    .selectFrom('monitoring_post')
    .select(['id', 'signature', 'duplicate_of', 'published_at'])
    .where('signature', 'is not', null)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows
    .filter((r) => r.published_at.getTime() >= since.getTime())
    .reverse()
    .map((r) => ({ ...r, id: Number(r.id), signature: r.signature as string }));
}

/** Grouped posts stored after `afterId` (by this node's earlier batches or by other nodes), in order. */
export async function groupedPostsAfter(trx: Db, afterId: number, limit: number): Promise<GroupedPost[]> {
  const rows = await trx
    .selectFrom('monitoring_post')
    .select(['id', 'signature', 'duplicate_of', 'published_at'])
    .where('id', '>', afterId)
    .where('signature', 'is not', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), signature: r.signature as string }));
}

/** Heads among `ids` that exist (a head the index remembers may belong to a batch that was rolled back). */
export async function existingPostIds(trx: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await trx.selectFrom('monitoring_post').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

export interface ProcessedPost {
  id: number;
  status: MonitoringPostStatus;
  matched: number[];
  hits: StoredMatch[] | null;
  municipality_id: number | null;
  place_id: number | null;
  place: StoredPlace | null;
  category_id: number | null;
  duplicate_of: number | null;
  signature: string;
}

/** Stores what the pipeline made of a batch: one statement for all its posts. */
export async function storeProcessed(trx: Db, posts: readonly ProcessedPost[]): Promise<void> {
  if (posts.length === 0) return;
  await sql`
    update monitoring_post p set
      status = v.status,
      matched_query_ids = v.matched,
      match_hits = v.hits,
      municipality_id = v.municipality_id,
      place_id = v.place_id,
      place = v.place,
      category_id = v.category_id,
      duplicate_of = v.duplicate_of,
      signature = v.signature
    from jsonb_to_recordset(${JSON.stringify(posts)}::jsonb) as v(
      id bigint, status text, matched integer[], hits jsonb, municipality_id integer, place_id integer, place jsonb,
      category_id integer, duplicate_of bigint, signature text
    )
    where p.id = v.id`.execute(trx);
}

export interface HeadIncrement {
  id: number;
  /** Duplicates added to the group in this batch. */
  n: number;
  /** Queries the duplicates matched: a head nobody's query matched becomes matched, so the group shows. */
  matched: number[];
}

/** Counts new duplicates on their group heads (one statement); a still unmatched head takes their queries. */
export async function countDuplicates(trx: Db, heads: readonly HeadIncrement[]): Promise<void> {
  if (heads.length === 0) return;
  await sql`
    update monitoring_post p set
      dup_count = p.dup_count + v.n,
      status = case when p.status in ('new', 'unmatched') and cardinality(v.matched) > 0 then 'matched' else p.status end,
      matched_query_ids = case
        when p.status in ('new', 'unmatched', 'matched')
          then array(select distinct x from unnest(p.matched_query_ids || v.matched) as x order by x)
        else p.matched_query_ids end
    from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as v(id bigint, n integer, matched integer[])
    where p.id = v.id`.execute(trx);
}
