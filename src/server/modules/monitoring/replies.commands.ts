import { writeAudit } from '../../core/audit/audit.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.ts';
import { recordFirstReaction } from '../cases/index.ts';
import { HttpClient } from './connectors/http.ts';
import { connectorFor } from './connectors/index.ts';
import { ConnectorError } from './connectors/types.ts';
import { canModerate, canReadMonitoring, monitoringScope } from './moderation.permissions.ts';
import { lockPost, replyTarget, setReply } from './moderation.repository.ts';
import type { MonitoringRuntime } from './poller.ts';

/**
 * Replies (issue 6, item 7). Staff write the reply in Otklik; where the source's connector can publish it (VK
 * wall.createComment with the source's community token; Telegram sendMessage with reply_parameters, the bot's
 * token) it is published in the post's thread and its id and link are kept; otherwise — or when asked — it is
 * marked for publication by hand (`manual`) and confirmed once done. The time it was published (or confirmed) is the
 * incident's first reaction: cases' recordFirstReaction, in the same transaction as the reply's status.
 *
 * Publishing calls the platform outside any transaction: the post is claimed first (`sending`, under its row lock,
 * so a second click is 409), then the outcome is stored. A node dying between the call and the commit leaves the
 * claim, which may be taken over after REPLY_CLAIM_MS — the platform may then have the reply twice; nothing is lost.
 */

export const REPLY_CLAIM_MS = 2 * 60_000;

function requireStaff(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = monitoringScope(ctx.principal);
  if (scope !== 'all' && scope.length === 0) throw forbidden('Replies are written by moderators, heads and administrators');
  return ctx.principal;
}

export type ReplyOutcome = 'published' | 'manual' | 'failed';

async function lockForReply(trx: Db, ctx: CommandContext, id: number) {
  const p = ctx.principal!;
  const post = await lockPost(trx, id);
  if (!post || !canReadMonitoring(p, post.municipality_id)) throw notFound('Post');
  if (!canModerate(p, post.municipality_id)) {
    throw forbidden(
      post.municipality_id === null
        ? 'A post of the regional queue is answered by the region’s administrators; accept it into your municipality first'
        : 'Only a moderator, head or administrator of this municipality answers its posts',
    );
  }
  return post;
}

/** The first reaction on the post's incident, if it has one (the same transaction as the reply's status). */
async function react(trx: Db, ctx: CommandContext, caseId: number | null, at: Date, via: string, data: Record<string, unknown>) {
  if (caseId === null) return null;
  return recordFirstReaction(trx, ctx, { caseId, at, via, data });
}

