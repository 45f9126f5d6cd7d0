import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { CompiledQuery, type KyselyPlugin, PostgresQueryCompiler, sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { buildApp, DEFAULT_WEB_ROOT } from '../src/server/app.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { type DatabaseHandle, type Db, openDatabase } from '../src/server/core/db/index.ts';
import { migrateToLatest } from '../src/server/core/db/migrate.ts';
import { seedDemo } from '../src/server/modules/demo/index.ts';
import { markerColumnsInBox } from '../src/server/modules/map/map.repository.ts';
import { type Bbox, MAP_REPORTS_LIMIT, SOLVED_VISIBLE_DAYS } from '../src/server/modules/map/map-rules.ts';
import { MemoryMailer, testConfig } from '../test/support/test-app.ts';
import {
  type BenchOptions,
  CLI,
  DEFAULT_SERVER_URL,
  freePort,
  freshServerDatabase,
  machineLoad,
  ROOT,
  randomSecret,
  round,
  type Server,
  serverEnv,
  startServer,
  table,
  tempDir,
} from './support.ts';

/**
 * The public map at scale (issue 5): 1,000,000 map reports (messages and incidents with a place) seeded set-based on
 * PostgreSQL (a fresh database on BENCH_DATABASE_URL's server, dropped afterwards) over the real migrations and the
 * demo seed, spread over the demo municipalities of Кузбасс (dense in the cities, thinner around them), then:
 *  1. the bounding-box query `GET /api/v1/map/reports?bbox=…&layout=columns` (the map page's request) through
 *     `app.inject` in this process (routing, validation, SQL, presenter, serialisation; no sockets) over region-,
 *     city-, district- and street-sized boxes with and without filters, one at a time — each followed by the floor:
 *     the same route for a box with no reports (same parsing, same indexes; no rows) — and by the same box in the
 *     default layout (an object per marker);
 *  2. Open311 `GET /open311/v2/requests.json` (a mix of the spec's filters, the spec's default page of up to 1000)
 *     with autocannon, 32 connections, against `otklik serve` in its own process on the same database — next to
 *     `GET /open311/discovery.json` (same plugin, one tiny query) on the same server; then the same queries from a
 *     polling client that revalidates with If-None-Match (304 while nothing changed);
 *  3. the public page /map in headless Chromium (Debian's, via playwright-core) on that server: from navigation to
 *     the first frame after the marker layer has drawn all of Кемерово's visible reports (20,000) — next to the same
 *     page with a filter that leaves the box empty (0 markers). Skipped with a note when Chromium is missing.
 */

const SCALE = 1_000_000;
/** Кемерово's reports the map shows (open, and solved in the last 30 days): the page's markers (the answer's cap). */
const PAGE_MARKERS = MAP_REPORTS_LIMIT;
const TARGET_BBOX_P95_MS = 50;
const BBOX_REQUESTS = 400;
const BBOX_WARMUP = 40;
const CONNECTIONS = 32;
const OPEN311_SECONDS = 20;
const BASELINE_SECONDS = 10;
const WARMUP_SECONDS = 4;
const PAGE_RUNS = 3;
const DAY_MS = 86_400_000;

interface Core {
  lat: number;
  lon: number;
  sdLat: number;
  sdLon: number;
  weight: number;
}
interface Area {
  /** Share of all reports. */
  share: number;
  /** Dense centres (a normal spread around each), by weight; the rest lies uniformly in `spread`. */
  cores: Core[];
  /** Boxes [minLon, minLat, maxLon, maxLat] inside the demo boundary; points are kept inside the first one. */
  spread: Array<[number, number, number, number]>;
}

/**
 * The demo municipalities (src/server/modules/demo/boundaries.ts) with shares near their populations (Кемерово
 * 533k, Белово 77k, Мариинск 41k, Калининское 2k; a city reports more per head). Points stay inside each demo
 * boundary's box; Калининское's avoid Мариинск, its enclave.
 */
const AREAS: Record<string, Area> = {
  kemerovo: {
    share: 0.7,
    cores: [
      { lat: 55.345, lon: 86.1, sdLat: 0.028, sdLon: 0.05, weight: 0.55 }, // left bank: Центральный, Ленинский, Заводский
      { lat: 55.405, lon: 86.06, sdLat: 0.014, sdLon: 0.035, weight: 0.15 }, // Рудничный, across the Томь
    ],
    spread: [[85.92, 55.26, 86.28, 55.47]],
  },
  belovo: {
    share: 0.17,
    cores: [{ lat: 54.42, lon: 86.3, sdLat: 0.02, sdLon: 0.04, weight: 0.75 }],
    spread: [[86.17, 54.36, 86.44, 54.49]],
  },
  mariinsk: {
    share: 0.1,
    cores: [{ lat: 56.212, lon: 87.755, sdLat: 0.01, sdLon: 0.02, weight: 0.8 }],
    spread: [[87.69, 56.175, 87.82, 56.245]],
  },
  kalininskoe: {
    share: 0.03,
    cores: [],
    spread: [
      [87.5, 56.05, 88.0, 56.16],
      [87.5, 56.26, 88.0, 56.35],
    ],
  },
};

/** The map-report categories each municipality gets: the demo's two messages (POTHOLE, STREETLIGHT) and an incident. */
const MAP_CATEGORIES = [
  { name: 'Ямы на дорогах', code: 'POTHOLE', regime: 'message' as const, weight: 0.5 },
  { name: 'Уличное освещение', code: 'STREETLIGHT', regime: 'message' as const, weight: 0.35 },
  { name: 'Открытые люки', code: 'MANHOLE', regime: 'incident' as const, weight: 0.15 },
];

const TEXTS = [
  'Глубокая яма на проезжей части, машины объезжают по встречной.',
  'Выбоина у пешеходного перехода, после дождя не видно.',
  'Разрушен асфальт у остановки, яма примерно метр.',
  'Не горят фонари вдоль дома, вечером темно.',
  'Фонарь мигает всю ночь, опора наклонилась.',
  'Не работает освещение во дворе и на тротуаре.',
  'Открытый люк на тротуаре, опасно для детей.',
  'Крышка люка сдвинута, проезжая часть.',
];
const STREETS = ['Ленина', 'Советский проспект', 'Кузнецкий проспект', 'Весенняя', 'Терешковой', 'Шахтёров', 'Кирова'];

/** Constants written into the SQL text (the planner sees them; parameters would be untyped). */
const int = (n: number) => sql.raw(String(Math.trunc(n)));
const sqlArray = (items: readonly (string | number)[]) =>
  sql.raw(`array[${items.map((x) => (typeof x === 'number' ? String(x) : `'${x.replaceAll("'", "''")}'`)).join(',')}]`);

interface Seeded {
  reports: number;
  visible: number;
  kemerovoVisible: number;
  events: number;
  seedMs: number;
  municipalities: Record<string, { id: number; oktmo: string; visible: number }>;
  /** Кемерово's category ids by service code, and one of its appeal categories (never on the map). */
  categories: Record<string, number>;
  appealCategoryId: number;
  sampleNumbers: string[];
}

/** The visible-on-the-map predicate of the repository (map.repository.ts), for counting. */
const visibleSql = (solvedSince: Date) => sql<boolean>`lat is not null and lon is not null and regime in ('message', 'incident')
  and cluster_primary_id is null and (status in ('registered', 'assigned', 'in_work', 'answer_drafted')
  or (status in ('answered', 'rated') and answered_at >= ${solvedSince}))`;

/** `count` map reports over the demo municipalities, set-based (insert … select … from generate_series). */
export async function seedMapReports(db: Db, count: number, now: Date, quick: boolean): Promise<Seeded> {
  const t0 = performance.now();
  await sql`select setseed(0.5)`.execute(db);
  const munis = await db.selectFrom('municipality').select(['id', 'slug', 'case_prefix', 'oktmo']).execute();
  const kem = munis.find((m) => m.slug === 'kemerovo');
  if (!kem) throw new Error('the demo seed has no Кемерово');

  // The map categories everywhere (the demo has them only where its departments are), routed past the appeals office.
  const departments = await db.selectFrom('department').select(['id', 'municipality_id']).orderBy('id').execute();
  await db
    .insertInto('category')
    .values(
      munis.flatMap((m) => {
        const own = departments.filter((d) => d.municipality_id === m.id);
        const dept = (own[1] ?? own[0])?.id ?? null;
        return MAP_CATEGORIES.map((c) => ({
          municipality_id: m.id,
          name: c.name,
          regime: c.regime,
          service_code: c.code,
          department_id: dept,
          created_at: now,
          updated_at: now,
        }));
      }),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();

  // Кемерово's visible reports are exactly PAGE_MARKERS; the other municipalities get the same visible share.
  const kemCount = Math.round(count * AREAS.kemerovo!.share);
  const share = Math.min(1, PAGE_MARKERS / kemCount);
  if (!quick && share > 0.1) throw new Error(`${PAGE_MARKERS} visible of ${kemCount} is no realistic share`);
  const solvedSince = new Date(now.getTime() - SOLVED_VISIBLE_DAYS * DAY_MS);
  let from = 1;
  for (const m of munis) {
    const area = AREAS[m.slug];
    if (!area) continue;
    const n = m.id === kem.id ? kemCount : Math.round(count * area.share);
    const visible = m.id === kem.id ? Math.min(PAGE_MARKERS, n) : Math.round(n * share);
    const cats = await db
      .selectFrom('category')
      .select(['id', 'service_code', 'regime', 'department_id'])
      .where('municipality_id', '=', m.id)
      .where(
        'service_code',
        'in',
        MAP_CATEGORIES.map((c) => c.code),
      )
      .execute();
    const ordered = MAP_CATEGORIES.map((c) => {
      const row = cats.find((x) => x.service_code === c.code);
      if (!row) throw new Error(`no ${c.code} category in ${m.slug}`);
      return { ...row, weight: c.weight };
    });
    // A category drawn by weight (rc), and its columns.
    const catCase = (col: (c: (typeof ordered)[number]) => string | number | null) => {
      const lit = (v: string | number | null) => (v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v}'`);
      const upTo = (i: number) => ordered.slice(0, i + 1).reduce((a, c) => a + c.weight, 0);
      const whens = ordered.slice(0, -1).map((c, i) => `when rc < ${upTo(i)} then ${lit(col(c))}`);
      return sql.raw(`case ${whens.join(' ')} else ${lit(col(ordered.at(-1)!))} end`);
    };
    // A point: a normal spread around one of the cores (Box–Muller), else uniform in one of the spread boxes.
    const [bx0, by0, bx1, by1] = area.spread[0]!;
    const clampLat = (e: string) => `least(${by1}, greatest(${by0}, ${e}))`;
    const clampLon = (e: string) => `least(${bx1}, greatest(${bx0}, ${e}))`;
    const coreUpTo = (i: number) => area.cores.slice(0, i + 1).reduce((a, c) => a + c.weight, 0);
    const coreLat = area.cores.map((c, i) => {
      const w = coreUpTo(i);
      return `when rp < ${w} then ${clampLat(`${c.lat} + ${c.sdLat} * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2)`)}`;
    });
    const coreLon = area.cores.map((c, i) => {
      const w = coreUpTo(i);
      return `when rp < ${w} then ${clampLon(`${c.lon} + ${c.sdLon} * sqrt(-2 * ln(1 - u1)) * sin(2 * pi() * u2)`)}`;
    });
    const k = area.spread.length;
    const spreadLat = area.spread.map((b, i) => `when u5 < ${(i + 1) / k} then ${b[1]} + u3 * ${b[3] - b[1]}`);
    const spreadLon = area.spread.map((b, i) => `when u5 < ${(i + 1) / k} then ${b[0]} + u4 * ${b[2] - b[0]}`);
    const latSql = sql.raw(`case ${[...coreLat, ...spreadLat].join(' ')} end`);
    const lonSql = sql.raw(`case ${[...coreLon, ...spreadLon].join(' ')} end`);
    const to = from + n - 1;
    await sql`
      insert into "case" (municipality_id, number, regime, channel, kind, category_id, department_id, is_anonymous, text,
        address, lat, lon, status, received_at, registered_at, due_at, due_kind, due_rule, due_source, answer_due_at,
        answer_text, answer_result, answered_at, closure_reason, closed_at, created_at)
      select ${int(m.id)}, ${m.case_prefix}::text || '-' || extract(year from received)::int || '-' || lpad(g::text, 7, '0'),
        regime, channel, 'statement', cat, dept, false, body, address, lat, lon, status, received,
        received + interval '1 hour', due, case when due is not null then 'answer' end,
        case when due is null then null when regime = 'message' then '10 рабочих дней' else '24 часа' end,
        case when due is null then null else 'настройки муниципалитета' end, due,
        case when answered is not null then 'Работы выполнены, спасибо за сообщение.' end,
        case when answered is not null then 'supported' end, answered,
        case when status = 'closed' then 'withdrawn' end,
        case when status in ('closed', 'redirected') then received + interval '5 days' end, received
      from (
        select g, status, regime, channel, cat, dept, lat, lon, address, body, received, answered,
          case when status in ('registered', 'assigned', 'in_work', 'answer_drafted')
            then received + case when regime = 'message' then interval '14 days' else interval '1 day' end end as due
        from (
          select g, ${latSql} as lat, ${lonSql} as lon,
            ${catCase((c) => c.id)} as cat, ${catCase((c) => c.department_id)} as dept,
            ${catCase((c) => c.regime)} as regime,
            case when rh < 0.55 then 'web' when rh < 0.70 then 'open311' when rh < 0.85 then 'phone' else 'social' end as channel,
            status,
            case when status in ('answered', 'rated') then solved end as answered,
            case when status in ('answered', 'rated') then solved - rr * interval '20 days'
              when visible then ${now}::timestamptz - ra * interval '60 days'
              else ${now}::timestamptz - ra * interval '1095 days' end as received,
            'ул. ' || (${sqlArray(STREETS)})[1 + floor(rh * ${int(STREETS.length)})::int] || ', д. ' || (1 + g % 120) as address,
            (${sqlArray(TEXTS)})[1 + floor(rt * ${int(TEXTS.length)})::int] as body
          from (
            select *,
              case when visible then
                case when rs < 0.10 then 'registered' when rs < 0.20 then 'assigned' when rs < 0.40 then 'in_work'
                  when rs < 0.45 then 'answer_drafted' when rs < 0.80 then 'answered' else 'rated' end
              else
                case when rs < 0.55 then 'answered' when rs < 0.80 then 'rated' when rs < 0.92 then 'closed'
                  else 'redirected' end
              end as status,
              -- Visible solved reports were answered in the last 28 days; the others more than 31 days ago.
              case when visible then ${now}::timestamptz - ra * interval '28 days'
                else ${now}::timestamptz - interval '31 days' - ra * interval '1060 days' end as solved
            from (
              -- Exactly \`visible\` rows of the municipality are visible: g ↦ g·p mod n is a bijection (p prime > n).
              select g, ((g - ${int(from)})::bigint * 2654435761) % ${int(n)} < ${int(visible)} as visible,
                random() as rs, random() as ra, random() as rr, random() as rc, random() as rh, random() as rt,
                random() as rp, random() as u1, random() as u2, random() as u3, random() as u4, random() as u5
              from generate_series(${int(from)}::int, ${int(to)}::int) g
            ) r
          ) q
        ) s
      ) t`.execute(db);
    from = to + 1;
  }
  // The public timeline of the recent reports (Open311's updated_datetime reads the newest event of each).
  const since = new Date(now.getTime() - 120 * DAY_MS);
  await sql`
    insert into case_event (case_id, at, type)
    select id, received_at, 'received' from "case" where regime in ('message', 'incident') and received_at >= ${since}
    union all
    select id, registered_at, 'registered' from "case" where regime in ('message', 'incident') and received_at >= ${since}
    union all
    select id, answered_at, 'answered' from "case" where regime in ('message', 'incident') and answered_at >= ${since}`.execute(
    db,
  );
  await sql`vacuum analyze`.execute(db);

  const counted = await db
    .selectFrom('case')
    .select([
      'municipality_id',
      sql<number>`count(*)::int`.as('n'),
      sql<number>`(count(*) filter (where ${visibleSql(solvedSince)}))::int`.as('v'),
    ])
    .where('regime', 'in', ['message', 'incident'])
    .groupBy('municipality_id')
    .execute();
  const events = await db.selectFrom('case_event').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const kemCats = await db
    .selectFrom('category')
    .select(['id', 'service_code', 'regime'])
    .where('municipality_id', '=', kem.id)
    .execute();
  const appeal = kemCats.find((c) => c.regime === 'appeal');
  if (!appeal) throw new Error('Кемерово has no appeal category');
  const sample = await db
    .selectFrom('case')
    .select('number')
    .where('municipality_id', '=', kem.id)
    .where('regime', 'in', ['message', 'incident'])
    .orderBy('id')
    .limit(10)
    .execute();
  const vis = (id: number) => counted.find((c) => c.municipality_id === id)?.v ?? 0;
  return {
    reports: counted.reduce((a, c) => a + c.n, 0),
    visible: counted.reduce((a, c) => a + c.v, 0),
    kemerovoVisible: vis(kem.id),
    events: events.n,
    seedMs: performance.now() - t0,
    municipalities: Object.fromEntries(munis.map((m) => [m.slug, { id: m.id, oktmo: m.oktmo ?? '', visible: vis(m.id) }])),
    categories: Object.fromEntries(kemCats.filter((c) => c.service_code).map((c) => [c.service_code!, c.id])),
    appealCategoryId: appeal.id,
    sampleNumbers: sample.map((r) => r.number),
  };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

interface Latency {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The median number of markers answered. */
  markers: number;
}

function latencyOf(times: Array<{ ms: number; markers: number }>): Latency {
  const ms = times.map((t) => t.ms).sort((a, b) => a - b);
  const markers = times.map((t) => t.markers).sort((a, b) => a - b);
  return {
    requests: ms.length,
    p50Ms: round(quantile(ms, 0.5), 2),
    p95Ms: round(quantile(ms, 0.95), 2),
    maxMs: round(ms.at(-1) ?? Number.NaN, 2),
    markers: quantile(markers, 0.5),
  };
}

type BoxKind = 'region' | 'city' | 'district' | 'street';
const BOX_KINDS: BoxKind[] = ['region', 'city', 'district', 'street'];
/** How the measured requests are mixed: most map views are of a city or closer. */
const BOX_MIX: Array<[BoxKind, number]> = [
  ['region', 0.1],
  ['city', 0.25],
  ['district', 0.35],
  ['street', 0.3],
];
/** The floor: the same route for a box with no reports in it (in the Баренцево море). */
const EMPTY_BOX = '40.1,70.1,40.3,70.2';

/** A deterministic pseudo-random sequence (the same boxes in every run). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The item whose share of the cumulative weights `r` (0…1) falls in. */
function byWeight<T>(items: readonly T[], weight: (x: T) => number, r: number): T {
  let acc = 0;
  for (const x of items) {
    acc += weight(x);
    if (r < acc) return x;
  }
  return items.at(-1)!;
}

const fmtBox = (b: Bbox) => [b.minLon, b.minLat, b.maxLon, b.maxLat].map((x) => x.toFixed(5)).join(',');

/** Varied boxes: the whole region zoomed out, a city, a district, a street — around the cities' centres. */
function boxUrls(s: Seeded, count: number): Array<{ kind: BoxKind; url: string }> {
  const rnd = lcg(7);
  const centres = [
    { lat: 55.35, lon: 86.09, weight: 0.7 }, // Кемерово
    { lat: 54.42, lon: 86.3, weight: 0.2 }, // Белово
    { lat: 56.21, lon: 87.75, weight: 0.1 }, // Мариинск
  ];
  const half: Record<BoxKind, [number, number]> = {
    region: [2.6, 2.1], // ~ 84–89.5 E, 52.5–56.8 N: all of Кузбасс at zoom ~7
    city: [0.13, 0.065], // ~ 16 × 14 km: a city at zoom ~11–12
    district: [0.035, 0.018], // ~ 4.4 × 4 km: zoom ~14
    street: [0.006, 0.003], // ~ 750 × 650 m: zoom ~16–17
  };
  const kem = s.municipalities.kemerovo!.id;
  const out: Array<{ kind: BoxKind; url: string }> = [];
  for (let i = 0; i < count; i++) {
    const kind = byWeight(BOX_MIX, ([, w]) => w, rnd())[0];
    const centre = kind === 'region' ? { lat: 54.6, lon: 86.8 } : byWeight(centres, (x) => x.weight, rnd());
    const [hx, hy] = half[kind];
    // Somewhere around the centre: within a city's reach for the smaller boxes.
    const jitter = kind === 'region' ? 0.3 : kind === 'city' ? 0.03 : 0.06;
    const lat = centre.lat + (rnd() * 2 - 1) * jitter;
    const lon = centre.lon + (rnd() * 2 - 1) * jitter * 1.6;
    const box = { minLon: lon - hx, minLat: lat - hy, maxLon: lon + hx, maxLat: lat + hy };
    // Every fourth with a filter the page offers: state, category (Кемерово's), municipality.
    const f = i % 8;
    const filter =
      f === 1
        ? '&status=open'
        : f === 3
          ? `&status=solved`
          : f === 5
            ? `&municipalityId=${kem}&categoryId=${s.categories.POTHOLE}`
            : f === 7
              ? `&municipalityId=${kem}`
              : '';
    out.push({ kind, url: `/api/v1/map/reports?bbox=${fmtBox(box)}${filter}` });
  }
  return out;
}

interface BboxResult {
  /** The page's request (layout=columns). */
  all: Latency;
  /** The same boxes with the default layout (an object per marker). */
  objects: Latency;
  floor: Latency;
  byKind: Record<BoxKind, Latency>;
  truncated: number;
  slowest: string;
}

/**
 * One request at a time through app.inject, each followed by the floor (both meet the same load): the page's own
 * request (`layout=columns`), then the same box with the default layout (objects).
 */
async function measureBoxes(database: DatabaseHandle, seeded: Seeded, options: BenchOptions): Promise<BboxResult> {
  const app = await buildApp({ config: testConfig(), database, clock: systemClock, mailer: new MemoryMailer() });
  await app.ready();
  try {
    const scale = options.quick ? 0.25 : 1;
    const urls = boxUrls(seeded, Math.round(BBOX_REQUESTS * scale));
    const floorUrl = `/api/v1/map/reports?bbox=${EMPTY_BOX}&layout=columns`;
    let truncated = 0;
    const get = async (url: string) => {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url });
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const body = res.json() as { items?: unknown[]; id?: unknown[]; truncated: boolean };
      if (body.truncated) truncated++;
      return { ms, markers: (body.id ?? body.items ?? []).length };
    };
    for (const { url } of urls.slice(0, Math.round(BBOX_WARMUP * scale))) {
      await get(`${url}&layout=columns`);
      await get(floorUrl);
      await get(url);
    }
    truncated = 0;
    const times: Array<{ ms: number; markers: number; kind: BoxKind; url: string }> = [];
    const objects: Array<{ ms: number; markers: number }> = [];
    const floor: Array<{ ms: number; markers: number }> = [];
    for (const { kind, url } of urls) {
      const pageUrl = `${url}&layout=columns`;
      times.push({ ...(await get(pageUrl)), kind, url: pageUrl });
      floor.push(await get(floorUrl));
      objects.push(await get(url));
    }
    const byKind = Object.fromEntries(BOX_KINDS.map((k) => [k, latencyOf(times.filter((t) => t.kind === k))])) as Record<
      BoxKind,
      Latency
    >;
    const slowest = times.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      all: latencyOf(times),
      objects: latencyOf(objects),
      floor: latencyOf(floor),
      byKind,
      truncated: truncated / 2,
      slowest: `${round(slowest.ms, 1)} ms ${slowest.url} (${slowest.markers} markers)`,
    };
  } finally {
    await app.close();
  }
}

