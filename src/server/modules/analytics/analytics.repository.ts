import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { CaseChannel, CaseRegime } from '../../core/db/schema.ts';
import type { FigureKey } from './analytics.schemas.ts';
import {
  FACT_EVENTS,
  type FactCase,
  type Facts,
  MEASURES,
  type Measures,
  POSITIVE_RATING,
  type RollupDelta,
  type RollupRow,
} from './facts.ts';

// The analytics module's only SQL: the refresh (dirty marks → facts → rollup) and the reads of the figures.

/** An instant as epoch milliseconds (a float8: int8 sums are numeric, which the drivers return as text). */
const ms = (expr: RawBuilder<unknown>) => sql<number | null>`round(extract(epoch from ${expr}) * 1000)::float8`;
const list = (ids: readonly number[]) => sql.join(ids.map((id) => sql`${id}::int`));
const textList = (items: readonly string[]) => sql.join(items.map((x) => sql`${x}`));

// ---- The refresh ------------------------------------------------------------------------------------------------

/** Dirty cases to recompute, locked (a mark still being written by an open transaction is locked too: skipped). */
export async function claimDirty(trx: Db, limit: number): Promise<number[]> {
  const { rows } = await sql<{ case_id: number }>`
    select case_id from analytics_dirty order by case_id limit ${limit} for update skip locked`.execute(trx);
  return rows.map((r) => r.case_id);
}

/** Open cases whose deadline has passed since their facts were computed (they become overdue and late). */
export async function claimDeadlinesPassed(trx: Db, now: Date, limit: number): Promise<number[]> {
  const { rows } = await sql<{ case_id: number }>`
    select case_id from analytics_case where state = 'open' and not overdue and due_at < ${now}
    order by due_at limit ${limit} for update skip locked`.execute(trx);
  return rows.map((r) => r.case_id);
}

export async function deleteDirty(trx: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from analytics_dirty where case_id in (${list(ids)})`.execute(trx);
}

export async function countDirty(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from analytics_dirty`.execute(db);
  return rows[0]?.n ?? 0;
}

/** The region codes whose calendars the refresh needs (read before its transaction). */
export async function regionCodes(db: Db): Promise<Array<string | null>> {
  const rows = await db.selectFrom('region').select('iso_code').distinct().execute();
  return rows.map((r) => r.iso_code);
}

const FACT_COLUMNS = sql`case_id, municipality_id, ${ms(sql`received_at`)} as received_ms, received_day::text as received_day,
  regime, channel, category_id, department_id, place_id, executor_user_id, state, ${ms(sql`due_at`)} as due_ms, overdue,
  on_time, ${ms(sql`reaction_at`)} as reaction_at_ms, reaction_ms::float8 as reaction_ms,
  reaction_work_ms::float8 as reaction_work_ms, ${ms(sql`answered_at`)} as answered_ms, resolution_ms::float8 as resolution_ms,
  resolution_work_ms::float8 as resolution_work_ms, ever_answered, reopened, redirected, converted, rating, applicant_key,
  prev_same_day::text as prev_same_day, cell_lat, cell_lon`;

interface FactRow {
  case_id: number;
  municipality_id: number;
  received_ms: number;
  received_day: string;
  regime: CaseRegime;
  channel: CaseChannel;
  category_id: number | null;
  department_id: number | null;
  place_id: number | null;
  executor_user_id: number | null;
  state: Facts['state'];
  due_ms: number | null;
  overdue: boolean;
  on_time: boolean | null;
  reaction_at_ms: number | null;
  reaction_ms: number | null;
  reaction_work_ms: number | null;
  answered_ms: number | null;
  resolution_ms: number | null;
  resolution_work_ms: number | null;
  ever_answered: boolean;
  reopened: boolean;
  redirected: boolean;
  converted: boolean;
  rating: number | null;
  applicant_key: string | null;
  prev_same_day: string | null;
  cell_lat: number | null;
  cell_lon: number | null;
}

