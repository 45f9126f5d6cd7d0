import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { atomDocument, FakeFeeds, rssDocument } from '../../../../../test/support/fake-rss.ts';
import { HttpClient } from './http.ts';
import { parseFeed, parseRssConfig, type RssCursor, retryAfterMs, rssConnector } from './rss.ts';
import { cleanText, decodeEntities, htmlToText } from './text.ts';
import { ConfigError, type ConnectorEnv, ConnectorError, type FetchResult } from './types.ts';
import { parseXml, XmlError } from './xml.ts';

const NOW = new Date('2026-03-02T03:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);

describe('the XML reader', () => {
  test('elements, attributes, CDATA, entities, comments and prefixes', () => {
    const root = parseXml(`<?xml version="1.0"?>
      <!-- a comment -->
      <rss version="2.0"><channel>
        <title>Мэрия &amp; жители &#8470;1 &#x2116;2</title>
        <item><description><![CDATA[<p>Яма &nbsp;у дома</p>]]></description><dc:creator>Ольга</dc:creator>
          <enclosure url="http://x/a.jpg?a=1&amp;b=2" length="1"/></item>
      </channel></rss>`);
    assert.equal(root.name, 'rss');
    assert.equal(root.attrs.version, '2.0');
    const channel = root.children[0]!;
    assert.equal(channel.children[0]?.text, 'Мэрия & жители №1 №2');
    const item = channel.children[1]!;
    assert.equal(item.children[0]?.text, '<p>Яма &nbsp;у дома</p>', 'CDATA is taken as is');
    assert.equal(item.children[1]?.name, 'dc:creator');
    assert.equal(item.children[2]?.attrs.url, 'http://x/a.jpg?a=1&b=2');
    assert.equal(item.children[2]?.children.length, 0);
  });

  test('a DOCTYPE’s entities are never expanded (no «billion laughs»)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss><t>&lol2;</t></rss>`;
    assert.equal(parseXml(lol).children[0]?.text, '&lol2;');
  });

  test('tolerates a stray closing tag and unclosed elements; refuses a document without a root', () => {
    assert.equal(parseXml('<a><b>x</c></b></a>').children[0]?.text, 'x');
    assert.equal(parseXml('<a><b>y').children[0]?.text, 'y');
    assert.throws(() => parseXml('just text'), XmlError);
    assert.throws(() => parseXml('<a><!-- unterminated'), XmlError);
  });

  const html: Array<[string, string]> = [
    ['<p>Яма&nbsp;у&nbsp;дома</p><p>Вторая строка</p>', 'Яма у дома\nВторая строка'],
    ['Текст<br/>с переносом', 'Текст\nс переносом'],
    ['<script>alert(1)</script>Только текст', 'Только текст'],
    ['&laquo;Кузбасс&raquo; &mdash; &#1071;&#x44F;', '«Кузбасс» — Яя'],
    ['&unknown; &amp;', '&unknown; &'],
    ['<a href="x">ссылка</a>   и   пробелы', 'ссылка и пробелы'],
  ];
  for (const [input, expected] of html) {
    test(`htmlToText(${JSON.stringify(input)})`, () => assert.equal(htmlToText(input), expected));
  }
  test('decodeEntities refuses surrogates and zero', () => {
    assert.equal(decodeEntities('&#0;&#xD800;&#128512;'), '\uFFFD\uFFFD😀');
  });
  test('cleanText removes NUL and repairs lone surrogates, keeps pairs', () => {
    assert.equal(cleanText('a\u0000b\uD83D c\uDE00 😀'), 'ab\uFFFD c\uFFFD 😀');
  });
  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs('120', NOW), 120_000);
    assert.equal(retryAfterMs(new Date(NOW.getTime() + 30_000).toUTCString(), NOW), 30_000);
    assert.equal(retryAfterMs('soon', NOW), undefined);
    assert.equal(retryAfterMs(null, NOW), undefined);
  });
});

describe('RSS settings', () => {
  test('a URL is required and must be http(s)', () => {
    assert.equal(parseRssConfig({ url: 'https://news.example/rss' }).url, 'https://news.example/rss');
    for (const [input, field] of [
      [{}, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: 'https://user:pw@news.example/rss' }, 'url'],
      [{ url: 'https://x', lookbackS: -1 }, 'lookbackS'],
    ] as const) {
      assert.throws(
        () => parseRssConfig(input),
        (e: unknown) => e instanceof ConfigError && e.field === field,
      );
    }
  });
});

