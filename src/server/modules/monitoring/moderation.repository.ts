import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringPostStatus } from '../../core/db/schema.ts';
import { type MDb, mdb, type ReplyStatus } from './monitoring-db.ts';

/** The moderation stream's and the replies' SQL. */

const postColumns = (db: MDb) =>
  db
    .selectFrom('monitoring_post as p')
    .innerJoin('monitoring_source as s', 's.id', 'p.source_id')
    .leftJoin('municipality as m', 'm.id', 'p.municipality_id')
    .leftJoin('category as c', 'c.id', 'p.category_id')
    .leftJoin('case as k', 'k.id', 'p.case_id')
    .select([
      'p.id',
      'p.source_id',
      'p.external_id',
      'p.parent_external_id',
      'p.url',
      'p.author_handle',
      'p.author_name',
      'p.text',
      'p.published_at',
      'p.fetched_at',
      'p.raw',
      'p.status',
      'p.matched_query_ids',
      'p.match_hits',
      'p.municipality_id',
      'p.place_id',
      'p.place',
      'p.category_id',
      'p.duplicate_of',
      'p.dup_count',
      'p.case_id',
      'p.dismiss_reason',
      'p.moderated_by',
      'p.moderated_at',
      'p.reply_text',
      'p.reply_status',
      'p.reply_external_id',
      'p.reply_url',
      'p.reply_error',
      'p.replied_by',
      'p.replied_at',
      'p.reply_started_at',
      's.kind as source_kind',
      's.name as source_name',
      's.municipality_id as source_municipality_id',
      sql<boolean>`s.secret is not null`.as('source_secret_set'),
      sql<boolean>`s.reply_secret is not null`.as('source_reply_secret_set'),
      'm.name as municipality_name',
      'c.name as category_name',
      'k.number as case_number',
    ]);

export type PostView = NonNullable<Awaited<ReturnType<typeof findPostView>>>;

export function findPostView(db: Db, id: number) {
  return postColumns(mdb(db)).where('p.id', '=', id).executeTakeFirst();
}

