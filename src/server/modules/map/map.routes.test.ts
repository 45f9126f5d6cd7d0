import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { distanceMeters } from '../../core/geo/index.ts';
import { JPEG, PDF, PNG } from '../attachments/test-samples.ts';

type Marker = { id: number; number: string; lat: number; lon: number; categoryId: number | null; status: string; at: string };
type Report = {
  id: number;
  status: string;
  categoryName: string | null;
  address: string | null;
  joined: number;
  timeline: Array<{ type: string; at: string }>;
  photos: { before: string | null; after: string | null };
};

type Columns = {
  id: number[];
  number: string[];
  lat: number[];
  lon: number[];
  categoryId: Array<number | null>;
  solved: number[];
  atMs: number[];
  truncated: boolean;
};
/** layout=columns read back as objects (what layout=objects answers). */
const fromColumns = (c: Columns): Marker[] =>
  c.id.map((id, i) => ({
    id,
    number: c.number[i]!,
    lat: c.lat[i]!,
    lon: c.lon[i]!,
    categoryId: c.categoryId[i]!,
    status: c.solved[i] === 1 ? 'solved' : c.solved[i] === 0 ? 'open' : `bad ${c.solved[i]}`,
    at: new Date(c.atMs[i]!).toISOString(),
  }));

// Кемерово, пл. Советов and points north of it: 0.0009° of latitude ≈ 100 m.
const LAT = 55.3547;
const LON = 86.0873;
const BOX = '86.0,55.3,86.15,55.4';

