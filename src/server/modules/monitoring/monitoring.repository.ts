import { type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringSourceKind, MonitoringSourceTable } from '../../core/db/schema.ts';
import type { FetchedPost } from './connectors/types.ts';

/** The monitoring module's SQL: sources (settings, cursor, health, the poll lease) and storing fetched posts. */

export type SourceRow = Selectable<MonitoringSourceTable>;

export interface NewSource {
  municipalityId: number | null;
  kind: MonitoringSourceKind;
  name: string;
  config: unknown;
  secret: string | null;
  replySecret: string | null;
  active: boolean;
  pollIntervalS: number;
  createdBy: number | null;
  now: Date;
}

export function insertSource(trx: Db, s: NewSource) {
  return trx
    .insertInto('monitoring_source')
    .values({
      municipality_id: s.municipalityId,
      kind: s.kind,
      name: s.name,
      config: JSON.stringify(s.config),
      secret: s.secret,
      reply_secret: s.replySecret,
      active: s.active,
      poll_interval_s: s.pollIntervalS,
      cursor: '{}',
      next_poll_at: s.now,
      created_by: s.createdBy,
      created_at: s.now,
      updated_at: s.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findSource(db: Db, id: number, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('monitoring_source').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface SourceFilter {
  /** 'all', or these municipalities (regional sources are included only with 'all'). */
  scope: 'all' | number[];
  municipalityId?: number | 'regional';
  kind?: MonitoringSourceKind;
  active?: boolean;
}

export function listSources(db: Db, f: SourceFilter) {
  let q = db.selectFrom('monitoring_source').selectAll();
  if (f.scope !== 'all') {
    if (f.scope.length === 0) return Promise.resolve([]);
    q = q.where('municipality_id', 'in', f.scope);
  }
  if (f.municipalityId === 'regional') q = q.where('municipality_id', 'is', null);
  else if (f.municipalityId !== undefined) q = q.where('municipality_id', '=', f.municipalityId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.active !== undefined) q = q.where('active', '=', f.active);
  return q.orderBy('municipality_id', 'asc').orderBy('name').orderBy('id').execute();
}

export interface SourcePatch {
  name?: string;
  config?: unknown;
  secret?: string;
  replySecret?: string | null;
  active?: boolean;
  pollIntervalS?: number;
  /** New settings or token: try at once, forgetting the backoff of the old ones. */
  retryNow?: boolean;
  now: Date;
}

export function updateSource(trx: Db, id: number, p: SourcePatch) {
  return trx
    .updateTable('monitoring_source')
    .set({
      ...(p.name !== undefined && { name: p.name }),
      ...(p.config !== undefined && { config: JSON.stringify(p.config) }),
      ...(p.secret !== undefined && { secret: p.secret }),
      ...(p.replySecret !== undefined && { reply_secret: p.replySecret }),
      ...(p.active !== undefined && { active: p.active }),
      ...(p.pollIntervalS !== undefined && { poll_interval_s: p.pollIntervalS }),
      ...(p.retryNow && { next_poll_at: p.now, backoff_until: null, consecutive_errors: 0, consecutive_rate_limits: 0 }),
      updated_at: p.now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findMunicipality(db: Db, id: number) {
  return db.selectFrom('municipality').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
}

// Polling.

/** Active polled sources due now: their interval has passed, their backoff too, and no poll holds them. */
export async function dueSourceIds(db: Db, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('monitoring_source')
    .select('id')
    .where('active', '=', true)
    .where('kind', '<>', 'webhook')
    .where('next_poll_at', '<=', now)
    .where((eb) => eb.or([eb('backoff_until', 'is', null), eb('backoff_until', '<=', now)]))
    .where((eb) => eb.or([eb('poll_until', 'is', null), eb('poll_until', '<', now)]))
    .orderBy('next_poll_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Takes the source's poll lease (one poll of a source at a time, across nodes): an atomic update that succeeds only
 * when no unexpired lease is held, the backoff has passed and, unless forced ("poll now"), the interval too.
 */
export function claimSourcePoll(db: Db, args: { id: number; token: string; now: Date; until: Date; force: boolean }) {
  let q = db
    .updateTable('monitoring_source')
    .set({ poll_token: args.token, poll_until: args.until })
    .where('id', '=', args.id)
    .where('active', '=', true)
    .where('kind', '<>', 'webhook')
    .where((eb) => eb.or([eb('poll_until', 'is', null), eb('poll_until', '<', args.now)]))
    .where((eb) => eb.or([eb('backoff_until', 'is', null), eb('backoff_until', '<=', args.now)]));
  if (!args.force) q = q.where('next_poll_at', '<=', args.now);
  return q.returningAll().executeTakeFirst();
}

/** Locks the source row if this poll still holds the lease (inside the storing transaction). */
export async function lockIfLeased(trx: Db, id: number, token: string): Promise<boolean> {
  const row = await trx
    .selectFrom('monitoring_source')
    .select('id')
    .where('id', '=', id)
    .where('poll_token', '=', token)
    .forUpdate()
    .executeTakeFirst();
  return !!row;
}

export interface PollRecord {
  now: Date;
  cursor?: unknown;
  nextPollAt: Date;
  success: boolean;
  /** The error or warning to show, with its time. */
  error?: string;
  rateLimited?: boolean;
  backoffUntil?: Date | null;
  lagS?: number | null;
  stored: number;
  skipped: number;
  lastSkipReason?: string;
}

/** Records a poll's outcome and releases the lease; false when the lease was lost meanwhile. */
export async function recordPoll(db: Db, id: number, token: string, r: PollRecord): Promise<boolean> {
  const res = await db
    .updateTable('monitoring_source')
    .set((eb) => ({
      ...(r.cursor !== undefined && { cursor: JSON.stringify(r.cursor) }),
      next_poll_at: r.nextPollAt,
      last_polled_at: r.now,
      poll_token: null,
      poll_until: null,
      ...(r.success
        ? { last_success_at: r.now, consecutive_errors: 0, consecutive_rate_limits: 0, backoff_until: null }
        : r.rateLimited
          ? { consecutive_rate_limits: eb('consecutive_rate_limits', '+', 1), backoff_until: r.backoffUntil ?? null }
          : { consecutive_errors: eb('consecutive_errors', '+', 1), backoff_until: r.backoffUntil ?? null }),
      ...(r.error !== undefined && { last_error: r.error.slice(0, 2000), last_error_at: r.now }),
      ...(r.lagS !== undefined && { lag_s: r.lagS }),
      posts_total: eb('posts_total', '+', r.stored),
      skipped_total: eb('skipped_total', '+', r.skipped),
      ...(r.lastSkipReason !== undefined && { last_skip_reason: r.lastSkipReason.slice(0, 2000) }),
    }))
    .where('id', '=', id)
    .where('poll_token', '=', token)
    .executeTakeFirst();
  return res.numUpdatedRows === 1n;
}

/** A pushed batch (the webhook): the health columns without a lease. */
export async function recordPush(
  trx: Db,
  id: number,
  r: { now: Date; stored: number; skipped: number; lastSkipReason?: string; lagS: number | null },
) {
  await trx
    .updateTable('monitoring_source')
    .set((eb) => ({
      last_polled_at: r.now,
      last_success_at: r.now,
      ...(r.lagS !== null && { lag_s: r.lagS }),
      posts_total: eb('posts_total', '+', r.stored),
      skipped_total: eb('skipped_total', '+', r.skipped),
      ...(r.lastSkipReason !== undefined && { last_skip_reason: r.lastSkipReason.slice(0, 2000) }),
    }))
    .where('id', '=', id)
    .execute();
}

const INSERT_CHUNK = 500;

/**
 * Stores fetched posts; a post already stored for the source (same external id) is left as it is (ON CONFLICT DO
 * NOTHING). Returns the ids of the posts actually added, for the pipeline.
 */
export async function insertPosts(trx: Db, sourceId: number, given: readonly FetchedPost[], fetchedAt: Date): Promise<number[]> {
  const ids: number[] = [];
  // Oldest first, so ids follow publication order (platforms list the newest first).
  const posts = given
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.publishedAt.getTime() - b.p.publishedAt.getTime() || a.i - b.i)
    .map((x) => x.p);
  for (let i = 0; i < posts.length; i += INSERT_CHUNK) {
    const rows = await trx
      .insertInto('monitoring_post')
      .values(
        posts.slice(i, i + INSERT_CHUNK).map((p) => ({
          source_id: sourceId,
          external_id: p.externalId,
          parent_external_id: p.parentExternalId,
          url: p.url,
          author_handle: p.authorHandle,
          author_name: p.authorName,
          text: p.text,
          published_at: p.publishedAt,
          fetched_at: fetchedAt,
          raw: p.raw === undefined || p.raw === null ? null : JSON.stringify(p.raw),
        })),
      )
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
      .returning('id')
      .execute();
    for (const r of rows) ids.push(Number(r.id));
  }
  return ids;
}

/** How many posts a source has stored (tests, the admin list). */
export async function countPosts(db: Db, sourceId: number): Promise<number> {
  const r = await db
    .selectFrom('monitoring_post')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('source_id', '=', sourceId)
    .executeTakeFirstOrThrow();
  return r.n;
}