interface Scan {
  index: string | null;
  node: string;
  rows: number;
  /** Index entries read and thrown away by the query's other conditions (the box, another state…). */
  removed: number;
  heapFetches: number | null;
}

interface Plan {
  box: string;
  node: string;
  /** Every scan of the plan (the open part and the solved part each have one). */
  scans: Scan[];
  rows: number;
  removed: number;
  sharedHit: number;
  sharedRead: number;
  executionMs: number;
}

/** The indexes the bounding-box query reads (migration 0018): open reports by point, solved ones by answer date. */
const MAP_INDEXES = ['case_map_open_idx', 'case_map_solved_idx'];

/** EXPLAIN (ANALYZE, BUFFERS) of the repository's own bounding-box query (compiled from markerColumnsInBox itself). */
async function explainBox(db: Db, box: Bbox, now: Date): Promise<Plan> {
  let compiled: CompiledQuery | undefined;
  const capture: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      compiled ??= new PostgresQueryCompiler().compileQuery(node, queryId);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const solvedSince = new Date(now.getTime() - SOLVED_VISIBLE_DAYS * DAY_MS);
  await markerColumnsInBox(db.withPlugin(capture), { box, solvedSince, limit: MAP_REPORTS_LIMIT });
  if (!compiled) throw new Error('the bounding-box query was not captured');
  const res = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
    CompiledQuery.raw(`explain (analyze, buffers, format json) ${compiled.sql}`, [...compiled.parameters]),
  );
  const doc = res.rows[0]!['QUERY PLAN'] as Array<{ Plan: PlanNode; 'Execution Time': number }>;
  const nodes: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    nodes.push(n);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(doc[0]!.Plan);
  const scans = nodes
    .filter((n) => /Scan/.test(n['Node Type']))
    .map(
      (n): Scan => ({
        index: n['Index Name'] ?? null,
        node: n['Node Type'],
        rows: n['Actual Rows'] ?? 0,
        removed: (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0),
        heapFetches: n['Heap Fetches'] ?? null,
      }),
    );
  return {
    box: fmtBox(box),
    node: nodes.map((n) => n['Node Type'] + (n['Index Name'] ? ` (${n['Index Name']})` : '')).join(' → '),
    scans,
    rows: scans.reduce((a, x) => a + x.rows, 0),
    removed: scans.reduce((a, x) => a + x.removed, 0),
    sharedHit: doc[0]!.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: doc[0]!.Plan['Shared Read Blocks'] ?? 0,
    executionMs: round(doc[0]!['Execution Time'], 2),
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Heap Fetches'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Loaded {
  name: string;
  path: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  kbPerRequest: number;
}

