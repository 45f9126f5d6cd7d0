import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { type Db, openDatabase } from '../src/server/core/db/index.ts';
import { migrateToLatest } from '../src/server/core/db/migrate.ts';
import { formatIsoDate, localDate, parseIsoDate } from '../src/server/core/time/index.ts';
import { rebuildAnalytics, refreshAnalytics } from '../src/server/modules/analytics/index.ts';
import { figuresFromFacts, recountFacts } from '../src/server/modules/analytics/recount.ts';
import { seedDemo } from '../src/server/modules/demo/index.ts';
import { login, MemoryMailer, type Session, as as sessionHeaders, testConfig } from '../test/support/test-app.ts';
import { seedCases } from './cases.ts';
import { type BenchOptions, DEFAULT_SERVER_URL, freshServerDatabase, machineLoad, round, table } from './support.ts';

/**
 * Analytics at scale (issue 7, item 5): 1,000,000 cases on PostgreSQL (a fresh database, dropped afterwards; the
 * cases bench's seedCases) with their timelines (received, registered, assigned, in work, drafted, answered with
 * lateness, rated, reopened, redirected, withdrawn, converted: set-based SQL), the facts and rollups built by the
 * module's own rebuild, then through the app (`app.inject`: routing, session, validation, the command, SQL, presenter):
 *  - the municipality dashboard, GET /analytics/municipalities/{Кемерово}/summary for the last 30 days against the 30
 *    before (the seed's busiest stretch: all its open cases are recent), p50/p95 over 20 requests after 3 unmeasured;
 *  - the same figures by a full recount in the same run: every case in scope read with its timeline, the facts
 *    computed afresh, the figures summed and sorted in memory (what the rollups save); its figures must equal the
 *    dashboard's;
 *  - the region's side-by-side summary, p50/p95;
 *  - diagnostics: the dashboard for the last 12 months; a refresh of 1,000 changed cases; the initial build.
 */

const SCALE = 1_000_000;
const TARGET_MS = 200;
const REQUESTS = 20;
const WARMUP = 3;

