import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringQueryTable } from '../../core/db/schema.ts';
import { mdb } from './monitoring-db.ts';

/** Monitoring queries' SQL: the editor's CRUD, the matcher's view of the active ones, the posts a draft is tested on. */

export type QueryRow = Selectable<MonitoringQueryTable>;
export type QueryWithCategory = QueryRow & { category_name: string | null };

const withCategory = (db: Db) =>
  db
    .selectFrom('monitoring_query as q')
    .leftJoin('category as c', 'c.id', 'q.default_category_id')
    .selectAll('q')
    .select('c.name as category_name');

export function findQuery(db: Db, id: number, options: { forUpdate?: boolean } = {}) {
  if (options.forUpdate) {
    return db.selectFrom('monitoring_query').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }
  return db.selectFrom('monitoring_query').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findQueryWithCategory(db: Db, id: number): Promise<QueryWithCategory | undefined> {
  return withCategory(db).where('q.id', '=', id).executeTakeFirst();
}

export interface QueryFilter {
  /** 'all', or these municipalities plus the regional queries. */
  scope: 'all' | number[];
  municipalityId?: number | 'regional';
  active?: boolean;
}

export function listQueries(db: Db, f: QueryFilter): Promise<QueryWithCategory[]> {
  let q = withCategory(db);
  if (f.scope !== 'all') {
    const scope = f.scope;
    q = q.where((eb) =>
      scope.length > 0
        ? eb.or([eb('q.municipality_id', 'is', null), eb('q.municipality_id', 'in', scope)])
        : eb('q.municipality_id', 'is', null),
    );
  }
  if (f.municipalityId === 'regional') q = q.where('q.municipality_id', 'is', null);
  else if (f.municipalityId !== undefined) q = q.where('q.municipality_id', '=', f.municipalityId);
  if (f.active !== undefined) q = q.where('q.active', '=', f.active);
  return q.orderBy('q.municipality_id', 'asc').orderBy('q.name').orderBy('q.id').execute();
}

export interface NewQuery {
  municipalityId: number | null;
  name: string;
  text: string;
  defaultCategoryId: number | null;
  active: boolean;
  createdBy: number | null;
  now: Date;
}

export function insertQuery(trx: Db, q: NewQuery) {
  return trx
    .insertInto('monitoring_query')
    .values({
      municipality_id: q.municipalityId,
      name: q.name,
      text: q.text,
      default_category_id: q.defaultCategoryId,
      active: q.active,
      created_by: q.createdBy,
      created_at: q.now,
      updated_at: q.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface QueryPatch {
  name?: string;
  text?: string;
  defaultCategoryId?: number | null;
  active?: boolean;
  now: Date;
}

export function updateQuery(trx: Db, id: number, p: QueryPatch) {
  return trx
    .updateTable('monitoring_query')
    .set({
      ...(p.name !== undefined && { name: p.name }),
      ...(p.text !== undefined && { text: p.text }),
      ...(p.defaultCategoryId !== undefined && { default_category_id: p.defaultCategoryId }),
      ...(p.active !== undefined && { active: p.active }),
      updated_at: p.now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findCategoryBrief(db: Db, id: number) {
  return db
    .selectFrom('category')
    .select(['id', 'municipality_id', 'name', 'is_active', 'regime'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A cheap fingerprint of the queries (count, newest id, latest change): the matcher is rebuilt when it changes.
 * Every change of a query sets its updated_at (there is no delete), so an edit, a deactivation or a new query moves it.
 */
export async function queriesVersion(db: Db): Promise<string> {
  const r = await db
    .selectFrom('monitoring_query')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<number | null>`max(id)`.as('max_id'),
      sql<string | null>`max(updated_at)::text`.as('max_updated'),
    ])
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.max_id ?? 0}:${r.max_updated ?? ''}`;
}

export function activeQueries(db: Db) {
  return db
    .selectFrom('monitoring_query')
    .select(['id', 'municipality_id', 'name', 'text', 'default_category_id'])
    .where('active', '=', true)
    .orderBy('id')
    .execute();
}

/** The newest stored posts a draft query is tested on: in scope (its municipalities and the regional queue). */
export function latestPosts(db: Db, f: { scope: 'all' | number[]; municipalityId?: number; limit: number }) {
  let q = mdb(db)
    .selectFrom('monitoring_post as p')
    .innerJoin('monitoring_source as s', 's.id', 'p.source_id')
    .select([
      'p.id',
      'p.text',
      'p.url',
      'p.author_handle',
      'p.published_at',
      's.id as source_id',
      's.kind as source_kind',
      's.name as source_name',
    ]);
  if (f.municipalityId !== undefined) q = q.where('p.municipality_id', '=', f.municipalityId);
  else if (f.scope !== 'all') {
    const scope = f.scope;
    q = q.where((eb) =>
      scope.length > 0
        ? eb.or([eb('p.municipality_id', 'is', null), eb('p.municipality_id', 'in', scope)])
        : eb('p.municipality_id', 'is', null),
    );
  }
  return q.orderBy('p.id', 'desc').limit(f.limit).execute();
}