/**
 * autocannon with `connections` connections over `paths` (each connection cycles through them). Its own histogram
 * keeps whole milliseconds, so the latency of every 2xx answer is taken from its 'response' event.
 */
interface Target {
  path: string;
  headers?: Record<string, string>;
}

/**
 * autocannon with `connections` connections over `targets` (each connection cycles through them). Its own histogram
 * keeps whole milliseconds, so the latency of every answer counted as good (2xx; 304 too when revalidating) is
 * taken from its 'response' event.
 */
async function load(
  server: Server,
  name: string,
  targets: Array<string | Target>,
  seconds: number,
  warmup: number,
): Promise<Loaded & { notModified: number }> {
  const list = targets.map((t) => (typeof t === 'string' ? { path: t } : t));
  const run = async (duration: number) => {
    const latencies: number[] = [];
    let notModified = 0;
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: server.url,
          connections: CONNECTIONS,
          pipelining: 1,
          duration,
          requests: list.map((t) => ({ method: 'GET' as const, path: t.path, ...(t.headers && { headers: t.headers }) })),
        },
        (error, r) => (error ? reject(error) : resolve(r)),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode === 304) notModified++;
        if ((statusCode >= 200 && statusCode < 300) || statusCode === 304) latencies.push(responseTime);
      });
    });
    latencies.sort((a, b) => a - b);
    return { result, latencies, notModified };
  };
  await run(warmup);
  const { result: r, latencies, notModified } = await run(seconds);
  return {
    name,
    path: list.length === 1 ? list[0]!.path : `${list.length} queries, e.g. ${list[0]!.path}`,
    reqPerSec: round(r.requests.total / seconds, 1),
    p50Ms: round(quantile(latencies, 0.5), 1),
    p99Ms: round(quantile(latencies, 0.99), 1),
    requests: r.requests.total,
    non2xx: r.non2xx - notModified,
    errors: r.errors + r.timeouts,
    kbPerRequest: round(r.throughput.total / Math.max(1, r.requests.total) / 1024, 1),
    notModified,
  };
}

