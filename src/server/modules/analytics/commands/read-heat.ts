import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { heatCells } from '../analytics.repository.ts';
import { CELL_DEGREES } from '../facts.ts';
import { parsePeriod } from '../period.ts';
import { round } from '../stats.ts';
import type { Calendars } from '../work-time.ts';
import { municipalityFor, refreshForRead } from './access.ts';

/**
 * The heat map: the cases with a point received in the period (optionally of one category), counted per cell of
 * CELL_DEGREES; each cell as [lat, lon, count] with the cell's centre. Staff only: appeals are included.
 */
export async function readHeat(
  db: Db,
  ctx: CommandContext,
  calendars: Calendars,
  q: { municipalityId: number; from: string; to: string; categoryId?: number | undefined },
) {
  const m = await municipalityFor(db, ctx, q.municipalityId);
  const period = parsePeriod(q.from, q.to);
  await refreshForRead(db, calendars, ctx.now, m.pending);
  const cells = await heatCells(db, m.id, period.from, period.to, q.categoryId);
  const centre = (i: number) => round((i + 0.5) * CELL_DEGREES, 6);
  return {
    cellDegrees: CELL_DEGREES,
    points: cells.map((c) => [centre(c.cell_lat), centre(c.cell_lon), c.n] as [number, number, number]),
    total: cells.reduce((s, c) => s + c.n, 0),
  };
}
