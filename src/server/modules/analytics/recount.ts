/**
 * The full recount: the facts and figures computed afresh from the cases and their timelines, without the stored
 * facts or the rollup. The test of the rollups compares with it, and `npm run bench -- analytics` times it beside
 * the dashboard. Slow by design (every case read with its timeline): never on a request path.
 */
import { sql } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import { loadCases, regionCodes } from './analytics.repository.ts';
import type { FigureKey } from './analytics.schemas.ts';
import { factsOf } from './commands/refresh-analytics.ts';
import { type Facts, type Measures, measuresOf, RollupDelta, zeroMeasures } from './facts.ts';
import { type FigureValue, figureValues } from './figures.ts';
import type { Period } from './period.ts';
import { percentile } from './stats.ts';
import type { Calendars } from './work-time.ts';

export interface RecountScope {
  municipalityId?: number;
  /** Cases received on these local days, or open now (the dashboard's cohorts and the overdue figure). */
  received?: Period;
}

/** Facts of every case in scope, computed at `now` from the case rows and timelines, in batches of `batch`. */
export async function recountFacts(db: Db, calendars: Calendars, now: Date, scope: RecountScope = {}, batch = 5000) {
  const byRegion = new Map();
  for (const code of await regionCodes(db)) byRegion.set(code, await calendars.calendarFor(code));
  if (!byRegion.has(null)) byRegion.set(null, await calendars.calendarFor(null));
  const { rows } = await sql<{ id: number }>`
    select c.id from "case" c join municipality m on m.id = c.municipality_id
    where ${scope.municipalityId === undefined ? sql`true` : sql`c.municipality_id = ${scope.municipalityId}`}
      and ${
        scope.received
          ? sql`((c.received_at at time zone m.time_zone)::date between ${scope.received.from}::date and ${scope.received.to}::date
              or c.status in ('registered', 'assigned', 'in_work', 'answer_drafted'))`
          : sql`true`
      }
    order by c.id`.execute(db);
  const facts: Facts[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const loaded = await loadCases(
      db,
      rows.slice(i, i + batch).map((r) => r.id),
    );
    facts.push(...factsOf(loaded, byRegion, now));
  }
  return facts;
}

/** The rollup's rows as the facts sum to (what analytics_daily must hold), keyed municipality|day|dim|key. */
export function rollupOf(facts: readonly Facts[]) {
  const d = new RollupDelta();
  for (const f of facts) d.add(f, 1);
  return d.changed();
}

const sum = (facts: readonly Facts[]): Measures => {
  const t = zeroMeasures();
  for (const f of facts) {
    const m = measuresOf(f);
    for (const k of Object.keys(t) as Array<keyof Measures>) t[k] += m[k];
  }
  return t;
};

/**
 * The summary's figures for a municipality and period from recounted facts, each by its definition directly:
 * sums over the cohort, percentiles of its durations, repeats by grouping its cases by applicant and category.
 */
export function figuresFromFacts(
  facts: readonly Facts[],
  municipalityId: number,
  period: Period,
): Partial<Record<FigureKey, FigureValue>> {
  const mine = facts.filter((f) => f.municipalityId === municipalityId);
  const cohort = mine.filter((f) => f.receivedDay >= period.from && f.receivedDay <= period.to);
  const incidents = cohort.filter((f) => f.regime === 'incident');
  const q = (values: Array<number | null>): [number | null, number | null] => [percentile(values, 0.5), percentile(values, 0.9)];
  // Every case of an (applicant, category) group but the earliest has an earlier one in the period.
  const groups = new Set<string>();
  let keyed = 0;
  for (const f of cohort) {
    if (f.applicantKey === null || f.categoryId === null) continue;
    keyed++;
    groups.add(`${f.applicantKey}|${f.categoryId}`);
  }
  const repeat = keyed - groups.size;
  return figureValues(
    sum(cohort),
    sum(incidents),
    {
      reaction: q(cohort.map((f) => f.reactionMs)),
      reactionWork: q(cohort.map((f) => f.reactionWorkMs)),
      resolution: q(cohort.map((f) => f.resolutionMs)),
      resolutionWork: q(cohort.map((f) => f.resolutionWorkMs)),
      incidentReaction: q(incidents.map((f) => f.reactionMs)),
      repeat,
    },
    mine.filter((f) => f.overdue).length,
  );
}
