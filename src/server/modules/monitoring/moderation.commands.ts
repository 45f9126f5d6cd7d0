import { writeAudit } from '../../core/audit/audit.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringPostStatus } from '../../core/db/schema.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { type Calendars, submitCase } from '../cases/index.ts';
import { canModerate, canReadMonitoring, monitoringScope } from './moderation.permissions.ts';
import { decodeCursor } from './moderation.presenters.ts';
import {
  caseBrief,
  categoryMunicipality,
  claimPost,
  duplicateIds,
  findPostView,
  lockPost,
  markAccepted,
  markDismissed,
  type PostView,
  postForAccept,
  queryNames,
  releaseClaim,
  streamPage,
} from './moderation.repository.ts';
import { reactionOfEarlierReply } from './replies.commands.ts';

/**
 * The moderation workspace (issue 6, item 6): the stream of posts, accept into an incident case through the one
 * intake, dismiss as noise, both in bulk. Every step writes its audit row with its change.
 */

/** The longest case text taken from a post (the intake's form allows 20,000 characters). */
export const MAX_CASE_TEXT = 20_000;
/** An accept that did not finish (the node died between the intake and marking the post) may be retried after this. */
export const ACCEPT_CLAIM_MS = 2 * 60_000;
export const DEFAULT_PAGE = 50;

const FINAL: readonly MonitoringPostStatus[] = ['accepted', 'dismissed'];
const STATUS_RU: Record<string, string> = { accepted: 'принят (создан инцидент)', dismissed: 'отклонён как шум' };

function requireStaff(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = monitoringScope(ctx.principal);
  if (scope !== 'all' && scope.length === 0) throw forbidden('The monitoring stream is for moderators, heads and administrators');
  return scope;
}

const handled = (status: string) =>
  new AppError('CONFLICT', `The post has already been handled: ${STATUS_RU[status] ?? status} (${status})`);

export interface StreamInput {
  status?: MonitoringPostStatus | 'all';
  municipalityId?: number;
  regional?: boolean;
  sourceId?: number;
  queryId?: number;
  q?: string;
  cursor?: string;
  limit?: number;
}

export async function readStream(db: Db, ctx: CommandContext, input: StreamInput) {
  const scope = requireStaff(ctx);
  if (input.municipalityId !== undefined && !canReadMonitoring(ctx.principal, input.municipalityId)) {
    throw forbidden('You moderate the posts of other municipalities');
  }
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  if (after === null) throw invalid('cursor', 'not a cursor this stream gave');
  const limit = input.limit ?? DEFAULT_PAGE;
  const status = input.status ?? 'matched';
  const rows = await streamPage(db, {
    scope,
    ...(status !== 'all' && { status }),
    ...(input.regional
      ? { municipalityId: 'regional' as const }
      : input.municipalityId !== undefined && { municipalityId: input.municipalityId }),
    ...(input.sourceId !== undefined && { sourceId: input.sourceId }),
    ...(input.queryId !== undefined && { queryId: input.queryId }),
    ...(input.q?.trim() && { q: input.q.trim() }),
    ...(after && { after }),
    limit: limit + 1,
  });
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  const names = await queryNames(db, [...new Set(items.flatMap((r) => r.matched_query_ids))]);
  return { items, names, last: more ? items.at(-1) : undefined };
}

/** A post the caller may read (theirs or the regional queue's), else 404. */
async function readablePost(db: Db, ctx: CommandContext, id: number): Promise<PostView> {
  requireStaff(ctx);
  const p = await findPostView(db, id);
  if (!p || !canReadMonitoring(ctx.principal, p.municipality_id)) throw notFound('Post');
  return p;
}

export async function readPost(db: Db, ctx: CommandContext, id: number) {
  const post = await readablePost(db, ctx, id);
  const names = await queryNames(db, post.matched_query_ids);
  return { post, names, duplicates: await duplicateIds(db, id) };
}

/** The post as shown after a step. */
export async function postAfter(db: Db, id: number) {
  const post = (await findPostView(db, id)) as PostView;
  return { post, names: await queryNames(db, post.matched_query_ids) };
}

export interface AcceptInput {
  categoryId?: number;
  municipalityId?: number;
  text?: string;
}

export interface Accepted {
  postId: number;
  case: { id: number; number: string; municipalityId: number; dueAt: Date | null; dueKind: string | null };
}

/**
 * Accepts a post: an incident case through the one intake (cases' submitCase: channel `social`, regime `incident`,
 * its first-reaction deadline per category, default 24 h, counted from when the post reached Otklik), the post's
 * link in the case (`media_url`), then the post `accepted` with the case.
 *
 * The intake has its own transaction, so the post is claimed first (moderated_by/at, under its row lock): a second
 * accept meanwhile is 409. The intake's idempotency key is the post's (per moderator), so retrying after a crash
 * between the two transactions finds the case already made instead of making another.
 */
