import { createHash } from 'node:crypto';
import { type FetchedPost, MAX_EXTERNAL_ID, MAX_POST_TEXT, MAX_RAW_JSON, type SkippedItem } from './types.ts';

/*
 * Text as PostgreSQL will take it. `text` and `jsonb` refuse U+0000, and a lone UTF-16 surrogate (from a broken
 * emoji or a `\ud83d` escape in someone's JSON) becomes an invalid escape in jsonb: both are cleaned here, before
 * any insert, so one bad post can never fail the transaction that stores its neighbours.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what must go
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes NUL and replaces lone surrogates with U+FFFD. */
export function cleanText(s: string): string {
  return s.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A JSON value with every string (keys too) cleaned for jsonb; depth-limited, non-JSON values dropped. */
export function cleanJson(value: unknown, depth = 0): unknown {
  if (depth > 40) return null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => cleanJson(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[cleanText(k)] = cleanJson(v, depth + 1);
    }
    return out;
  }
  return null;
}

/** The raw item to store: cleaned, or a stub naming its size when it is too large to keep. */
export function rawForStorage(raw: unknown): unknown {
  const cleaned = cleanJson(raw);
  const json = JSON.stringify(cleaned) ?? 'null';
  return json.length > MAX_RAW_JSON ? { truncated: true, jsonLength: json.length } : cleaned;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  mdash: '—',
  ndash: '–',
  minus: '−',
  hellip: '…',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  deg: '°',
  times: '×',
  euro: '€',
  rub: '₽',
  numero: '№',
  sect: '§',
  shy: '',
  zwj: '',
  zwnj: '',
  thinsp: ' ',
  ensp: ' ',
  emsp: ' ',
};

function codePoint(n: number): string {
  if (!Number.isInteger(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(n);
}

/** Decodes HTML character references (the common named ones, decimal and hex); unknown names are left as they are. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref[0] === '#')
      return codePoint(ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Plain text of an HTML fragment (a feed's description): scripts and styles dropped, block ends and <br> as line
 * breaks, tags removed, entities decoded, runs of spaces collapsed.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|blockquote|tr)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ');
  return decodeEntities(text)
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** An external id that fits the column: long ones (a feed's link as its guid) become their SHA-256. */
export function externalIdOf(id: string): string {
  const cleaned = cleanText(id).trim();
  return cleaned.length <= MAX_EXTERNAL_ID ? cleaned : `sha256:${createHash('sha256').update(cleaned).digest('hex')}`;
}

const clip = (s: string | null, max: number) => (s === null ? null : s.length > max ? s.slice(0, max) : s);

/**
 * The last check before a post is handed to the poller: cleans every string, and refuses (as a skipped item) a post
 * with no text, too long a text, no usable date, or characters lost to invalid UTF-8 in the response.
 */
export function checkPost(post: FetchedPost, options: { lossyDecoding?: boolean } = {}): FetchedPost | SkippedItem {
  const externalId = externalIdOf(post.externalId);
  if (!externalId) return { externalId: null, reason: 'no id' };
  if (post.text.length > MAX_POST_TEXT) {
    return { externalId, reason: `text longer than ${MAX_POST_TEXT} characters (${post.text.length})` };
  }
  const text = cleanText(post.text).trim();
  if (!text) return { externalId, reason: 'no text' };
  // The response was not valid UTF-8: a post showing the replacement character lost some of its text.
  if (options.lossyDecoding && text.includes('\uFFFD')) return { externalId, reason: 'invalid UTF-8 in the text' };
  if (!(post.publishedAt instanceof Date) || Number.isNaN(post.publishedAt.getTime())) {
    return { externalId, reason: 'no valid publication date' };
  }
  const url = post.url && /^https?:\/\//i.test(post.url) ? clip(cleanText(post.url), 2000) : null;
  return {
    externalId,
    parentExternalId: post.parentExternalId === null ? null : externalIdOf(post.parentExternalId) || null,
    url,
    authorHandle: clip(post.authorHandle === null ? null : cleanText(post.authorHandle), 500),
    authorName: clip(post.authorName === null ? null : cleanText(post.authorName), 500),
    text,
    publishedAt: post.publishedAt,
    raw: rawForStorage(post.raw),
  };
}

export const isSkipped = (x: FetchedPost | SkippedItem): x is SkippedItem => 'reason' in x;

/** Runs checkPost over a batch, splitting it into posts and skipped items. */
export function checkPosts(
  posts: readonly FetchedPost[],
  options: { lossyDecoding?: boolean } = {},
): { posts: FetchedPost[]; skipped: SkippedItem[] } {
  const out: FetchedPost[] = [];
  const skipped: SkippedItem[] = [];
  for (const p of posts) {
    const checked = checkPost(p, options);
    if (isSkipped(checked)) skipped.push(checked);
    else out.push(checked);
  }
  return { posts: out, skipped };
}
