import { createHash } from 'node:crypto';
import { type Fields, httpUrl, integer, objectOf } from './config.ts';
import { charsetOf, decodeText, type HttpResponse, preview } from './http.ts';
import { checkPosts, externalIdOf, htmlToText } from './text.ts';
import {
  type Connector,
  type ConnectorEnv,
  ConnectorError,
  type ConnectorSource,
  emptyResult,
  type FetchedPost,
  type FetchResult,
} from './types.ts';
import { child, children, parseXml, stripPrefix, textOf, type XmlElement, type XmlError } from './xml.ts';

/*
 * RSS 2.0 (www.rssboard.org/rss-specification: channel/item with title, link, description, guid, pubDate in RFC 822
 * form, author; content:encoded and dc:creator/dc:date from the usual modules), RSS 1.0 (rdf:RDF/item) and Atom
 * (RFC 4287: feed/entry with id, link rel="alternate", title, summary, content, published/updated, author/name).
 *
 * Conditional GET (RFC 9110 §13.1): the cursor keeps the feed's ETag and Last-Modified and sends them back as
 * If-None-Match and If-Modified-Since; 304 Not Modified means nothing new. It also keeps the ids of the items in
 * the feed at the last poll, so only items not seen then are handed on (the unique key would drop them anyway).
 * An item's id is its guid (Atom: id), else its link, else a hash of its title, date and text. The charset comes from
 * Content-Type, else the XML declaration (local news sites still serve windows-1251), else UTF-8.
 */

export interface RssConfig {
  url: string;
  /** The first poll takes items published within this many seconds (0: all in the feed). */
  lookbackS: number;
}

export interface RssCursor {
  etag?: string;
  lastModified?: string;
  /** Ids of the items in the feed at the last poll. */
  seen?: string[];
}

const MAX_SEEN = 1000;

export function parseRssConfig(input: unknown): RssConfig {
  const f: Fields = objectOf(input, ['url', 'lookbackS']);
  return { url: httpUrl(f, 'url'), lookbackS: integer(f, 'lookbackS', 86400, 0, 365 * 86400) };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function normalizeRssCursor(raw: unknown): RssCursor {
  if (!isObj(raw)) return {};
  const out: RssCursor = {};
  if (typeof raw.etag === 'string') out.etag = raw.etag;
  if (typeof raw.lastModified === 'string') out.lastModified = raw.lastModified;
  if (Array.isArray(raw.seen)) out.seen = raw.seen.filter((x): x is string => typeof x === 'string').slice(0, MAX_SEEN);
  return out;
}

/** Retry-After (RFC 9110 §10.2.3): seconds or an HTTP date; milliseconds from now, if given. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** The encoding named in the XML declaration (read as ASCII from the first bytes). */
function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 200).toString('latin1');
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
}

/** All the text inside an element (Atom's type="xhtml" content is markup). */
function deepText(el: XmlElement): string {
  return [el.text, ...el.children.map(deepText)].join(' ');
}

function contentText(el: XmlElement | undefined): string {
  if (!el) return '';
  const type = el.attrs.type ?? 'text';
  if (type === 'xhtml') return htmlToText(deepText(el));
  // RSS descriptions are HTML (escaped or in CDATA); so is Atom's type="html". Plain text may still hold entities.
  return htmlToText(el.text);
}

function parseDate(...values: Array<string | undefined>): Date | undefined {
  for (const v of values) {
    if (!v) continue;
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return new Date(t);
  }
  return undefined;
}

const join = (title: string | undefined, body: string) =>
  [title ? htmlToText(title) : '', body].filter((x) => x.trim()).join('\n\n');

const hashId = (...parts: Array<string | undefined>) =>
  `h:${createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 32)}`;

function rssItem(item: XmlElement, now: Date): FetchedPost {
  const title = textOf(item, 'title');
  const link = textOf(item, 'link');
  const guidEl = child(item, 'guid');
  const guid = guidEl?.text.trim() || item.attrs['rdf:about'];
  const description = child(item, 'description') ?? child(item, 'content:encoded');
  const body = contentText(description);
  const published = parseDate(textOf(item, 'pubDate'), textOf(item, 'dc:date'));
  const permalink = guidEl && guidEl.attrs.isPermaLink !== 'false' && /^https?:\/\//.test(guid ?? '') ? guid : undefined;
  return {
    externalId: guid || link || hashId(title, textOf(item, 'pubDate'), body),
    parentExternalId: null,
    url: link ?? permalink ?? null,
    authorHandle: null,
    authorName: textOf(item, 'dc:creator') ?? textOf(item, 'author') ?? null,
    text: join(title, body),
    // pubDate is optional in RSS 2.0: an item without one counts as published when we first saw it.
    publishedAt: published ?? now,
    raw: { title, link, guid, pubDate: textOf(item, 'pubDate'), description: description?.text.slice(0, 20_000) },
  };
}

