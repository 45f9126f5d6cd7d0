import { writeAudit } from '../../core/audit/audit.ts';
import { systemContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import type { JobRunner } from '../../core/jobs/index.ts';
import type { ProductionCalendar } from '../../core/time/index.ts';
import type { CalendarService } from './calendar-service.ts';

export const RECOMPUTE_JOB = 'calendar.recompute';

export interface RecomputeRequest {
  /** The years whose days changed. */
  years: number[];
  /** The region whose overlay changed, or null for the federal calendar (every municipality). */
  region: string | null;
  /** The calendar now in force for a region (federal when it has no overlay). */
  calendarFor(region: string | null): Promise<ProductionCalendar>;
  db: Db;
  now: Date;
}

/**
 * A module whose open items carry deadlines (appeals, messages, incidents, hearings…) registers here. When a
 * calendar year changes it recomputes the FUTURE deadlines of its open items that fall in or run through the
 * changed years, and records the change on each item (its own timeline). Steps already taken keep the lateness
 * decided at the time (architecture §2).
 */
export interface DeadlineRecomputer {
  name: string;
  recompute(request: RecomputeRequest): Promise<{ items: number }>;
}

export class DeadlineRecomputers {
  readonly #all = new Map<string, DeadlineRecomputer>();
  register(recomputer: DeadlineRecomputer): void {
    if (this.#all.has(recomputer.name)) throw new Error(`deadline recomputer "${recomputer.name}" is already registered`);
    this.#all.set(recomputer.name, recomputer);
  }
  list(): DeadlineRecomputer[] {
    return [...this.#all.values()];
  }
}

/** The job a publication enqueues: runs every recomputer, then leaves one audit row with what each did. */
export function registerRecomputeJob(runner: JobRunner, recomputers: DeadlineRecomputers, calendars: CalendarService): void {
  runner.register<{ years: number[]; region: string | null }>(RECOMPUTE_JOB, async (payload, job) => {
    calendars.invalidate();
    const results: Record<string, number> = {};
    for (const r of recomputers.list()) {
      const { items } = await r.recompute({
        years: payload.years,
        region: payload.region,
        calendarFor: (region) => calendars.calendarFor(region),
        db: job.db as Db,
        now: job.now,
      });
      results[r.name] = items;
    }
    await writeAudit(job.db as Db, systemContext(job.now), {
      action: 'calendar.recompute',
      entityType: 'calendar',
      entityId: payload.years.join(','),
      after: { years: payload.years, region: payload.region, recomputed: results },
    });
  });
}