export async function acceptPost(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  id: number,
  input: AcceptInput,
): Promise<Accepted> {
  requireStaff(ctx);
  const p = ctx.principal!;
  const post = await postForAccept(db, id);
  if (!post || !canReadMonitoring(p, post.municipality_id)) throw notFound('Post');
  if (FINAL.includes(post.status)) throw handled(post.status);

  // Where the case goes: the post's municipality; for a regional post the one asked for, else the category's.
  let municipalityId = post.municipality_id;
  const category = input.categoryId === undefined ? undefined : await categoryMunicipality(db, input.categoryId);
  if (input.categoryId !== undefined && !category?.is_active) throw invalid('categoryId', 'no such active category');
  if (municipalityId === null) municipalityId = input.municipalityId ?? category?.municipality_id ?? null;
  else if (input.municipalityId !== undefined && input.municipalityId !== municipalityId) {
    throw invalid('municipalityId', 'the post belongs to another municipality');
  }
  if (municipalityId === null) {
    throw invalid('municipalityId', 'a post of the regional queue goes to the municipality you choose (or a category’s)');
  }
  if (!canModerate(p, municipalityId))
    throw forbidden('Only a moderator, head or administrator of this municipality accepts its posts');
  if (category && category.municipality_id !== municipalityId) {
    throw invalid('categoryId', 'the category belongs to another municipality');
  }
  const guess =
    post.category_id !== null && post.category_active && post.category_municipality_id === municipalityId
      ? post.category_id
      : null;
  const categoryId = category?.id ?? guess;
  const text = (input.text ?? post.text).trim().slice(0, MAX_CASE_TEXT);

  // Claim it: one accept at a time.
  if (!text) throw invalid('text', 'the post has no text: write what the incident is about');
  await db.transaction().execute(async (trx) => {
    const locked = await lockPost(trx, id);
    if (!locked) throw notFound('Post');
    if (FINAL.includes(locked.status)) throw handled(locked.status);
    const claimedByOther =
      locked.moderated_by !== null &&
      locked.moderated_by !== p.userId &&
      locked.moderated_at !== null &&
      ctx.now.getTime() - locked.moderated_at.getTime() < ACCEPT_CLAIM_MS;
    if (claimedByOther) throw new AppError('CONFLICT', 'Another moderator is accepting this post right now');
    await claimPost(trx, id, p.userId, ctx.now);
  });

  let made: Awaited<ReturnType<typeof submitCase>>;
  try {
    made = await submitCase(db, ctx, calendars, {
      municipalityId,
      channel: 'social',
      regime: 'incident',
      ...(categoryId !== null && { categoryId }),
      text,
      receivedAt: post.fetched_at,
      ...(post.url && { mediaUrl: post.url }),
      idempotencyKey: `monitoring-post-${id}`,
    });
  } catch (error) {
    // The intake refused: let the post go for another try at once.
    await releaseClaim(db, id, p.userId).catch(() => {});
    throw error;
  }

  await db.transaction().execute(async (trx) => {
    const locked = await lockPost(trx, id);
    if (!locked) throw notFound('Post');
    if (locked.status === 'accepted' && locked.case_id === made.id) return;
    if (FINAL.includes(locked.status)) throw handled(locked.status);
    await markAccepted(trx, id, { caseId: made.id, by: p.userId, at: ctx.now, categoryId, municipalityId });
    if (locked.reply_status === 'published') {
      await reactionOfEarlierReply(trx, ctx, { id, caseId: made.id, repliedAt: locked.replied_at, url: locked.reply_url });
    }
    await writeAudit(trx, ctx, {
      action: 'monitoring_post.accept',
      entityType: 'monitoring_post',
      entityId: id,
      municipalityId,
      before: { status: locked.status, municipalityId: locked.municipality_id },
      after: { status: 'accepted', caseId: made.id, categoryId, municipalityId },
    });
  });
  const c = await caseBrief(db, made.id);
  return {
    postId: id,
    case: {
      id: made.id,
      number: c?.number ?? '',
      municipalityId,
      dueAt: c?.due_at ?? null,
      dueKind: c?.due_kind ?? null,
    },
  };
}

/** Dismisses a post as noise, with the reason. A regional post is dismissed only by the region's administrators. */
export async function dismissPost(db: Db, ctx: CommandContext, id: number, reason: string): Promise<void> {
  requireStaff(ctx);
  const p = ctx.principal!;
  const why = reason.trim();
  if (!why) throw invalid('reason', 'say why the post is noise');
  await db.transaction().execute(async (trx) => {
    const locked = await lockPost(trx, id);
    if (!locked || !canReadMonitoring(p, locked.municipality_id)) throw notFound('Post');
    if (!canModerate(p, locked.municipality_id)) {
      throw forbidden(
        'A post of the regional queue is dismissed by the region’s administrators; accept it into your municipality instead',
      );
    }
    if (FINAL.includes(locked.status)) throw handled(locked.status);
    await markDismissed(trx, id, { reason: why, by: p.userId, at: ctx.now });
    await writeAudit(trx, ctx, {
      action: 'monitoring_post.dismiss',
      entityType: 'monitoring_post',
      entityId: id,
      municipalityId: locked.municipality_id,
      before: { status: locked.status },
      after: { status: 'dismissed', reason: why },
    });
  });
}

export interface BulkInput {
  ids: number[];
  action: 'accept' | 'dismiss';
  reason?: string;
  categoryId?: number;
}

export interface BulkResult {
  id: number;
  ok: boolean;
  caseId: number | null;
  caseNumber: string | null;
  error: { code: string; message: string } | null;
}

/** Each post on its own (one failing does not stop the others); the outcome of each, in the order given. */
export async function bulkModerate(db: Db, ctx: CommandContext, calendars: Calendars, input: BulkInput): Promise<BulkResult[]> {
  requireStaff(ctx);
  if (input.action === 'dismiss' && !input.reason?.trim()) throw invalid('reason', 'say why these posts are noise');
  const results: BulkResult[] = [];
  for (const id of input.ids) {
    try {
      if (input.action === 'dismiss') {
        await dismissPost(db, ctx, id, input.reason as string);
        results.push({ id, ok: true, caseId: null, caseNumber: null, error: null });
      } else {
        const a = await acceptPost(
          db,
          ctx,
          calendars,
          id,
          input.categoryId !== undefined ? { categoryId: input.categoryId } : {},
        );
        results.push({ id, ok: true, caseId: a.case.id, caseNumber: a.case.number, error: null });
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      results.push({ id, ok: false, caseId: null, caseNumber: null, error: { code: error.code, message: error.message } });
    }
  }
  return results;
}