/** The same queries revalidated by a polling client: If-None-Match with each document's current ETag. */
async function revalidating(server: Server, paths: string[]): Promise<Target[]> {
  return Promise.all(
    paths.map(async (path) => {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      const etag = res.headers.get('etag');
      if (!etag) throw new Error(`GET ${path} gave no ETag`);
      return { path, headers: { 'if-none-match': etag } };
    }),
  );
}

/** The Open311 GET requests the integrations make: the default window, and the spec's filters. */
function open311Paths(s: Seeded, now: Date): string[] {
  const kem = s.municipalities.kemerovo!.oktmo;
  const bel = s.municipalities.belovo!.oktmo;
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const p = '/open311/v2/requests.json?jurisdiction_id=';
  return [
    `${p}${kem}`,
    `${p}${kem}&status=open`,
    `${p}${kem}&service_code=POTHOLE`,
    `${p}${kem}&service_code=STREETLIGHT,MANHOLE&status=closed`,
    `${p}${kem}&start_date=${iso(new Date(now.getTime() - 400 * DAY_MS))}&end_date=${iso(new Date(now.getTime() - 370 * DAY_MS))}`,
    `${p}${bel}`,
    `${p}${kem}&service_request_id=${encodeURIComponent(s.sampleNumbers.join(','))}`,
  ];
}

