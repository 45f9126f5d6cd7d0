import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { drillCondition, drillCount, drillPage } from '../analytics.repository.ts';
import type { FigureKey } from '../analytics.schemas.ts';
import { FIGURES } from '../figures.ts';
import { parsePeriod } from '../period.ts';
import type { Calendars } from '../work-time.ts';
import { municipalityFor, refreshForRead } from './access.ts';

export interface DrillQuery {
  municipalityId: number;
  figure: FigureKey;
  from: string;
  to: string;
  channel?: string | undefined;
  regime?: string | undefined;
  categoryId?: number | undefined;
  departmentId?: number | undefined;
  districtId?: number | undefined;
  executorId?: number | undefined;
  only?: 'numerator' | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The cases behind a figure (the same conditions the figure counts by), newest receipt first, a page at a time. */
export async function readDrill(db: Db, ctx: CommandContext, calendars: Calendars, q: DrillQuery) {
  const m = await municipalityFor(db, ctx, q.municipalityId);
  const period = parsePeriod(q.from, q.to);
  await refreshForRead(db, calendars, ctx.now, m.pending);
  const cond = drillCondition(q.figure, period.from);
  const filter = {
    municipalityId: m.id,
    ...period,
    inPeriod: cond.inPeriod,
    where: q.only === 'numerator' && cond.numerator ? cond.numerator : cond.where,
    channel: q.channel,
    regime: q.regime,
    categoryId: q.categoryId,
    departmentId: q.departmentId,
    districtId: q.districtId,
    executorId: q.executorId,
  };
  const [total, rows] = await Promise.all([drillCount(db, filter), drillPage(db, filter, q.limit ?? 50, q.offset ?? 0)]);
  return { figure: q.figure, label: FIGURES[q.figure].label, total, rows };
}

export type Drill = Awaited<ReturnType<typeof readDrill>>;
