import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paging } from './commands/read-requests.ts';
import { etagOf, noneMatchHits } from './http-cache.ts';
import { parseForm } from './open311.routes.ts';
import { georeportStatus, updateOf } from './status.ts';
import { escapeXml, fields, xmlDocument } from './xml.ts';

describe('open311 building blocks', () => {
  test('XML: escaped text, empty elements for null, the UTF-8 declaration first, forbidden characters dropped', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
    assert.equal(escapeXml('x\u0000\u0007y\tz\n'), 'xy\tz\n');
    assert.equal(
      xmlDocument(['errors', [['error', fields({ code: 403, description: 'Invalid <key> & more' })]]]),
      '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>403</code><description>Invalid &lt;key&gt; &amp; more</description></error></errors>',
    );
    assert.equal(
      xmlDocument([
        'service_definition',
        fields(
          { service_code: 'A', attributes: [{ code: 'X', values: [{ key: '1', name: 'n' }] }], none: null },
          { attributes: 'attribute', values: 'value' },
        ),
      ]),
      '<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>A</service_code><attributes><attribute><code>X</code><values><value><key>1</key><name>n</name></value></values></attribute></attributes><none/></service_definition>',
    );
    assert.equal(
      xmlDocument(['discovery', fields({ formats: ['text/xml', 'application/json'] }, { formats: 'format' })]),
      '<?xml version="1.0" encoding="utf-8"?>\n<discovery><formats><format>text/xml</format><format>application/json</format></formats></discovery>',
    );
  });

  test('form bodies: attribute[code]=value, attribute[code][]=… and repeated keys gather into lists', () => {
    const rows: Array<[string, Record<string, unknown>]> = [
      ['api_key=xyz&service_code=001', { api_key: 'xyz', service_code: '001' }],
      ['attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001', { attribute: { WHISPAWN: '123456', WHISDORN: 'COISL001' } }],
      ['attribute[c1][]=v1&attribute[c1][]=v2&attribute[c1][]=v3', { attribute: { c1: ['v1', 'v2', 'v3'] } }],
      ['attribute[c1][]=only', { attribute: { c1: ['only'] } }],
      ['attribute[c1]=a&attribute[c1]=b', { attribute: { c1: ['a', 'b'] } }],
      ['attribute%5Bc1%5D=%D1%8F%D0%BC%D0%B0+2', { attribute: { c1: 'яма 2' } }],
      ['lat=1&lat=2', { lat: ['1', '2'] }],
      ['__proto__=x', JSON.parse('{"__proto__":"x"}')],
    ];
    for (const [body, parsed] of rows) assert.deepEqual(parseForm(body), parsed, body);
    assert.equal(Object.getPrototypeOf(parseForm('__proto__=x')), Object.prototype, 'no prototype pollution');
  });

  test('case status → GeoReport open/closed; timeline events → FixMyStreet update statuses (internal ones hidden)', () => {
    const statuses: Array<[string, 'open' | 'closed']> = [
      ['registered', 'open'],
      ['assigned', 'open'],
      ['in_work', 'open'],
      ['answer_drafted', 'open'],
      ['answered', 'closed'],
      ['rated', 'closed'],
      ['redirected', 'closed'],
      ['closed', 'closed'],
    ];
    for (const [s, g] of statuses) assert.equal(georeportStatus(s), g, s);
    const events: Array<[string, Record<string, unknown>, string | null]> = [
      ['registered', {}, 'open'],
      ['assigned', {}, 'investigating'],
      ['in_work', {}, 'in_progress'],
      ['extended', {}, 'in_progress'],
      ['answered', { result: 'supported' }, 'fixed'],
      ['answered', { result: 'not_supported' }, 'no_further_action'],
      ['answered', { result: 'explained' }, 'closed'],
      ['redirected', {}, 'internal_referral'],
      ['reopened', {}, 'open'],
      ['merged', { kind: 'merged_into' }, 'duplicate'],
      ['merged', { kind: 'cluster_joined' }, null],
      ['withdrawn', {}, 'closed'],
      ['answer_drafted', {}, null],
      ['draft_returned', {}, null],
      ['rated', {}, null],
      ['received', {}, null],
    ];
    for (const [type, data, status] of events)
      assert.equal(updateOf(type, data)?.status ?? null, status, `${type} ${JSON.stringify(data)}`);
  });

  test('If-None-Match: the tag itself, weakly (W/ ignored), in a list, or *; nothing else', () => {
    const tag = etagOf('[]');
    assert.match(tag, /^"[A-Za-z0-9_-]{43}"$/);
    assert.equal(etagOf('[]'), tag, 'the same bytes, the same tag');
    assert.notEqual(etagOf('[ ]'), tag);
    const rows: Array<[string | string[] | undefined, boolean]> = [
      [undefined, false],
      ['', false],
      [tag, true],
      [`W/${tag}`, true],
      [`"a", ${tag}`, true],
      [`"a",W/${tag} , "b"`, true],
      [['"a"', tag], true],
      ['*', true],
      [' * ', true],
      ['"a"', false],
      [`${tag.slice(0, -2)}"`, false],
      [tag.replaceAll('"', ''), false],
    ];
    for (const [header, hit] of rows) assert.equal(noneMatchHits(header, tag), hit, JSON.stringify(header));
  });

  test('paging (the Pagination extension): page from 1, page_size 1…1000, 1000 by default; anything else names the field', () => {
    const ok: Array<[string | undefined, string | undefined, { page: number; size: number }]> = [
      [undefined, undefined, { page: 1, size: 1000 }],
      ['', '', { page: 1, size: 1000 }],
      ['2', undefined, { page: 2, size: 1000 }],
      [' 3 ', '50', { page: 3, size: 50 }],
      ['1', '1000', { page: 1, size: 1000 }],
      ['1', '1', { page: 1, size: 1 }],
    ];
    for (const [page, size, expected] of ok) assert.deepEqual(paging(page, size), expected, `${page} ${size}`);
    const bad: Array<[string | undefined, string | undefined, RegExp]> = [
      ['0', undefined, /page/],
      ['-1', undefined, /page/],
      ['1.5', undefined, /page/],
      ['1e3', undefined, /page/],
      ['x', undefined, /page/],
      ['9999999999', undefined, /page/],
      [undefined, '0', /page_size/],
      [undefined, '1001', /page_size.*1000/],
      [undefined, '10;', /page_size/],
    ];
    for (const [page, size, field] of bad) {
      assert.throws(
        () => paging(page, size),
        (e: Error & { details?: Array<{ field: string }> }) => field.test(JSON.stringify(e.details ?? e.message)),
        `${page} ${size}`,
      );
    }
  });
});
