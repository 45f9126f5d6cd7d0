import { writeAudit } from '../../../core/audit/audit.ts';
import { hasRoleIn } from '../../../core/auth/principal.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden } from '../../../core/http/errors.ts';
import { enqueue } from '../../../core/jobs/index.ts';
import { CalendarDataError, changedYears, parseCalendarYear } from '../../../core/time/index.ts';
import type { CalendarService } from '../calendar-service.ts';
import { RECOMPUTE_JOB } from '../recompute.ts';

export interface PublishCalendarYearInput {
  /** A year in the shipped files' JSON shape (federal, or a regional overlay year with `region`). */
  data: unknown;
  /** Why: the decree or the correction, e.g. «ПП РФ от … № … о переносе выходных дней в 2027 году». */
  note: string;
}

/** A calendar document's own field path, under `data` as the client sent it. */
function dataError(error: CalendarDataError): AppError {
  const field = `data.${error.field.replace(/^[^:]*:\s*/, '').replace(/\[(\d+)\]/g, '.$1')}`;
  return new AppError('VALIDATION_FAILED', `${field}: ${error.reason}`, [{ field, reason: error.reason }]);
}

/**
 * An administrator publishes a correction or a new year (e.g. when the 2027 decree appears). The document is
 * checked as strictly as the shipped files, stored over them (append-only history), audited, and the open items'
 * future deadlines in the changed years are recomputed by a job.
 */
export async function publishCalendarYear(
  db: Db,
  ctx: CommandContext,
  calendars: CalendarService,
  input: PublishCalendarYearInput,
) {
  if (!hasRoleIn(ctx.principal, ['regional_admin']))
    throw forbidden('Only a regional administrator can publish the production calendar');
  const note = input.note.trim();
  let year: ReturnType<typeof parseCalendarYear>;
  let changed: number[];
  try {
    year = parseCalendarYear(input.data, 'data');
    const { before, after } = await calendars.withCandidate(year);
    changed = changedYears(before, after);
  } catch (error) {
    if (error instanceof CalendarDataError) throw dataError(error);
    throw error;
  }
  const previous = await calendars.effectiveYear(year.year, year.region ?? null);
  const result = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('calendar_publication')
      .values({
        year: year.year,
        region_code: year.region ?? null,
        data: JSON.stringify(year),
        note,
        published_by: ctx.principal?.userId ?? null,
        published_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job = changed.length
      ? await enqueue(trx, RECOMPUTE_JOB, { years: changed, region: year.region ?? null }, { now: ctx.now })
      : undefined;
    await writeAudit(trx, ctx, {
      action: 'calendar.publish',
      entityType: 'calendar',
      entityId: `${year.region ?? 'RU'}-${year.year}`,
      before: previous ?? null,
      after: { note, changedYears: changed, document: year },
    });
    return { publicationId: id, recomputeJobId: job?.id ?? null };
  });
  calendars.invalidate();
  return { year: year.year, region: year.region ?? null, changedYears: changed, ...result };
}