describe('map: public reports in a box, report pages, nearby, join, mark-fixed', () => {
  let t: TestContext;
  let kem: number;
  let potholes: number; // «Ямы на дорогах», a message category (ПОС)
  let lamps: number; // «Уличное освещение», a message category
  let roadsAppeal: number; // «Дороги и тротуары», appeals under 59-ФЗ
  let resident: Session;
  let resident2: Session;
  let head: Session;
  let executor: Session;
  let belOperator: Session;
  let people: Array<{ last_name: string; first_name: string; email: string }>;
  const made: Record<string, { id: number; number: string }> = {};

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    const cats = await t.database.db.selectFrom('category').select(['id', 'name']).where('municipality_id', '=', kem).execute();
    const cat = (name: string) => cats.find((c) => c.name === name)!.id;
    potholes = cat('Ямы на дорогах');
    lamps = cat('Уличное освещение');
    roadsAppeal = cat('Дороги и тротуары');
    [resident, resident2, head, executor, belOperator] = await Promise.all([
      login(t.app, 'resident@otklik.demo'),
      login(t.app, 'resident2@otklik.demo'),
      login(t.app, 'kem.head@otklik.demo'),
      login(t.app, 'kem.executor@otklik.demo'),
      login(t.app, 'bel.operator@otklik.demo'),
    ]);
    people = await t.database.db
      .selectFrom('app_user')
      .select(['last_name', 'first_name', 'email'])
      .where('email', 'in', ['resident@otklik.demo', 'resident2@otklik.demo'])
      .execute();

    const photo = await upload(resident, PNG, 'image/png', 'яма.png');
    const scan = await upload(resident, PDF, 'application/pdf', 'паспорт.pdf');
    made.a = await submit(resident, {
      categoryId: potholes,
      text: 'Яма у моего подъезда, звоните мне по номеру +7 913 000-00-01',
      address: 'Кемерово, пр. Советский, 60',
      lat: LAT,
      lon: LON,
      phone: '+7 913 000-00-01',
      postalAddress: '650000, Кемерово, ул. Весенняя, 5, кв. 12',
      attachmentIds: [photo, scan],
    });
    made.b = await submit(resident2, { categoryId: potholes, text: 'Ещё одна яма', lat: LAT + 0.0009, lon: LON });
    made.c = await submit(resident2, { categoryId: potholes, text: 'Яма подальше', lat: LAT + 0.0018, lon: LON });
    made.lamp = await submit(resident2, { categoryId: lamps, text: 'Не горит фонарь', lat: LAT, lon: LON + 0.0002 });
    made.appeal = await submit(resident, {
      categoryId: roadsAppeal,
      text: 'Обращение по 59-ФЗ с точкой',
      lat: LAT,
      lon: LON,
    });
    made.noPoint = await submit(resident2, { categoryId: potholes, text: 'Яма без точки на карте' });
    made.far = await submit(resident2, { categoryId: potholes, text: 'Яма в Рудничном районе', lat: 55.45, lon: 86.2 });
  });
  after(() => t.close());

  async function upload(s: Session, bytes: Buffer, type: string, name: string): Promise<number> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...as(s), 'content-type': type, 'x-file-name': encodeURIComponent(name) },
      payload: bytes,
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: number }).id;
  }
  async function submit(s: Session, payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(s),
      payload: { municipalityId: kem, channel: 'web', ...payload },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; number: string };
  }
  const get = (url: string, s?: Session) => t.app.inject({ url, ...(s && { headers: as(s, { csrf: false }) }) });
  async function markers(query: string): Promise<Marker[]> {
    const res = await get(`/api/v1/map/reports?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { items: Marker[] }).items;
  }
  const ids = (ms: Array<{ id: number }>) => ms.map((m) => m.id).sort((x, y) => x - y);
  /** None of the applicants' names, e-mails, phones, postal addresses or texts appears in a public answer. */
  function assertNoPersonalData(body: string) {
    for (const p of people) {
      for (const v of [p.last_name, p.first_name, p.email]) assert.ok(!body.includes(v), `"${v}" leaked: ${body}`);
    }
    for (const v of ['+7 913', 'Весенняя', 'подъезда', 'Ещё одна яма', 'паспорт', 'Обращение по 59-ФЗ']) {
      assert.ok(!body.includes(v), `"${v}" leaked: ${body}`);
    }
  }

  test('bbox: open messages with a point in the box, no appeals, no personal data; filters', async () => {
    const res = await get(`/api/v1/map/reports?bbox=${BOX}`);
    assert.equal(res.statusCode, 200, res.body);
    assertNoPersonalData(res.body);
    const body = res.json() as { items: Marker[]; truncated: boolean };
    assert.equal(body.truncated, false);
    assert.deepEqual(ids(body.items), ids([made.a!, made.b!, made.c!, made.lamp!]), 'no appeal, no case without a point');
    const a = body.items.find((m) => m.id === made.a!.id)!;
    assert.deepEqual(Object.keys(a).sort(), ['at', 'categoryId', 'id', 'lat', 'lon', 'number', 'status']);
    assert.deepEqual(
      { lat: a.lat, lon: a.lon, status: a.status, categoryId: a.categoryId },
      { lat: LAT, lon: LON, status: 'open', categoryId: potholes },
    );

    assert.deepEqual(ids(await markers(`bbox=${BOX}&categoryId=${lamps}`)), [made.lamp!.id]);
    assert.deepEqual(ids(await markers(`bbox=${BOX}&status=solved`)), []);
    assert.deepEqual(ids(await markers(`bbox=86.08,55.354,86.09,55.355`)), ids([made.a!, made.lamp!]), 'a small box');
    assert.deepEqual(ids(await markers(`bbox=86.15,55.4,86.3,55.48`)), [made.far!.id]);
    assert.deepEqual(ids(await markers(`bbox=${BOX}&municipalityId=${t.demo.municipalities.belovo!}`)), []);
    // The marker's JSON is built by the query: `at` is exactly Date.toISOString of the received instant.
    const received = await t.database.db
      .selectFrom('case')
      .select('received_at')
      .where('id', '=', made.a!.id)
      .executeTakeFirstOrThrow();
    assert.equal(a.at, received.received_at.toISOString());
    assert.equal(a.number, made.a!.number);

    for (const [bbox, reason] of [
      ['1,2,3', 'four numbers'],
      ['a,b,c,d', 'four numbers'],
      ['86.15,55.3,86.0,55.4', 'minimum comes before'],
      ['86,95,87,96', 'latitudes'],
    ] as const) {
      const bad = await get(`/api/v1/map/reports?bbox=${bbox}`);
      assert.equal(bad.statusCode, 400, bbox);
      assert.match(bad.body, new RegExp(reason), bbox);
      assert.match(bad.body, /"field":"bbox"/);
    }
    assert.equal((await get('/api/v1/map/reports')).statusCode, 400, 'bbox is required');
  });

  test('layout=columns: the same markers, a list per field, a marker at the same index; objects by default', async () => {
    const objects = (await get(`/api/v1/map/reports?bbox=${BOX}&layout=objects`)).json() as { items: Marker[] };
    assert.deepEqual(objects, (await get(`/api/v1/map/reports?bbox=${BOX}`)).json());
    const res = await get(`/api/v1/map/reports?bbox=${BOX}&layout=columns`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assertNoPersonalData(res.body);
    const body = res.json() as Columns;
    assert.deepEqual(Object.keys(body), ['id', 'number', 'lat', 'lon', 'categoryId', 'solved', 'atMs', 'truncated']);
    assert.equal(body.truncated, false);
    const asObjects = fromColumns(body);
    const byId = (ms: Marker[]) => [...ms].sort((x, y) => x.id - y.id);
    assert.deepEqual(byId(asObjects), byId(objects.items));
    assert.equal(objects.items.length, 4);
    const empty = (await get('/api/v1/map/reports?bbox=40.1,70.1,40.3,70.2&layout=columns')).json();
    assert.deepEqual(empty, { id: [], number: [], lat: [], lon: [], categoryId: [], solved: [], atMs: [], truncated: false });
    assert.deepEqual((await get('/api/v1/map/reports?bbox=40.1,70.1,40.3,70.2')).json(), { items: [], truncated: false });
    assert.equal((await get(`/api/v1/map/reports?bbox=${BOX}&layout=csv`)).statusCode, 400);
  });

  test('the report page: category, place, dates and the resident’s photo — nothing personal, no other file', async () => {
    const res = await get(`/api/v1/map/reports/${made.a!.id}`);
    assert.equal(res.statusCode, 200, res.body);
    assertNoPersonalData(res.body);
    const r = res.json() as Report;
    assert.equal(r.status, 'open');
    assert.equal(r.categoryName, 'Ямы на дорогах');
    assert.equal(r.address, 'Кемерово, пр. Советский, 60');
    assert.deepEqual(
      r.timeline.map((e) => e.type),
      ['received', 'registered'],
    );
    assert.ok(r.photos.before, 'the resident’s photo is public');
    assert.equal(r.photos.after, null);
    const photo = await get(r.photos.before!);
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers['content-type'], 'image/png');
    assert.deepEqual(photo.rawPayload, PNG);

    // The PDF on the same case is not public, neither through the map nor without a session.
    const files = await t.database.db
      .selectFrom('attachment')
      .select(['id', 'content_type'])
      .where('case_id', '=', made.a!.id)
      .execute();
    const pdf = files.find((f) => f.content_type === 'application/pdf')!;
    assert.equal((await get(`/api/v1/map/reports/${made.a!.id}/photos/${pdf.id}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/attachments/${pdf.id}`)).statusCode, 401);
    // The photo is not reachable through another report.
    const photoId = Number(r.photos.before!.split('/').at(-1));
    assert.equal((await get(`/api/v1/map/reports/${made.b!.id}/photos/${photoId}`)).statusCode, 404);
    // Appeals and cases without a point have no public page.
    assert.equal((await get(`/api/v1/map/reports/${made.appeal!.id}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/map/reports/${made.noPoint!.id}`)).statusCode, 404);
  });

  test('nearby: open reports of the category within the radius in metres (haversine), signed in only', async () => {
    const url = (extra = '') => `/api/v1/map/nearby?lat=${LAT}&lon=${LON}&categoryId=${potholes}${extra}`;
    assert.equal((await get(url())).statusCode, 401);
    const near = async (extra = '') => {
      const res = await get(url(extra), resident2);
      assert.equal(res.statusCode, 200, res.body);
      assertNoPersonalData(res.body);
      return (res.json() as { items: Array<{ id: number; distance: number }> }).items;
    };
    const def = await near();
    assert.deepEqual(
      def.map((x) => x.id),
      [made.a!.id, made.b!.id],
      'within 150 m by default, nearest first; the lamp is another category',
    );
    const expected = Math.round(distanceMeters([LON, LAT], [LON, LAT + 0.0009]));
    assert.ok(expected > 95 && expected < 105, String(expected));
    assert.equal(def[1]!.distance, expected);
    assert.deepEqual(
      (await near('&radius=250')).map((x) => x.id),
      [made.a!.id, made.b!.id, made.c!.id],
    );
    assert.deepEqual(
      (await near('&radius=99')).map((x) => x.id),
      [made.a!.id],
    );
    assert.equal((await get(url('&radius=5000'), resident2)).statusCode, 400);
  });

  test('join: the joiner’s own case in the report’s cluster; once; not one’s own report; not an appeal', async () => {
    const join = async (s: Session, id: number) =>
      t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/join`, headers: as(s), payload: {} });
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/cases/${made.a!.id}/join`, payload: {} })).statusCode, 401);
    const res = await join(resident2, made.a!.id);
    assert.equal(res.statusCode, 201, res.body);
    const j = res.json() as { id: number; number: string; primaryId: number; joined: boolean };
    assert.equal(j.primaryId, made.a!.id);
    assert.equal(j.joined, true);
    const row = await t.database.db
      .selectFrom('case')
      .select(['cluster_primary_id', 'applicant_user_id', 'category_id', 'lat', 'lon', 'text', 'channel'])
      .where('id', '=', j.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      cluster_primary_id: made.a!.id,
      applicant_user_id: resident2.userId,
      category_id: potholes,
      lat: LAT,
      lon: LON,
      text: `Присоединился к сообщению ${made.a!.number}`,
      channel: 'web',
    });
    made.joined = j;

    const again = await join(resident2, made.a!.id);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as { id: number }).id, j.id, 'joining twice returns the first case');
    const own = await join(resident, made.a!.id);
    assert.equal(own.statusCode, 409);
    assert.match(own.body, /yourself/);
    assert.equal((await join(resident2, made.appeal!.id)).statusCode, 404);
    assert.equal((await join(resident2, made.noPoint!.id)).statusCode, 404);

    // The joiner's case is not a second marker; the report counts the joiner.
    assert.ok(!(await markers(`bbox=${BOX}`)).some((m) => m.id === j.id));
    assert.equal(((await get(`/api/v1/map/reports/${made.a!.id}`)).json() as Report).joined, 1);
    const [audit] = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id'])
      .where('action', '=', 'case.join')
      .where('entity_id', '=', String(made.a!.id))
      .execute();
    assert.equal(audit?.actor_user_id, resident2.userId);
  });

  test('mark-fixed: who may, with an image of one’s own; answered with the after-photo; the joiner gets the answer', async () => {
    const fix = (s: Session, id: number, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/mark-fixed`, headers: as(s), payload });
    // The after-photo carries Exif (who took it, where, when): the public copy loses it, the pixels stay.
    const exif = Buffer.from('Exif\0\0Artist: Petrov Petr; GPS 55.3547 86.0873', 'latin1');
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, exif.length + 2]), exif]);
    const headPhoto = await upload(head, Buffer.concat([JPEG.subarray(0, 2), app1, JPEG.subarray(2)]), 'image/jpeg', 'после.jpg');
    const text = 'Яма заделана литым асфальтом.';
    assert.equal((await fix(resident, made.a!.id, { text, attachmentId: headPhoto })).statusCode, 403, 'the applicant');
    assert.equal((await fix(executor, made.a!.id, { text, attachmentId: headPhoto })).statusCode, 403, 'not assigned');
    assert.equal((await fix(belOperator, made.a!.id, { text, attachmentId: headPhoto })).statusCode, 404, 'elsewhere');
    const appeal = await fix(head, made.appeal!.id, { text, attachmentId: headPhoto });
    assert.equal(appeal.statusCode, 409);
    assert.match(appeal.body, /appeal/);
    const pdf = await upload(head, PDF, 'application/pdf', 'акт.pdf');
    const notImage = await fix(head, made.a!.id, { text, attachmentId: pdf });
    assert.equal(notImage.statusCode, 400);
    assert.match(notImage.body, /JPEG, PNG/);
    const othersPhoto = await upload(resident2, PNG, 'image/png', 'чужое.png');
    assert.equal((await fix(head, made.a!.id, { text, attachmentId: othersPhoto })).statusCode, 400);
    assert.equal((await fix(head, made.a!.id, { attachmentId: headPhoto })).statusCode, 400, 'the text is required');
    assert.equal((await fix(head, made.a!.id, { text, attachmentId: headPhoto, extra: 1 })).statusCode, 400);
    const joinerCase = await get(`/api/v1/cases/${made.joined!.id}`, resident2);
    assert.ok(!(joinerCase.json() as { allowedActions?: string[] }).allowedActions?.includes('mark-fixed'));

    const t0 = t.clock.now().toISOString();
    const res = await fix(head, made.a!.id, { text, attachmentId: headPhoto });
    assert.equal(res.statusCode, 200, res.body);
    const card = res.json() as { status: string; answer: { text: string; result: string } };
    assert.equal(card.status, 'answered');
    assert.deepEqual({ text: card.answer.text, result: card.answer.result }, { text, result: 'supported' });

    // The joiner's case is answered with the same text; both applicants are told (notices; mail where by e-mail).
    const joiner = (await get(`/api/v1/cases/${made.joined!.id}`, resident2)).json() as Card;
    assert.equal(joiner.status, 'answered');
    assert.equal(joiner.answer?.text, text);
    for (const [s, id] of [
      [resident, made.a!.id],
      [resident2, made.joined!.id],
    ] as const) {
      const notices = (await get('/api/v1/notices', s)).json() as { items: Array<{ caseId: number; text: string }> };
      assert.ok(
        notices.items.some((n) => n.caseId === id && n.text.includes(text)),
        `notice for case ${id}`,
      );
    }
    await t.app.jobs.drain();
    assert.match(t.mailer.lastTo('resident@otklik.demo')?.text ?? '', /литым асфальтом/);

    // The public page: solved, the after-photo public; the map shows it among the solved.
    const r = (await get(`/api/v1/map/reports/${made.a!.id}`)).json() as Report;
    assert.equal(r.status, 'solved');
    assert.ok(r.photos.before && r.photos.after);
    assert.equal(r.timeline.at(-1)?.type, 'answered');
    assert.ok(r.timeline.at(-1)!.at >= t0);
    const after = await get(r.photos.after!);
    assert.equal(after.statusCode, 200);
    assert.deepEqual(after.rawPayload, JPEG, 'the same image without its Exif segment');
    assert.ok(!after.rawPayload.toString('latin1').includes('Petrov'));
    assert.ok(!(await get(`/api/v1/map/reports/${made.a!.id}`)).body.includes(text), 'the answer text is not public');
    assert.deepEqual(ids(await markers(`bbox=${BOX}&status=solved`)), [made.a!.id]);
    assert.ok(!(await markers(`bbox=${BOX}&status=open`)).some((m) => m.id === made.a!.id));

    // The second time: 409 from the status.
    const again = await fix(head, made.a!.id, { text, attachmentId: await upload(head, PNG, 'image/png', 'ещё.png') });
    assert.equal(again.statusCode, 409);

    // 30 days after the answer it leaves the map; the page stays.
    t.clock.set(new Date(t.clock.now().getTime() + 31 * 86_400_000).toISOString());
    assert.deepEqual(ids(await markers(`bbox=${BOX}&status=solved`)), []);
    assert.equal((await get(`/api/v1/map/reports/${made.a!.id}`)).statusCode, 200);
  });

  test('solved reports stay on the map 30 days after the answer: answered 29 days ago — shown, 31 days ago — not', async () => {
    // Two reports answered some time ago (the answer's date set directly: the workflow answers at the clock's now).
    const box = '86.05,55.405,86.07,55.415'; // Рудничный район: no other test's reports
    resident2 = await login(t.app, 'resident2@otklik.demo'); // the clock moved on: a fresh session
    const r29 = await submit(resident2, { categoryId: potholes, text: 'Яма 29', lat: 55.41, lon: 86.06 });
    const r31 = await submit(resident2, { categoryId: lamps, text: 'Фонарь 31', lat: 55.411, lon: 86.061 });
    const open = await submit(resident2, { categoryId: potholes, text: 'Яма открытая', lat: 55.412, lon: 86.062 });
    const now = t.clock.now().getTime();
    const answer = (id: number, status: 'answered' | 'rated', days: number) =>
      t.database.db
        .updateTable('case')
        .set({ status, answered_at: new Date(now - days * 86_400_000) })
        .where('id', '=', id)
        .execute();
    await answer(r29.id, 'answered', 29);
    await answer(r31.id, 'rated', 31);
    const all = await markers(`bbox=${box}`);
    assert.deepEqual(ids(all), ids([r29, open]));
    const solved = all.find((m) => m.id === r29.id)!;
    assert.equal(solved.status, 'solved');
    assert.equal(solved.at, new Date(now - 29 * 86_400_000).toISOString(), 'a solved marker’s date is the answer’s');
    assert.deepEqual(ids(await markers(`bbox=${box}&status=solved`)), [r29.id]);
    assert.deepEqual(ids(await markers(`bbox=${box}&status=open`)), [open.id]);
    // Rated counts as solved: 29 days ago it is shown too; the boundary is exactly 30 days.
    await answer(r31.id, 'rated', 29);
    assert.deepEqual(ids(await markers(`bbox=${box}&status=solved`)), ids([r29, r31]));
    await answer(r31.id, 'rated', 30);
    assert.deepEqual(ids(await markers(`bbox=${box}&status=solved`)), ids([r29, r31]), 'exactly 30 days: still shown');
    await t.database.db
      .updateTable('case')
      .set({ answered_at: new Date(now - 30 * 86_400_000 - 1) })
      .where('id', '=', r31.id)
      .execute();
    assert.deepEqual(ids(await markers(`bbox=${box}&status=solved`)), [r29.id], 'a millisecond more: gone');
    // Another filter on the same box: the category applies to both parts.
    assert.deepEqual(ids(await markers(`bbox=${box}&categoryId=${potholes}`)), ids([r29, open]));
    assert.deepEqual(ids(await markers(`bbox=${box}&categoryId=${lamps}`)), []);
  });

  test('more than 20,000 markers in the box: exactly 20,000 and truncated, in both layouts', async () => {
    // 20,001 open reports: one submitted, 20,000 copies of it inserted set-based (each its own number and point).
    resident2 = await login(t.app, 'resident2@otklik.demo');
    const seed = await submit(resident2, { categoryId: potholes, text: 'Яма-образец', lat: 55.42, lon: 86.0 });
    const { rows: cols } = await sql<{ name: string }>`select column_name as name from information_schema.columns
      where table_name = 'case' and is_generated = 'NEVER' and is_identity = 'NO'
        and column_name not in ('number', 'idempotency_key', 'lat', 'lon', 'text')`.execute(t.database.db);
    const list = sql.raw(cols.map((c) => `"${c.name}"`).join(', '));
    await sql`insert into "case" (number, lat, lon, text, ${list})
      select number || '-' || g, 55.42 + g * 1e-6, 86.0, '', ${list} from "case", generate_series(1, 20000) g
      where id = ${seed.id}`.execute(t.database.db);
    const box = 'bbox=85.99,55.419,86.01,55.45';
    const res = await get(`/api/v1/map/reports?${box}`);
    const objects = res.json() as { items: Marker[]; truncated: boolean };
    assert.equal(objects.truncated, true);
    assert.equal(objects.items.length, 20_000);
    assert.equal(new Set(objects.items.map((m) => m.id)).size, 20_000);
    const columns = (await get(`/api/v1/map/reports?${box}&layout=columns`)).json() as Columns;
    assert.equal(columns.truncated, true);
    for (const k of ['id', 'number', 'lat', 'lon', 'categoryId', 'solved', 'atMs'] as const)
      assert.equal(columns[k].length, 20_000, k);
    assert.equal(new Set(columns.id).size, 20_000);
    assert.ok(
      fromColumns(columns).every((m) => m.status === 'open' && m.lon === 86 && m.lat >= 55.42),
      'each list holds the same markers in the same order',
    );
    // One fewer in the box: all of them, not truncated.
    const fewer = (await get('/api/v1/map/reports?bbox=85.99,55.419,86.01,55.4399995')).json() as {
      items: Marker[];
      truncated: boolean;
    };
    assert.deepEqual([fewer.items.length, fewer.truncated], [20_000, false]);
  });

  test('the map config: no tile server configured → null (the web draws a plain background)', async () => {
    const res = await get('/api/v1/map/config');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { tileUrl: null, attribution: null });
  });
});

type Card = { status: string; answer: { text: string; result: string | null } | null };