/** Timelines for the seeded cases, consistent with their statuses, in one statement (ids follow each case's time). */
async function seedEvents(db: Db): Promise<number> {
  const t0 = performance.now();
  // Per case: when it was taken up (before its answer), and its answer deadline (30 days for appeals, 14 for the
  // bench's messages, as seedCases computes due dates).
  await sql`
    insert into case_event (case_id, at, actor_user_id, type, data, deadline_at, late)
    select case_id, at, null, type, data, deadline_at, late from (
      with c as (
        select id, status, regime, received_at, registered_at, answered_at, closed_at, executor_user_id, department_id,
          received_at + least(interval '1 hour' * (1 + id % 71),
            coalesce((answered_at - received_at) / 3, interval '1 hour' * (1 + id % 71))) as taken_at,
          received_at + case when regime = 'appeal' then interval '30 days' else interval '14 days' end as answer_due,
          id % 33 = 0 and status in ('answered', 'rated') and answered_at > received_at + interval '3 days' as reopened
        from "case"
      )
      select id as case_id, received_at as at, 'received' as type, '{}'::jsonb as data, null::timestamptz as deadline_at,
        null::boolean as late from c
      union all select id, registered_at, 'registered', '{}', received_at + interval '3 days', false from c
      union all select id, received_at + interval '30 minutes', 'converted',
          jsonb_build_object('from', case when regime = 'appeal' then 'message' else 'appeal' end, 'to', regime), null, null
        from c where id % 97 = 0
      union all select id, taken_at, 'assigned', jsonb_build_object('departmentId', department_id,
          'executorUserId', executor_user_id), null, null
        from c where status in ('assigned', 'in_work', 'answer_drafted', 'answered', 'rated')
      union all select id, taken_at + interval '10 minutes', 'in_work', '{}', null, null
        from c where status in ('in_work', 'answer_drafted', 'answered', 'rated')
      union all select id, coalesce(answered_at - interval '1 hour', taken_at + interval '1 hour'), 'answer_drafted',
          '{"result": "supported"}', null, null
        from c where status in ('answer_drafted', 'answered', 'rated') and not reopened
      -- Reopened: a first answer two days before the last, the reopening a day before.
      union all select id, answered_at - interval '2 days', 'answered', '{"result": "explained"}', answer_due,
          answered_at - interval '2 days' > answer_due from c where reopened
      union all select id, answered_at - interval '1 day', 'reopened', '{"reason": "Не решено"}', null, null from c where reopened
      union all select id, answered_at, 'answered', '{"result": "supported"}', answer_due, answered_at > answer_due
        from c where status in ('answered', 'rated')
      union all select id, answered_at + interval '1 day', 'rated', jsonb_build_object('rating', 1 + (id * 7) % 5), null, null
        from c where status = 'rated'
      union all select id, closed_at, 'redirected', '{"to": "Министерство"}', received_at + interval '7 days', false
        from c where status = 'redirected'
      union all select id, closed_at, 'withdrawn', '{"reason": "withdrawn"}', null, null from c where status = 'closed'
    ) e
    order by case_id, at`.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from case_event`.execute(db);
  process.stderr.write(
    `analytics bench: ${rows[0]?.n.toLocaleString('en-US')} timeline events in ${round((performance.now() - t0) / 1000, 1)} s\n`,
  );
  return rows[0]?.n ?? 0;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

async function timed(n: number, warmup: number, run: () => Promise<void>) {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(quantile(times, 0.5)), p95Ms: round(quantile(times, 0.95)), maxMs: round(times.at(-1) ?? 0) };
}

export async function runAnalytics(options: BenchOptions): Promise<void> {
  const loadBefore = machineLoad();
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const database = await freshServerDatabase(serverUrl, 'otklik_bench_analytics');
  if ('skipped' in database) {
    process.stdout.write(`\nnote: ${database.skipped}\n\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'analytics', quick: options.quick, skipped: database.skipped })}\n`);
    return;
  }
  const count = Math.round(SCALE * (options.quick ? 0.1 : 1));
  try {
    const handle = await openDatabase({ databaseUrl: database.url, poolSize: 10, onIdleClientError: () => {} });
    try {
      const db = handle.db;
      const now = systemClock.now();
      await migrateToLatest(db as never);
      await seedDemo(db, now);
      process.stderr.write(`analytics bench: seeding ${count.toLocaleString('en-US')} cases on PostgreSQL…\n`);
      const seeded = await seedCases(db, 'postgres', count, now);
      const events = await seedEvents(db);
      await sql`vacuum analyze`.execute(db);

      const app = await buildApp({ config: testConfig(), database: handle, clock: systemClock, mailer: new MemoryMailer() });
      await app.ready();
      try {
        process.stderr.write('analytics bench: building the facts and rollups of every case (rebuildAnalytics)…\n');
        const b0 = performance.now();
        const built = await rebuildAnalytics(db, app.calendars, systemClock.now());
        const buildMs = performance.now() - b0;
        // As autovacuum would after a bulk change: the visibility map for index-only scans, the dirty marks' dead rows.
        await sql`vacuum analyze analytics_case`.execute(db);
        await sql`vacuum analyze analytics_daily`.execute(db);
        await sql`vacuum analyze analytics_dirty`.execute(db);
        const facts = await sql<{ n: number }>`select count(*)::int as n from analytics_case`.execute(db);
        const rollupRows = await sql<{ n: number }>`select count(*)::int as n from analytics_daily`.execute(db);

        const kem = seeded.kemerovoId;
        const zone = 'Asia/Novokuznetsk';
        const today = localDate(systemClock.now(), zone);
        const day = (offset: number) => formatIsoDate(parseIsoDate(today) + offset);
        // The last 30 days against the 30 before (the seed's busiest stretch: its open cases are all recent).
        const period = { from: day(-29), to: today };
        const compare = { from: day(-59), to: day(-30) };
        const head: Session = await login(app, 'kem.head@otklik.demo');
        const regional: Session = await login(app, 'region.admin@otklik.demo');
        const get = async (who: Session, url: string) => {
          const res = await app.inject({ url, headers: sessionHeaders(who, { csrf: false }) });
          if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          return res.json() as { figures: Array<{ key: string; value: number | null; base: number }> };
        };
        const dashboardUrl = `/api/v1/analytics/municipalities/${kem}/summary?from=${period.from}&to=${period.to}&compareFrom=${compare.from}&compareTo=${compare.to}`;
        process.stderr.write(`analytics bench: dashboard ${period.from} … ${period.to} vs ${compare.from} … ${compare.to}\n`);
        const dashboard = await timed(REQUESTS, WARMUP, async () => {
          await get(head, dashboardUrl);
        });
        const cohort = await sql<{ n: number }>`
          select count(*)::int as n from analytics_case where municipality_id = ${kem}
            and received_day between ${period.from}::date and ${period.to}::date`.execute(db);
        const yearUrl = `/api/v1/analytics/municipalities/${kem}/summary?from=${day(-364)}&to=${today}`;
        const year = await timed(5, 1, async () => {
          await get(head, yearUrl);
        });
        const region = await timed(REQUESTS, WARMUP, async () => {
          await get(regional, `/api/v1/analytics/region/summary?from=${period.from}&to=${period.to}`);
        });

        process.stderr.write('analytics bench: the full recount…\n');
        const answer = await get(head, dashboardUrl);
        const r0 = performance.now();
        const recounted = await recountFacts(db, app.calendars, systemClock.now(), {
          municipalityId: kem,
          received: { from: compare.from, to: period.to },
        });
        const fromRecount = figuresFromFacts(recounted, kem, period);
        const recountMs = performance.now() - r0;
        const mismatches = answer.figures.filter((f) => {
          const r = fromRecount[f.key as keyof typeof fromRecount];
          return !r || r.value !== f.value || r.base !== f.base;
        });

        // Incremental: 1,000 changed cases (marked as the triggers would) and the refresh that applies them.
        await sql`
          insert into analytics_dirty (case_id) select id from "case" where municipality_id = ${kem}
          order by id desc limit 1000 on conflict (case_id) do nothing`.execute(db);
        const i0 = performance.now();
        const incremental = await refreshAnalytics(db, app.calendars, { now: systemClock.now() });
        const incrementalMs = performance.now() - i0;

        const loadAfter = machineLoad();
        const pass = dashboard.p95Ms < TARGET_MS && mismatches.length === 0;
        process.stdout.write(
          `\nAnalytics at scale${options.quick ? ' (--quick: a tenth of the scale)' : ''} on PostgreSQL; through app.inject in ` +
            `one process; Node ${process.version}\n` +
            `${count.toLocaleString('en-US')} cases (seedCases of the cases bench) and ${events.toLocaleString('en-US')} timeline ` +
            'events; the facts and rollups built by rebuildAnalytics (one transaction).\n' +
            `dashboard: GET /analytics/municipalities/{Кемерово}/summary, ${period.from} … ${period.to} against ${compare.from} … ` +
            `${compare.to} (${cohort.rows[0]?.n.toLocaleString('en-US')} cases received in the period), ${REQUESTS} requests after ${WARMUP}.\n` +
            'recount: the same figures from the cases and timelines (every case received since the comparison period or open,\n' +
            '  its facts computed afresh, summed and sorted in memory); its figures must equal the dashboard’s.\n\n',
        );
        process.stdout.write(
          `${table([
            ['measure', 'figure', 'goal', ''],
            [
              'facts and rollups built (every case)',
              `${round(buildMs / 1000, 1)} s for ${built.cases.toLocaleString('en-US')} cases`,
              '',
              '',
            ],
            [
              '  rows: facts / rollup',
              `${facts.rows[0]?.n.toLocaleString('en-US')} / ${rollupRows.rows[0]?.n.toLocaleString('en-US')}`,
              '',
              '',
            ],
            ['dashboard p50', `${dashboard.p50Ms} ms`, '', ''],
            ['dashboard p95', `${dashboard.p95Ms} ms`, `< ${TARGET_MS} ms`, dashboard.p95Ms < TARGET_MS ? 'PASS' : 'MISS'],
            ['full recount of the same figures', `${round(recountMs)} ms`, '', ''],
            ['recount ÷ dashboard p50', `${round(recountMs / dashboard.p50Ms, 0)}×`, '', ''],
            [
              'recount figures = dashboard figures',
              mismatches.length === 0 ? 'all equal' : mismatches.map((f) => f.key).join(', '),
              'equal',
              mismatches.length === 0 ? 'PASS' : 'MISS',
            ],
            ['region summary p50 / p95', `${region.p50Ms} / ${region.p95Ms} ms`, '', ''],
            ['  diagnostic: dashboard of the last 12 months p50', `${year.p50Ms} ms`, '', ''],
            ['  diagnostic: refresh of 1,000 changed cases', `${round(incrementalMs)} ms (${incremental.cases} cases)`, '', ''],
          ])}\n`,
        );
        const busy = loadBefore.warning ?? loadAfter.warning;
        if (busy) process.stdout.write(`note: ${busy}\n`);
        process.stdout.write('\n');
        process.stdout.write(
          `${JSON.stringify({
            bench: 'analytics',
            quick: options.quick,
            cases: count,
            events,
            cohort: cohort.rows[0]?.n ?? 0,
            buildSec: round(buildMs / 1000, 1),
            dashboardP50Ms: dashboard.p50Ms,
            dashboardP95Ms: dashboard.p95Ms,
            recountMs: round(recountMs),
            ratio: round(recountMs / dashboard.p50Ms, 0),
            recountEqual: mismatches.length === 0,
            regionP50Ms: region.p50Ms,
            regionP95Ms: region.p95Ms,
            yearDashboardP50Ms: year.p50Ms,
            refresh1000Ms: round(incrementalMs),
            loadAvg1: [loadBefore.load1, loadAfter.load1],
            pass,
          })}\n`,
        );
      } finally {
        await app.close();
      }
    } finally {
      await handle.close();
    }
  } finally {
    await database.drop();
  }
}