describe('RSS/Atom connector against a fake news site', () => {
  let site: FakeFeeds;
  const env = (): ConnectorEnv => ({ http: new HttpClient({ timeoutMs: 5000 }), now: NOW });
  const fetch = (path: string, cursor: RssCursor | null, lookbackS = 86400) =>
    rssConnector.fetch!(
      { id: 1, config: parseRssConfig({ url: site.url(path), lookbackS }), secret: null, replySecret: null },
      cursor,
      env(),
    ) as Promise<FetchResult<RssCursor>>;

  before(async () => {
    site = await FakeFeeds.start();
  });
  after(() => site.close());

  test('RSS 2.0: items of the look-back day; ETag then 304; a new item alone next time', async () => {
    const items = [
      {
        guid: 'https://news.example/n/101',
        isPermaLink: true,
        link: 'https://news.example/n/101',
        title: 'В Белове прорвало трубу',
        description: '<p>Жители улицы Ленина остались без воды&nbsp;с утра.</p>',
        pubDate: ago(3600).toUTCString(),
        creator: 'Редакция',
      },
      { guid: 'n-100', title: 'Старая новость', description: 'неделю назад', pubDate: ago(7 * 86400).toUTCString() },
    ];
    site.set('/rss', { body: rssDocument('Белово онлайн', items) });
    const first = await fetch('/rss', null);
    assert.equal(first.error, undefined);
    assert.deepEqual(
      first.posts.map((p) => [p.externalId, p.url, p.authorName, p.text]),
      [
        [
          'https://news.example/n/101',
          'https://news.example/n/101',
          'Редакция',
          'В Белове прорвало трубу\n\nЖители улицы Ленина остались без воды с утра.',
        ],
      ],
    );
    assert.equal(first.posts[0]?.publishedAt.getTime(), Math.floor(ago(3600).getTime() / 1000) * 1000);
    assert.ok(first.cursor.etag);
    assert.deepEqual(first.cursor.seen, ['https://news.example/n/101', 'n-100']);
    const accept = String(site.requestsOf('/rss')[0]?.headers.accept);
    assert.match(accept, /application\/rss\+xml/);

    const unchanged = await fetch('/rss', first.cursor);
    assert.equal(unchanged.posts.length, 0);
    assert.equal(site.requestsOf('/rss').at(-1)?.headers['if-none-match'], first.cursor.etag);
    assert.deepEqual(unchanged.cursor, first.cursor, '304: the cursor stays');

    site.set('/rss', {
      body: rssDocument('Белово онлайн', [
        { guid: 'n-102', title: 'Яма на Советской', description: 'Опасно', pubDate: ago(60).toUTCString() },
        ...items,
      ]),
    });
    const next = await fetch('/rss', first.cursor);
    assert.deepEqual(
      next.posts.map((p) => p.externalId),
      ['n-102'],
    );
    assert.notEqual(next.cursor.etag, first.cursor.etag);
  });

  test('Last-Modified without an ETag: If-Modified-Since, then 304', async () => {
    const lastModified = ago(600).toUTCString();
    site.set('/lm', {
      body: rssDocument('x', [{ guid: 'lm-1', title: 'Новость', pubDate: ago(60).toUTCString() }]),
      etag: false,
      lastModified,
    });
    const first = await fetch('/lm', null);
    assert.equal(first.cursor.lastModified, lastModified);
    assert.equal(first.cursor.etag, undefined);
    const again = await fetch('/lm', first.cursor);
    assert.equal(site.requestsOf('/lm').at(-1)?.headers['if-modified-since'], lastModified);
    assert.equal(again.posts.length, 0);
  });

  test('Atom: entries with id, the alternate link, HTML content, author; published before updated', async () => {
    site.set('/atom', {
      contentType: 'application/atom+xml',
      body: atomDocument('Кузбасс онлайн', [
        {
          id: 'tag:news.example,2026:1',
          title: 'Отключение света в Кемерове',
          link: 'https://news.example/a/1',
          content: '<p>Плановые работы <b>до 18:00</b></p>',
          updated: ago(60).toISOString(),
          published: ago(120).toISOString(),
          author: 'Анна',
        },
        { id: 'tag:news.example,2026:2', title: 'Только заголовок', summary: 'Кратко', updated: ago(30).toISOString() },
      ]),
    });
    const r = await fetch('/atom', null);
    assert.deepEqual(
      r.posts.map((p) => [p.externalId, p.url, p.authorName, p.text, p.publishedAt.toISOString()]),
      [
        [
          'tag:news.example,2026:1',
          'https://news.example/a/1',
          'Анна',
          'Отключение света в Кемерове\n\nПлановые работы до 18:00',
          ago(120).toISOString(),
        ],
        ['tag:news.example,2026:2', null, null, 'Только заголовок\n\nКратко', ago(30).toISOString()],
      ],
    );
  });

  test('a prefixed Atom feed and RSS 1.0 (RDF) are read too', () => {
    const atom = `<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:entry><atom:id>x1</atom:id><atom:title>Заголовок</atom:title><atom:updated>2026-03-01T00:00:00Z</atom:updated></atom:entry></atom:feed>`;
    assert.deepEqual(
      parseFeed(atom, NOW).map((p) => p.externalId),
      ['x1'],
    );
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/><item rdf:about="https://n.example/1"><title>Новость</title><link>https://n.example/1</link><dc:date>2026-03-01T10:00:00+07:00</dc:date></item></rdf:RDF>`;
    const [p] = parseFeed(rdf, NOW);
    assert.equal(p?.externalId, 'https://n.example/1');
    assert.equal(p?.publishedAt.toISOString(), '2026-03-01T03:00:00.000Z');
  });

  test('windows-1251, named by the XML declaration or by Content-Type', async () => {
    const xml = rssDocument('Новокузнецк', [{ guid: 'cp-1', title: 'Снег не убирают', pubDate: ago(10).toUTCString() }], {
      encoding: 'windows-1251',
    });
    const bytes = Buffer.from(new TextEncoderCp1251().encode(xml));
    site.set('/cp1251', { body: bytes, contentType: 'application/rss+xml' });
    site.set('/cp1251-header', { body: bytes, contentType: 'text/xml; charset=windows-1251' });
    for (const path of ['/cp1251', '/cp1251-header']) {
      const r = await fetch(path, null);
      assert.equal(r.posts[0]?.text, 'Снег не убирают', path);
    }
  });

  test('an item with neither guid nor link gets a stable id from its content; no pubDate → first seen now', async () => {
    site.set('/noid', { body: rssDocument('x', [{ title: 'Без идентификатора', description: 'текст' }]) });
    const a = await fetch('/noid', null);
    const b = await fetch('/noid', null);
    assert.match(a.posts[0]?.externalId ?? '', /^h:[0-9a-f]{32}$/);
    assert.equal(a.posts[0]?.externalId, b.posts[0]?.externalId);
    assert.equal(a.posts[0]?.publishedAt.getTime(), NOW.getTime());
  });

  test('an item whose bytes are not UTF-8 is skipped; the others are kept', async () => {
    const xml = rssDocument('x', [
      { guid: 'u-1', title: 'Нормальная новость', pubDate: ago(10).toUTCString() },
      { guid: 'u-2', title: '@@BAD@@', pubDate: ago(10).toUTCString() },
    ]);
    const [head, tail] = xml.split('@@BAD@@') as [string, string];
    site.set('/badutf', { body: Buffer.concat([Buffer.from(head), Buffer.from([0xd0, 0x41, 0xff]), Buffer.from(tail)]) });
    const r = await fetch('/badutf', null);
    assert.deepEqual(
      r.posts.map((p) => p.externalId),
      ['u-1'],
    );
    assert.deepEqual(r.skipped, [{ externalId: 'u-2', reason: 'invalid UTF-8 in the text' }]);
  });

  const failures: Array<[string, Parameters<FakeFeeds['failNext']>[1], string, number | undefined]> = [
    [
      'an HTML page',
      {
        status: 200,
        contentType: 'text/html',
        body: '<!DOCTYPE html><html><head><title>Сайт</title></head><body><p>Главная</body></html>',
      },
      'bad_response',
      undefined,
    ],
    ['JSON', { status: 200, contentType: 'application/json', body: '{"items":[]}' }, 'bad_response', undefined],
    [
      'broken XML',
      { status: 200, contentType: 'application/rss+xml', body: '<rss><channel><item><title>x</title><!-- ' },
      'bad_response',
      undefined,
    ],
    [
      'another XML document',
      { status: 200, contentType: 'application/xml', body: '<sitemap><url/></sitemap>' },
      'bad_response',
      undefined,
    ],
    ['404', { status: 404, contentType: 'text/html', body: 'not found' }, 'api', undefined],
    ['500', { status: 500, contentType: 'text/html', body: 'oops' }, 'network', undefined],
    ['429 with Retry-After: 120', { status: 429, headers: { 'retry-after': '120' }, body: '' }, 'rate_limit', 120_000],
    ['503 with Retry-After', { status: 503, headers: { 'retry-after': '30' }, body: '' }, 'rate_limit', 30_000],
  ];
  for (const [name, answer, kind, retry] of failures) {
    test(`${name} → ${kind}`, async () => {
      site.set('/fails', { body: rssDocument('x', []) });
      site.failNext('/fails', answer);
      await assert.rejects(
        fetch('/fails', { seen: [] }),
        (e: unknown) => e instanceof ConnectorError && e.kind === kind && e.details.retryAfterMs === retry,
      );
    });
  }
});

/** windows-1251 encoding for the test (TextEncoder only writes UTF-8). */
class TextEncoderCp1251 {
  encode(s: string): Uint8Array {
    const out: number[] = [];
    for (const ch of s) {
      const c = ch.codePointAt(0) as number;
      if (c < 0x80) out.push(c);
      else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
      else if (c === 0x401) out.push(0xa8);
      else if (c === 0x451) out.push(0xb8);
      else out.push(0x3f);
    }
    return Uint8Array.from(out);
  }
}
