import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { as, createTestContext, login, type Session, type TestContext } from '../../../../test/support/test-app.ts';
import { enqueue } from '../../core/jobs/index.ts';
import { REFRESH_JOB } from './index.ts';

// Issue 7: every analytics route through app.inject — who may (401 / 403 / 404 as the house rules say), bad input
// (400 naming the field), and the refresh job.

const EMAILS = {
  head: 'kem.head@otklik.demo',
  admin: 'kem.admin@otklik.demo',
  operator: 'kem.operator@otklik.demo',
  executor: 'kem.executor@otklik.demo',
  moderator: 'kem.moderator@otklik.demo',
  belAdmin: 'bel.admin@otklik.demo',
  region: 'region.admin@otklik.demo',
  commission: 'commission@otklik.demo',
  resident: 'resident@otklik.demo',
} as const;
type Who = keyof typeof EMAILS;
const P = 'from=2026-03-01&to=2026-03-31';

describe('analytics routes', () => {
  let t: TestContext;
  let kem: number;
  let improvement: number;
  let roads: number;
  const s = {} as Record<Who, Session>;

  before(async () => {
    t = await createTestContext();
    kem = t.demo.municipalities.kemerovo!;
    const depts = await t.database.db
      .selectFrom('department')
      .select(['id', 'name'])
      .where('municipality_id', '=', kem)
      .execute();
    improvement = depts.find((d) => d.name === 'Управление благоустройства')!.id;
    roads = depts.find((d) => d.name === 'Управление дорожного хозяйства и транспорта')!.id;
    for (const [k, email] of Object.entries(EMAILS)) s[k as Who] = await login(t.app, email);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(s.resident),
      payload: { municipalityId: kem, channel: 'web', text: 'Яма у подъезда', lat: 55.3547, lon: 86.0873 },
    });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(() => t.close());

  const get = async (who: Who | null, url: string) => t.app.inject({ url, ...(who && { headers: as(s[who], { csrf: false }) }) });
  async function expect(who: Who | null, url: string, status: number) {
    const res = await get(who, url);
    assert.equal(res.statusCode, status, `${who ?? 'anonymous'} GET ${url}: ${res.body.slice(0, 300)}`);
    return res;
  }

  test('the municipality summary: heads, administrators and the region; others 403; unknown 404; signed out 401', async () => {
    const url = `/api/v1/analytics/municipalities/${kem}/summary?${P}`;
    await expect(null, url, 401);
    for (const who of ['head', 'admin', 'region', 'commission'] as const) await expect(who, url, 200);
    for (const who of ['operator', 'executor', 'moderator', 'belAdmin', 'resident'] as const) await expect(who, url, 403);
    await expect('head', `/api/v1/analytics/municipalities/999999/summary?${P}`, 404);
    const body = (await get('head', url)).json() as { figures: Array<{ key: string; value: number }>; trend: unknown[] };
    assert.equal(body.figures.find((f) => f.key === 'received')?.value, 1);
    assert.equal(body.trend.length, 12);
  });

  test('bad periods are 400 naming the field', async () => {
    const base = `/api/v1/analytics/municipalities/${kem}/summary`;
    const cases: Array<[string, string]> = [
      ['from=2026-03-31&to=2026-03-01', 'to'],
      ['from=2026-02-30&to=2026-03-01', 'from'],
      ['from=2026-3-1&to=2026-03-01', 'from'],
      ['from=2020-01-01&to=2026-03-01', 'to'],
      [`${P}&compareFrom=2026-02-01`, 'compareTo'],
      [`${P}&compareFrom=2026-02-10&compareTo=2026-02-01`, 'compareTo'],
      ['to=2026-03-01', 'from'],
      [`${P}&extra=1`, 'extra'],
    ];
    for (const [q, field] of cases) {
      const res = await expect('head', `${base}?${q}`, 400);
      const details = (res.json() as { error: { details?: Array<{ field: string }> } }).error.details ?? [];
      assert.ok(
        details.some((d) => d.field === field || d.field.endsWith(`.${field}`)),
        `${q}: ${JSON.stringify(details)}`,
      );
    }
  });

  test('the region: regional roles only', async () => {
    const url = `/api/v1/analytics/region/summary?${P}`;
    await expect(null, url, 401);
    for (const who of ['head', 'admin', 'belAdmin', 'resident'] as const) await expect(who, url, 403);
    const body = (await expect('region', url, 200)).json() as { municipalities: Array<{ id: number; figures: unknown[] }> };
    assert.equal(body.municipalities.length, Object.keys(t.demo.municipalities).length);
    await expect('commission', url, 200);
  });

  test('a department’s executors: its head and the administrators; another municipality’s department is 404', async () => {
    const url = (id: number) => `/api/v1/analytics/departments/${id}/executors?${P}`;
    await expect(null, url(improvement), 401);
    for (const who of ['head', 'admin', 'region'] as const) await expect(who, url(improvement), 200);
    await expect('head', url(roads), 403); // the head's grant is for «благоустройства»
    await expect('admin', url(roads), 200);
    for (const who of ['operator', 'executor', 'commission'] as const) await expect(who, url(improvement), 403);
    for (const who of ['belAdmin', 'resident'] as const) await expect(who, url(improvement), 404);
    await expect('region', url(999999), 404);
  });

  test('the drill-down and the heat map: as the summary; unknown figures 400', async () => {
    const drill = `/api/v1/analytics/drill?municipalityId=${kem}&figure=received&${P}`;
    const heat = `/api/v1/analytics/heat?municipalityId=${kem}&${P}`;
    for (const url of [drill, heat]) {
      await expect(null, url, 401);
      await expect('belAdmin', url, 403);
      await expect('executor', url, 403);
      await expect('head', url, 200);
      await expect('commission', url, 200);
    }
    await expect('head', `/api/v1/analytics/drill?municipalityId=${kem}&figure=nonsense&${P}`, 400);
    await expect('head', `/api/v1/analytics/drill?municipalityId=999999&figure=received&${P}`, 404);
    await expect('head', `${drill}&limit=0`, 400);
    const d = (await get('head', `${drill}&channel=web&categoryId=0`)).json() as {
      total: number;
      items: Array<{ channel: string }>;
    };
    assert.equal(d.total, 1);
    assert.equal(d.items[0]?.channel, 'web');
    assert.equal(((await get('head', `${drill}&channel=phone`)).json() as { total: number }).total, 0);
    const h = (await get('head', heat)).json() as { total: number; points: unknown[] };
    assert.deepEqual(h, { cellDegrees: 0.005, points: [[55.3525, 86.0875, 1]], total: 1 });
  });

  test('the refresh job brings the rollup up to date; the triggers mark each changed case', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: as(s.resident),
      payload: { municipalityId: kem, channel: 'web', text: 'Не горит фонарь' },
    });
    const id = (res.json() as { id: number }).id;
    const dirty = () => t.database.db.selectFrom('analytics_dirty').select('case_id').where('case_id', '=', id).execute();
    assert.equal((await dirty()).length, 1, 'the intake marked it');
    await enqueue(t.database.db, REFRESH_JOB, {}, { now: t.clock.now() });
    await t.app.jobs.drain();
    assert.equal((await dirty()).length, 0);
    const fact = await t.database.db
      .selectFrom('analytics_case')
      .select(['state', 'channel'])
      .where('case_id', '=', id)
      .executeTakeFirst();
    assert.deepEqual(fact, { state: 'open', channel: 'web' });
  });
});