interface PageResult {
  markers: number;
  showMs: number;
  emptyMs: number;
  /** When the markers' answer had arrived (from navigation start), the server's share of it, and drawing. */
  answerAtMs: number;
  answerMs: number;
  drawMs: number;
  runs: number;
}

/** The built web app, rebuilt when missing or older than its sources. */
function ensureWebBuild(notes: string[]): void {
  const index = path.join(DEFAULT_WEB_ROOT, 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = path.join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  if (existsSync(index) && statSync(index).mtimeMs >= newest(path.join(ROOT, 'src/web'))) return;
  process.stderr.write('map bench: building the web app (npm run build:web)…\n');
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', 'build:web', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`npm run build:web exited with ${r.status}`);
  notes.push(`the web app was (re)built first: ${round((performance.now() - t0) / 1000, 1)} s, not in any figure`);
}

/**
 * Navigation to the first frame after the marker layer has drawn `expected` markers (the map element's
 * data-markers-loaded, set once an answer is drawn), timed in the page from its navigation start.
 */
async function timePage(browser: Browser, url: string, expected: number) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript((want: string) => {
      const w = window as unknown as { __bench: { drawnAt?: number; paintedAt?: number } };
      w.__bench = {};
      new MutationObserver(() => {
        const el = document.querySelector<HTMLElement>('[data-markers-loaded]');
        if (w.__bench.drawnAt === undefined && el?.dataset.markersLoaded === want) {
          w.__bench.drawnAt = performance.now();
          // The next frame's callbacks run before its paint; a task queued from there runs after it.
          requestAnimationFrame(() =>
            setTimeout(() => {
              w.__bench.paintedAt = performance.now();
            }, 0),
          );
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-markers-loaded'] });
    }, String(expected));
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as { __bench: { paintedAt?: number } }).__bench.paintedAt !== undefined,
      null,
      {
        timeout: 90_000,
      },
    );
    const t = await page.evaluate(() => {
      const b = (window as unknown as { __bench: { drawnAt: number; paintedAt: number } }).__bench;
      const answers = performance
        .getEntriesByType('resource')
        .filter((e) => (e as PerformanceResourceTiming).name.includes('/api/v1/map/reports?')) as PerformanceResourceTiming[];
      const last = answers.at(-1);
      return {
        ...b,
        answers: answers.length,
        answerEnd: last?.responseEnd ?? Number.NaN,
        answerMs: last ? last.responseStart - last.requestStart : Number.NaN,
      };
    });
    if (problems.length) throw new Error(`the map page failed: ${problems.join('; ')}`);
    return t;
  } finally {
    await context.close();
  }
}

