import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

// Written from the spec (open311.org GeoReport v2 index.md, Service_Discovery.md) and FixMyStreet's
// servicerequestupdates (mysociety/fixmystreet perllib/Open311): element names, error codes and shapes as they
// give them — not read back from our own presenters.

/** A minimal XML reader for the tests (elements, text, entities): independent of the serializer under test. */
interface El {
  name: string;
  children: El[];
  text: string;
}
function parseXml(src: string): El {
  assert.match(src, /^<\?xml version="1\.0" encoding="utf-8"\?>/i, 'the XML declaration with UTF-8 comes first');
  const body = src.replace(/^<\?xml[^>]*\?>\s*/, '');
  const root: El = { name: '#doc', children: [], text: '' };
  const stack: El[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const top = stack.at(-1) as El;
    if (m[4] !== undefined) {
      top.text += m[4]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    } else if (m[1]) {
      assert.equal(top.name, m[2], `closing </${m[2]}> matches <${top.name}>`);
      stack.pop();
    } else {
      const el: El = { name: m[2] as string, children: [], text: '' };
      top.children.push(el);
      if (!m[3]) stack.push(el);
    }
  }
  assert.equal(stack.length, 1, 'every element is closed');
  assert.equal(root.children.length, 1, 'one root element');
  return root.children[0] as El;
}
const names = (e: El) => e.children.map((c) => c.name);
const child = (e: El, name: string) => e.children.find((c) => c.name === name);
const textOf = (e: El, name: string) => child(e, name)?.text;

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

