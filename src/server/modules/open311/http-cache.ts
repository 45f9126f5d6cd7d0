import { createHash } from 'node:crypto';

/**
 * HTTP caching of the public GeoReport v2 documents, for clients that poll (RFC 9111 Cache-Control, RFC 9110 §8.8.3
 * ETag and §13.1.2 If-None-Match). Everything GET answers here is public (no applicant data), so shared caches may
 * keep it for OPEN311_MAX_AGE_S; after that a client revalidates with If-None-Match and gets 304 without the body
 * while nothing changed.
 */
export const OPEN311_MAX_AGE_S = 30;
export const OPEN311_CACHE_CONTROL = `public, max-age=${OPEN311_MAX_AGE_S}`;

/** A strong validator of the exact bytes sent: the SHA-256 of the body (base64url, quoted). */
export const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url')}"`;

/**
 * Whether an If-None-Match header names this entity tag: `*`, or a comma list of tags compared weakly (a W/ prefix
 * is ignored on either side, as §13.1.2 requires for If-None-Match).
 */
export function noneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const want = etag.replace(/^W\//, '');
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '*') return true;
  for (const m of text.matchAll(/(?:W\/)?("[^"]*")/g)) if (m[1] === want) return true;
  return false;
}