async function measurePage(server: Server, seeded: Seeded, options: BenchOptions, notes: string[]): Promise<PageResult | null> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    notes.push(`page skipped: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
    return null;
  }
  const { chromium } = await import('playwright-core');
  // The same flags as the end-to-end tests (test/e2e/support.ts).
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const kem = seeded.municipalities.kemerovo!.id;
    const full = `${server.url}/map?m=${kem}`;
    const empty = `${server.url}/map?m=${kem}&category=${seeded.appealCategoryId}`;
    const expected = seeded.kemerovoVisible;
    // Unmeasured first visits (the server's JIT and caches), then alternate.
    await timePage(browser, empty, 0);
    await timePage(browser, full, expected);
    const runs = options.quick ? 1 : PAGE_RUNS;
    const shown: Array<Awaited<ReturnType<typeof timePage>>> = [];
    const blank: number[] = [];
    for (let i = 0; i < runs; i++) {
      shown.push(await timePage(browser, full, expected));
      blank.push((await timePage(browser, empty, 0)).paintedAt);
    }
    const median = (xs: number[]) =>
      quantile(
        [...xs].sort((a, b) => a - b),
        0.5,
      );
    const mid = [...shown].sort((a, b) => a.paintedAt - b.paintedAt)[Math.floor((shown.length - 1) / 2)]!;
    if (mid.answers > 1)
      notes.push(`the page asked for markers ${mid.answers} times (the view settled late); the last answer counts`);
    return {
      markers: expected,
      showMs: round(median(shown.map((s) => s.paintedAt)), 0),
      emptyMs: round(median(blank), 0),
      answerAtMs: round(mid.answerEnd, 0),
      answerMs: round(mid.answerMs, 0),
      drawMs: round(mid.paintedAt - mid.answerEnd, 0),
      runs,
    };
  } finally {
    await browser.close();
  }
}

export async function runMap(options: BenchOptions): Promise<void> {
  const loadBefore = machineLoad();
  const notes: string[] = [];
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const database = await freshServerDatabase(serverUrl, 'otklik_bench_map');
  if ('skipped' in database) {
    process.stdout.write(`\nnote: ${database.skipped}\n\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'map', quick: options.quick, skipped: database.skipped })}\n`);
    return;
  }
  const count = Math.round(SCALE * (options.quick ? 0.1 : 1));
  let seeded: Seeded;
  let plans: Plan[];
  let boxes: BboxResult;
  let open311: Loaded;
  let polling: Loaded & { notModified: number };
  let baseline: Loaded;
  let page: PageResult | null;
  const data = tempDir('otklik-bench-map-');
  try {
    const handle = await openDatabase({ databaseUrl: database.url, poolSize: 10, onIdleClientError: () => {} });
    try {
      const now = systemClock.now();
      await migrateToLatest(handle.db as never);
      await seedDemo(handle.db, now);
      process.stderr.write(`map bench: seeding ${count.toLocaleString('en-US')} map reports on PostgreSQL…\n`);
      seeded = await seedMapReports(handle.db, count, now, options.quick);
      process.stderr.write(`map bench: seeded in ${round(seeded.seedMs / 1000, 1)} s; measuring the bounding-box query…\n`);
      plans = [
        await explainBox(handle.db, { minLon: 85.96, minLat: 55.285, maxLon: 86.22, maxLat: 55.415 }, now),
        await explainBox(handle.db, { minLon: 84.2, minLat: 52.5, maxLon: 89.4, maxLat: 56.7 }, now),
      ];
      boxes = await measureBoxes(handle, seeded, options);
    } finally {
      await handle.close();
    }

    // Open311 and the page: `otklik serve` in its own process on the same database (it migrates: nothing to do).
    ensureWebBuild(notes);
    const port = await freePort();
    const server = await startServer(
      [CLI, 'serve'],
      serverEnv({ PORT: String(port), DATABASE_URL: database.url, SESSION_SECRET: randomSecret(), OTKLIK_DATA_DIR: data.dir }),
      '/api/health',
    );
    try {
      process.stderr.write('map bench: Open311 under load…\n');
      const scale = options.quick ? 0.1 : 1;
      const seconds = Math.max(2, OPEN311_SECONDS * scale);
      const warm = Math.max(1, WARMUP_SECONDS * scale);
      baseline = await load(
        server,
        'GET /open311/discovery.json',
        ['/open311/discovery.json'],
        Math.max(1, BASELINE_SECONDS * scale),
        warm,
      );
      const paths = open311Paths(seeded, systemClock.now());
      open311 = await load(server, 'GET /open311/v2/requests.json', paths, seconds, warm);
      polling = await load(
        server,
        'GET /open311/v2/requests.json, If-None-Match',
        await revalidating(server, paths),
        Math.max(2, (OPEN311_SECONDS / 2) * scale),
        warm,
      );
      process.stderr.write('map bench: the public map page in Chromium…\n');
      page = await measurePage(server, seeded, options, notes);
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
    data.remove();
  }

  const bboxPass = boxes.all.p95Ms < TARGET_BBOX_P95_MS;
  if (seeded.kemerovoVisible !== PAGE_MARKERS)
    notes.push(`Кемерово has ${seeded.kemerovoVisible} reports on the map, not ${PAGE_MARKERS}: the page showed those`);
  const indexUsed = plans.every((p) => MAP_INDEXES.every((i) => p.scans.some((x) => x.index === i)));
  if (!indexUsed)
    notes.push(`the bounding-box query did not use ${MAP_INDEXES.join(' and ')}: ${plans.map((p) => p.node).join('; ')}`);
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  if (busy) notes.push(busy);

  process.stdout.write(
    `\nPublic map at scale${options.quick ? ' (--quick: a tenth of the scale)' : ''}: ${seeded.reports.toLocaleString('en-US')} map reports on ` +
      `PostgreSQL (seeded in ${round(seeded.seedMs / 1000, 1)} s, ${seeded.events.toLocaleString('en-US')} timeline events), ` +
      `${seeded.visible.toLocaleString('en-US')} of them on the map (open, or solved in ${SOLVED_VISIBLE_DAYS} days; ` +
      `Кемерово ${seeded.kemerovoVisible.toLocaleString('en-US')}); Node ${process.version}\n` +
      "bbox: GET /api/v1/map/reports?bbox=…&layout=columns (the page's request) through app.inject in this process (routing,\n" +
      '  validation, SQL, presenter, serialisation; no sockets), one at a time; a quarter with a filter (status, category,\n' +
      '  municipality); then the same box in the default layout (an object per marker).\n' +
      `  floor: the same route for an empty box (${EMPTY_BOX}), requested right after each measured request.\n` +
      `Open311: autocannon, ${CONNECTIONS} connections, over HTTP to \`otklik serve\` in its own process on the same database;\n` +
      '  a mix of 7 queries (default 90-day window, status, service_code, an old window, another jurisdiction,\n' +
      "  service_request_id); up to 1000 requests each (the spec's default page). baseline: GET /open311/discovery.json\n" +
      '  on the same server. polling: the same 7 with If-None-Match of their current ETag (304 while unchanged).\n' +
      'page: /map?m=<Кемерово> in headless Chromium (1280×900) on that server: navigation start → the first frame after\n' +
      '  the marker layer drew all markers (data-markers-loaded); baseline: the same page with a filter leaving 0 markers.\n\n',
  );
  const box = boxes.all;
  const ms = (x: number) => `${x} ms`;
  const rows: Array<Array<string | number>> = [['measure', 'figure', 'floor / baseline', '÷', 'goal', '']];
  rows.push([
    `bbox p50 (${box.requests} req, median ${box.markers} markers)`,
    ms(box.p50Ms),
    ms(boxes.floor.p50Ms),
    round(box.p50Ms / boxes.floor.p50Ms, 1),
    '',
    '',
  ]);
  rows.push([
    `bbox p95 (max ${box.maxMs} ms)`,
    ms(box.p95Ms),
    ms(boxes.floor.p95Ms),
    round(box.p95Ms / boxes.floor.p95Ms, 1),
    `< ${TARGET_BBOX_P95_MS} ms`,
    bboxPass ? 'PASS' : 'MISS',
  ]);
  for (const k of BOX_KINDS) {
    const l = boxes.byKind[k];
    rows.push([`  ${k} box p50 / p95 (${l.requests} req, ~${l.markers} markers)`, `${l.p50Ms} / ${l.p95Ms} ms`, '', '', '', '']);
  }
  rows.push(['  the same boxes as objects p50 / p95', `${boxes.objects.p50Ms} / ${boxes.objects.p95Ms} ms`, '', '', '', '']);
  rows.push([
    `Open311 req/s (${open311.kbPerRequest} KB per answer)`,
    open311.reqPerSec,
    baseline.reqPerSec,
    round(open311.reqPerSec / baseline.reqPerSec, 3),
    '',
    '',
  ]);
  rows.push([
    `Open311 p50 / p99 (${open311.requests} req)`,
    `${open311.p50Ms} / ${open311.p99Ms} ms`,
    `${baseline.p50Ms} / ${baseline.p99Ms} ms`,
    round(open311.p99Ms / baseline.p99Ms, 1),
    '',
    '',
  ]);
  rows.push([
    `Open311 polling, If-None-Match req/s (${polling.notModified} of ${polling.requests} were 304)`,
    polling.reqPerSec,
    baseline.reqPerSec,
    round(polling.reqPerSec / baseline.reqPerSec, 3),
    '',
    '',
  ]);
  rows.push([
    'Open311 polling p50 / p99',
    `${polling.p50Ms} / ${polling.p99Ms} ms`,
    `${baseline.p50Ms} / ${baseline.p99Ms} ms`,
    round(polling.p99Ms / baseline.p99Ms, 1),
    '',
    '',
  ]);
  if (page) {
    rows.push([
      `page: ${page.markers.toLocaleString('en-US')} markers shown (median of ${page.runs})`,
      ms(page.showMs),
      ms(page.emptyMs),
      round(page.showMs / page.emptyMs, 2),
      '',
      '',
    ]);
  } else rows.push(['page: markers shown', 'skipped', '', '', '', '']);
  process.stdout.write(`${table(rows)}\n`);
  for (const p of plans) {
    const scans = p.scans.map(
      (x) =>
        `${x.node} using ${x.index ?? 'no index'}: ${x.rows.toLocaleString('en-US')} rows, ` +
        `${x.removed.toLocaleString('en-US')} more entries read and filtered out, heap fetches ${x.heapFetches ?? '–'}`,
    );
    process.stdout.write(
      `EXPLAIN bbox ${p.box}: ${scans.join('; ')}; ${(p.sharedHit + p.sharedRead).toLocaleString('en-US')} buffers ` +
        `(${p.sharedRead} read), ${p.executionMs} ms in PostgreSQL\n`,
    );
  }
  if (page) {
    process.stdout.write(
      `page: the markers' answer was in at ${page.answerAtMs} ms after navigation start (server ${page.answerMs} ms to ` +
        `its first byte); the layer was drawn and painted ${page.drawMs} ms later\n`,
    );
  }
  process.stdout.write(`slowest bbox request: ${boxes.slowest}; ${boxes.truncated} answers truncated at ${MAP_REPORTS_LIMIT}\n`);
  for (const r of [open311, polling, baseline]) {
    if (r.non2xx || r.errors) process.stdout.write(`warning: ${r.name} had ${r.non2xx} non-2xx answers and ${r.errors} errors\n`);
  }
  process.stdout.write(`machine load (1 min): ${loadBefore.load1} before, ${loadAfter.load1} after\n`);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write('\n');
  process.stdout.write(
    `${JSON.stringify({
      bench: 'map',
      quick: options.quick,
      reports: seeded.reports,
      visibleReports: seeded.visible,
      seedSec: round(seeded.seedMs / 1000, 1),
      bboxP50Ms: box.p50Ms,
      bboxP95Ms: box.p95Ms,
      bboxFloorP50Ms: boxes.floor.p50Ms,
      bboxFloorP95Ms: boxes.floor.p95Ms,
      bboxP95ByKindMs: Object.fromEntries(BOX_KINDS.map((k) => [k, boxes.byKind[k].p95Ms])),
      bboxObjectsP50Ms: boxes.objects.p50Ms,
      bboxObjectsP95Ms: boxes.objects.p95Ms,
      bboxPlan: plans[0]!.node,
      bboxIndexUsed: indexUsed,
      bboxIndexEntriesFiltered: plans[0]!.removed,
      bboxPlanMs: plans.map((p) => p.executionMs),
      open311ReqPerSec: open311.reqPerSec,
      open311P50Ms: open311.p50Ms,
      open311P99Ms: open311.p99Ms,
      open311PollingReqPerSec: polling.reqPerSec,
      open311PollingP99Ms: polling.p99Ms,
      open311PollingNotModified: polling.notModified,
      open311BaselineReqPerSec: baseline.reqPerSec,
      open311BaselineP99Ms: baseline.p99Ms,
      connections: CONNECTIONS,
      markers: page?.markers ?? null,
      mapShowMs: page?.showMs ?? null,
      mapEmptyMs: page?.emptyMs ?? null,
      bboxPass,
      loadAvg1: [loadBefore.load1, loadAfter.load1],
      ...(page ? {} : { pageSkipped: notes.find((n) => n.startsWith('page skipped')) ?? 'skipped' }),
    })}\n`,
  );
}