function atomEntry(entry: XmlElement, now: Date): FetchedPost {
  const links = children(entry, 'link');
  const link = (links.find((l) => (l.attrs.rel ?? 'alternate') === 'alternate') ?? links[0])?.attrs.href;
  const title = child(entry, 'title');
  const titleText = title ? contentText(title) : undefined;
  const summary = child(entry, 'summary') ?? child(entry, 'content');
  const body = contentText(summary);
  const id = textOf(entry, 'id');
  const published = parseDate(textOf(entry, 'published'), textOf(entry, 'updated'));
  return {
    externalId: id || link || hashId(titleText, textOf(entry, 'updated'), body),
    parentExternalId: null,
    url: link ?? null,
    authorHandle: null,
    authorName: textOf(child(entry, 'author'), 'name') ?? null,
    text: [titleText ?? '', body].filter((x) => x.trim()).join('\n\n'),
    publishedAt: published ?? now,
    raw: { id, link, title: titleText, updated: textOf(entry, 'updated'), summary: summary?.text.slice(0, 20_000) },
  };
}

/** The items of an RSS 2.0, RSS 1.0 or Atom document; anything else is a bad response. */
export function parseFeed(xml: string, now: Date): FetchedPost[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    throw new ConnectorError('bad_response', `the feed is not well-formed XML: ${(error as XmlError).message}`);
  }
  const prefix = /^([A-Za-z_][\w.-]*):feed$/.exec(root.name)?.[1];
  if (prefix) stripPrefix(root, prefix);
  if (root.name === 'rss') return children(child(root, 'channel'), 'item').map((i) => rssItem(i, now));
  if (root.name === 'rdf:RDF') return children(root, 'item').map((i) => rssItem(i, now));
  if (root.name === 'feed') return children(root, 'entry').map((e) => atomEntry(e, now));
  if (root.name.toLowerCase() === 'html')
    throw new ConnectorError('bad_response', 'the feed URL answered with an HTML page, not RSS or Atom');
  throw new ConnectorError('bad_response', `not an RSS or Atom feed: the root element is <${root.name}>`);
}

function failure(res: HttpResponse, now: Date): ConnectorError {
  const retry = retryAfterMs(res.headers.get('retry-after'), now);
  if (res.status === 429 || (res.status === 503 && retry !== undefined)) {
    return new ConnectorError('rate_limit', `the feed answered HTTP ${res.status}`, {
      code: res.status,
      ...(retry !== undefined && { retryAfterMs: retry }),
    });
  }
  if (res.status >= 500) return new ConnectorError('network', `the feed answered HTTP ${res.status}`, { code: res.status });
  if (res.status === 401 || res.status === 403)
    return new ConnectorError('auth', `the feed answered HTTP ${res.status}`, { code: res.status });
  return new ConnectorError('api', `the feed answered HTTP ${res.status}`, { code: res.status });
}

async function fetchRss(source: ConnectorSource<RssConfig>, raw: unknown, env: ConnectorEnv): Promise<FetchResult<RssCursor>> {
  const cursor = normalizeRssCursor(raw);
  const headers: Record<string, string> = {
    accept:
      'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1',
  };
  if (cursor.etag) headers['if-none-match'] = cursor.etag;
  if (cursor.lastModified) headers['if-modified-since'] = cursor.lastModified;
  const res = await env.http.request(source.config.url, { headers });
  if (res.status === 304) return emptyResult(cursor);
  if (res.status < 200 || res.status >= 300) throw failure(res, env.now);
  const charset = charsetOf(res.headers.get('content-type')) ?? declaredEncoding(res.body) ?? 'utf-8';
  const { text, lossy } = decodeText(res.body, charset);
  if (!text.trimStart().startsWith('<')) throw new ConnectorError('bad_response', `the feed is not XML: ${preview(text)}`);
  const items = parseFeed(text, env.now);
  const seen = new Set(cursor.seen ?? []);
  const firstPoll = cursor.seen === undefined;
  const since = env.now.getTime() - source.config.lookbackS * 1000;
  const fresh = items.filter(
    (p) =>
      !seen.has(externalIdOf(p.externalId)) && !(firstPoll && source.config.lookbackS > 0 && p.publishedAt.getTime() < since),
  );
  const checked = checkPosts(fresh, { lossyDecoding: lossy });
  const next: RssCursor = { seen: [...new Set(items.map((p) => externalIdOf(p.externalId)))].slice(0, MAX_SEEN) };
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) next.etag = etag;
  if (lastModified) next.lastModified = lastModified;
  return { ...emptyResult(next), posts: checked.posts, skipped: checked.skipped };
}

export const rssConnector: Connector<RssConfig, RssCursor> = {
  kind: 'rss',
  parseConfig: parseRssConfig,
  secretRequired: false,
  fetch: fetchRss,
};
