import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';

describe('tenancy routes and permissions', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let belOperator: Session;
  let kemOperator: Session;
  let kemAdmin: Session;
  let regionAdmin: Session;
  let resident: Session;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    [belOperator, kemOperator, kemAdmin, regionAdmin, resident] = await Promise.all([
      login(t.app, 'bel.operator@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'kem.admin@otklik.demo'),
      login(t.app, 'region.admin@otklik.demo'),
      login(t.app, 'resident@otklik.demo'),
    ]);
  });
  after(() => t.close());

  test('the public list has the four demo municipalities with OKTMO, type and time zone', async () => {
    const res = await t.app.inject({ url: '/api/v1/municipalities' });
    assert.equal(res.statusCode, 200);
    const items = res.json().items as Array<Record<string, unknown>>;
    const kemerovo = items.find((m) => m.id === kem);
    assert.deepEqual(
      {
        name: kemerovo?.name,
        type: kemerovo?.type,
        typeName: kemerovo?.typeName,
        oktmo: kemerovo?.oktmo,
        tz: kemerovo?.timeZone,
      },
      {
        name: 'Кемеровский городской округ',
        type: 'urban_okrug',
        typeName: 'городской округ',
        oktmo: '32701000',
        tz: 'Asia/Novokuznetsk',
      },
    );
    assert.deepEqual(items.map((m) => m.type).sort(), ['rural_settlement', 'urban_okrug', 'urban_okrug', 'urban_settlement']);
  });

  // Who may list a municipality's departments: [who, municipality, expected status]
  const departmentAccess: Array<[string, () => Session | undefined, () => number, number]> = [
    ['Белово operator on Кемерово', () => belOperator, () => kem, 403],
    ['Белово operator on Белово', () => belOperator, () => bel, 200],
    ['Кемерово operator on Кемерово', () => kemOperator, () => kem, 200],
    ['regional admin on Белово', () => regionAdmin, () => bel, 200],
    ['resident on Кемерово', () => resident, () => kem, 403],
    ['anonymous on Кемерово', () => undefined, () => kem, 401],
  ];
  for (const [who, session, municipality, status] of departmentAccess) {
    test(`departments list: ${who} → ${status}`, async () => {
      const s = session();
      const res = await t.app.inject({ url: `/api/v1/municipalities/${municipality()}/departments`, headers: s ? as(s) : {} });
      assert.equal(res.statusCode, status, res.body);
      if (status === 200) assert.ok(res.json().items.length >= 7);
    });
  }

  test('Белово operator cannot see or change Кемерово staff and departments', async () => {
    const staff = await t.app.inject({ url: `/api/v1/staff?municipalityId=${kem}`, headers: as(belOperator) });
    assert.equal(staff.statusCode, 403);
    const kemDept = (await t.app.inject({ url: `/api/v1/municipalities/${kem}/departments`, headers: as(kemAdmin) })).json()
      .items[0];
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/departments/${kemDept.id}`,
      headers: as(belOperator),
      payload: { name: 'Захвачено' },
    });
    assert.equal(patch.statusCode, 404, 'a department of another municipality is not disclosed');
    const create = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/departments`,
      headers: as(belOperator),
      payload: { name: 'Чужой отдел' },
    });
    assert.equal(create.statusCode, 403);
    const person = await t.app.inject({ url: `/api/v1/staff/${kemOperator.userId}`, headers: as(belOperator) });
    assert.equal(person.statusCode, 404);
  });

  test('a resident reaches no staff endpoint', async () => {
    const endpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/admin/municipalities'],
      ['GET', `/api/v1/municipalities/${kem}/departments`],
      ['POST', `/api/v1/municipalities/${kem}/departments`, { name: 'Отдел жителя' }],
      ['GET', `/api/v1/staff?municipalityId=${kem}`],
      ['GET', `/api/v1/staff/${kemOperator.userId}`],
      [
        'POST',
        '/api/v1/staff',
        {
          email: 'x@y.ru',
          password: 'Long-enough-1',
          lastName: 'А',
          firstName: 'Б',
          roles: [{ role: 'operator', municipalityId: kem }],
        },
      ],
      ['GET', '/api/v1/audit'],
      ['PATCH', `/api/v1/municipalities/${kem}`, { population: 1 }],
    ];
    for (const [method, url, payload] of endpoints) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: as(resident),
        ...(payload ? { payload: payload as object } : {}),
      });
      assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'FORBIDDEN');
    }
  });

  test('a regional admin sees all municipalities; a municipal admin only their own', async () => {
    const regional = await t.app.inject({ url: '/api/v1/admin/municipalities', headers: as(regionAdmin) });
    assert.equal(regional.json().items.length, 4);
    const municipal = await t.app.inject({ url: '/api/v1/admin/municipalities', headers: as(kemAdmin) });
    assert.deepEqual(
      municipal.json().items.map((m: { id: number }) => m.id),
      [kem],
    );
  });

  test('an admin creates a department; the change and its audit row are written together', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/departments`,
      headers: as(kemAdmin),
      payload: { name: 'Отдел по делам молодёжи', email: 'youth@kemerovo.example' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const d = res.json();
    assert.equal(d.municipalityId, kem);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'department')
      .where('entity_id', '=', String(d.id))
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, 'department.create');
    assert.equal(audit[0]?.actor_user_id, kemAdmin.userId);
    assert.equal(audit[0]?.request_id, res.headers['x-request-id']);

    const dup = await t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${kem}/departments`,
      headers: as(kemAdmin),
      payload: { name: 'отдел по делам молодёжи' },
    });
    assert.equal(dup.statusCode, 409);
    assert.deepEqual(dup.json().error.details, [{ field: 'name', reason: 'already exists' }]);
  });

  test('municipal admin cannot add a municipality; the regional admin can, and a bad time zone is a 400', async () => {
    const body = {
      name: 'Тестовый муниципальный округ',
      shortName: 'Тестовый',
      slug: 'test-mo',
      casePrefix: 'ТСТ',
      type: 'municipal_okrug',
      oktmo: '32500000',
    };
    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/municipalities', headers: as(kemAdmin), payload: body });
    assert.equal(denied.statusCode, 403);
    const badTz = await t.app.inject({
      method: 'POST',
      url: '/api/v1/municipalities',
      headers: as(regionAdmin),
      payload: { ...body, timeZone: 'Mars/Olympus' },
    });
    assert.equal(badTz.statusCode, 400);
    assert.equal(badTz.json().error.details[0].field, 'timeZone');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/municipalities', headers: as(regionAdmin), payload: body });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().timeZone, 'Asia/Novokuznetsk', 'defaults to the region time zone');
  });

  // Boundaries come from the places module (issue 5): the municipality's places of kind `municipality`.
  test('the demo boundaries show: every demo municipality has one, and Кемерово’s is a GeoJSON Feature', async () => {
    const list = await t.app.inject({ url: '/api/v1/municipalities' });
    const demo = new Set(Object.values(t.demo.municipalities));
    const items = (list.json().items as Array<{ id: number; hasBoundary: boolean }>).filter((m) => demo.has(m.id));
    assert.equal(items.length, 4);
    assert.ok(
      items.every((m) => m.hasBoundary === true),
      JSON.stringify(items),
    );
    assert.equal((await t.app.inject({ url: `/api/v1/municipalities/${kem}` })).json().hasBoundary, true);

    const res = await t.app.inject({ url: `/api/v1/municipalities/${kem}/boundary` });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
    const f = res.json();
    assert.equal(f.type, 'Feature');
    assert.equal(f.id, kem);
    assert.equal(f.geometry.type, 'MultiPolygon');
    assert.deepEqual(
      { municipalityId: f.properties.municipalityId, name: f.properties.name, isApproximate: f.properties.isApproximate },
      { municipalityId: kem, name: 'Кемеровский городской округ', isApproximate: true },
    );
    // One polygon, one closed outer ring in [lon, lat]: the demo's south-west corner of Кемерово (boundaries.ts).
    const rings = f.geometry.coordinates as number[][][][];
    assert.equal(rings.length, 1);
    const outer = rings[0]?.[0] ?? [];
    assert.deepEqual(outer[0], [85.93, 55.26]);
    assert.deepEqual(outer.at(-1), outer[0]);
    // The same geometry the places module serves for the municipality's own boundary.
    const place = (await t.app.inject({ url: `/api/v1/places?municipalityId=${kem}&kind=municipality` })).json();
    assert.deepEqual(f.properties.placeIds, [place.features[0].id]);
    assert.deepEqual(f.geometry.coordinates, place.features[0].geometry.coordinates);
  });

  test('a boundary appears with the import of a place of kind municipality, and not with districts only', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/municipalities',
      headers: as(regionAdmin),
      payload: {
        name: 'Граничный муниципальный округ',
        shortName: 'Граничный',
        slug: 'granichny',
        casePrefix: 'ГРН',
        type: 'municipal_okrug',
        oktmo: '32600000',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as number;
    assert.equal(created.json().hasBoundary, false);
    const none = await t.app.inject({ url: `/api/v1/municipalities/${id}/boundary` });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'NOT_FOUND');

    const square = (name: string, kind: string, [w, s, e, n]: number[]) => ({
      type: 'Feature',
      properties: { name, kind },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [w, s],
            [e, s],
            [e, n],
            [w, n],
            [w, s],
          ],
        ],
      },
    });
    const load = (features: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/municipalities/${id}/places/import`,
        headers: { ...as(regionAdmin), 'content-type': 'application/json' },
        payload: JSON.stringify({ type: 'FeatureCollection', features }),
      });
    const districts = await load([square('Северный район', 'district', [88.0, 55.5, 88.2, 55.6])]);
    assert.equal(districts.statusCode, 200, districts.body);
    assert.equal((await t.app.inject({ url: `/api/v1/municipalities/${id}` })).json().hasBoundary, false);
    assert.equal((await t.app.inject({ url: `/api/v1/municipalities/${id}/boundary` })).statusCode, 404);

    const own = await load([
      square('Граничный муниципальный округ', 'municipality', [88.0, 55.4, 88.2, 55.6]),
      square('Граничный: анклав', 'municipality', [88.3, 55.4, 88.35, 55.45]),
    ]);
    assert.equal(own.statusCode, 200, own.body);
    // The area index is rebuilt at once after this node's import: the lists say so straight away.
    const admin = await t.app.inject({ url: '/api/v1/admin/municipalities', headers: as(regionAdmin) });
    assert.equal((admin.json().items as Array<{ id: number; hasBoundary: boolean }>).find((m) => m.id === id)?.hasBoundary, true);
    const res = await t.app.inject({ url: `/api/v1/municipalities/${id}/boundary` });
    assert.equal(res.statusCode, 200, res.body);
    const f = res.json();
    assert.equal(f.properties.name, 'Граничный муниципальный округ');
    assert.equal(f.properties.isApproximate, false);
    assert.equal(f.properties.placeIds.length, 2);
    // Both parts in one MultiPolygon, the district left out.
    assert.deepEqual(
      (f.geometry.coordinates as number[][][][]).map((polygon) => polygon[0]?.[0]),
      [
        [88.0, 55.4],
        [88.3, 55.4],
      ],
    );
  });

  test('the boundary of a municipality that does not exist is a 404', async () => {
    const res = await t.app.inject({ url: '/api/v1/municipalities/999999/boundary' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NOT_FOUND');
  });
});
