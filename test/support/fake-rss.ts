import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeRequest, type RawAnswer, sendRaw, startServer } from './fake-http.ts';

/**
 * A fake news site serving RSS 2.0 and Atom feeds on a real HTTP server, with conditional GET (RFC 9110 §13.1):
 * an ETag (strong, from the content) answered by If-None-Match, and Last-Modified answered by If-Modified-Since,
 * both with 304 Not Modified. Every request is recorded with its headers.
 *
 *   const site = await FakeFeeds.start();
 *   site.set('/rss', { body: rssDocument('Кузбасс онлайн', [{ guid: 'n1', title: '…', pubDate }]) });
 *   source config: { url: site.url('/rss') }
 */
export interface FeedAnswer {
  body: string | Buffer;
  contentType?: string;
  /** Send an ETag (default: yes, from the body). */
  etag?: boolean;
  /** Send Last-Modified with this HTTP date. */
  lastModified?: string;
  status?: number;
  headers?: Record<string, string>;
}

export interface FeedRequest {
  path: string;
  headers: FakeRequest['headers'];
}

export class FakeFeeds {
  readonly requests: FeedRequest[] = [];
  readonly #feeds = new Map<string, FeedAnswer>();
  readonly #failures = new Map<string, RawAnswer[]>();
  #close: () => Promise<void> = async () => {};
  base = '';

  static async start(): Promise<FakeFeeds> {
    const f = new FakeFeeds();
    const s = await startServer((req, res) => {
      f.#handle(req, res);
    });
    f.base = s.base;
    f.#close = s.close;
    return f;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  close(): Promise<void> {
    return this.#close();
  }

  set(path: string, answer: FeedAnswer): void {
    this.#feeds.set(path, answer);
  }

  /** The next request for `path` gets this answer instead (an HTML error page, a 429 with Retry-After…). */
  failNext(path: string, answer: RawAnswer): void {
    this.#failures.set(path, [...(this.#failures.get(path) ?? []), answer]);
  }

  requestsOf(path: string): FeedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  #handle(req: FakeRequest, res: ServerResponse) {
    this.requests.push({ path: req.path, headers: req.headers });
    const failure = this.#failures.get(req.path)?.shift();
    if (failure) return sendRaw(res, failure);
    const feed = this.#feeds.get(req.path);
    if (!feed)
      return sendRaw(res, { status: 404, contentType: 'text/html', body: '<html><body><h1>404 Not Found</h1></body></html>' });
    const body = typeof feed.body === 'string' ? Buffer.from(feed.body, 'utf8') : feed.body;
    const etag = feed.etag === false ? undefined : `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const headers: Record<string, string> = { ...feed.headers };
    if (etag) headers.etag = etag;
    if (feed.lastModified) headers['last-modified'] = feed.lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified =
      inm !== undefined
        ? etag !== undefined && inm === etag
        : ims !== undefined && !!feed.lastModified && Date.parse(ims) >= Date.parse(feed.lastModified);
    if (notModified) {
      res.writeHead(304, headers);
      return res.end();
    }
    return sendRaw(res, {
      status: feed.status ?? 200,
      contentType: feed.contentType ?? 'application/rss+xml; charset=utf-8',
      headers,
      body,
    });
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface RssItem {
  guid?: string;
  isPermaLink?: boolean;
  link?: string;
  title?: string;
  /** HTML; escaped into the element unless cdata. */
  description?: string;
  cdata?: boolean;
  /** RFC 822 date, e.g. new Date(…).toUTCString(). */
  pubDate?: string;
  creator?: string;
}

/** An RSS 2.0 document (www.rssboard.org/rss-specification) with the dc and content modules declared. */
export function rssDocument(title: string, items: RssItem[], options: { encoding?: string } = {}): string {
  const body = items
    .map((i) =>
      [
        '    <item>',
        i.title !== undefined ? `      <title>${esc(i.title)}</title>` : '',
        i.link !== undefined ? `      <link>${esc(i.link)}</link>` : '',
        i.guid !== undefined ? `      <guid isPermaLink="${i.isPermaLink === true}">${esc(i.guid)}</guid>` : '',
        i.description !== undefined
          ? i.cdata
            ? `      <description><![CDATA[${i.description}]]></description>`
            : `      <description>${esc(i.description)}</description>`
          : '',
        i.pubDate !== undefined ? `      <pubDate>${i.pubDate}</pubDate>` : '',
        i.creator !== undefined ? `      <dc:creator>${esc(i.creator)}</dc:creator>` : '',
        '    </item>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${options.encoding ?? 'UTF-8'}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>${esc(title)}</title>
    <link>https://news.example/</link>
    <description>Новости</description>
${body}
  </channel>
</rss>
`;
}

export interface AtomEntry {
  id: string;
  title: string;
  link?: string;
  summary?: string;
  /** HTML content (type="html"). */
  content?: string;
  updated: string;
  published?: string;
  author?: string;
}

/** An Atom 1.0 document (RFC 4287). */
export function atomDocument(title: string, entries: AtomEntry[]): string {
  const body = entries
    .map((e) =>
      [
        '  <entry>',
        `    <id>${esc(e.id)}</id>`,
        `    <title type="text">${esc(e.title)}</title>`,
        e.link ? `    <link rel="alternate" type="text/html" href="${esc(e.link)}"/>` : '',
        e.summary !== undefined ? `    <summary type="text">${esc(e.summary)}</summary>` : '',
        e.content !== undefined ? `    <content type="html">${esc(e.content)}</content>` : '',
        `    <updated>${e.updated}</updated>`,
        e.published ? `    <published>${e.published}</published>` : '',
        e.author ? `    <author><name>${esc(e.author)}</name></author>` : '',
        '  </entry>',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${esc(title)}</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-03-02T03:00:00Z</updated>
${body}
</feed>
`;
}