const toFacts = (r: FactRow): Facts => ({
  caseId: r.case_id,
  municipalityId: r.municipality_id,
  receivedAtMs: r.received_ms,
  receivedDay: r.received_day,
  regime: r.regime,
  channel: r.channel,
  categoryId: r.category_id,
  departmentId: r.department_id,
  placeId: r.place_id,
  executorUserId: r.executor_user_id,
  state: r.state,
  dueAtMs: r.due_ms,
  overdue: r.overdue,
  onTime: r.on_time,
  reactionAtMs: r.reaction_at_ms,
  reactionMs: r.reaction_ms,
  reactionWorkMs: r.reaction_work_ms,
  answeredAtMs: r.answered_ms,
  resolutionMs: r.resolution_ms,
  resolutionWorkMs: r.resolution_work_ms,
  everAnswered: r.ever_answered,
  reopened: r.reopened,
  redirected: r.redirected,
  converted: r.converted,
  rating: r.rating,
  applicantKey: r.applicant_key,
  prevSameDay: r.prev_same_day,
  cellLat: r.cell_lat,
  cellLon: r.cell_lon,
});

/** The stored facts of these cases, locked until the transaction ends (one refresh at a time per case). */
export async function lockFacts(trx: Db, ids: readonly number[]): Promise<Map<number, Facts>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<FactRow>`
    select ${FACT_COLUMNS} from analytics_case where case_id in (${list(ids)}) order by case_id for update`.execute(trx);
  return new Map(rows.map((r) => [r.case_id, toFacts(r)]));
}

/** Every stored fact (the recount test compares them with facts computed afresh). */
export async function allFacts(db: Db): Promise<Facts[]> {
  const { rows } = await sql<FactRow>`select ${FACT_COLUMNS} from analytics_case order by case_id`.execute(db);
  return rows.map(toFacts);
}

/** The applicant as one key: the account, else the e-mail (the same expression as case_applicant_category_idx). */
const applicantKey = (alias: string) =>
  sql.raw(`coalesce('u' || ${alias}.applicant_user_id::text, 'e' || lower(${alias}.email))`);
const hasApplicant = (alias: string) => sql.raw(`(${alias}.applicant_user_id is not null or ${alias}.email is not null)`);

export interface LoadedCase extends FactCase {
  timeZone: string;
  deadlineSettings: unknown;
  isoCode: string | null;
}

/** Cases with what their facts need: the municipality's zone and settings, the timeline, the previous same case. */
export async function loadCases(db: Db, ids: readonly number[]): Promise<LoadedCase[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{
    id: number;
    municipality_id: number;
    regime: CaseRegime;
    channel: CaseChannel;
    category_id: number | null;
    department_id: number | null;
    place_id: number | null;
    executor_user_id: number | null;
    status: string;
    received_ms: number;
    due_ms: number | null;
    first_reaction_due_ms: number | null;
    answered_ms: number | null;
    lat: number | null;
    lon: number | null;
    applicant_key: string | null;
    prev_ms: number | null;
    time_zone: string;
    deadline_settings: unknown;
    iso_code: string | null;
    events: Array<[string, number, boolean | null, number | null]> | string;
  }>`
    select c.id, c.municipality_id, c.regime, c.channel, c.category_id, c.department_id, c.place_id, c.executor_user_id,
      c.status, ${ms(sql`c.received_at`)} as received_ms, ${ms(sql`c.due_at`)} as due_ms,
      (select ${ms(sql`(d->>'dueAt')::timestamptz`)} from jsonb_array_elements(
          case when jsonb_typeof(c.deadlines) = 'array' then c.deadlines else '[]'::jsonb end) d
        where d->>'kind' = 'first_reaction' limit 1) as first_reaction_due_ms,
      ${ms(sql`c.answered_at`)} as answered_ms, c.lat, c.lon,
      case when ${hasApplicant('c')} then ${applicantKey('c')} end as applicant_key,
      prev.received_ms as prev_ms, m.time_zone, m.deadline_settings, r.iso_code,
      (select coalesce(json_agg(json_build_array(e.type, ${ms(sql`e.at`)}, e.late,
          case when e.type = 'rated' and jsonb_typeof(e.data->'rating') = 'number' then (e.data->>'rating')::int end)
          order by e.id), '[]'::json)
        from case_event e where e.case_id = c.id and e.type in (${textList(FACT_EVENTS)})) as events
    from "case" c
    join municipality m on m.id = c.municipality_id
    join region r on r.id = m.region_id
    left join lateral (
      select ${ms(sql`p.received_at`)} as received_ms from "case" p
      where p.municipality_id = c.municipality_id and p.category_id = c.category_id and ${hasApplicant('p')}
        and ${applicantKey('p')} = ${applicantKey('c')}
        and (p.received_at, p.id) < (c.received_at, c.id)
      order by p.received_at desc, p.id desc limit 1
    ) prev on c.category_id is not null and ${hasApplicant('c')}
    where c.id in (${list(ids)})
    order by c.id`.execute(db);
  return rows.map((r) => {
    const events = (typeof r.events === 'string' ? JSON.parse(r.events) : r.events) as Array<
      [string, number, boolean | null, number | null]
    >;
    return {
      id: r.id,
      municipalityId: r.municipality_id,
      regime: r.regime,
      channel: r.channel,
      categoryId: r.category_id,
      departmentId: r.department_id,
      placeId: r.place_id,
      executorUserId: r.executor_user_id,
      status: r.status,
      receivedAtMs: r.received_ms,
      dueAtMs: r.due_ms,
      firstReactionDueMs: r.first_reaction_due_ms,
      answeredAtMs: r.answered_ms,
      lat: r.lat,
      lon: r.lon,
      applicantKey: r.applicant_key,
      prevSameAtMs: r.prev_ms,
      events: events.map(([type, atMs, late, rating]) => ({ type, atMs, late, rating })),
      timeZone: r.time_zone,
      deadlineSettings: r.deadline_settings,
      isoCode: r.iso_code,
    };
  });
}

