import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { parseBox, QUEUE_MAP_LIMIT } from './queue-map.ts';

type Marker = {
  id: number;
  number: string;
  lat: number;
  lon: number;
  status: string;
  overdue: boolean;
  categoryId: number | null;
};
type Unplaced = {
  id: number;
  number: string;
  status: string;
  overdue: boolean;
  categoryId: number | null;
  channel: string;
  address: string | null;
};
type QueueMap = { items: Marker[]; truncated: boolean; withoutPoint: { count: number; items: Unplaced[] } };

// Кемерово, пл. Советов; 0.0009° of latitude ≈ 100 m. Белово: inside its demo boundary.
const LAT = 55.3547;
const LON = 86.0873;
const BEL = { lat: 54.42, lon: 86.3 };
const DAY = 86_400_000;

describe('cases: the staff map of the queue (GET /cases/map)', () => {
  let t: TestContext;
  let kem: number;
  let bel: number;
  let potholes: number;
  let lamps: number;
  let roadsAppeal: number;
  let resident: Session;
  let kemHead: Session;
  let kemOperator: Session;
  let belOperator: Session;
  let regionAdmin: Session;
  const made: Record<string, { id: number; number: string }> = {};

  async function submit(s: Session, payload: Record<string, unknown>, municipalityId = kem) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(s),
      payload: { municipalityId, ...payload },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; number: string };
  }

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    bel = t.demo.municipalities.belovo!;
    const cats = await t.database.db
      .selectFrom('category')
      .select(['id', 'name', 'municipality_id'])
      .where('municipality_id', 'in', [kem, bel])
      .execute();
    const cat = (name: string, m = kem) => cats.find((c) => c.name === name && c.municipality_id === m)!.id;
    potholes = cat('Ямы на дорогах');
    lamps = cat('Уличное освещение');
    roadsAppeal = cat('Дороги и тротуары');
    [resident, kemHead, kemOperator, belOperator, regionAdmin] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'kem.head@otklik.demo'),
      login(t.app, 'kem.operator@otklik.demo'),
      login(t.app, 'bel.operator@otklik.demo'),
      login(t.app, 'region.admin@otklik.demo'),
    ]);
    made.pothole = await submit(resident, {
      channel: 'web',
      categoryId: potholes,
      text: 'Глубокая яма у остановки',
      lat: LAT,
      lon: LON,
    });
    made.pothole2 = await submit(resident, {
      channel: 'web',
      categoryId: potholes,
      text: 'Выбоина на тротуаре',
      lat: LAT + 0.009,
      lon: LON,
    });
    made.lamp = await submit(resident, {
      channel: 'web',
      categoryId: lamps,
      text: 'Не горит фонарь во дворе',
      lat: LAT,
      lon: LON + 0.02,
    });
    made.appeal = await submit(resident, {
      channel: 'web',
      categoryId: roadsAppeal,
      text: 'Прошу отремонтировать дорогу',
      lat: LAT - 0.02,
      lon: LON,
    });
    // A paper letter with only an address: no point on the map.
    made.letter = await submit(kemOperator, {
      channel: 'letter',
      categoryId: potholes,
      text: 'Яма на проезжей части у дома',
      address: 'Кемерово, пр. Советский, 60',
      lastName: 'Сидорова',
      postalAddress: '650000, Кемерово, ул. Весенняя, 5, кв. 12',
    });
    // An incident phoned in three days ago: the first reaction's 24 hours are gone.
    made.incident = await submit(kemOperator, {
      channel: 'phone',
      regime: 'incident',
      text: 'Открыт канализационный люк',
      receivedAt: new Date(t.clock.now().getTime() - 3 * DAY).toISOString(),
      lastName: 'Орлов',
      lat: LAT + 0.03,
      lon: LON + 0.03,
    });
    made.belovo = await submit(
      belOperator,
      { channel: 'phone', text: 'Яма на ул. Ленина в Белово', lastName: 'Белов', lat: BEL.lat, lon: BEL.lon },
      bel,
    );
  });
  after(() => t.close());

  const get = (query: string, s?: Session) =>
    t.app.inject({ url: `/api/v1/cases/map${query}`, ...(s && { headers: as(s, { csrf: false }) }) });
  async function map(query: string, s: Session): Promise<QueueMap> {
    const res = await get(query, s);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as QueueMap;
  }
  const ids = (ms: Array<{ id: number }>) => ms.map((m) => m.id).sort((x, y) => x - y);
  const idsOf = (...keys: string[]) => keys.map((k) => made[k]!.id).sort((x, y) => x - y);

  test('staff see the markers of their municipality and the cases without a point, in compact form', async () => {
    const m = await map('', kemHead);
    assert.deepEqual(ids(m.items), idsOf('pothole', 'pothole2', 'lamp', 'appeal', 'incident'));
    assert.equal(m.truncated, false);
    const pothole = m.items.find((x) => x.id === made.pothole!.id);
    assert.deepEqual(pothole, {
      id: made.pothole!.id,
      number: made.pothole!.number,
      lat: LAT,
      lon: LON,
      status: 'registered',
      overdue: false,
      categoryId: potholes,
    });
    assert.deepEqual(
      m.items.filter((x) => x.overdue).map((x) => x.id),
      [made.incident!.id],
    );
    // The most urgent first: the overdue incident leads.
    assert.equal(m.items[0]?.id, made.incident!.id);
    assert.deepEqual(m.withoutPoint, {
      count: 1,
      items: [
        {
          id: made.letter!.id,
          number: made.letter!.number,
          status: 'registered',
          overdue: false,
          categoryId: potholes,
          channel: 'letter',
          address: 'Кемерово, пр. Советский, 60',
        },
      ],
    });
    // Nothing of the applicant or the text travels with a marker.
    assert.ok(!JSON.stringify(m).includes('яма у остановки'));
  });

  // The queue's filters, as GET /cases takes them: [query, cases on the map, cases without a point]
  const filters: Array<[string, string[], string[]]> = [
    ['category={potholes}', ['pothole', 'pothole2'], ['letter']],
    ['category={lamps}', ['lamp'], []],
    ['regime=appeal', ['appeal'], []],
    ['channel=letter', [], ['letter']],
    ['channel=web', ['pothole', 'pothole2', 'lamp', 'appeal'], []],
    ['overdue=true', ['incident'], []],
    ['status=registered&regime=incident', ['incident'], []],
    ['status=answered', [], []],
    ['q=яма', ['pothole'], ['letter']],
  ];
  for (const [query, onMap, unplaced] of filters) {
    test(`filter ${query}: the same cases as the queue, split by whether they have a point`, async () => {
      const q = query.replace('{potholes}', String(potholes)).replace('{lamps}', String(lamps));
      const m = await map(`?${q}`, kemHead);
      assert.deepEqual(ids(m.items), idsOf(...onMap));
      assert.deepEqual(ids(m.withoutPoint.items), idsOf(...unplaced));
      assert.equal(m.withoutPoint.count, unplaced.length);
      // The queue with the same filter lists exactly these cases.
      const queue = await t.app.inject({ url: `/api/v1/cases?${q}`, headers: as(kemHead, { csrf: false }) });
      assert.equal(queue.statusCode, 200, queue.body);
      assert.deepEqual(ids(queue.json().items), idsOf(...onMap, ...unplaced));
    });
  }

  test('a box keeps the markers inside it; the cases without a point are counted whatever the box', async () => {
    const around = (lat: number, lon: number) => `${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`;
    const m = await map(`?bbox=${around(LAT, LON)}`, kemHead);
    assert.deepEqual(ids(m.items), idsOf('pothole'));
    assert.equal(m.withoutPoint.count, 1);
    // A point on the box's edge is inside it.
    const edge = await map(`?bbox=${LON},${LAT},${LON + 0.02},${LAT + 0.009}`, kemHead);
    assert.deepEqual(ids(edge.items), idsOf('pothole', 'pothole2', 'lamp'));
    // The box and a filter together.
    const both = await map(`?bbox=${LON},${LAT},${LON + 0.02},${LAT + 0.009}&category=${lamps}`, kemHead);
    assert.deepEqual(ids(both.items), idsOf('lamp'));
    const empty = await map('?bbox=10,10,11,11', kemHead);
    assert.deepEqual(empty.items, []);
  });

  // [bbox, the reason named]
  const badBoxes: Array<[string, RegExp]> = [
    ['86,55,87', /four numbers/],
    ['86,55,x,56', /four numbers/],
    ['86,55,,56', /four numbers/],
    ['-181,55,87,56', /longitudes/],
    ['86,-91,87,56', /latitudes/],
    ['87,55,86,56', /minimum comes before the maximum/],
  ];
  for (const [bbox, reason] of badBoxes) {
    test(`bbox=${bbox} → 400 naming the problem`, async () => {
      const res = await get(`?bbox=${encodeURIComponent(bbox)}`, kemHead);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.details[0].field, 'bbox');
      assert.match(res.json().error.details[0].reason, reason);
    });
  }

  test('parseBox reads minLon,minLat,maxLon,maxLat', () => {
    assert.deepEqual(parseBox(' 86.0, 55.3 ,86.15,55.4'), { minLon: 86, minLat: 55.3, maxLon: 86.15, maxLat: 55.4 });
    assert.deepEqual(parseBox('-180,-90,180,90'), { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 });
    assert.equal(typeof parseBox('1,2,3'), 'string');
  });

  test('a resident gets 403 (their own cases are at /cases), anonymous 401, unknown filters 400', async () => {
    const res = await get('', resident);
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().error.code, 'FORBIDDEN');
    assert.equal((await get('')).statusCode, 401);
    assert.equal((await get('?limit=10', kemHead)).statusCode, 400, 'no paging on the map');
    assert.equal((await get('?colour=red', kemHead)).statusCode, 400);
  });

  test('another municipality’s staff see nothing of it; naming it is 403, an unknown one 404', async () => {
    const m = await map('', belOperator);
    assert.deepEqual(ids(m.items), idsOf('belovo'));
    assert.equal(m.withoutPoint.count, 0);
    // Even with a box around Кемерово's cases.
    const box = await map(`?bbox=${LON - 0.1},${LAT - 0.1},${LON + 0.1},${LAT + 0.1}`, belOperator);
    assert.deepEqual(box.items, []);
    assert.equal(box.withoutPoint.count, 0);
    const named = await get(`?municipalityId=${kem}`, belOperator);
    assert.equal(named.statusCode, 403, named.body);
    assert.equal((await get('?municipalityId=999999', belOperator)).statusCode, 404);
    // And the other way round.
    const kemMap = await map('', kemOperator);
    assert.ok(!kemMap.items.some((x) => x.id === made.belovo!.id));
  });

  test('the regional administrator sees every municipality, or the one named', async () => {
    const all = await map('', regionAdmin);
    assert.deepEqual(ids(all.items), idsOf('pothole', 'pothole2', 'lamp', 'appeal', 'incident', 'belovo'));
    const one = await map(`?municipalityId=${bel}`, regionAdmin);
    assert.deepEqual(ids(one.items), idsOf('belovo'));
  });

  test(`at most ${QUEUE_MAP_LIMIT.toLocaleString('en')} markers, the most urgent kept, with the truncated flag`, async () => {
    // Copies of the lamp report spread over Кемерово, straight into the table (set-based).
    await sql`
      insert into "case" (municipality_id, number, regime, channel, kind, category_id, applicant_user_id, text, lat, lon,
        status, received_at, registered_at, deadlines, due_at, created_at)
      select c.municipality_id, 'QMAP-' || g, c.regime, c.channel, c.kind, c.category_id, c.applicant_user_id, c.text,
        55.27 + (g % 200) * 0.0009, 85.96 + (g / 200) * 0.0028, 'registered', c.received_at, c.registered_at,
        c.deadlines, c.due_at, c.created_at
      from "case" c, generate_series(1, ${QUEUE_MAP_LIMIT}) g where c.id = ${made.lamp!.id}
    `.execute(t.database.db);
    const m = await map('', kemHead);
    assert.equal(m.items.length, QUEUE_MAP_LIMIT);
    assert.equal(m.truncated, true);
    assert.equal(m.items[0]?.id, made.incident!.id, 'the overdue incident is kept');
    // Narrowed by a filter, the answer is whole again.
    const narrow = await map(`?category=${potholes}`, kemHead);
    assert.equal(narrow.truncated, false);
    assert.deepEqual(ids(narrow.items), idsOf('pothole', 'pothole2'));
  });
});