describe('Open311 GeoReport v2', () => {
  let t: TestContext;
  let kem: number;
  let admin: Session;
  let operator: Session;
  let apiKey: string;
  let apiKeyId: number;
  let roadsDept: number;
  let pothole: number;
  let light: number;
  const J = '32701000'; // Кемерово's OKTMO

  const form = (fields: Array<[string, string]>) =>
    fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const post = (fields: Array<[string, string]>, format = 'json') =>
    t.app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${format}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payload: form(fields),
    });
  const get = (url: string) => t.app.inject({ url });
  const base = (): Array<[string, string]> => [
    ['api_key', apiKey],
    ['jurisdiction_id', J],
    ['service_code', 'PIT'],
    ['lat', '55.355'],
    ['long', '86.087'],
    ['description', 'Глубокая яма у остановки'],
    ['attribute[SIZE]', 'big'],
  ];

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    t.clock.set('2026-04-30T03:00:00Z'); // 10:00 in Кемерово
    [admin, operator] = await Promise.all([login(t.app, 'kem.admin@otklik.demo'), login(t.app, 'kem.operator@otklik.demo')]);
    const cats = (await get(`/api/v1/municipalities/${kem}/categories`)).json().items as Array<{
      name: string;
      departmentId: number;
    }>;
    roadsDept = cats.find((c) => c.name === 'Дороги и тротуары')!.departmentId;
    const mk = async (name: string, regime: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/municipalities/${kem}/categories`,
        headers: as(admin),
        payload: { name, regime, departmentId: roadsDept },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as number;
    };
    pothole = await mk('Яма на дороге', 'message');
    light = await mk('Не горит фонарь', 'incident');
    const svc = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/categories/${pothole}/service`,
      headers: as(admin),
      payload: { serviceCode: 'PIT', description: 'Ямы & выбоины <на дорогах>', keywords: 'яма, выбоина', group: 'Дороги' },
    });
    assert.equal(svc.statusCode, 200, svc.body);
    assert.equal(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/categories/${light}/service`,
          headers: as(admin),
          payload: { serviceCode: 'LIGHT' },
        })
      ).statusCode,
      200,
    );
    const attrs = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/categories/${pothole}/attributes`,
      headers: as(admin),
      payload: {
        items: [
          {
            code: 'SIZE',
            datatype: 'singlevaluelist',
            required: true,
            description: 'Какого размера яма?',
            values: [
              { key: 'small', name: 'Меньше 30 см' },
              { key: 'big', name: 'Больше 30 см' },
            ],
          },
          { code: 'DEPTH', datatype: 'number', required: false, description: 'Глубина, см', datatypeDescription: 'число' },
          {
            code: 'HAZARDS',
            datatype: 'multivaluelist',
            required: false,
            description: 'Что рядом?',
            values: [
              { key: 'stop', name: 'Остановка' },
              { key: 'school', name: 'Школа' },
            ],
          },
          { code: 'SEEN', datatype: 'datetime', required: false, description: 'Когда заметили?' },
          { code: 'INFO', datatype: 'text', required: false, variable: false, description: 'Фото приветствуется' },
        ],
      },
    });
    assert.equal(attrs.statusCode, 200, attrs.body);
    const key = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/api-keys`,
      headers: as(admin),
      payload: { name: 'FixMyStreet-клиент' },
    });
    assert.equal(key.statusCode, 201, key.body);
    apiKey = key.json().key;
    apiKeyId = key.json().id;
  });
  after(() => t.close());

  test('service discovery: /open311/discovery.json and .xml with every field the spec requires', async () => {
    const j = await get('/open311/discovery.json');
    assert.equal(j.statusCode, 200);
    assert.match(String(j.headers['content-type']), /^application\/json; charset=utf-8/);
    const d = j.json();
    assert.deepEqual(Object.keys(d).sort(), ['changeset', 'contact', 'endpoints', 'key_service']);
    assert.equal(d.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.equal(d.endpoints[0].url, 'http://localhost:3000/open311/v2');
    assert.equal(d.endpoints[0].type, 'production');
    assert.deepEqual(d.endpoints[0].formats, ['text/xml', 'application/json']);
    const x = await get('/open311/discovery.xml');
    assert.match(String(x.headers['content-type']), /^text\/xml; charset=utf-8/);
    const root = parseXml(x.body);
    assert.equal(root.name, 'discovery');
    assert.deepEqual(names(root), ['changeset', 'contact', 'key_service', 'endpoints']);
    const ep = child(child(root, 'endpoints')!, 'endpoint')!;
    assert.deepEqual(names(ep), ['specification', 'url', 'changeset', 'type', 'formats']);
    assert.deepEqual(
      child(ep, 'formats')!.children.map((f) => [f.name, f.text]),
      [
        ['format', 'text/xml'],
        ['format', 'application/json'],
      ],
    );
  });

  test('GET services: the public categories with the spec’s fields; appeals are not services', async () => {
    const r = await get(`/open311/v2/services.json?jurisdiction_id=${J}`);
    assert.equal(r.statusCode, 200, r.body);
    const list = r.json() as Array<Record<string, unknown>>;
    const p = list.find((s) => s.service_code === 'PIT')!;
    assert.deepEqual(p, {
      service_code: 'PIT',
      service_name: 'Яма на дороге',
      description: 'Ямы & выбоины <на дорогах>',
      metadata: true,
      type: 'realtime',
      keywords: 'яма, выбоина',
      group: 'Дороги',
    });
    assert.equal(list.find((s) => s.service_code === 'LIGHT')?.metadata, false, 'no attributes: metadata false');
    assert.ok(!list.some((s) => s.service_name === 'Дороги и тротуары'), 'an appeal category (59-ФЗ) is not a service');
    // The case prefix is accepted as the jurisdiction too.
    const byPrefix = await get(`/open311/v2/services.json?jurisdiction_id=${encodeURIComponent('КЕМ')}`);
    assert.deepEqual(byPrefix.json(), list);

    const x = parseXml((await get(`/open311/v2/services.xml?jurisdiction_id=${J}`)).body);
    assert.equal(x.name, 'services');
    assert.ok(x.children.every((c) => c.name === 'service'));
    const px = x.children.find((c) => textOf(c, 'service_code') === 'PIT')!;
    assert.deepEqual(names(px), ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    assert.equal(textOf(px, 'description'), 'Ямы & выбоины <на дорогах>', 'escaped and read back');
    assert.equal(textOf(px, 'metadata'), 'true');
    assert.equal(textOf(px, 'type'), 'realtime');
  });

  test('GET service definition: attributes with variable, code, datatype, required, datatype_description, order, description, values', async () => {
    const r = await get(`/open311/v2/services/PIT.json?jurisdiction_id=${J}`);
    assert.equal(r.statusCode, 200, r.body);
    const d = r.json();
    assert.equal(d.service_code, 'PIT');
    assert.deepEqual(d.attributes[0], {
      variable: true,
      code: 'SIZE',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: null,
      order: 1,
      description: 'Какого размера яма?',
      values: [
        { key: 'small', name: 'Меньше 30 см' },
        { key: 'big', name: 'Больше 30 см' },
      ],
    });
    assert.deepEqual(
      d.attributes.map((a: { code: string; order: number; variable: boolean }) => [a.code, a.order, a.variable]),
      [
        ['SIZE', 1, true],
        ['DEPTH', 2, true],
        ['HAZARDS', 3, true],
        ['SEEN', 4, true],
        ['INFO', 5, false],
      ],
    );
    // The category id is its service code too when it has none of its own — here it has one, so the id is unknown.
    assert.equal((await get(`/open311/v2/services/${pothole}.json?jurisdiction_id=${J}`)).statusCode, 404);

    const x = parseXml((await get(`/open311/v2/services/PIT.xml?jurisdiction_id=${J}`)).body);
    assert.equal(x.name, 'service_definition');
    assert.deepEqual(names(x), ['service_code', 'attributes']);
    const a = child(x, 'attributes')!.children[0]!;
    assert.equal(a.name, 'attribute');
    assert.deepEqual(names(a), [
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ]);
    const v = child(a, 'values')!.children;
    assert.deepEqual(
      v.map((e) => [e.name, names(e), textOf(e, 'key'), textOf(e, 'name')]),
      [
        ['value', ['key', 'name'], 'small', 'Меньше 30 см'],
        ['value', ['key', 'name'], 'big', 'Больше 30 см'],
      ],
    );
  });

  test('errors in the spec’s format: 404 unknown service or jurisdiction, 400 missing jurisdiction, JSON and XML', async () => {
    const cases: Array<[string, number, RegExp]> = [
      [`/open311/v2/services/NOPE.json?jurisdiction_id=${J}`, 404, /service_code "NOPE" not found/],
      ['/open311/v2/services.json?jurisdiction_id=99999999', 404, /jurisdiction_id "99999999" not found/],
      ['/open311/v2/services.json', 400, /jurisdiction_id was not provided/],
      ['/open311/v2/requests.json', 400, /jurisdiction_id was not provided/],
      [`/open311/v2/requests/${encodeURIComponent('КЕМ-2026-999999')}.json?jurisdiction_id=${J}`, 404, /not found/],
      [`/open311/v2/tokens/abc.json?jurisdiction_id=${J}`, 404, /token "abc" not found/],
      [`/open311/v2/services.csv?jurisdiction_id=${J}`, 400, /format/],
      ['/open311/v2/nothing-here.json', 404, /not found/],
    ];
    for (const [url, status, re] of cases) {
      const r = await get(url);
      assert.equal(r.statusCode, status, `${url}: ${r.body}`);
      const body = r.json() as Array<{ code: number; description: string }>;
      assert.equal(body.length, 1, url);
      assert.deepEqual(Object.keys(body[0]!), ['code', 'description']);
      assert.equal(body[0]!.code, status, url);
      assert.match(body[0]!.description, re, url);
    }
    const x = await get(`/open311/v2/services/NOPE.xml?jurisdiction_id=${J}`);
    assert.equal(x.statusCode, 404);
    assert.match(String(x.headers['content-type']), /^text\/xml/);
    const root = parseXml(x.body);
    assert.equal(root.name, 'errors');
    assert.deepEqual(names(root.children[0]!), ['code', 'description']);
    assert.equal(root.children[0]!.name, 'error');
    assert.equal(textOf(root.children[0]!, 'code'), '404');
  });

  test('POST without an api_key, with an unknown one or a revoked one → 403 in the spec’s error format', async () => {
    const noKey = await post(base().filter(([k]) => k !== 'api_key'));
    assert.equal(noKey.statusCode, 403, noKey.body);
    assert.equal(noKey.json()[0].code, 403);
    assert.match(noKey.json()[0].description, /api_key/);
    const wrong = await post([['api_key', 'o311_not-a-key'], ...base().slice(1)]);
    assert.equal(wrong.statusCode, 403);
    assert.match(wrong.json()[0].description, /Invalid api_key/);
    const xmlErr = await post(
      base().filter(([k]) => k !== 'api_key'),
      'xml',
    );
    assert.equal(xmlErr.statusCode, 403);
    const root = parseXml(xmlErr.body);
    assert.equal(root.name, 'errors');
    assert.equal(textOf(root.children[0]!, 'code'), '403');

    // A key issued and revoked: refused at once.
    const k = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/api-keys`,
      headers: as(admin),
      payload: { name: 'временный' },
    });
    const temp = k.json() as { id: number; key: string };
    assert.equal((await post([['api_key', temp.key], ...base().slice(1)])).statusCode, 200);
    const rv = await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${temp.id}/revoke`, headers: as(admin) });
    assert.equal(rv.statusCode, 200, rv.body);
    assert.ok(rv.json().revokedAt);
    const revoked = await post([['api_key', temp.key], ...base().slice(1)]);
    assert.equal(revoked.statusCode, 403);
    assert.deepEqual(Object.keys(revoked.json()[0]), ['code', 'description']);
  });

  test('POST rules: 404 unknown service_code or jurisdiction, 400 naming a missing required attribute or a bad value', async () => {
    const without = (name: string) => base().filter(([k]) => k !== name);
    const cases: Array<[string, Array<[string, string]>, number, RegExp]> = [
      ['unknown service', [...without('service_code'), ['service_code', 'NOPE']], 404, /service_code "NOPE" not found/],
      ['an appeal category', [...without('service_code'), ['service_code', 'nope-appeal']], 404, /not found/],
      ['unknown jurisdiction', [...without('jurisdiction_id'), ['jurisdiction_id', '11111111']], 404, /jurisdiction_id/],
      ['another jurisdiction', [...without('jurisdiction_id'), ['jurisdiction_id', '32707000']], 403, /not valid/],
      ['no service_code', without('service_code'), 400, /service_code was not provided/],
      ['required attribute missing', without('attribute[SIZE]'), 400, /attribute\[SIZE\].*required/],
      ['value not offered', [...without('attribute[SIZE]'), ['attribute[SIZE]', 'huge']], 400, /attribute\[SIZE\].*huge/],
      ['not a number', [...base(), ['attribute[DEPTH]', 'deep']], 400, /attribute\[DEPTH\].*not a number/],
      ['datetime without a zone', [...base(), ['attribute[SEEN]', '2026-04-29T10:00']], 400, /attribute\[SEEN\]/],
      ['unknown attribute', [...base(), ['attribute[COLOUR]', 'red']], 400, /attribute\[COLOUR\]/],
      ['information is not answered', [...base(), ['attribute[INFO]', 'x']], 400, /attribute\[INFO\]/],
      ['no location', without('lat').filter(([k]) => k !== 'long'), 400, /location is required/],
      ['lat without long', without('long'), 400, /long/],
      ['description over 4000', [...without('description'), ['description', 'я'.repeat(4001)]], 400, /description/],
      ['not a GeoReport field', [...base(), ['colour', 'red']], 400, /colour/],
      ['bad e-mail', [...base(), ['email', 'not-an-address']], 400, /email/],
    ];
    for (const [name, fields, status, re] of cases) {
      const r = await post(fields);
      assert.equal(r.statusCode, status, `${name}: ${r.body}`);
      assert.equal(r.json()[0].code, status, name);
      assert.match(r.json()[0].description, re, name);
    }
  });

  test('POST a request: form-encoded with attributes → [{service_request_id, service_notice, account_id}]; a case in the staff queue with channel open311 and the deadline engine’s deadline', async () => {
    const r = await post([
      ...base(),
      ['attribute[HAZARDS][]', 'stop'],
      ['attribute[HAZARDS][]', 'school'],
      ['attribute[DEPTH]', '12.5'],
      ['address_string', 'пр. Ленина, 1, Кемерово'],
      ['email', 'reporter@example.org'],
      ['first_name', 'Пётр'],
      ['last_name', 'Сидоров'],
      ['phone', '+7 900 000-00-00'],
      ['device_id', 'tt222111'],
      ['media_url', 'https://example.org/photo.jpg'],
    ]);
    assert.equal(r.statusCode, 200, r.body);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const created = r.json() as Array<{ service_request_id: string; service_notice: string | null; account_id: null }>;
    assert.equal(created.length, 1);
    assert.deepEqual(Object.keys(created[0]!), ['service_request_id', 'service_notice', 'account_id']);
    assert.equal(created[0]!.account_id, null);
    const number = created[0]!.service_request_id;
    assert.match(number, /^КЕМ-2026-\d{6}$/);

    // The staff queue: the case with channel open311, routed to the category's department, with its deadline.
    const queue = await t.app.inject({ url: '/api/v1/cases?channel=open311&limit=200', headers: as(operator) });
    assert.equal(queue.statusCode, 200, queue.body);
    const item = (
      queue.json().items as Array<{
        id: number;
        number: string;
        channel: string;
        regime: string;
        departmentId: number;
        due: { dueAt: string } | null;
      }>
    ).find((c) => c.number === number)!;
    assert.ok(item, 'in the queue');
    assert.equal(item.channel, 'open311');
    assert.equal(item.regime, 'message');
    assert.equal(item.departmentId, roadsDept);
    assert.ok(item.due?.dueAt, 'a deadline from the deadline engine');
    assert.match(created[0]!.service_notice ?? '', new RegExp(item.due.dueAt.replace(/[+]/g, '\\+')));

    // The card: contacts from the form (no account), the answers to the questions.
    const card = await t.app.inject({ url: `/api/v1/cases/${item.id}`, headers: as(operator) });
    const c = card.json();
    assert.equal(c.applicant.userId, null);
    assert.equal(c.applicant.lastName, 'Сидоров');
    assert.equal(c.applicant.email, 'reporter@example.org');
    assert.deepEqual(c.attributes, { SIZE: 'big', DEPTH: '12.5', HAZARDS: ['stop', 'school'] });
    assert.equal(c.timeline[0].type, 'received');
    assert.deepEqual(c.timeline[0].data, { channel: 'open311' });

    // GET the request: the spec's fields, expected_datetime = the case's deadline, no personal data.
    const one = await get(`/open311/v2/requests/${encodeURIComponent(number)}.json?jurisdiction_id=${J}`);
    assert.equal(one.statusCode, 200, one.body);
    const [req] = one.json() as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(req!), REQUEST_FIELDS);
    assert.equal(req!.service_request_id, number);
    assert.equal(req!.status, 'open');
    assert.equal(req!.service_code, 'PIT');
    assert.equal(req!.service_name, 'Яма на дороге');
    assert.equal(req!.description, 'Глубокая яма у остановки');
    assert.equal(req!.agency_responsible, 'Управление дорожного хозяйства и транспорта');
    assert.equal(req!.expected_datetime, item.due.dueAt);
    assert.equal(req!.requested_datetime, '2026-04-30T10:00:00+07:00');
    assert.equal(req!.address, 'пр. Ленина, 1, Кемерово');
    assert.equal(req!.lat, 55.355);
    assert.equal(req!.long, 86.087);
    assert.equal(req!.media_url, 'https://example.org/photo.jpg');
    for (const secret of ['Сидоров', 'Пётр', 'reporter@example.org', '900 000']) assert.ok(!one.body.includes(secret), secret);

    const x = await get(`/open311/v2/requests/${encodeURIComponent(number)}.xml?jurisdiction_id=${J}`);
    const root = parseXml(x.body);
    assert.equal(root.name, 'service_requests');
    assert.equal(root.children[0]!.name, 'request');
    assert.deepEqual(names(root.children[0]!), REQUEST_FIELDS);
    assert.equal(textOf(root.children[0]!, 'expected_datetime'), item.due.dueAt);
    assert.ok(!x.body.includes('Сидоров'));

    // The key was used; the audit row says which key registered the case.
    const keys = await t.app.inject({ url: `/api/v1/municipalities/${kem}/api-keys`, headers: as(admin) });
    assert.equal(keys.json().items.find((k: { id: number }) => k.id === apiKeyId).lastUsedAt, '2026-04-30T03:00:00.000Z');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'after'])
      .where('action', '=', 'case.submit')
      .where('entity_id', '=', String(item.id))
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_user_id, null);
    assert.equal((audit.after as { apiKeyId: number }).apiKeyId, apiKeyId);
  });

  test('POST in XML: <service_requests><request><service_request_id>… as the spec’s example', async () => {
    const r = await post(base(), 'xml');
    assert.equal(r.statusCode, 200, r.body);
    const root = parseXml(r.body);
    assert.equal(root.name, 'service_requests');
    assert.equal(root.children[0]!.name, 'request');
    assert.deepEqual(names(root.children[0]!), ['service_request_id', 'service_notice', 'account_id']);
    assert.match(textOf(root.children[0]!, 'service_request_id')!, /^КЕМ-2026-\d{6}$/);
    assert.equal(textOf(root.children[0]!, 'account_id'), '');
  });

  test('GET requests: service_request_id (comma list, overrides the rest), service_code, start_date/end_date, status', async () => {
    const submit = async (at: string, code: string, extra: Array<[string, string]> = []) => {
      t.clock.set(at);
      const fields = base().map(([k, v]): [string, string] => (k === 'service_code' ? [k, code] : [k, v]));
      const r = await post([...(code === 'LIGHT' ? fields.filter(([k]) => !k.startsWith('attribute')) : fields), ...extra]);
      assert.equal(r.statusCode, 200, r.body);
      return r.json()[0].service_request_id as string;
    };
    const a = await submit('2026-05-04T03:00:00Z', 'PIT');
    const b = await submit('2026-05-05T03:00:00Z', 'LIGHT');
    const c = await submit('2026-05-06T03:00:00Z', 'LIGHT');
    operator = await login(t.app, 'kem.operator@otklik.demo'); // a fresh session at the moved clock
    // c is withdrawn by an operator (recording the reporter's call) → closed.
    const caseC = (await t.app.inject({ url: '/api/v1/cases?channel=open311&limit=200', headers: as(operator) }))
      .json()
      .items.find((x: { number: string }) => x.number === c).id;
    const w = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseC}/withdraw`,
      headers: as(operator),
      payload: { reason: 'Звонок заявителя' },
    });
    assert.equal(w.statusCode, 200, w.body);
    // An appeal registered by phone in the same municipality is never shown through Open311.
    t.clock.set('2026-05-06T04:00:00Z');
    const appeal = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(operator),
      payload: {
        municipalityId: kem,
        channel: 'phone',
        text: 'Личное обращение',
        lastName: 'Секретов',
        answerBy: 'post',
        postalAddress: 'ул. Тайная, 1',
      },
    });
    assert.equal(appeal.statusCode, 201, appeal.body);
    t.clock.set('2026-05-07T03:00:00Z');

    const ids = async (query: string) => {
      const r = await get(`/open311/v2/requests.json?jurisdiction_id=${J}&${query}`);
      assert.equal(r.statusCode, 200, `${query}: ${r.body}`);
      for (const req of r.json()) assert.deepEqual(Object.keys(req), REQUEST_FIELDS);
      return (r.json() as Array<{ service_request_id: string }>).map((x) => x.service_request_id);
    };
    const window = 'start_date=2026-05-04T00:00:00Z&end_date=2026-05-06T23:59:59Z';
    assert.deepEqual(await ids(window), [c, b, a], 'newest first, within the window');
    assert.deepEqual(await ids(`${window}&service_code=LIGHT`), [c, b]);
    assert.deepEqual(await ids(`${window}&service_code=PIT,LIGHT`), [c, b, a]);
    assert.deepEqual(await ids(`${window}&status=open`), [b, a]);
    assert.deepEqual(await ids(`${window}&status=closed`), [c]);
    assert.deepEqual(await ids(`${window}&status=open,closed`), [c, b, a]);
    assert.deepEqual(await ids('start_date=2026-05-05T00:00:00%2B07:00&end_date=2026-05-05T23:59:59%2B07:00'), [b]);
    assert.deepEqual(
      await ids(`service_request_id=${encodeURIComponent(`${a},${c}`)}&service_code=LIGHT&status=open`),
      [c, a],
      'service_request_id overrides the other filters',
    );
    assert.deepEqual(await ids(`service_request_id=${encodeURIComponent(appeal.json().number)}`), [], 'appeals are not shown');
    assert.ok(!(await ids('')).includes(appeal.json().number), 'the default window (90 days) has no appeal');
    const all = await get(`/open311/v2/requests.json?jurisdiction_id=${J}`);
    assert.ok(!all.body.includes('Секретов'));
    const closed = (await get(`/open311/v2/requests/${encodeURIComponent(c)}.json?jurisdiction_id=${J}`)).json()[0];
    assert.equal(closed.status, 'closed');
    assert.equal(closed.updated_datetime, '2026-05-06T10:00:00+07:00', 'updated when it was closed');

    for (const [query, re] of [
      ['start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z', /90 days/],
      ['start_date=2026-05-04', /start_date/],
      ['end_date=yesterday', /end_date/],
      ['status=pending', /status/],
      ['page=0', /page/],
      ['page=x', /page/],
      ['page_size=1001', /page_size.*1000/],
      ['page_size=0', /page_size/],
      ['page_size=2.5', /page_size/],
      ['pagesize=2', /pagesize/],
    ] as const) {
      const r = await get(`/open311/v2/requests.json?jurisdiction_id=${J}&${query}`);
      assert.equal(r.statusCode, 400, `${query}: ${r.body}`);
      assert.match(r.json()[0].description, re);
    }

    const x = parseXml((await get(`/open311/v2/requests.xml?jurisdiction_id=${J}&${window}`)).body);
    assert.equal(x.name, 'service_requests');
    assert.deepEqual(
      x.children.map((e) => [e.name, textOf(e, 'service_request_id')]),
      [
        ['request', c],
        ['request', b],
        ['request', a],
      ],
    );
  });

  test('servicerequestupdates (FixMyStreet): status changes in the window with update_id, status, updated_datetime, description, media_url', async () => {
    t.clock.set('2026-06-01T03:00:00Z');
    operator = await login(t.app, 'kem.operator@otklik.demo');
    const number = (await post(base())).json()[0].service_request_id as string;
    const id = (await t.app.inject({ url: '/api/v1/cases?channel=open311&limit=200', headers: as(operator) }))
      .json()
      .items.find((x: { number: string }) => x.number === number).id;
    t.clock.set('2026-06-01T05:00:00Z');
    const assign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/assign`,
      headers: as(operator),
      payload: { departmentId: roadsDept },
    });
    assert.equal(assign.statusCode, 200, assign.body);
    const q = `jurisdiction_id=${J}&start_date=2026-06-01T00:00:00Z&end_date=2026-06-02T00:00:00Z`;
    const r = await get(`/open311/v2/servicerequestupdates.json?${q}`);
    assert.equal(r.statusCode, 200, r.body);
    const mine = (r.json() as Array<Record<string, string>>).filter((u) => u.service_request_id === number);
    assert.deepEqual(
      mine.map((u) => [u.status, u.updated_datetime]),
      [
        ['open', '2026-06-01T10:00:00+07:00'],
        ['investigating', '2026-06-01T12:00:00+07:00'],
      ],
    );
    assert.deepEqual(Object.keys(mine[0]!).sort(), [
      'description',
      'media_url',
      'service_request_id',
      'status',
      'update_id',
      'updated_datetime',
    ]);
    assert.notEqual(mine[0]!.update_id, mine[1]!.update_id);
    const outside = await get(
      `/open311/v2/servicerequestupdates.json?jurisdiction_id=${J}&start_date=2026-06-02T00:00:00Z&end_date=2026-06-03T00:00:00Z`,
    );
    assert.ok(!(outside.json() as Array<Record<string, string>>).some((u) => u.service_request_id === number));
    const x = parseXml((await get(`/open311/v2/servicerequestupdates.xml?${q}`)).body);
    assert.equal(x.name, 'service_request_updates');
    assert.ok(x.children.length >= 2 && x.children.every((e) => e.name === 'request_update'));
    assert.deepEqual(names(x.children[0]!).sort(), [
      'description',
      'media_url',
      'service_request_id',
      'status',
      'update_id',
      'updated_datetime',
    ]);
  });

  test('GET requests in pages (GeoReport v2 Pagination extension: page, page_size), the next page in a Link header', async () => {
    t.clock.set('2026-07-01T03:00:00Z');
    const made: string[] = [];
    for (const day of ['01', '02', '03']) {
      t.clock.set(`2026-07-${day}T03:00:00Z`);
      const r = await post(base());
      assert.equal(r.statusCode, 200, r.body);
      made.push(r.json()[0].service_request_id);
    }
    const [x1, x2, x3] = made as [string, string, string];
    const window = `jurisdiction_id=${J}&start_date=2026-07-01T00:00:00Z&end_date=2026-07-03T23:59:59Z`;
    const page = async (query: string, format = 'json') => {
      const r = await get(`/open311/v2/requests.${format}?${window}${query}`);
      assert.equal(r.statusCode, 200, `${query}: ${r.body}`);
      const ids =
        format === 'json'
          ? (r.json() as Array<{ service_request_id: string }>).map((x) => x.service_request_id)
          : parseXml(r.body).children.map((e) => textOf(e, 'service_request_id'));
      const link = r.headers.link as string | undefined;
      const m = link ? /^<([^>]+)>; rel="next"$/.exec(link) : null;
      if (link) assert.ok(m, `a Link header to the next page: ${link}`);
      return { ids, next: m ? new URL(m[1] as string) : null };
    };
    // Without paging: the spec's default, all of the window (up to 1000), no next page.
    assert.deepEqual(await page(''), { ids: [x3, x2, x1], next: null });
    const first = await page('&page_size=2&api_key=not-needed-here');
    assert.deepEqual(first.ids, [x3, x2]);
    assert.ok(first.next);
    assert.equal(first.next.pathname, '/open311/v2/requests.json');
    assert.equal(first.next.searchParams.get('page'), '2');
    assert.equal(first.next.searchParams.get('page_size'), '2');
    assert.equal(first.next.searchParams.get('start_date'), '2026-07-01T00:00:00Z', 'the same filters');
    assert.equal(first.next.searchParams.get('jurisdiction_id'), J);
    assert.equal(first.next.searchParams.get('api_key'), null, 'an api_key is not repeated');
    const second = await get(`${first.next.pathname}${first.next.search}`);
    assert.deepEqual(
      (second.json() as Array<{ service_request_id: string }>).map((x) => x.service_request_id),
      [x1],
    );
    assert.equal(second.headers.link, undefined, 'the last page names no next one');
    assert.deepEqual(await page('&page=2&page_size=1'), { ids: [x2], next: (await page('&page=2&page_size=1')).next });
    assert.equal((await page('&page=2&page_size=1')).next?.searchParams.get('page'), '3');
    assert.deepEqual(await page('&page=3&page_size=1'), { ids: [x1], next: null });
    assert.deepEqual(await page('&page=4&page_size=1'), { ids: [], next: null }, 'past the end: empty');
    assert.deepEqual(await page('&page=1&page_size=3'), { ids: [x3, x2, x1], next: null }, 'exactly full: no next page');
    assert.deepEqual(await page('&page_size=1000'), { ids: [x3, x2, x1], next: null });
    // XML the same way; the Link names the .xml document.
    const xmlPage = await page('&page_size=1', 'xml');
    assert.deepEqual(xmlPage.ids, [x3]);
    assert.equal(xmlPage.next?.pathname, '/open311/v2/requests.xml');
    // With a filter; service_request_id overrides every other argument, paging included.
    assert.deepEqual((await page('&status=open&page=2&page_size=2')).ids, [x1]);
    const byId = await get(`/open311/v2/requests.json?jurisdiction_id=${J}&service_request_id=${x1},${x2}&page=5&page_size=1`);
    assert.deepEqual(
      (byId.json() as Array<{ service_request_id: string }>).map((x) => x.service_request_id),
      [x2, x1],
    );
  });

  test('GET answers are public and cacheable: Cache-Control, an ETag per document, 304 on If-None-Match until a change', async () => {
    t.clock.set('2026-07-10T03:00:00Z');
    const url = `/open311/v2/requests.json?jurisdiction_id=${J}&start_date=2026-07-01T00:00:00Z&end_date=2026-07-10T23:59:59Z`;
    const first = await get(url);
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['cache-control'], 'public, max-age=30');
    const etag = first.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{43}"$/);
    assert.equal((await get(url)).headers.etag, etag, 'the same document, the same tag');
    const conditional = (inm: string) => t.app.inject({ url, headers: { 'if-none-match': inm } });
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const r = await conditional(inm);
      assert.equal(r.statusCode, 304, inm);
      assert.equal(r.body, '', 'no body');
      assert.equal(r.headers.etag, etag);
      assert.equal(r.headers['cache-control'], 'public, max-age=30');
    }
    assert.equal((await conditional('"other"')).statusCode, 200);
    const xml = await get(url.replace('.json', '.xml'));
    assert.notEqual(xml.headers.etag, etag, 'XML is another document');
    assert.match(String(xml.headers['content-type']), /^text\/xml/);
    // A new request in the window changes the document: the old tag no longer matches.
    const posted = await post(base());
    assert.equal(posted.statusCode, 200, posted.body);
    assert.equal(posted.headers.etag, undefined, 'a POST is not cached');
    assert.notEqual(posted.headers['cache-control'], 'public, max-age=30');
    const changed = await conditional(etag);
    assert.equal(changed.statusCode, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.equal(
      (changed.json() as Array<{ service_request_id: string }>)[0]?.service_request_id,
      posted.json()[0].service_request_id,
    );
    // One request, the services, updates and discovery carry tags too; errors are not cached.
    const number = posted.json()[0].service_request_id as string;
    for (const u of [
      `/open311/v2/requests/${encodeURIComponent(number)}.json?jurisdiction_id=${J}`,
      `/open311/v2/services.json?jurisdiction_id=${J}`,
      `/open311/v2/services/PIT.xml?jurisdiction_id=${J}`,
      `/open311/v2/servicerequestupdates.json?jurisdiction_id=${J}&start_date=2026-07-01T00:00:00Z`,
      '/open311/discovery.json',
    ]) {
      const r = await get(u);
      assert.equal(r.statusCode, 200, u);
      assert.ok(r.headers.etag, u);
      assert.equal((await t.app.inject({ url: u, headers: { 'if-none-match': r.headers.etag as string } })).statusCode, 304, u);
    }
    const missing = await get(`/open311/v2/requests.json?jurisdiction_id=00000000`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers.etag, undefined);
    assert.notEqual(missing.headers['cache-control'], 'public, max-age=30');
  });

  test('API keys: municipal administrators only, the key shown once and stored as its SHA-256', async () => {
    [admin, operator] = await Promise.all([login(t.app, 'kem.admin@otklik.demo'), login(t.app, 'kem.operator@otklik.demo')]);
    const [head, belAdmin, regional] = await Promise.all([
      login(t.app, 'kem.head@otklik.demo'),
      login(t.app, 'bel.admin@otklik.demo'),
      login(t.app, 'region.admin@otklik.demo'),
    ]);
    for (const s of [operator, head, belAdmin]) {
      const list = await t.app.inject({ url: `/api/v1/municipalities/${kem}/api-keys`, headers: as(s) });
      assert.equal(list.statusCode, 403, list.body);
      const create = await t.app.inject({
        method: 'POST',
        url: `/api/v1/municipalities/${kem}/api-keys`,
        headers: as(s),
        payload: { name: 'x' },
      });
      assert.equal(create.statusCode, 403);
      const revoke = await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${apiKeyId}/revoke`, headers: as(s) });
      assert.equal(revoke.statusCode, 404, 'another’s key is not disclosed');
    }
    assert.equal((await t.app.inject({ url: `/api/v1/municipalities/${kem}/api-keys` })).statusCode, 401);
    assert.equal((await t.app.inject({ url: `/api/v1/municipalities/${kem}/api-keys`, headers: as(regional) })).statusCode, 200);

    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/api-keys`,
      headers: as(admin),
      payload: { name: 'Городской портал' },
    });
    assert.equal(created.statusCode, 201);
    const { key, id, prefix } = created.json() as { key: string; id: number; prefix: string };
    assert.ok(key.length >= 32 && key.startsWith(prefix));
    const list = await t.app.inject({ url: `/api/v1/municipalities/${kem}/api-keys`, headers: as(admin) });
    assert.ok(!list.body.includes(key), 'never shown again');
    assert.ok(list.json().items.some((k: { id: number; name: string }) => k.id === id && k.name === 'Городской портал'));
    const row = await t.database.db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.key_sha256, createHash('sha256').update(key).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(key), 'the key itself is not stored');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_type', '=', 'api_key')
      .where('entity_id', '=', String(id))
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['api_key.create'],
    );
    assert.ok(!JSON.stringify(audit).includes(key));
  });
});
