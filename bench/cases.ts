import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { type DatabaseHandle, type Db, openDatabase } from '../src/server/core/db/index.ts';
import { migrateToLatest } from '../src/server/core/db/migrate.ts';
import { intakeFor } from '../src/server/modules/cases/index.ts';
import { seedDemo } from '../src/server/modules/demo/index.ts';
import { login, MemoryMailer, type Session, as as sessionHeaders, testConfig } from '../test/support/test-app.ts';
import {
  type BenchOptions,
  DEFAULT_SERVER_URL,
  freshServerDatabase,
  localPostgresCpuMs,
  machineLoad,
  round,
  table,
  tempDir,
} from './support.ts';

/**
 * Cases at scale (issue 4): seeds 1,000,000 cases on PostgreSQL (a fresh database, dropped afterwards) and 200,000 on
 * embedded PGlite (a temp data dir) over the real migrations and the demo seed, then measures through the app
 * itself (`app.inject`, in this process: routing, session, validation, the command, the repository, the presenter;
 * no sockets):
 *  - the staff queue `GET /api/v1/cases` as the head of the largest municipality (Кемерово), varied filters, sorted
 *    by the nearest deadline, page of 50 — against the same route for a resident whose own 50 cases are one small
 *    indexed lookup (the floor: same route, same page size, same presenter; only the query differs);
 *  - full-text search `q=` (common, middling and rare words) — against the same floor;
 *  - submissions `POST /api/v1/cases` by a resident (web channel, an Idempotency-Key each; the whole intake
 *    transaction: number, case, timeline, audit, mail job, cabinet notice; the card from the rows written; submissions
 *    that arrive together share one transaction — the intake's group commit) at a fixed concurrency —
 *    against `GET /api/v1/cases/{id}` as staff at the same concurrency (the card read, which also writes one audit
 *    row: one autocommit write). Rows counted before and after: the new rows must equal the accepted answers.
 */

const SCALE = { postgres: 1_000_000, pglite: 200_000 };
const TARGETS = {
  postgres: { queueP95Ms: 20, submissionsPerSec: 1000 },
  pglite: { queueP95Ms: 80, submissionsPerSec: 300 },
};
const QUEUE_REQUESTS = 240;
const SEARCH_REQUESTS = 120;
const CONCURRENCY = { postgres: 16, pglite: 16 };
const SUBMIT_SECONDS = 10;

/** Municipalities in the demo seed, with the share of the cases each gets (skewed like their populations). */
const SHARES: Record<string, number> = { kemerovo: 0.72, belovo: 0.18, mariinsk: 0.08, kalininskoe: 0.02 };

/** Extra categories per municipality (the demo seeds three), routed round-robin over its departments. */
const BENCH_CATEGORIES = [
  'Уличное освещение',
  'Вывоз мусора и контейнерные площадки',
  'Общественный транспорт',
  'Детские и спортивные площадки',
  'Озеленение и обрезка деревьев',
  'Бездомные животные',
  'Капитальный ремонт домов',
  'Управляющие компании',
  'Школы и детские сады',
  'Социальная поддержка',
  'Парковки и эвакуация',
  'Снег и наледь',
  'Ливневая канализация',
  'Незаконная торговля',
  'Строительство и разрешения',
  'Земельные участки',
  'Культура и досуг',
];

/**
 * Words the texts are drawn from, most frequent first (an index drawn as n·u³ makes the first words common and the
 * last ones rare), so full-text queries meet the selectivities of real appeals.
 */
const VOCABULARY = (
  'прошу принять меры дом двор улица подъезд жители яма дорога асфальт ремонт тротуар освещение фонарь ' +
  'отопление батареи холодно вода горячая давление мусор контейнер вывоз площадка детская снег наледь ' +
  'крыша протекает управляющая компания автобус маршрут остановка расписание парковка машины деревья ' +
  'обрезка газон собаки бездомные шум ночью соседи канализация затопило подвал лифт сломан неделю месяц ' +
  'обращались ответа нет срочно опасно дети пенсионеры инвалид коляска пандус светофор переход разметка ' +
  'знак скорость пыль грязь лужа ливневка забор стройка разрешение участок земля школа детский сад ' +
  'очередь поликлиника аптека магазин торговля киоск вывеска реклама граффити лавочка урна скамейка ' +
  'памятник сквер парк аллея фонтан велодорожка самокаты пробки трамвай троллейбус такси вокзал мост ' +
  'набережная пляж лодочная станция котельная теплотрасса прорыв авария электричество отключение ' +
  'газификация колонка колодец скважина водоотведение септик ассенизатор субсидия компенсация льгота ' +
  'многодетная семья ветеран блокадница капремонт фасад балкон козырёк отмостка чердак голуби крысы ' +
  'тараканы дезинсекция клещи обработка комары плотина'
).split(' ');