export async function replyToPost(
  db: Db,
  ctx: CommandContext,
  runtime: MonitoringRuntime,
  id: number,
  input: { text: string; manual?: boolean },
): Promise<ReplyOutcome> {
  const p = requireStaff(ctx);
  const text = input.text.trim();
  if (!text) throw invalid('text', 'write the reply');
  const target = await replyTarget(db, id);
  const connector = target ? connectorFor(target.source_kind) : undefined;
  const publishable =
    !input.manual &&
    !!connector?.publishReply &&
    ((target?.source_kind === 'vk' && !!target.source_reply_secret) ||
      (target?.source_kind === 'telegram' && !!target.source_secret));

  const claimed = await db.transaction().execute(async (trx) => {
    const post = await lockForReply(trx, ctx, id);
    if (post.status === 'dismissed') throw new AppError('CONFLICT', 'The post was dismissed as noise; it is not answered');
    if (post.reply_status === 'published') throw new AppError('CONFLICT', 'The post has been answered already');
    if (post.reply_status === 'manual') {
      throw new AppError('CONFLICT', 'A reply waits for publication by hand: publish it and confirm it, or it stays');
    }
    const busy =
      post.reply_status === 'sending' &&
      post.reply_started_at !== null &&
      ctx.now.getTime() - post.reply_started_at.getTime() < REPLY_CLAIM_MS;
    if (busy) throw new AppError('CONFLICT', 'The reply is being published right now');
    if (!publishable) {
      await setReply(trx, id, {
        status: 'manual',
        text,
        by: p.userId,
        startedAt: null,
        error: null,
        externalId: null,
        url: null,
        repliedAt: null,
      });
      await writeAudit(trx, ctx, {
        action: 'monitoring_post.reply',
        entityType: 'monitoring_post',
        entityId: id,
        municipalityId: post.municipality_id,
        after: { status: 'manual', text, requested: input.manual === true },
      });
      return false;
    }
    await setReply(trx, id, { status: 'sending', text, by: p.userId, startedAt: ctx.now, error: null });
    return true;
  });
  if (!claimed || !target || !connector?.publishReply) return 'manual';

  let published: { externalId: string; url: string | null } | undefined;
  let failure: string | undefined;
  try {
    published = await connector.publishReply(
      {
        id: target.source_id,
        config: connector.parseConfig(target.source_config),
        secret: target.source_secret,
        replySecret: target.source_reply_secret,
      },
      { externalId: target.external_id, parentExternalId: target.parent_external_id, raw: target.raw },
      text,
      { http: new HttpClient(runtime.httpOptions), now: ctx.now },
    );
  } catch (error) {
    failure =
      error instanceof ConnectorError
        ? error.message
        : `internal error while publishing (${(error as Error)?.name ?? 'unknown'})`;
  }

  return db.transaction().execute(async (trx) => {
    const post = await lockPost(trx, id);
    if (!post) throw notFound('Post');
    if (published) {
      await setReply(trx, id, {
        status: 'published',
        externalId: published.externalId,
        url: published.url,
        error: null,
        repliedAt: ctx.now,
        startedAt: null,
      });
      const reaction = await react(trx, ctx, post.case_id, ctx.now, 'social_reply', { postId: id, url: published.url });
      await writeAudit(trx, ctx, {
        action: 'monitoring_post.reply',
        entityType: 'monitoring_post',
        entityId: id,
        municipalityId: post.municipality_id,
        after: {
          status: 'published',
          text,
          externalId: published.externalId,
          url: published.url,
          ...(reaction?.recorded && { caseId: post.case_id, late: reaction.late }),
        },
      });
      return 'published' as const;
    }
    await setReply(trx, id, { status: 'failed', error: failure ?? 'unknown error', startedAt: null });
    await writeAudit(trx, ctx, {
      action: 'monitoring_post.reply',
      entityType: 'monitoring_post',
      entityId: id,
      municipalityId: post.municipality_id,
      after: { status: 'failed', text, error: failure },
    });
    return 'failed' as const;
  });
}

/** A reply marked for publication by hand has been published: its time is the first reaction. */
export async function confirmReply(
  db: Db,
  ctx: CommandContext,
  id: number,
  input: { url?: string; publishedAt?: Date },
): Promise<void> {
  requireStaff(ctx);
  const at = input.publishedAt ?? ctx.now;
  if (at.getTime() > ctx.now.getTime()) throw invalid('publishedAt', 'cannot be in the future');
  if (input.url !== undefined && !/^https?:\/\//i.test(input.url)) throw invalid('url', 'a link starting with https://');
  await db.transaction().execute(async (trx) => {
    const post = await lockForReply(trx, ctx, id);
    if (post.reply_status !== 'manual') {
      throw new AppError(
        'CONFLICT',
        post.reply_status === 'published'
          ? 'The reply is already published'
          : 'There is no reply waiting for publication by hand',
      );
    }
    await setReply(trx, id, { status: 'published', repliedAt: at, ...(input.url !== undefined && { url: input.url }) });
    const reaction = await react(trx, ctx, post.case_id, at, 'social_reply_manual', { postId: id, url: input.url ?? null });
    await writeAudit(trx, ctx, {
      action: 'monitoring_post.reply_confirm',
      entityType: 'monitoring_post',
      entityId: id,
      municipalityId: post.municipality_id,
      after: {
        status: 'published',
        publishedAt: at.toISOString(),
        url: input.url ?? null,
        ...(reaction?.recorded && { caseId: post.case_id, late: reaction.late }),
      },
    });
  });
}

/** Accepting a post answered before it was accepted: the reply's time is the new incident's first reaction. */
export async function reactionOfEarlierReply(
  trx: Db,
  ctx: CommandContext,
  post: { id: number; caseId: number; repliedAt: Date | null; url: string | null },
) {
  if (!post.repliedAt) return null;
  return recordFirstReaction(trx, ctx, {
    caseId: post.caseId,
    at: post.repliedAt,
    via: 'social_reply',
    data: { postId: post.id, url: post.url },
  });
}