export interface StreamFilter {
  /** 'all', or these municipalities plus the regional queue. */
  scope: 'all' | number[];
  status?: MonitoringPostStatus;
  municipalityId?: number | 'regional';
  sourceId?: number;
  queryId?: number;
  q?: string;
  /** Keyset: the last item of the previous page. */
  after?: { fetchedAt: Date; id: number };
  limit: number;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A page of the stream: group heads only, newest fetched first (the partial indexes of 0019). */
export function streamPage(db: Db, f: StreamFilter) {
  let q = postColumns(mdb(db)).where('p.duplicate_of', 'is', null);
  if (f.scope !== 'all') {
    const scope = f.scope;
    q = q.where((eb) =>
      scope.length > 0
        ? eb.or([eb('p.municipality_id', 'is', null), eb('p.municipality_id', 'in', scope)])
        : eb('p.municipality_id', 'is', null),
    );
  }
  if (f.municipalityId === 'regional') q = q.where('p.municipality_id', 'is', null);
  else if (f.municipalityId !== undefined) q = q.where('p.municipality_id', '=', f.municipalityId);
  if (f.status) q = q.where('p.status', '=', f.status);
  if (f.sourceId !== undefined) q = q.where('p.source_id', '=', f.sourceId);
  if (f.queryId !== undefined) q = q.where(sql<boolean>`p.matched_query_ids @> array[${f.queryId}]::integer[]`);
  if (f.q) {
    const pattern = likePattern(f.q);
    q = q.where((eb) => eb.or([eb('p.text', 'ilike', pattern), eb('p.author_handle', 'ilike', pattern)]));
  }
  if (f.after) {
    const { fetchedAt, id } = f.after;
    q = q.where((eb) =>
      eb.or([eb('p.fetched_at', '<', fetchedAt), eb.and([eb('p.fetched_at', '=', fetchedAt), eb('p.id', '<', id)])]),
    );
  }
  return q.orderBy('p.fetched_at', 'desc').orderBy('p.id', 'desc').limit(f.limit).execute();
}

export async function queryNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('monitoring_query').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function duplicateIds(db: Db, headId: number, limit = 100): Promise<number[]> {
  const rows = await db
    .selectFrom('monitoring_post')
    .select('id')
    .where('duplicate_of', '=', headId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/** The post's row locked for a moderation step, with its source. */
export function lockPost(trx: Db, id: number) {
  return mdb(trx)
    .selectFrom('monitoring_post as p')
    .innerJoin('monitoring_source as s', 's.id', 'p.source_id')
    .select([
      'p.id',
      'p.status',
      'p.municipality_id',
      'p.case_id',
      'p.moderated_by',
      'p.moderated_at',
      'p.reply_status',
      'p.reply_started_at',
      'p.replied_at',
      'p.reply_text',
      'p.reply_url',
      'p.reply_external_id',
    ])
    .where('p.id', '=', id)
    .forUpdate('p')
    .executeTakeFirst();
}

/** A post with what accepting it needs (read before the intake). */
export function postForAccept(db: Db, id: number) {
  return mdb(db)
    .selectFrom('monitoring_post as p')
    .leftJoin('category as c', 'c.id', 'p.category_id')
    .select([
      'p.id',
      'p.status',
      'p.text',
      'p.url',
      'p.fetched_at',
      'p.municipality_id',
      'p.category_id',
      'p.case_id',
      'p.moderated_by',
      'p.moderated_at',
      'c.municipality_id as category_municipality_id',
      'c.is_active as category_active',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export function categoryMunicipality(db: Db, categoryId: number) {
  return db.selectFrom('category').select(['id', 'municipality_id', 'is_active']).where('id', '=', categoryId).executeTakeFirst();
}

export function caseBrief(db: Db, id: number) {
  return db
    .selectFrom('case')
    .select(['id', 'number', 'municipality_id', 'due_at', 'due_kind', 'regime'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Claims the post for accepting (moderated_by/at) while the intake makes its case. */
export async function claimPost(trx: Db, id: number, by: number, at: Date) {
  await trx.updateTable('monitoring_post').set({ moderated_by: by, moderated_at: at }).where('id', '=', id).execute();
}

/** Gives up an accept's claim (the intake refused), unless the post was handled meanwhile. */
export async function releaseClaim(db: Db, id: number, by: number) {
  await db
    .updateTable('monitoring_post')
    .set({ moderated_by: null, moderated_at: null })
    .where('id', '=', id)
    .where('moderated_by', '=', by)
    .where('status', 'not in', ['accepted', 'dismissed'])
    .execute();
}

export async function markAccepted(
  trx: Db,
  id: number,
  v: { caseId: number; by: number; at: Date; categoryId: number | null; municipalityId: number },
) {
  await trx
    .updateTable('monitoring_post')
    .set({
      status: 'accepted',
      case_id: v.caseId,
      moderated_by: v.by,
      moderated_at: v.at,
      category_id: v.categoryId,
      municipality_id: v.municipalityId,
    })
    .where('id', '=', id)
    .execute();
}

export async function markDismissed(trx: Db, id: number, v: { reason: string; by: number; at: Date }) {
  await trx
    .updateTable('monitoring_post')
    .set({ status: 'dismissed', dismiss_reason: v.reason, moderated_by: v.by, moderated_at: v.at })
    .where('id', '=', id)
    .execute();
}

/** The post, its source (secrets included: for publishing only) and its raw item, to publish a reply. */
export function replyTarget(db: Db, id: number) {
  return mdb(db)
    .selectFrom('monitoring_post as p')
    .innerJoin('monitoring_source as s', 's.id', 'p.source_id')
    .select([
      'p.id',
      'p.external_id',
      'p.parent_external_id',
      'p.raw',
      's.id as source_id',
      's.kind as source_kind',
      's.config as source_config',
      's.secret as source_secret',
      's.reply_secret as source_reply_secret',
      's.active as source_active',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export interface ReplyChange {
  status: ReplyStatus;
  text?: string;
  by?: number;
  startedAt?: Date | null;
  externalId?: string | null;
  url?: string | null;
  error?: string | null;
  repliedAt?: Date | null;
}

export async function setReply(trx: Db, id: number, r: ReplyChange) {
  await mdb(trx)
    .updateTable('monitoring_post')
    .set({
      reply_status: r.status,
      ...(r.text !== undefined && { reply_text: r.text }),
      ...(r.by !== undefined && { replied_by: r.by }),
      ...(r.startedAt !== undefined && { reply_started_at: r.startedAt }),
      ...(r.externalId !== undefined && { reply_external_id: r.externalId }),
      ...(r.url !== undefined && { reply_url: r.url }),
      ...(r.error !== undefined && { reply_error: r.error }),
      ...(r.repliedAt !== undefined && { replied_at: r.repliedAt }),
    })
    .where('id', '=', id)
    .execute();
}