/** Words in about one case in 5,000 each (appended to a text with that probability). */
const RARE_WORDS = ['бобры', 'борщевик', 'блокадница', 'акведук', 'ондатра'];

/** Queries for full-text search by how many cases they find. */
const SEARCH_WORDS = {
  common: ['двор', 'ремонт', 'яма дорога', 'жители'],
  middling: ['автобус', 'канализация', 'пандус', 'плотина фонтан'],
  rare: ['бобры', 'борщевик', 'блокадница', 'ондатра'],
};

const STREETS = [
  'Ленина',
  'Советский проспект',
  'Кузнецкий проспект',
  'Весенняя',
  'Красноармейская',
  'Терешковой',
  'Дзержинского',
  'Шахтёров',
  'Волгоградская',
  'Институтская',
  'Кирова',
  'Тухачевского',
  'Пролетарская',
  'Сибиряков-Гвардейцев',
  'Рукавишникова',
];

/** A whole number written into the SQL text (the planner sees a constant; parameters would be untyped). */
const int = (n: number) => sql.raw(String(Math.trunc(n)));

const sqlArray = (items: readonly (string | number)[]) =>
  sql.raw(`array[${items.map((x) => (typeof x === 'number' ? String(x) : `'${x.replaceAll("'", "''")}'`)).join(',')}]`);

interface Seeded {
  cases: number;
  seedMs: number;
  kemerovoId: number;
  municipalityIds: number[];
  departmentIds: number[];
  categoryIds: number[];
  executorIds: number[];
}

/** Users, categories and `count` cases, set-based (insert … select … from generate_series). */
export async function seedCases(db: Db, kind: 'postgres' | 'pglite', count: number, now: Date): Promise<Seeded> {
  const t0 = performance.now();
  await sql`select setseed(0.42)`.execute(db);
  const munis = await db.selectFrom('municipality').select(['id', 'slug', 'case_prefix']).execute();
  const kemerovo = munis.find((m) => m.slug === 'kemerovo');
  if (!kemerovo) throw new Error('the demo seed has no Кемерово');

  // Residents who submit (their ids are one contiguous range) and four executors per department.
  const residents = Math.max(1000, Math.round(count / 50));
  await sql`
    insert into app_user (email, password_hash, last_name, first_name, middle_name, created_at, updated_at)
    select 'bench.resident.' || g || '@otklik.bench', 'x', (${sqlArray(['Иванов', 'Петрова', 'Сидоров', 'Кузнецова', 'Смирнов', 'Попова'])})[1 + g % 6],
      (${sqlArray(['Иван', 'Мария', 'Пётр', 'Анна', 'Сергей', 'Ольга', 'Алексей'])})[1 + g % 7], 'Петрович', ${now}, ${now}
    from generate_series(1, ${residents}) g`.execute(db);
  const range = await db
    .selectFrom('app_user')
    .select([sql<number>`min(id)`.as('lo'), sql<number>`max(id)`.as('hi')])
    .where('email', 'like', 'bench.resident.%')
    .executeTakeFirstOrThrow();
  await sql`
    insert into user_role (user_id, role, created_at) select id, 'resident', ${now} from app_user
    where email like 'bench.resident.%'`.execute(db);
  await sql`
    insert into app_user (email, password_hash, last_name, first_name, created_at, updated_at)
    select 'bench.executor.' || d.id || '.' || k || '@otklik.bench', 'x', 'Исполнитель', 'Отдел ' || d.id, ${now}, ${now}
    from department d, generate_series(1, 4) k`.execute(db);
  await sql`
    insert into user_role (user_id, role, municipality_id, department_id, created_at)
    select u.id, 'executor', d.municipality_id, d.id, ${now}
    from department d join app_user u on u.email like 'bench.executor.' || d.id || '.%'`.execute(db);
  // More categories, each routed to a department of its municipality (round-robin, past the appeals office).
  const departments = await db.selectFrom('department').select(['id', 'municipality_id']).orderBy('id').execute();
  const extra = munis.flatMap((m) => {
    const own = departments.filter((d) => d.municipality_id === m.id);
    const routed = own.length > 1 ? own.slice(1) : own;
    return BENCH_CATEGORIES.map((name, i) => ({
      municipality_id: m.id,
      name,
      regime: i % 4 === 3 ? ('message' as const) : ('appeal' as const),
      department_id: routed[i % routed.length]!.id,
      created_at: now,
      updated_at: now,
    }));
  });
  await db
    .insertInto('category')
    .values(extra)
    .onConflict((oc) => oc.doNothing())
    .execute();

  const residentId = (
    await db.selectFrom('app_user').select('id').where('email', '=', 'resident@otklik.demo').executeTakeFirstOrThrow()
  ).id;
  let from = 1;
  let kemerovoSeeded: Omit<Seeded, 'cases' | 'seedMs'> | undefined;
  for (const m of munis) {
    const n = Math.round(count * (SHARES[m.slug] ?? 0));
    if (n === 0) continue;
    const cats = await db
      .selectFrom('category')
      .select(['id', 'department_id'])
      .where('municipality_id', '=', m.id)
      .where('department_id', 'is not', null)
      .orderBy('id')
      .execute();
    if (cats.length === 0) throw new Error(`no categories with a department in ${m.slug}`);
    const execs = await db
      .selectFrom('user_role')
      .select(['user_id', 'department_id'])
      .where('municipality_id', '=', m.id)
      .where('role', '=', 'executor')
      .where('department_id', 'is not', null)
      .orderBy('user_id')
      .execute();
    // Four executors for each category, from the category's department (aligned arrays: category k → 4k-3 … 4k).
    const execOfCat = cats.flatMap((c) => {
      const own = execs.filter((e) => e.department_id === c.department_id).map((e) => e.user_id);
      return [0, 1, 2, 3].map((i) => own[i % own.length]!);
    });
    const to = from + n - 1;
    await sql`
      insert into "case" (municipality_id, number, regime, channel, kind, category_id, applicant_user_id, last_name,
        first_name, middle_name, email, phone, postal_address, answer_by, is_anonymous, text, address, department_id,
        executor_user_id, status, received_at, registered_at, due_at, due_kind, due_rule, due_source, answer_due_at,
        deadlines, created_at, answer_text, answer_result, answered_at, closure_reason, closed_at)
      select ${int(m.id)}, ${m.case_prefix}::text || '-' || extract(year from received)::int || '-' || lpad(g::text, 7, '0'),
        regime, channel, kind, cat, applicant,
        'Иванов', 'Иван', 'Иванович', case when applicant is null then null else 'bench.resident@otklik.bench' end,
        '+7 900 000-00-00', 'г. Кемерово, ул. Ленина, д. 1, кв. 1',
        case when channel in ('web', 'api') then 'cabinet' when channel = 'letter' then 'post' else 'email' end, false,
        body, address, dept, case when status = 'registered' then null else exec end, status, received,
        received + interval '1 hour', due, case when due is null then null else 'answer' end,
        case when due is null then null when regime = 'appeal' then '30 дней со дня регистрации' else '10 рабочих дней' end,
        case when due is null then null when regime = 'appeal' then '59-ФЗ ст. 12 ч. 1' else 'настройки муниципалитета' end,
        due,
        case when due is null then '[]'::jsonb else jsonb_build_array(jsonb_build_object('kind', 'answer',
          'dueAt', to_char(due at time zone 'Asia/Novokuznetsk', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
          'legalDueAt', to_char(due at time zone 'Asia/Novokuznetsk', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
          'internal', false, 'rule', '30 дней со дня регистрации', 'source', '59-ФЗ ст. 12 ч. 1',
          'verified', true, 'provisional', false)) end,
        received,
        case when status in ('answered', 'rated') then 'Сообщаем, что по вашему обращению приняты меры.' end,
        case when status in ('answered', 'rated') then (array['supported', 'not_supported', 'explained'])[1 + g % 3] end,
        case when status in ('answered', 'rated') then received + (ra * interval '30 days') end,
        case when status = 'closed' then 'withdrawn' end,
        case when status in ('closed', 'redirected') then received + interval '5 days' end
      from (
        select g, status, regime, channel, kind, cat, dept, exec, received, ra, address, body,
          case when status in ('registered', 'assigned', 'in_work', 'answer_drafted')
            then received + case when regime = 'appeal' then interval '30 days' else interval '14 days' end end as due,
          case when channel in ('web', 'api') then
            ${int(range.lo)} + (g::bigint * 7919) % (${int(range.hi)} - ${int(range.lo)} + 1) end as applicant
        from (
          select g, ra,
            case when rs < 0.04 then 'registered' when rs < 0.09 then 'assigned' when rs < 0.17 then 'in_work'
              when rs < 0.20 then 'answer_drafted' when rs < 0.58 then 'answered' when rs < 0.88 then 'rated'
              when rs < 0.93 then 'redirected' else 'closed' end as status,
            case when rk < 0.25 then 'message' else 'appeal' end as regime,
            case when rc < 0.55 then 'web' when rc < 0.65 then 'api' when rc < 0.80 then 'phone'
              when rc < 0.92 then 'letter' when rc < 0.97 then 'reception' else 'meeting' end as channel,
            case when rn < 0.6 then 'statement' when rn < 0.85 then 'complaint' when rn < 0.95 then 'proposal'
              else 'other' end as kind,
            (${sqlArray(cats.map((c) => c.id))})[k] as cat,
            (${sqlArray(cats.map((c) => c.department_id!))})[k] as dept,
            (${sqlArray(execOfCat)})[4 * k - 3 + (g % 4)] as exec,
            ${now}::timestamptz - case when rs < 0.20 then rr * interval '35 days' else interval '30 days' + rr * interval '700 days' end
              as received,
            'ул. ' || (${sqlArray(STREETS)})[1 + floor(random() * ${int(STREETS.length)})::int] || ', д. ' || (1 + g % 180) as address,
            (select string_agg((${sqlArray(VOCABULARY)})[1 + floor(${int(VOCABULARY.length)} * power(random(), 3))::int], ' ')
              from generate_series(1, 6 + (g % 9)))
              || case when rw < 0.001 then ' ' || (${sqlArray(RARE_WORDS)})[1 + floor(rw * 5000)::int] else '' end as body
          from (
            select g, random() as rs, random() as rk, random() as rc, random() as rn, random() as rr, random() as ra, random() as rw,
              1 + floor(random() * ${int(cats.length)})::int as k
            from generate_series(${int(from)}::int, ${int(to)}::int) g
          ) r
        ) s
      ) t`.execute(db);
    if (m.id === kemerovo.id) {
      kemerovoSeeded = {
        kemerovoId: m.id,
        municipalityIds: munis.map((x) => x.id),
        departmentIds: [...new Set(cats.map((c) => c.department_id!))],
        categoryIds: cats.map((c) => c.id),
        executorIds: [...new Set(execOfCat)],
      };
    }
    from = to + 1;
  }
  // The demo resident's own 50 cases: the floor of the queue (the same route, one small indexed lookup).
  await sql`
    update "case" set applicant_user_id = ${residentId}
    where id in (select id from "case" where municipality_id = ${kemerovo.id} and channel = 'web' order by id limit 50)`.execute(
    db,
  );
  await sql.raw(kind === 'postgres' ? 'vacuum analyze' : 'analyze').execute(db);
  return { cases: from - 1, seedMs: performance.now() - t0, ...kemerovoSeeded! };
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

interface Latency {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Sequential GETs (one at a time: latency, not throughput), after the first `warmup` of them unmeasured. Each is
 * followed by one request of the floor, so both meet the same load on this shared machine.
 */
async function latency(
  app: FastifyInstance,
  session: Session,
  urls: string[],
  warmup: number,
  floor: { session: Session; url: string },
): Promise<Latency & { slowest: string; times: Array<[number, string]>; floor: Latency & { slowest: string } }> {
  const times: Array<[number, string]> = [];
  const floorTimes: Array<[number, string]> = [];
  const get = async (who: Session, url: string, into?: Array<[number, string]>) => {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: sessionHeaders(who, { csrf: false }) });
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    into?.push([ms, url]);
  };
  for (const url of urls.slice(0, warmup)) {
    await get(session, url);
    await get(floor.session, floor.url);
  }
  for (const url of urls) {
    await get(session, url, times);
    await get(floor.session, floor.url, floorTimes);
  }
  return { ...stats(times), times, floor: stats(floorTimes) };
}

function stats(times: Array<[number, string]>): Latency & { slowest: string } {
  const sorted = times.map((t) => t[0]).sort((a, b) => a - b);
  const slowest = times.reduce((a, b) => (b[0] > a[0] ? b : a));
  return {
    requests: sorted.length,
    p50Ms: round(quantile(sorted, 0.5), 2),
    p95Ms: round(quantile(sorted, 0.95), 2),
    maxMs: round(sorted.at(-1)!, 2),
    slowest: slowest[1],
  };
}

interface Throughput {
  perSec: number;
  accepted: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
}

/** `concurrency` loops issuing requests until `seconds` have passed. */
async function throughput(
  concurrency: number,
  seconds: number,
  request: () => Promise<{ statusCode: number; body: string }>,
  ok: (status: number) => boolean,
): Promise<Throughput & { firstError: string | undefined }> {
  const times: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        const res = await request();
        if (ok(res.statusCode)) times.push(performance.now() - s);
        else {
          failed++;
          firstError ??= `${res.statusCode} ${res.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return {
    perSec: round(times.length / elapsed, 0),
    accepted: times.length,
    failed,
    p50Ms: round(quantile(times, 0.5), 1),
    p95Ms: round(quantile(times, 0.95), 1),
    firstError,
  };
}

interface TargetResult {
  target: 'postgres' | 'pglite';
  cases: number;
  seedSec: number;
  queue: Latency;
  queueFloor: Latency;
  searchFloor: Latency;
  search: Record<keyof typeof SEARCH_WORDS, Latency>;
  searchAll: Latency;
  submit: Throughput;
  submitFloor: Throughput;
  submitSingle: Throughput;
  submitSpread: Throughput;
  concurrency: number;
  submitSeconds: number;
  rowsBefore: number;
  rowsAfter: number;
  lost: number;
  idempotentReplays: number;
  batching: {
    batches: number;
    meanBatch: number;
    largestBatch: number;
    cpuMsPerSubmission: number;
    /** The local PostgreSQL server's CPU per submission (undefined: PGlite, or a server elsewhere). */
    dbCpuMsPerSubmission: number | undefined;
    /** What the machine's cores could do at best at that CPU cost, each core busy with nothing else. */
    ceilingPerSec: number;
  };
  slowestQueueUrl: string;
  slowestSearchUrl: string;
}

/** The queue filters a staff member uses: status, department, executor, category, regime, channel, overdue, today. */
function queueUrls(s: Seeded, count: number): string[] {
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  const shapes: Array<(i: number) => string> = [
    () => '',
    (i) => `status=registered&department=${pick(s.departmentIds, i)}`,
    (i) => `status=in_work&department=${pick(s.departmentIds, i)}`,
    (i) => `status=assigned&department=${pick(s.departmentIds, i)}`,
    (i) => `department=${pick(s.departmentIds, i)}`,
    () => 'status=in_work',
    (i) => `overdue=true&department=${pick(s.departmentIds, i)}`,
    () => 'overdue=true',
    () => 'dueToday=true',
    (i) => `executor=${pick(s.executorIds, i * 7)}`,
    (i) => `status=in_work&executor=${pick(s.executorIds, i * 3)}`,
    (i) => `category=${pick(s.categoryIds, i)}`,
    (i) => `status=answer_drafted&category=${pick(s.categoryIds, i)}`,
    () => 'regime=message&status=registered',
    () => 'channel=phone&status=in_work',
    (i) => `offset=${50 * (1 + (i % 4))}`,
    (i) => `department=${pick(s.departmentIds, i)}&offset=50`,
  ];
  return Array.from({ length: count }, (_, i) => {
    const query = shapes[i % shapes.length]!(Math.floor(i / shapes.length));
    return `/api/v1/cases?limit=50${query ? `&${query}` : ''}`;
  });
}

async function measureTarget(
  target: 'postgres' | 'pglite',
  database: DatabaseHandle,
  options: BenchOptions,
): Promise<TargetResult> {
  const scale = options.quick ? 0.1 : 1;
  const now = systemClock.now();
  await migrateToLatest(database.db as never);
  await seedDemo(database.db, now);
  const count = Math.round(SCALE[target] * scale);
  process.stderr.write(`cases bench: seeding ${count.toLocaleString('en-US')} cases on ${target}…\n`);
  const seeded = await seedCases(database.db, target, count, now);
  process.stderr.write(`cases bench: seeded in ${round(seeded.seedMs / 1000, 1)} s; measuring…\n`);

  const app = await buildApp({ config: testConfig(), database, clock: systemClock, mailer: new MemoryMailer() });
  await app.ready();
  try {
    const head = await login(app, 'kem.head@otklik.demo');
    const resident = await login(app, 'resident@otklik.demo');

    const urls = queueUrls(seeded, QUEUE_REQUESTS);
    const floor = { session: resident, url: '/api/v1/cases?limit=50' };
    const queue = await latency(app, head, urls, 34, floor);

    const kinds = Object.keys(SEARCH_WORDS) as Array<keyof typeof SEARCH_WORDS>;
    const all = kinds.flatMap((kind) => {
      const words = SEARCH_WORDS[kind];
      const per = Math.ceil(SEARCH_REQUESTS / kinds.length / words.length);
      return words.flatMap((w, i) =>
        Array.from(
          { length: per },
          (_, j) => `/api/v1/cases?limit=50&q=${encodeURIComponent(w)}${(i + j) % 2 ? '&status=in_work' : ''}`,
        ),
      );
    });
    const searchAll = await latency(app, head, all, kinds.length * 4, floor);
    const ofKind = (kind: keyof typeof SEARCH_WORDS) => {
      const encoded = SEARCH_WORDS[kind].map((w) => `q=${encodeURIComponent(w)}`);
      return stats(searchAll.times.filter(([, url]) => encoded.some((e) => url.includes(e) && !url.includes(`${e}%`))));
    };
    const search = { common: ofKind('common'), middling: ofKind('middling'), rare: ofKind('rare') };

    // Submissions. A few staff card reads first give the floor's ids.
    const sample = (
      await database.db
        .selectFrom('case')
        .select('id')
        .where('municipality_id', '=', seeded.kemerovoId)
        .orderBy('id')
        .limit(500)
        .execute()
    ).map((r) => r.id);
    const concurrency = CONCURRENCY[target];
    const seconds = Math.max(2, SUBMIT_SECONDS * scale);
    let n = 0;
    const submitFloor = await throughput(
      concurrency,
      seconds,
      () =>
        app.inject({
          method: 'GET',
          url: `/api/v1/cases/${sample[n++ % sample.length]}`,
          headers: sessionHeaders(head, { csrf: false }),
        }),
      (s) => s === 200,
    );
    const countRows = async () =>
      Number(
        (
          await database.db
            .selectFrom('case')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rowsBefore = await countRows();
    const keys: string[] = [];
    // Into Кемерово with a category (routed), or — the diagnostic — round-robin over all municipalities without one.
    const submit = async (key: string, municipalityId?: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: { ...sessionHeaders(resident), 'idempotency-key': key },
        payload: {
          municipalityId: municipalityId ?? seeded.kemerovoId,
          channel: 'web',
          kind: 'complaint',
          ...(municipalityId === undefined && { categoryId: seeded.categoryIds[keys.length % seeded.categoryIds.length] }),
          text: 'Во дворе дома третью неделю не вывозят мусор, контейнеры переполнены, прошу принять меры.',
          address: 'ул. Весенняя, д. 12',
        },
      });
    const intake = intakeFor(database.db).stats;
    const intake0 = { ...intake };
    const cpu0 = process.cpuUsage();
    const db0 = target === 'postgres' ? localPostgresCpuMs() : undefined;
    const submitted = await throughput(
      concurrency,
      seconds,
      () => {
        const key = randomUUID();
        keys.push(key);
        return submit(key);
      },
      (s) => s === 201,
    );
    const cpu = process.cpuUsage(cpu0);
    const db1 = db0 === undefined ? undefined : localPostgresCpuMs();
    const accepted = Math.max(1, submitted.accepted);
    const nodeMs = (cpu.user + cpu.system) / 1000 / accepted;
    const dbMs = db0 === undefined || db1 === undefined ? undefined : (db1 - db0) / accepted;
    const batching = {
      batches: intake.batches - intake0.batches,
      meanBatch: round((intake.submissions - intake0.submissions) / Math.max(1, intake.batches - intake0.batches), 1),
      largestBatch: intake.largest,
      cpuMsPerSubmission: round(nodeMs, 2),
      dbCpuMsPerSubmission: dbMs === undefined ? undefined : round(dbMs, 2),
      // Every core busy with nothing else: this process (all its threads) and the local server's processes.
      ceilingPerSec: Math.round((1000 * availableParallelism()) / (nodeMs + (dbMs ?? 0))),
    };
    // Diagnostics: one at a time (the latency of one intake), and 16 at once spread over the four municipalities
    // (each has its own number sequence).
    const single = await throughput(
      1,
      seconds,
      () => submit(randomUUID()),
      (s) => s === 201,
    );
    let spreadN = 0;
    const spread = await throughput(
      concurrency,
      seconds,
      () => submit(randomUUID(), seeded.municipalityIds[spreadN++ % seeded.municipalityIds.length]),
      (s) => s === 201,
    );
    const rowsAfter = await countRows();
    // A network retry: the same keys again give the same cases (200), no new rows.
    let replays = 0;
    for (const key of keys.slice(0, 20)) {
      const res = await submit(key);
      if (res.statusCode === 200) replays++;
    }
    if ((await countRows()) !== rowsAfter) throw new Error('replayed idempotency keys created new cases');

    const strip = ({ slowest: _s, times: _t, ...l }: Latency & { slowest: string; times?: unknown }): Latency => l;
    return {
      target,
      cases: seeded.cases,
      seedSec: round(seeded.seedMs / 1000, 1),
      queue: strip(queue),
      queueFloor: strip(queue.floor),
      searchFloor: strip(searchAll.floor),
      search: { common: strip(search.common), middling: strip(search.middling), rare: strip(search.rare) },
      searchAll: strip(searchAll),
      submit: strip2(submitted),
      submitFloor: strip2(submitFloor),
      concurrency,
      submitSeconds: seconds,
      rowsBefore,
      rowsAfter,
      submitSingle: strip2(single),
      submitSpread: strip2(spread),
      lost: submitted.accepted + single.accepted + spread.accepted - (rowsAfter - rowsBefore),
      idempotentReplays: replays,
      batching,
      slowestQueueUrl: queue.slowest,
      slowestSearchUrl: searchAll.slowest,
    };
  } finally {
    await app.close();
  }
}

function strip2({ firstError, ...t }: Throughput & { firstError: string | undefined }): Throughput {
  if (firstError) process.stderr.write(`cases bench: first failed request: ${firstError}\n`);
  return t;
}

export async function runCases(options: BenchOptions): Promise<void> {
  const loadBefore = machineLoad();
  const results: TargetResult[] = [];
  const notes: string[] = [];

  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const server = await freshServerDatabase(serverUrl, 'otklik_bench');
  if ('skipped' in server) notes.push(`PostgreSQL skipped: ${server.skipped}`);
  else {
    try {
      const handle = await openDatabase({ databaseUrl: server.url, poolSize: 10, onIdleClientError: () => {} });
      try {
        results.push(await measureTarget('postgres', handle, options));
      } finally {
        await handle.close();
      }
    } finally {
      await server.drop();
    }
  }
  {
    const data = tempDir('otklik-bench-cases-');
    try {
      const handle = await openDatabase({ dataDir: data.dir });
      try {
        results.push(await measureTarget('pglite', handle, options));
      } finally {
        await handle.close();
      }
    } finally {
      data.remove();
    }
  }

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const name = (r: TargetResult) => (r.target === 'postgres' ? 'PostgreSQL' : 'PGlite');
  process.stdout.write(
    `\nCases at scale${options.quick ? ' (--quick: a tenth of the scale)' : ''}; through app.inject in one process ` +
      `(routing, session, validation, command, SQL, presenter; no sockets); Node ${process.version}\n` +
      'queue: the head of Кемерово, GET /api/v1/cases?limit=50 with varied filters (status, department, executor, category,\n' +
      '  regime, channel, overdue, due today, pages 2–5), nearest deadline first, one request at a time.\n' +
      '  floor: the same route and page size for a resident whose 50 own cases are one small indexed lookup,\n' +
      '  requested right after each measured request (so both meet the same load).\n' +
      'search: q= common, middling and rare Russian words (half with status=in_work); floor as above.\n' +
      'submissions: a resident, POST /api/v1/cases (web, Idempotency-Key each: number, case, timeline, audit, mail job,\n' +
      '  notice; submissions arriving together share one transaction), N at once. floor: GET /api/v1/cases/{id} as staff\n' +
      '  at the same concurrency (the card read and its one audit row in autocommit). Diagnostics: one submission at a\n' +
      '  time; N at once over the four municipalities (each its own number sequence); the intake batches (mean size,\n' +
      "  largest) and this process's CPU time per submission (Node and, on PGlite, the database too); with a local\n" +
      "  PostgreSQL server, its processes' CPU too (/proc), and the ceiling: submissions/s if every core did only this.\n\n",
  );
  const rows: Array<Array<string | number>> = [['measure', 'target', 'figure', 'floor', '÷ floor', 'goal', '']];
  for (const r of results) {
    const t = TARGETS[r.target];
    const n = name(r);
    rows.push([`${n}: seeded`, `${r.cases.toLocaleString('en-US')} cases`, `${r.seedSec} s`, '', '', '', '']);
    rows.push([
      `${n}: queue p50`,
      '',
      `${r.queue.p50Ms} ms`,
      `${r.queueFloor.p50Ms} ms`,
      round(r.queue.p50Ms / r.queueFloor.p50Ms, 1),
      '',
      '',
    ]);
    rows.push([
      `${n}: queue p95 (${r.queue.requests} req)`,
      '',
      `${r.queue.p95Ms} ms`,
      `${r.queueFloor.p95Ms} ms`,
      round(r.queue.p95Ms / r.queueFloor.p95Ms, 1),
      `< ${t.queueP95Ms} ms`,
      verdict(r.queue.p95Ms < t.queueP95Ms),
    ]);
    for (const k of ['common', 'middling', 'rare'] as const) {
      rows.push([
        `${n}: search ${k} p50 / p95`,
        SEARCH_WORDS[k].join(', '),
        `${r.search[k].p50Ms} / ${r.search[k].p95Ms} ms`,
        '',
        '',
        '',
        '',
      ]);
    }
    rows.push([
      `${n}: search p95 (${r.searchAll.requests} req)`,
      '',
      `${r.searchAll.p95Ms} ms`,
      `${r.searchFloor.p95Ms} ms`,
      round(r.searchAll.p95Ms / r.searchFloor.p95Ms, 1),
      '',
      '',
    ]);
    rows.push([
      `${n}: submissions/s (${r.concurrency} at once, ${r.submitSeconds} s)`,
      `p50 ${r.submit.p50Ms} / p95 ${r.submit.p95Ms} ms`,
      r.submit.perSec,
      `${r.submitFloor.perSec}/s`,
      round(r.submit.perSec / r.submitFloor.perSec, 2),
      `≥ ${t.submissionsPerSec}/s`,
      verdict(r.submit.perSec >= t.submissionsPerSec),
    ]);
    rows.push([
      `${n}:   diagnostic: intake batches, mean / largest`,
      `CPU ${r.batching.cpuMsPerSubmission} ms per submission`,
      `${r.batching.meanBatch} / ${r.batching.largestBatch}`,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      `${n}:   diagnostic: CPU per submission → ceiling, all ${availableParallelism()} cores on it`,
      r.batching.dbCpuMsPerSubmission === undefined
        ? `${r.batching.cpuMsPerSubmission} ms (${r.target === 'pglite' ? 'Node + PGlite' : 'Node; server not local'})`
        : `Node ${r.batching.cpuMsPerSubmission} + PostgreSQL ${r.batching.dbCpuMsPerSubmission} ms`,
      `${r.batching.ceilingPerSec}/s`,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      `${n}:   diagnostic: one at a time`,
      `p50 ${r.submitSingle.p50Ms} / p95 ${r.submitSingle.p95Ms} ms`,
      r.submitSingle.perSec,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      `${n}:   diagnostic: ${r.concurrency} at once over 4 municipalities`,
      `p50 ${r.submitSpread.p50Ms} / p95 ${r.submitSpread.p95Ms} ms`,
      r.submitSpread.perSec,
      '',
      '',
      '',
      '',
    ]);
    const accepted = r.submit.accepted + r.submitSingle.accepted + r.submitSpread.accepted;
    const failed = r.submit.failed + r.submitSingle.failed + r.submitSpread.failed;
    rows.push([
      `${n}: accepted / new rows / lost; replays`,
      `${failed} failed`,
      `${accepted} / ${r.rowsAfter - r.rowsBefore} / ${r.lost}; ${r.idempotentReplays}×200`,
      '',
      '',
      'none lost',
      verdict(r.lost === 0 && failed === 0 && r.idempotentReplays === Math.min(20, r.submit.accepted)),
    ]);
  }
  process.stdout.write(`${table(rows)}\n`);
  for (const r of results) {
    process.stdout.write(`slowest ${name(r)} queue request: ${r.slowestQueueUrl}; slowest search: ${r.slowestSearchUrl}\n`);
  }
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  if (busy) notes.push(busy);
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  process.stdout.write('\n');
  const pg = results.find((r) => r.target === 'postgres');
  const lite = results.find((r) => r.target === 'pglite');
  const figures = (r: TargetResult | undefined) =>
    r
      ? {
          cases: r.cases,
          seedSec: r.seedSec,
          queueP50Ms: r.queue.p50Ms,
          queueP95Ms: r.queue.p95Ms,
          queueFloorP50Ms: r.queueFloor.p50Ms,
          queueFloorP95Ms: r.queueFloor.p95Ms,
          searchP95Ms: r.searchAll.p95Ms,
          searchFloorP95Ms: r.searchFloor.p95Ms,
          searchCommonP95Ms: r.search.common.p95Ms,
          searchMiddlingP95Ms: r.search.middling.p95Ms,
          searchRareP95Ms: r.search.rare.p95Ms,
          submissionsPerSec: r.submit.perSec,
          meanBatch: r.batching.meanBatch,
          cpuMsPerSubmission: r.batching.cpuMsPerSubmission,
          dbCpuMsPerSubmission: r.batching.dbCpuMsPerSubmission ?? null,
          ceilingPerSec: r.batching.ceilingPerSec,
          submitP95Ms: r.submit.p95Ms,
          submitFloorPerSec: r.submitFloor.perSec,
          submitSinglePerSec: r.submitSingle.perSec,
          submitSingleP50Ms: r.submitSingle.p50Ms,
          submitSpreadPerSec: r.submitSpread.perSec,
          concurrency: r.concurrency,
          accepted: r.submit.accepted + r.submitSingle.accepted + r.submitSpread.accepted,
          failed: r.submit.failed + r.submitSingle.failed + r.submitSpread.failed,
          newRows: r.rowsAfter - r.rowsBefore,
          lost: r.lost,
          queuePass: r.queue.p95Ms < TARGETS[r.target].queueP95Ms,
          submissionsPass: r.submit.perSec >= TARGETS[r.target].submissionsPerSec,
        }
      : null;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'cases',
      quick: options.quick,
      postgres: figures(pg),
      pglite: figures(lite),
      loadAvg1: [loadBefore.load1, loadAfter.load1],
      ...(pg ? {} : { postgresSkipped: notes.find((x) => x.startsWith('PostgreSQL skipped')) ?? 'skipped' }),
    })}\n`,
  );
}
