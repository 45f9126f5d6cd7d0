import type { Db } from '../../../core/db/index.ts';
import type { ProductionCalendar } from '../../../core/time/index.ts';
import {
  applyDelta,
  caseIdsAfter,
  claimDeadlinesPassed,
  claimDirty,
  clearAnalytics,
  deleteDirty,
  type LoadedCase,
  loadCases,
  lockFacts,
  markLaterSameCases,
  regionCodes,
  saveFacts,
  setCleanAt,
} from '../analytics.repository.ts';
import { caseFacts, type FactEnv, type Facts, RollupDelta } from '../facts.ts';
import { type Calendars, workTimeOf } from '../work-time.ts';

export const REFRESH_JOB = 'analytics.refresh';
/** The job's period: the figures of a dashboard opened meanwhile are brought up to date by the read itself. */
export const REFRESH_EVERY_SECONDS = 10;
/** Cases recomputed per transaction (short transactions: a step on a case being recomputed waits for it). */
export const REFRESH_BATCH = 500;

export interface RefreshOptions {
  now: Date;
  /** Stop after about this many cases (a read refreshes a little; the job and a rebuild, everything). */
  maxCases?: number;
  batch?: number;
}

export interface RefreshResult {
  /** Cases recomputed. */
  cases: number;
  /** Work was left for later (maxCases reached). */
  pending: boolean;
}

/** Calendars of every region, read before any transaction (on PGlite a read on `db` inside one waits for itself). */
async function calendarsByRegion(db: Db, calendars: Calendars): Promise<Map<string | null, ProductionCalendar>> {
  const map = new Map<string | null, ProductionCalendar>();
  for (const code of await regionCodes(db)) map.set(code, await calendars.calendarFor(code));
  if (!map.has(null)) map.set(null, await calendars.calendarFor(null));
  return map;
}

/** The facts of loaded cases at `now`, each with its municipality's zone, calendar and office hours. */
export function factsOf(loaded: readonly LoadedCase[], byRegion: Map<string | null, ProductionCalendar>, now: Date): Facts[] {
  const envs = new Map<string, FactEnv>();
  return loaded.map((c) => {
    const envKey = `${c.municipalityId}`;
    let env = envs.get(envKey);
    if (!env) {
      const calendar = byRegion.get(c.isoCode) ?? (byRegion.get(null) as ProductionCalendar);
      env = { zone: c.timeZone, workMs: workTimeOf(calendar, c.deadlineSettings, c.timeZone), nowMs: now.getTime() };
      envs.set(envKey, env);
    }
    return caseFacts(c, env);
  });
}

/**
 * Brings the facts and the rollup up to date: the cases marked dirty by the triggers (any change of a case or its
 * timeline) and the open cases whose deadline has passed since, in transactions of `batch` cases. In each: the marks
 * and facts are locked, the cases read, their facts recomputed, the rollup changed by (new − old) and the marks
 * deleted. Several nodes (and reads) refresh at once without waiting for each other (SKIP LOCKED).
 */
export async function refreshAnalytics(db: Db, calendars: Calendars, options: RefreshOptions): Promise<RefreshResult> {
  const batch = options.batch ?? REFRESH_BATCH;
  const max = options.maxCases ?? Number.POSITIVE_INFINITY;
  const byRegion = await calendarsByRegion(db, calendars);
  let done = 0;
  for (;;) {
    const size = Math.min(batch, Math.max(1, max - done));
    let firstSeen: number[] = [];
    const n = await db.transaction().execute(async (trx) => {
      const dirty = await claimDirty(trx, size);
      const ticks = dirty.length < size ? await claimDeadlinesPassed(trx, options.now, size - dirty.length) : [];
      const ids = [...new Set([...dirty, ...ticks])].sort((a, b) => a - b);
      if (ids.length === 0) {
        await setCleanAt(trx, options.now);
        return 0;
      }
      const old = await lockFacts(trx, ids);
      const fresh = factsOf(await loadCases(trx, ids), byRegion, options.now);
      const delta = new RollupDelta();
      for (const f of fresh) {
        const before = old.get(f.caseId);
        if (before) delta.add(before, -1);
        delta.add(f, 1);
      }
      await saveFacts(trx, fresh, options.now);
      await applyDelta(trx, delta);
      firstSeen = fresh.filter((f) => !old.has(f.caseId) && f.applicantKey !== null).map((f) => f.caseId);
      await deleteDirty(trx, dirty);
      return ids.length;
    });
    // After the commit, holding nothing: a mark being written by an open transaction is waited for, not deadlocked on.
    await markLaterSameCases(db, firstSeen);
    done += n;
    if (n === 0) return { cases: done, pending: false };
    if (done >= max) return { cases: done, pending: true };
    // Let requests in between batches: on PGlite statements run synchronously and take turns on one connection, so
    // a long refresh (20,000 cases imported at once) would otherwise hold every request until it ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Recomputes every case's facts and the whole rollup in one transaction (the first build on a large database, the
 * bench; the refresh job does the same case by case but with a transaction per batch). Changes to cases already
 * read wait for it to commit (their marks are held), so run it when the figures are first needed, not under load.
 */
export async function rebuildAnalytics(db: Db, calendars: Calendars, now: Date, batch = 5000): Promise<RefreshResult> {
  const byRegion = await calendarsByRegion(db, calendars);
  return db.transaction().execute(async (trx) => {
    await clearAnalytics(trx);
    const delta = new RollupDelta();
    let last = 0;
    let cases = 0;
    for (;;) {
      const ids = await caseIdsAfter(trx, last, batch);
      if (ids.length === 0) break;
      const fresh = factsOf(await loadCases(trx, ids), byRegion, now);
      await saveFacts(trx, fresh, now);
      for (const f of fresh) delta.add(f, 1);
      last = ids[ids.length - 1] as number;
      cases += ids.length;
    }
    await applyDelta(trx, delta);
    await setCleanAt(trx, now);
    return { cases, pending: false };
  });
}
