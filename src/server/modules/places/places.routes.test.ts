import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { placesFor } from './index.ts';

type Located = {
  municipality: { id: number; name: string } | null;
  district: { id: number; name: string } | null;
  onBorder: boolean;
};

const KEM = 'Кемеровский городской округ';
const BEL = 'Беловский городской округ';
const MAR = 'Мариинское городское поселение';
const KAL = 'Калининское сельское поселение';

// Points as [lat, lon] (the API's order). The demo polygons are in demo/boundaries.ts.
const P = {
  centre: [55.355, 86.087], // Кемерово's centre, Центральный
  rudnichny: [55.43, 86.1],
  zavodsky: [55.3, 85.97],
  leninsky: [55.3, 86.2],
  borderCentralLenin: [55.3, 86.13], // on the shared edge Центральный | Ленинский
  borderZavodRudnich: [55.37, 85.95], // on the shared edge Заводский | Рудничный
  belovo: [54.42, 86.3],
  mariinsk: [56.21, 87.75], // in Калининское's hole
  holeEdge: [56.17, 87.75], // on Мариинск's boundary = the edge of Калининское's hole
  kalininskoe: [56.1, 87.6],
  nowhere: [55.0, 85.0],
} as const satisfies Record<string, readonly [number, number]>;

describe('places: boundaries, locating a point, routing by district, the boundary import', () => {
  let t: TestContext;
  let ids: Record<'kem' | 'bel' | 'mar' | 'kal', number>;
  let resident: Session;
  let kemAdmin: Session;
  let belAdmin: Session;
  let kemOperator: Session;
  let regionAdmin: Session;
  let departments: Map<string, number>;
  let categories: Map<string, number>;
  let districts: Map<string, number>;

  before(async () => {
    t = await createTestContext();
    const m = t.demo.municipalities;
    ids = { kem: m.kemerovo!, bel: m.belovo!, mar: m.mariinsk!, kal: m.kalininskoe! };
    [resident, kemAdmin, belAdmin, kemOperator, regionAdmin] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'kem.admin@otklik.demo'),
      login(t.app, 'bel.admin@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'region.admin@otklik.demo'),
    ]);
    const db = t.database.db;
    departments = new Map(
      (await db.selectFrom('department').select(['id', 'name']).where('municipality_id', '=', ids.kem).execute()).map((d) => [
        d.name,
        d.id,
      ]),
    );
    categories = new Map(
      (await db.selectFrom('category').select(['id', 'name']).where('municipality_id', '=', ids.kem).execute()).map((c) => [
        c.name,
        c.id,
      ]),
    );
    districts = await districtIds();
  });
  after(() => t.close());

  async function districtIds() {
    const res = await t.app.inject({ url: `/api/v1/places?municipalityId=${ids.kem}&kind=district` });
    return new Map(
      (res.json().features as Array<{ properties: { id: number; name: string } }>).map((f) => [
        f.properties.name,
        f.properties.id,
      ]),
    );
  }
  const locate = async (p: readonly [number, number]) => {
    const res = await t.app.inject({ url: `/api/v1/places/locate?lat=${p[0]}&lon=${p[1]}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Located;
  };
  const submit = (municipalityId: number, p: readonly [number, number], categoryId?: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(resident),
      payload: {
        municipalityId,
        channel: 'web',
        text: 'Яма на дороге',
        lat: p[0],
        lon: p[1],
        ...(categoryId && { categoryId }),
      },
    });
  const importFile = (session: Session | undefined, municipalityId: number, doc: unknown, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${municipalityId}/places/import`,
      headers: { ...(session && as(session)), 'content-type': contentType },
      payload: JSON.stringify(doc),
    });

  test('the demo boundaries: public GeoJSON, approximate, filtered by municipality and kind', async () => {
    const all = await t.app.inject({ url: '/api/v1/places' });
    assert.equal(all.statusCode, 200);
    assert.match(String(all.headers['content-type']), /application\/geo\+json/);
    const features = all.json().features as Array<{ geometry: { type: string }; properties: Record<string, unknown> }>;
    assert.equal(features.length, 8); // 4 municipalities + 4 districts of Кемерово
    assert.ok(features.every((f) => f.geometry.type === 'MultiPolygon' && f.properties.isApproximate === true));
    assert.deepEqual([...districts.keys()].sort(), [
      'Заводский район',
      'Ленинский район',
      'Рудничный район',
      'Центральный район',
    ]);
    const bel = await t.app.inject({ url: `/api/v1/places?municipalityId=${ids.bel}` });
    assert.deepEqual(
      bel.json().features.map((f: { properties: { name: string; kind: string } }) => [f.properties.name, f.properties.kind]),
      [[BEL, 'municipality']],
    );
    const bad = await t.app.inject({ url: '/api/v1/places?kind=country' });
    assert.equal(bad.statusCode, 400);
  });

  // [what, point, municipality, district, on a border]
  const located: Array<[string, readonly [number, number], string | null, string | null, boolean]> = [
    ['Кемерово centre', P.centre, KEM, 'Центральный район', false],
    ['north of the river', P.rudnichny, KEM, 'Рудничный район', false],
    ['west', P.zavodsky, KEM, 'Заводский район', false],
    ['east', P.leninsky, KEM, 'Ленинский район', false],
    // A shared border: both districts hold the point on their edge; the smaller (Центральный) wins every time.
    ['the border Центральный | Ленинский', P.borderCentralLenin, KEM, 'Центральный район', true],
    ['the border Заводский | Рудничный', P.borderZavodRudnich, KEM, 'Заводский район', true],
    ['Белово (no districts)', P.belovo, BEL, null, false],
    ['Мариинск, in Калининское’s hole', P.mariinsk, MAR, null, false],
    ['the hole’s edge: Мариинск’s border', P.holeEdge, MAR, null, true],
    ['Калининское around the hole', P.kalininskoe, KAL, null, false],
    ['outside every boundary', P.nowhere, null, null, false],
  ];
  for (const [what, point, municipality, district, onBorder] of located) {
    test(`locate: ${what}`, async () => {
      const r = await locate(point);
      assert.equal(r.municipality?.name ?? null, municipality);
      assert.equal(r.district?.name ?? null, district);
      assert.equal(r.onBorder, onBorder);
      if (district) assert.equal(r.district?.id, districts.get(district));
      if (municipality === KEM) assert.equal(r.municipality?.id, ids.kem);
    });
  }

  test('locate: bad coordinates are 400 naming the field', async () => {
    const res = await t.app.inject({ url: '/api/v1/places/locate?lat=95&lon=86' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.details[0].field, 'lat');
    assert.equal((await t.app.inject({ url: '/api/v1/places/locate?lat=55' })).statusCode, 400);
  });

  test('district routes: who reads and who edits; every id must be the municipality’s', async () => {
    const url = `/api/v1/municipalities/${ids.kem}/place-routes`;
    const route = {
      categoryId: categories.get('Благоустройство дворов')!,
      placeId: districts.get('Рудничный район')!,
      departmentId: departments.get('Управление жилищно-коммунального хозяйства')!,
    };
    const put = (s: Session | undefined, routes: unknown[], id = ids.kem) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/municipalities/${id}/place-routes`,
        headers: s ? as(s) : {},
        payload: { routes },
      });
    assert.equal((await put(undefined, [route])).statusCode, 401);
    assert.equal((await put(kemOperator, [route])).statusCode, 403);
    assert.equal((await put(belAdmin, [route])).statusCode, 403); // the municipality is public: 403, not 404
    assert.equal((await put(kemAdmin, [route], 999999)).statusCode, 404);
    const belovoDepartment = await t.database.db
      .selectFrom('department')
      .select('id')
      .where('municipality_id', '=', ids.bel)
      .executeTakeFirstOrThrow();
    const wrong: Array<[Record<string, number>, string]> = [
      [{ departmentId: belovoDepartment.id }, 'routes.0.departmentId'],
      [{ placeId: 999999 }, 'routes.0.placeId'],
      [{ categoryId: 999999 }, 'routes.0.categoryId'],
    ];
    for (const [change, field] of wrong) {
      const res = await put(kemAdmin, [{ ...route, ...change }]);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.details[0].field, field);
    }
    assert.equal((await put(kemAdmin, [route, route])).statusCode, 400);
    const ok = await put(kemAdmin, [route]);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().routes, [
      {
        ...route,
        categoryName: 'Благоустройство дворов',
        placeName: 'Рудничный район',
        departmentName: 'Управление жилищно-коммунального хозяйства',
      },
    ]);
    assert.equal((await t.app.inject({ url, headers: as(resident) })).statusCode, 403);
    const read = await t.app.inject({ url, headers: as(kemOperator) });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().routes.length, 1);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'place_routes.update')
      .execute();
    assert.equal(audit.length, 1);
  });

  // Through the one intake: [what, municipality, point, category, status, district stored, department, message]
  type Routed = [string, () => number, readonly [number, number], string | null, number, string | null, string | null, RegExp?];
  const routed: Routed[] = [
    [
      'centre, Благоустройство',
      () => ids.kem,
      P.centre,
      'Благоустройство дворов',
      201,
      'Центральный район',
      'Управление благоустройства',
    ],
    [
      'Рудничный, Благоустройство: the district route wins',
      () => ids.kem,
      P.rudnichny,
      'Благоустройство дворов',
      201,
      'Рудничный район',
      'Управление жилищно-коммунального хозяйства',
    ],
    [
      'Рудничный, Дороги: no route for this category',
      () => ids.kem,
      P.rudnichny,
      'Дороги и тротуары',
      201,
      'Рудничный район',
      'Управление дорожного хозяйства и транспорта',
    ],
    [
      'the border Заводский | Рудничный: Заводский, so no Рудничный route',
      () => ids.kem,
      P.borderZavodRudnich,
      'Благоустройство дворов',
      201,
      'Заводский район',
      'Управление благоустройства',
    ],
    ['the border Центральный | Ленинский', () => ids.kem, P.borderCentralLenin, null, 201, 'Центральный район', null],
    ['Белово in Белово', () => ids.bel, P.belovo, null, 201, null, null],
    ['Мариинск (the hole) in Мариинск', () => ids.mar, P.mariinsk, null, 201, null, null],
    ['the hole’s edge in Калининское (an edge counts as in)', () => ids.kal, P.holeEdge, null, 201, null, null],
    ['the hole’s edge in Мариинск', () => ids.mar, P.holeEdge, null, 201, null, null],
    [
      'Белово’s point sent to Кемерово',
      () => ids.kem,
      P.belovo,
      null,
      400,
      null,
      null,
      /^lat: the point 54\.42, 86\.3 lies outside Кемеровский городской округ; it is in Беловский городской округ/,
    ],
    [
      'Мариинск (the hole) sent to Калининское',
      () => ids.kal,
      P.mariinsk,
      null,
      400,
      null,
      null,
      /lies outside Калининское сельское поселение; it is in Мариинское городское поселение/,
    ],
    [
      'outside every boundary',
      () => ids.kem,
      P.nowhere,
      'Дороги и тротуары',
      400,
      null,
      null,
      /^lat: the point 55, 85 lies outside Кемеровский городской округ and every other boundary we know/,
    ],
  ];
  for (const [what, municipality, point, category, status, district, department, message] of routed) {
    test(`intake with a point: ${what} → ${status}`, async () => {
      const res = await submit(municipality(), point, category ? categories.get(category) : undefined);
      assert.equal(res.statusCode, status, res.body);
      if (status !== 201) {
        assert.equal(res.json().error.details[0].field, 'lat');
        assert.match(res.json().error.message, message!);
        return;
      }
      const c = res.json() as { id: number; departmentId: number | null; lat: number; lon: number };
      assert.deepEqual([c.lat, c.lon], [...point]);
      const row = await t.database.db
        .selectFrom('case')
        .select(['place_id', 'department_id'])
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.place_id, district ? districts.get(district) : null);
      assert.equal(c.departmentId, department ? departments.get(department) : null);
      assert.equal(row.department_id, c.departmentId);
    });
  }

  test('intake: a municipality without a boundary of its own takes any point (no district)', async () => {
    const kem = await t.database.db
      .selectFrom('municipality')
      .select(['region_id', 'time_zone'])
      .where('id', '=', ids.kem)
      .executeTakeFirstOrThrow();
    const row = await t.database.db
      .insertInto('municipality')
      .values({
        region_id: kem.region_id,
        name: 'Тестовое сельское поселение',
        short_name: 'Тестовое',
        slug: 'test-unbounded',
        case_prefix: 'ТСТ',
        type: 'rural_settlement',
        oktmo: '32600000',
        population: 100,
        time_zone: kem.time_zone,
        boundary: null,
        deadline_settings: '{}',
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const point of [P.nowhere, P.centre]) {
      const res = await submit(row.id, point);
      assert.equal(res.statusCode, 201, res.body);
      const c = await t.database.db
        .selectFrom('case')
        .select('place_id')
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      assert.equal(c.place_id, null, 'Кемерово’s district is not this municipality’s');
    }
  });

  test('the area index is cached: another node’s change is seen after the refresh, this node’s import at once', async () => {
    const db = t.database.db;
    const [lat, lon] = [55.2, 86.5]; // outside every demo boundary
    assert.equal((await locate([lat, lon])).municipality, null);
    // Another node adds a place (straight into the table): this node keeps its index until it checks again.
    const multiPolygon = [
      [
        [
          [86.4, 55.1],
          [86.6, 55.1],
          [86.6, 55.3],
          [86.4, 55.3],
          [86.4, 55.1],
        ],
      ],
    ];
    const row = await db
      .insertInto('place')
      .values({
        municipality_id: ids.bel,
        kind: 'tos',
        name: 'ТОС «Проба»',
        code: null,
        geometry: JSON.stringify(multiPolygon),
        min_lon: 86.4,
        min_lat: 55.1,
        max_lon: 86.6,
        max_lat: 55.3,
        source: 'test',
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.equal((await locate([lat, lon])).municipality, null, 'served from the cached index');
    placesFor(db).invalidate(); // what the 5-second check would find
    assert.deepEqual((await locate([lat, lon])).municipality, { id: ids.bel, name: BEL });
    await db.deleteFrom('place').where('id', '=', row.id).execute();
    placesFor(db).invalidate();
    assert.equal((await locate([lat, lon])).municipality, null);
  });

  const square = (lon: number, lat: number, d = 0.02) => [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ];
  const districtFile = {
    type: 'FeatureCollection',
    name: 'kemerovo-districts', // a foreign member, as QGIS writes it
    features: [
      // Центральный keeps its id and takes a new shape; Кировский is new; the other three are gone.
      {
        type: 'Feature',
        properties: { name: 'Центральный район', kind: 'district', code: '32701000' },
        geometry: { type: 'MultiPolygon', coordinates: [square(86.05, 55.3, 0.06)] },
      },
      {
        type: 'Feature',
        properties: { name: 'Кировский район', kind: 'district', code: 32701001 },
        geometry: { type: 'Polygon', coordinates: square(86.0, 55.4, 0.05) },
      },
    ],
  };

  test('import: only the municipality’s administrators (or the region’s); 401, 403, 404', async () => {
    assert.equal((await importFile(undefined, ids.kem, districtFile)).statusCode, 401);
    assert.equal((await importFile(resident, ids.kem, districtFile)).statusCode, 403);
    assert.equal((await importFile(kemOperator, ids.kem, districtFile)).statusCode, 403);
    const other = await importFile(belAdmin, ids.kem, districtFile);
    assert.equal(other.statusCode, 403);
    assert.match(other.json().error.message, /administrator of this municipality/);
    assert.equal((await importFile(regionAdmin, 999999, districtFile)).statusCode, 404);
    assert.equal((await districtIds()).size, 4, 'nothing changed');
  });

  test('import: a file with problems is 400 listing every one, and nothing changes', async () => {
    const before = (await t.app.inject({ url: '/api/v1/places' })).body;
    const bad = {
      type: 'FeatureCollection',
      features: [
        // 0: not closed
        {
          type: 'Feature',
          properties: { name: 'А', kind: 'district' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [86, 55],
                [86.1, 55],
                [86.1, 55.1],
                [86, 55.1],
              ],
            ],
          },
        },
        // 1: latitude first (out of range as a longitude/latitude pair)
        {
          type: 'Feature',
          properties: { name: 'Б', kind: 'district' },
          geometry: { type: 'Polygon', coordinates: square(55.3, 95) },
        },
        // 2: no kind, a point
        { type: 'Feature', properties: { name: 'В' }, geometry: { type: 'Point', coordinates: [86, 55] } },
        // 3: good geometry, no name, a wrong kind
        { type: 'Feature', properties: { kind: 'city' }, geometry: { type: 'Polygon', coordinates: square(86, 55) } },
        // 4 and 5: the same district twice
        {
          type: 'Feature',
          properties: { name: 'Г', kind: 'district' },
          geometry: { type: 'Polygon', coordinates: square(86, 55) },
        },
        {
          type: 'Feature',
          properties: { name: 'Г', kind: 'district' },
          geometry: { type: 'Polygon', coordinates: square(87, 55) },
        },
      ],
    };
    const res = await importFile(kemAdmin, ids.kem, bad);
    assert.equal(res.statusCode, 400, res.body);
    const error = res.json().error as { message: string; details: Array<{ field: string; reason: string }> };
    assert.match(error.message, /^The boundary file has \d+ problems, nothing was changed: feature 0/);
    const fields = error.details.map((d) => d.field);
    for (const f of [
      'features.0.geometry.coordinates[0]',
      'features.1.geometry.coordinates[0][0]',
      'features.2.geometry.type',
      'features.3.properties.name',
      'features.3.properties.kind',
      'features.5.properties.name',
    ]) {
      assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
    }
    assert.match(error.details.find((d) => d.field === 'features.0.geometry.coordinates[0]')!.reason, /not closed/);
    assert.match(
      error.details.find((d) => d.field === 'features.3.properties.kind')!.reason,
      /must be one of municipality, district, tos \(is "city"\)/,
    );
    assert.match(error.details.find((d) => d.field === 'features.5.properties.name')!.reason, /feature 4 is already/);
    // Not a FeatureCollection at all; an empty one; a feature that is not an object.
    for (const doc of [
      { type: 'Polygon', coordinates: [] },
      { type: 'FeatureCollection', features: [] },
      { type: 'FeatureCollection', features: [1] },
    ]) {
      const r = await importFile(kemAdmin, ids.kem, doc);
      assert.equal(r.statusCode, 400, r.body);
    }
    assert.equal((await t.app.inject({ url: '/api/v1/places' })).body, before, 'nothing changed');
  });

  test('import: the kinds in the file are replaced by name (ids kept), routes of removed districts go, locate follows at once', async () => {
    const central = districts.get('Центральный район');
    const res = await importFile(kemAdmin, ids.kem, districtFile, 'application/geo+json');
    assert.equal(res.statusCode, 200, res.body);
    // Рудничный had the district route: it went with the district.
    assert.deepEqual(res.json(), { created: 1, updated: 1, removed: 3, routesRemoved: 1, kinds: ['district'] });
    const now = await districtIds();
    assert.deepEqual([...now.keys()].sort(), ['Кировский район', 'Центральный район']);
    assert.equal(now.get('Центральный район'), central, 'updated in place');
    const places = (await t.app.inject({ url: `/api/v1/places?municipalityId=${ids.kem}` })).json().features as Array<{
      properties: { name: string; kind: string; code: string | null; isApproximate: boolean };
    }>;
    const kirov = places.find((f) => f.properties.name === 'Кировский район')!;
    assert.deepEqual(kirov.properties.code, '32701001');
    assert.equal(kirov.properties.isApproximate, false);
    assert.ok(
      places.some((f) => f.properties.kind === 'municipality'),
      'the municipality’s own boundary is untouched',
    );
    // The index follows at once on this node.
    assert.equal((await locate([55.42, 86.02])).district?.name, 'Кировский район');
    assert.equal((await locate(P.leninsky)).district, null);
    // A case in Рудничный's old area now has no district; its cases' place_id was cleared, not the case.
    const rows = await t.database.db.selectFrom('case').select('place_id').where('municipality_id', '=', ids.kem).execute();
    assert.ok(rows.every((r) => r.place_id === null || r.place_id === central));
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'municipality_id'])
      .where('action', '=', 'places.import')
      .execute();
    assert.deepEqual(audit, [{ actor_user_id: kemAdmin.userId, municipality_id: ids.kem }]);
    const routes = await t.app.inject({ url: `/api/v1/municipalities/${ids.kem}/place-routes`, headers: as(kemAdmin) });
    assert.deepEqual(routes.json().routes, []);
  });

  test('import: two imports of the same new place at once — one adds it, the other updates it', async () => {
    const file = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'ТОС «Берёзка»', kind: 'tos' },
          geometry: { type: 'Polygon', coordinates: square(86.3, 54.42) },
        },
      ],
    };
    const results = await Promise.all([importFile(belAdmin, ids.bel, file), importFile(belAdmin, ids.bel, file)]);
    assert.deepEqual(
      results.map((r) => r.statusCode),
      [200, 200],
      results.map((r) => r.body).join(' '),
    );
    assert.deepEqual(results.map((r) => [r.json().created, r.json().updated]).sort(), [
      [0, 1],
      [1, 0],
    ]);
    const tos = await t.app.inject({ url: `/api/v1/places?municipalityId=${ids.bel}&kind=tos` });
    assert.equal(tos.json().features.length, 1);
  });

  test('import: a regional administrator loads another municipality’s boundary', async () => {
    const file = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: BEL, kind: 'municipality' },
          geometry: { type: 'Polygon', coordinates: square(86.2, 54.4, 0.2) },
        },
      ],
    };
    const res = await importFile(regionAdmin, ids.bel, file);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { created: 0, updated: 1, removed: 0, routesRemoved: 0, kinds: ['municipality'] });
    assert.equal((await locate([54.55, 86.35])).municipality?.name, BEL);
    assert.equal((await locate([54.38, 86.3])).municipality, null);
  });
});
