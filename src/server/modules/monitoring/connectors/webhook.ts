import { createHmac, timingSafeEqual } from 'node:crypto';
import { objectOf } from './config.ts';
import { decodeText, preview } from './http.ts';
import { checkPost, isSkipped } from './text.ts';
import { type Connector, ConnectorError, type FetchedPost, type SkippedItem } from './types.ts';

/*
 * The generic webhook: anything else (Одноклассники through a partner, a media-monitoring service, a script) pushes
 * posts to POST /api/v1/monitoring/webhook/{sourceId}. The request is authenticated by
 *
 *     X-Otklik-Signature: sha256=<hex HMAC-SHA256 of the raw request body, keyed with the source's secret>
 *
 * (the scheme GitHub uses for X-Hub-Signature-256), compared in constant time. The body is JSON:
 *
 *     {"posts": [{"externalId": "…", "text": "…", "publishedAt": "2026-03-02T10:00:00+07:00",
 *                 "url"?, "authorHandle"?, "authorName"?, "parentExternalId"?, "raw"?}]}
 *
 * at most 1,000 posts. Repeating a batch is harmless: each post is stored once per (source, externalId). A post that
 * cannot be used (no text, no date, too long, characters lost to invalid UTF-8) is skipped and reported by index;
 * the others are stored.
 */

export const WEBHOOK_SIGNATURE_HEADER = 'x-otklik-signature';
export const WEBHOOK_MAX_POSTS = 1000;
/** The body limit of the webhook route. */
export const WEBHOOK_MAX_BYTES = 16 * 1024 * 1024;

export type WebhookConfig = Record<string, never>;

export function signWebhookBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is the body's signature with `secret` (constant-time comparison). */
export function verifyWebhookSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, body), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export interface WebhookSkip extends SkippedItem {
  index: number;
}

/**
 * Reads a batch. The envelope must be right (a JSON object with a `posts` list of at most 1,000): otherwise a
 * ConnectorError('bad_response') the route turns into 400. Each post is then checked on its own.
 */
export function parseWebhookBatch(body: Buffer): { posts: FetchedPost[]; skipped: WebhookSkip[] } {
  const { text, lossy } = decodeText(body, 'utf-8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConnectorError('bad_response', `the body is not JSON: ${preview(text)}`);
  }
  if (!isObj(value) || !Array.isArray(value.posts)) {
    throw new ConnectorError('bad_response', 'the body must be a JSON object with a "posts" list');
  }
  if (value.posts.length > WEBHOOK_MAX_POSTS) {
    throw new ConnectorError('bad_response', `at most ${WEBHOOK_MAX_POSTS} posts per request (got ${value.posts.length})`);
  }
  const posts: FetchedPost[] = [];
  const skipped: WebhookSkip[] = [];
  value.posts.forEach((p, index) => {
    const read = readPost(p, lossy);
    if (isSkipped(read)) skipped.push({ index, ...read });
    else posts.push(read);
  });
  return { posts, skipped };
}

function readPost(p: unknown, lossy: boolean): FetchedPost | SkippedItem {
  if (!isObj(p)) return { externalId: null, reason: 'not an object' };
  const id = typeof p.externalId === 'number' && Number.isFinite(p.externalId) ? String(p.externalId) : p.externalId;
  if (typeof id !== 'string' || !id.trim()) return { externalId: null, reason: 'externalId: missing' };
  if (typeof p.text !== 'string') return { externalId: id, reason: 'text: must be a string' };
  const published = typeof p.publishedAt === 'string' ? new Date(p.publishedAt) : undefined;
  if (!published || Number.isNaN(published.getTime())) {
    return { externalId: id, reason: 'publishedAt: must be an ISO 8601 date-time' };
  }
  return checkPost(
    {
      externalId: id,
      parentExternalId: optStr(p.parentExternalId),
      url: optStr(p.url),
      authorHandle: optStr(p.authorHandle),
      authorName: optStr(p.authorName),
      text: p.text,
      publishedAt: published,
      raw: p.raw === undefined ? null : p.raw,
    },
    { lossyDecoding: lossy },
  );
}

export const webhookConnector: Connector<WebhookConfig, unknown> = {
  kind: 'webhook',
  parseConfig: (input) => objectOf(input, []) as WebhookConfig,
  secretRequired: true,
};
