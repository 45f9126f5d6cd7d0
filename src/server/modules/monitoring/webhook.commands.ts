import type { Db } from '../../core/db/index.ts';
import { AppError, invalid, notFound } from '../../core/http/errors.ts';
import type { JobLogger } from '../../core/jobs/index.ts';
import { ConnectorError } from './connectors/types.ts';
import { parseWebhookBatch, verifyWebhookSignature, type WebhookSkip } from './connectors/webhook.ts';
import { findSource, insertPosts, recordPush } from './monitoring.repository.ts';
import type { MonitoringRuntime } from './poller.ts';

export interface PushResult {
  received: number;
  stored: number;
  /** Already stored for this source (a repeated batch, a retry). */
  duplicates: number;
  skipped: WebhookSkip[];
}

/**
 * A batch pushed to a webhook source: authenticated by the HMAC-SHA256 of the raw body with the source's secret,
 * then stored like a poll — posts ON CONFLICT DO NOTHING, the health, and the pipeline's hooks in one transaction.
 */
export async function receivePush(
  db: Db,
  runtime: MonitoringRuntime,
  args: { sourceId: number; body: Buffer; signature: string | undefined; now: Date; log?: JobLogger },
): Promise<PushResult> {
  const source = await findSource(db, args.sourceId);
  if (source?.kind !== 'webhook') throw notFound('Webhook source');
  if (!source.secret || !verifyWebhookSignature(source.secret, args.body, args.signature)) {
    throw new AppError(
      'UNAUTHENTICATED',
      'X-Otklik-Signature must be sha256=<hex HMAC-SHA256 of the raw body keyed with the source’s secret>',
    );
  }
  if (!source.active) throw new AppError('FORBIDDEN', 'This monitoring source is deactivated');
  let batch: ReturnType<typeof parseWebhookBatch>;
  try {
    batch = parseWebhookBatch(args.body);
  } catch (error) {
    if (error instanceof ConnectorError) throw invalid('body', error.message);
    throw error;
  }
  for (const s of batch.skipped) {
    args.log?.warn(
      { sourceId: source.id, index: s.index, externalId: s.externalId, reason: s.reason },
      'monitoring: item skipped',
    );
  }
  const last = batch.skipped.at(-1);
  const stored = await db.transaction().execute(async (trx) => {
    const ids = await insertPosts(trx, source.id, batch.posts, args.now);
    const newest = Math.max(...batch.posts.map((p) => p.publishedAt.getTime()));
    await recordPush(trx, source.id, {
      now: args.now,
      stored: ids.length,
      skipped: batch.skipped.length,
      ...(last && { lastSkipReason: `${last.externalId ?? `#${last.index}`}: ${last.reason}` }),
      lagS: ids.length > 0 ? Math.max(0, Math.round((args.now.getTime() - newest) / 1000)) : null,
    });
    if (ids.length > 0) {
      await runtime.postsStored(trx, {
        sourceId: source.id,
        municipalityId: source.municipality_id,
        postIds: ids,
        now: args.now,
      });
    }
    return ids.length;
  });
  return {
    received: batch.posts.length + batch.skipped.length,
    stored,
    duplicates: batch.posts.length - stored,
    skipped: batch.skipped,
  };
}