/**
 * Cases first seen now may be the previous same case of a later one whose facts were computed before (a letter
 * registered with an earlier date of receipt): those later cases are marked to be recomputed.
 */
export async function markLaterSameCases(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    insert into analytics_dirty (case_id)
    select nxt.id from "case" c
    join municipality m on m.id = c.municipality_id
    join lateral (
      select p.id from "case" p
      where p.municipality_id = c.municipality_id and p.category_id = c.category_id and ${hasApplicant('p')}
        and ${applicantKey('p')} = ${applicantKey('c')}
        and (p.received_at, p.id) > (c.received_at, c.id)
      order by p.received_at, p.id limit 1
    ) nxt on true
    join analytics_case f on f.case_id = nxt.id
    where c.id in (${list(ids)}) and c.category_id is not null and ${hasApplicant('c')}
      and (f.prev_same_day is null or f.prev_same_day < (c.received_at at time zone m.time_zone)::date)
    order by nxt.id
    on conflict (case_id) do nothing`.execute(db);
}

const iso = (x: number | null) => (x === null ? null : new Date(x).toISOString());
/** A column of values as one array parameter of the given element type (unnest(…) reads the columns side by side). */
const column = <T>(rows: readonly T[], pick: (r: T) => unknown, type: string) => sql`${rows.map(pick)}::${sql.raw(type)}[]`;

/** Writes the facts (insert or replace), stamped with the instant they were computed at. */
export async function saveFacts(trx: Db, facts: readonly Facts[], now: Date): Promise<void> {
  if (facts.length === 0) return;
  const f = [...facts].sort((a, b) => a.caseId - b.caseId);
  await sql`
    insert into analytics_case (case_id, municipality_id, received_at, received_day, regime, channel, category_id,
      department_id, place_id, executor_user_id, state, due_at, overdue, on_time, reaction_at, reaction_ms,
      reaction_work_ms, answered_at, resolution_ms, resolution_work_ms, ever_answered, reopened, redirected, converted,
      rating, applicant_key, prev_same_day, cell_lat, cell_lon, computed_at)
    select *, ${now}::timestamptz from unnest(
      ${column(f, (x) => x.caseId, 'int')}, ${column(f, (x) => x.municipalityId, 'int')},
      ${column(f, (x) => iso(x.receivedAtMs), 'timestamptz')}, ${column(f, (x) => x.receivedDay, 'date')},
      ${column(f, (x) => x.regime, 'text')}, ${column(f, (x) => x.channel, 'text')},
      ${column(f, (x) => x.categoryId, 'int')}, ${column(f, (x) => x.departmentId, 'int')},
      ${column(f, (x) => x.placeId, 'int')}, ${column(f, (x) => x.executorUserId, 'int')},
      ${column(f, (x) => x.state, 'text')}, ${column(f, (x) => iso(x.dueAtMs), 'timestamptz')},
      ${column(f, (x) => x.overdue, 'boolean')}, ${column(f, (x) => x.onTime, 'boolean')},
      ${column(f, (x) => iso(x.reactionAtMs), 'timestamptz')}, ${column(f, (x) => x.reactionMs, 'bigint')},
      ${column(f, (x) => x.reactionWorkMs, 'bigint')}, ${column(f, (x) => iso(x.answeredAtMs), 'timestamptz')},
      ${column(f, (x) => x.resolutionMs, 'bigint')}, ${column(f, (x) => x.resolutionWorkMs, 'bigint')},
      ${column(f, (x) => x.everAnswered, 'boolean')}, ${column(f, (x) => x.reopened, 'boolean')},
      ${column(f, (x) => x.redirected, 'boolean')}, ${column(f, (x) => x.converted, 'boolean')},
      ${column(f, (x) => x.rating, 'smallint')}, ${column(f, (x) => x.applicantKey, 'text')},
      ${column(f, (x) => x.prevSameDay, 'date')}, ${column(f, (x) => x.cellLat, 'int')}, ${column(f, (x) => x.cellLon, 'int')})
    on conflict (case_id) do update set municipality_id = excluded.municipality_id, received_at = excluded.received_at,
      received_day = excluded.received_day, regime = excluded.regime, channel = excluded.channel,
      category_id = excluded.category_id, department_id = excluded.department_id, place_id = excluded.place_id,
      executor_user_id = excluded.executor_user_id, state = excluded.state, due_at = excluded.due_at,
      overdue = excluded.overdue, on_time = excluded.on_time, reaction_at = excluded.reaction_at,
      reaction_ms = excluded.reaction_ms, reaction_work_ms = excluded.reaction_work_ms,
      answered_at = excluded.answered_at, resolution_ms = excluded.resolution_ms,
      resolution_work_ms = excluded.resolution_work_ms, ever_answered = excluded.ever_answered,
      reopened = excluded.reopened, redirected = excluded.redirected, converted = excluded.converted,
      rating = excluded.rating, applicant_key = excluded.applicant_key, prev_same_day = excluded.prev_same_day,
      cell_lat = excluded.cell_lat, cell_lon = excluded.cell_lon, computed_at = excluded.computed_at`.execute(trx);
}

const MEASURE_LIST = sql.raw(MEASURES.join(', '));
const MEASURE_ADD = sql.raw(MEASURES.map((m) => `${m} = analytics_daily.${m} + excluded.${m}`).join(', '));

/** Adds the deltas to the rollup (rows in the delta's order) and removes rows no case counts in any more. */
export async function applyDelta(trx: Db, delta: RollupDelta): Promise<void> {
  const all = delta.changed();
  for (let i = 0; i < all.length; i += 10_000) await applyRows(trx, all.slice(i, i + 10_000));
}

async function applyRows(trx: Db, rows: RollupRow[]): Promise<void> {
  const measures = MEASURES.map((m) => column(rows, (r) => r.m[m], m.endsWith('_ms') ? 'bigint' : 'int'));
  await sql`
    insert into analytics_daily (municipality_id, day, dim, key, ${MEASURE_LIST})
    select x.municipality_id, x.day, x.dim, x.key, ${MEASURE_LIST}
    from unnest(${column(rows, (r) => r.municipalityId, 'int')},
      ${column(rows, (r) => r.day, 'date')}, ${column(rows, (r) => r.dim, 'text')}, ${column(rows, (r) => r.key, 'text')},
      ${sql.join(measures)}) with ordinality as x(municipality_id, day, dim, key, ${MEASURE_LIST}, n)
    order by x.n
    on conflict (municipality_id, day, dim, key) do update set ${MEASURE_ADD}`.execute(trx);
  const emptied = rows.filter((r) => r.m.received < 0);
  if (emptied.length > 0) {
    await sql`
      delete from analytics_daily d using unnest(${column(emptied, (r) => r.municipalityId, 'int')},
        ${column(emptied, (r) => r.day, 'date')}, ${column(emptied, (r) => r.dim, 'text')},
        ${column(emptied, (r) => r.key, 'text')}) as x(m, day, dim, key)
      where d.municipality_id = x.m and d.day = x.day and d.dim = x.dim and d.key = x.key and d.received = 0`.execute(trx);
  }
}

/** Records that nothing was pending at `at` (at most every 5 s: a read that finds nothing to do writes nothing). */
export async function setCleanAt(trx: Db, at: Date): Promise<void> {
  await sql`
    update analytics_state set clean_at = ${at}
    where clean_at is null or clean_at < ${at}::timestamptz - interval '5 seconds' or clean_at > ${at}`.execute(trx);
}

export async function cleanAt(db: Db): Promise<Date | null> {
  return (await db.selectFrom('analytics_state').select('clean_at').executeTakeFirst())?.clean_at ?? null;
}

/** Every rollup row (the recount test compares them with sums of facts computed afresh). */
export async function allRollupRows(db: Db) {
  const { rows } = await sql<{ municipality_id: number; day: string; dim: string; key: string } & Measures>`
    select municipality_id, day::text as day, dim, key, ${sql.raw(MEASURES.map((m) => `${m}::float8 as ${m}`).join(', '))}
    from analytics_daily order by municipality_id, day, dim, key`.execute(db);
  return rows;
}

/** The next `limit` case ids after `afterId` (a rebuild walks every case). */
export async function caseIdsAfter(trx: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await trx.selectFrom('case').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** A rebuild starts from nothing: no facts, no rollup, no marks (it reads every case after this). */
export async function clearAnalytics(trx: Db): Promise<void> {
  await sql`delete from analytics_dirty`.execute(trx);
  await sql`truncate analytics_case, analytics_daily`.execute(trx);
}

/** Marks every case to be recomputed (a rebuild; also what migration 0017 does for the cases already there). */
export async function markAllDirty(db: Db): Promise<void> {
  await sql`insert into analytics_dirty (case_id) select id from "case" order by id on conflict (case_id) do nothing`.execute(db);
}

// ---- Reads ------------------------------------------------------------------------------------------------------

export function findMunicipality(db: Db, id: number) {
  return db
    .selectFrom('municipality as m')
    .innerJoin('region as r', 'r.id', 'm.region_id')
    .select(['m.id', 'm.name', 'm.short_name', 'm.time_zone', 'm.population', 'r.iso_code'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}

export function listMunicipalities(db: Db) {
  return db
    .selectFrom('municipality')
    .select(['id', 'name', 'short_name', 'time_zone', 'population'])
    .where('is_active', '=', true)
    .orderBy('id')
    .execute();
}

export function findDepartment(db: Db, id: number) {
  return db.selectFrom('department').select(['id', 'name', 'municipality_id']).where('id', '=', id).executeTakeFirst();
}

const SUMS = sql.raw(MEASURES.map((m) => `coalesce(sum(${m}), 0)::float8 as ${m}`).join(', '));

export type RollupSums = Measures & { dim: string; key: string };

/** The rollup summed over a period of days, per dimension value (dim 'total' is the whole municipality). */
export async function rollupByDimension(db: Db, municipalityId: number, from: string, to: string): Promise<RollupSums[]> {
  const { rows } = await sql<RollupSums>`
    select dim, key, ${SUMS} from analytics_daily
    where municipality_id = ${municipalityId} and day between ${from}::date and ${to}::date
    group by dim, key`.execute(db);
  return rows;
}

/** The whole-municipality totals of a period (dim 'total'). */
export async function rollupTotals(db: Db, municipalityId: number, from: string, to: string): Promise<Measures> {
  const { rows } = await sql<Measures>`
    select ${SUMS} from analytics_daily
    where municipality_id = ${municipalityId} and dim = 'total' and day between ${from}::date and ${to}::date`.execute(db);
  return rows[0] as Measures;
}

/** Totals per month of receipt (YYYY-MM) over [from, to]. */
export async function rollupByMonth(db: Db, municipalityId: number, from: string, to: string) {
  const { rows } = await sql<Measures & { month: string }>`
    select to_char(day, 'YYYY-MM') as month, ${SUMS} from analytics_daily
    where municipality_id = ${municipalityId} and dim = 'total' and day between ${from}::date and ${to}::date
    group by 1 order by 1`.execute(db);
  return rows;
}

/** Totals of every municipality over a period (each in its own days). */
export async function rollupByMunicipality(db: Db, from: string, to: string) {
  const { rows } = await sql<Measures & { municipality_id: number }>`
    select municipality_id, ${SUMS} from analytics_daily
    where dim = 'total' and day between ${from}::date and ${to}::date
    group by municipality_id`.execute(db);
  return rows;
}

export interface CohortStats {
  reaction: [number | null, number | null];
  reactionWork: [number | null, number | null];
  resolution: [number | null, number | null];
  resolutionWork: [number | null, number | null];
  incidentReaction: [number | null, number | null];
  repeat: number;
}

type Pair = [number | null, number | null];
const pair = (a: Array<number | null> | null | undefined): Pair => [
  a?.[0] == null ? null : Number(a[0]),
  a?.[1] == null ? null : Number(a[1]),
];
const quantiles = (col: string, filter = '') =>
  sql.raw(`percentile_cont(array[0.5, 0.9]::float8[]) within group (order by ${col})${filter}`);

/**
 * Medians and 90th percentiles (ms) and repeat appeals of the cases received in a period: one index-only scan of the
 * cohort's covering index (one scan with five sorts costs less than several scans side by side on a busy server).
 */
export async function cohortStats(db: Db, municipalityId: number, from: string, to: string): Promise<CohortStats> {
  const { rows } = await sql<{
    reaction: Array<number | null> | null;
    reaction_work: Array<number | null> | null;
    resolution: Array<number | null> | null;
    resolution_work: Array<number | null> | null;
    incident: Array<number | null> | null;
    repeat: number;
  }>`
    select ${quantiles('reaction_ms')} as reaction, ${quantiles('reaction_work_ms')} as reaction_work,
      ${quantiles('resolution_ms')} as resolution, ${quantiles('resolution_work_ms')} as resolution_work,
      ${quantiles('reaction_ms', " filter (where regime = 'incident')")} as incident,
      (count(*) filter (where prev_same_day >= ${from}::date))::int as repeat
    from analytics_case where municipality_id = ${municipalityId} and received_day between ${from}::date and ${to}::date`.execute(
    db,
  );
  const r = rows[0];
  return {
    reaction: pair(r?.reaction),
    reactionWork: pair(r?.reaction_work),
    resolution: pair(r?.resolution),
    resolutionWork: pair(r?.resolution_work),
    incidentReaction: pair(r?.incident),
    repeat: r?.repeat ?? 0,
  };
}

/** Whether a refresh has anything to do: a dirty case, or an open case whose deadline has passed since. */
export async function refreshPending(db: Db, now: Date): Promise<boolean> {
  const { rows } = await sql<{ pending: boolean }>`
    select exists (select 1 from analytics_dirty)
      or exists (select 1 from analytics_case where state = 'open' and not overdue and due_at < ${now}) as pending`.execute(db);
  return rows[0]?.pending ?? false;
}

/** Open cases past their deadline now (facts flagged overdue), per municipality or in one. */
export async function overdueCounts(db: Db, municipalityId?: number): Promise<Map<number, number>> {
  const { rows } = await sql<{ municipality_id: number; n: number }>`
    select municipality_id, count(*)::int as n from analytics_case where overdue
      ${municipalityId === undefined ? sql`` : sql`and municipality_id = ${municipalityId}`}
    group by municipality_id`.execute(db);
  return new Map(rows.map((r) => [r.municipality_id, r.n]));
}

/** Per dimension value, the cases of the period that are overdue now (the rollup's `overdue` is per day of receipt). */
export async function overdueList(db: Db, municipalityId: number, limit: number) {
  return db
    .selectFrom('analytics_case as f')
    .innerJoin('case as c', 'c.id', 'f.case_id')
    .leftJoin('department as d', 'd.id', 'f.department_id')
    .leftJoin('app_user as u', 'u.id', 'f.executor_user_id')
    .select(['f.case_id', 'c.number', 'f.due_at', 'f.department_id', 'd.name as department_name', 'f.executor_user_id'])
    .select(['u.last_name', 'u.first_name'])
    .where('f.municipality_id', '=', municipalityId)
    .where('f.overdue', '=', true)
    .orderBy('f.due_at')
    .orderBy('f.case_id')
    .limit(limit)
    .execute();
}

/** The names of a municipality's categories, departments and places (the breakdowns' labels). */
export async function namesOf(db: Db, municipalityId: number) {
  const of = (table: 'category' | 'department' | 'place') =>
    db.selectFrom(table).select(['id', 'name']).where('municipality_id', '=', municipalityId).execute();
  const [category, department, district] = await Promise.all([of('category'), of('department'), of('place')]);
  const map = (rows: Array<{ id: number; name: string }>) => new Map(rows.map((r) => [String(r.id), r.name]));
  return { category: map(category), department: map(department), district: map(district) };
}

/** Per executor, the department's cases received in a period (executor null: nobody assigned). */
export async function executorStats(db: Db, departmentId: number, from: string, to: string) {
  const { rows } = await sql<{
    executor_user_id: number | null;
    assigned: number;
    answered: number;
    on_time: number;
    late: number;
    resolution_work_n: number;
    resolution_work_ms: number;
  }>`
    select executor_user_id, count(*)::int as assigned, (count(*) filter (where state = 'answered'))::int as answered,
      (count(*) filter (where on_time))::int as on_time, (count(*) filter (where not on_time))::int as late,
      count(resolution_work_ms)::int as resolution_work_n, coalesce(sum(resolution_work_ms), 0)::float8 as resolution_work_ms
    from analytics_case where department_id = ${departmentId} and received_day between ${from}::date and ${to}::date
    group by executor_user_id`.execute(db);
  return rows;
}

export async function executorOverdue(db: Db, departmentId: number) {
  const { rows } = await sql<{ executor_user_id: number | null; n: number }>`
    select executor_user_id, count(*)::int as n from analytics_case where overdue and department_id = ${departmentId}
    group by executor_user_id`.execute(db);
  return rows;
}

/** The people with an executor's or head's role in a department, and anyone else named. */
export async function peopleOf(db: Db, departmentId: number, alsoIds: number[]) {
  return db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.last_name', 'u.first_name'])
    .where((eb) =>
      eb.or([
        eb(
          'u.id',
          'in',
          eb
            .selectFrom('user_role')
            .select('user_id')
            .where('department_id', '=', departmentId)
            .where('role', 'in', ['executor', 'head']),
        ),
        ...(alsoIds.length > 0 ? [eb('u.id', 'in', alsoIds)] : []),
      ]),
    )
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
}

export interface DrillFilter {
  municipalityId: number;
  from: string;
  to: string;
  /** Whether the period applies (overdueNow is about now, whenever received). */
  inPeriod: boolean;
  /** The figure's own condition on analytics_case as f. */
  where: RawBuilder<unknown>;
  channel?: string | undefined;
  regime?: string | undefined;
  categoryId?: number | undefined;
  departmentId?: number | undefined;
  districtId?: number | undefined;
  executorId?: number | undefined;
}

function drillWhere(f: DrillFilter) {
  const parts: RawBuilder<unknown>[] = [sql`f.municipality_id = ${f.municipalityId}`, f.where];
  if (f.inPeriod) parts.push(sql`f.received_day between ${f.from}::date and ${f.to}::date`);
  if (f.channel) parts.push(sql`f.channel = ${f.channel}`);
  if (f.regime) parts.push(sql`f.regime = ${f.regime}`);
  const idOrNone = (col: string, v: number | undefined) => {
    if (v === undefined) return;
    parts.push(v === 0 ? sql`${sql.ref(col)} is null` : sql`${sql.ref(col)} = ${v}`);
  };
  idOrNone('f.category_id', f.categoryId);
  idOrNone('f.department_id', f.departmentId);
  idOrNone('f.place_id', f.districtId);
  idOrNone('f.executor_user_id', f.executorId);
  return sql.join(parts, sql` and `);
}

export async function drillCount(db: Db, f: DrillFilter): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from analytics_case f where ${drillWhere(f)}`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function drillPage(db: Db, f: DrillFilter, limit: number, offset: number) {
  const { rows } = await sql<{
    case_id: number;
    number: string;
    status: string;
    regime: string;
    channel: string;
    category_id: number | null;
    department_id: number | null;
    executor_user_id: number | null;
    received_at: Date;
    answered_at: Date | null;
    due_at: Date | null;
    on_time: boolean | null;
    overdue: boolean;
    reaction_ms: number | null;
    resolution_ms: number | null;
    rating: number | null;
    reopened: boolean;
    redirected: boolean;
  }>`
    select f.case_id, c.number, c.status, f.regime, f.channel, f.category_id, f.department_id, f.executor_user_id,
      f.received_at, f.answered_at, f.due_at, f.on_time, f.overdue, f.reaction_ms::float8 as reaction_ms,
      f.resolution_ms::float8 as resolution_ms, f.rating, f.reopened, f.redirected
    from analytics_case f join "case" c on c.id = f.case_id
    where ${drillWhere(f)}
    order by f.received_at desc, f.case_id desc limit ${limit} offset ${offset}`.execute(db);
  return rows;
}

/** Cases with a point received in a period, counted per grid cell. */
export async function heatCells(db: Db, municipalityId: number, from: string, to: string, categoryId?: number) {
  const { rows } = await sql<{ cell_lat: number; cell_lon: number; n: number }>`
    select cell_lat, cell_lon, count(*)::int as n from analytics_case
    where municipality_id = ${municipalityId} and received_day between ${from}::date and ${to}::date
      and cell_lat is not null ${categoryId === undefined ? sql`` : sql`and category_id = ${categoryId}`}
    group by cell_lat, cell_lon order by cell_lat, cell_lon`.execute(db);
  return rows;
}

/**
 * The cases behind each figure, as a condition on `analytics_case f` (with the period's cohort unless `inPeriod` is
 * false): exactly the cases the figure counts — a count's cases, a share's base (`numerator`: its numerator), a
 * duration's measured cases.
 */
export function drillCondition(
  figure: FigureKey,
  from: string,
): { where: RawBuilder<unknown>; numerator?: RawBuilder<unknown>; inPeriod: boolean } {
  const inPeriod = figure !== 'overdueNow';
  const w = (where: RawBuilder<unknown>, numerator?: RawBuilder<unknown>) => ({
    where,
    ...(numerator && { numerator }),
    inPeriod,
  });
  switch (figure) {
    case 'received':
      return w(sql`true`);
    case 'answered':
      return w(sql`f.state = 'answered'`);
    case 'onTimeShare':
      return w(sql`f.on_time is not null`, sql`f.on_time`);
    case 'overdueNow':
      return w(sql`f.overdue`);
    case 'reactionHoursMean':
    case 'reactionHoursMedian':
    case 'reactionHoursP90':
      return w(sql`f.reaction_ms is not null`);
    case 'reactionWorkHoursMean':
    case 'reactionWorkHoursMedian':
    case 'reactionWorkHoursP90':
      return w(sql`f.reaction_work_ms is not null`);
    case 'resolutionHoursMean':
    case 'resolutionHoursMedian':
    case 'resolutionHoursP90':
      return w(sql`f.resolution_ms is not null`);
    case 'resolutionWorkHoursMean':
    case 'resolutionWorkHoursMedian':
    case 'resolutionWorkHoursP90':
      return w(sql`f.resolution_work_ms is not null`);
    case 'satisfaction':
      return w(sql`f.rating is not null`, sql`f.rating >= ${POSITIVE_RATING}`);
    case 'rated':
      return w(sql`f.rating is not null`);
    case 'reopenRate':
      return w(sql`f.ever_answered`, sql`f.reopened`);
    case 'redirectedShare':
      return w(sql`true`, sql`f.redirected`);
    case 'repeat':
      return w(sql`f.prev_same_day >= ${from}::date`);
    case 'converted':
      return w(sql`f.converted`);
    case 'incidents':
      return w(sql`f.regime = 'incident'`);
    case 'incidentReactionHoursMean':
    case 'incidentReactionHoursMedian':
    case 'incidentReactionHoursP90':
      return w(sql`f.regime = 'incident' and f.reaction_ms is not null`);
  }
}
