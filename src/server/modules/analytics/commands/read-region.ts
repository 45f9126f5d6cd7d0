import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden } from '../../../core/http/errors.ts';
import { listMunicipalities, overdueCounts, rollupByMunicipality } from '../analytics.repository.ts';
import { zeroMeasures } from '../facts.ts';
import { figureValues, REGION_FIGURES } from '../figures.ts';
import { parsePeriod } from '../period.ts';
import { canViewRegion } from '../permissions.ts';
import type { Calendars } from '../work-time.ts';
import { refreshForRead } from './access.ts';
import { figureList } from './read-summary.ts';

/**
 * The region's municipalities side by side with the key figures (sums and shares from the rollup; no percentiles):
 * each municipality's own cases, its period read in its own zone. The regional roles only.
 */
export async function readRegion(db: Db, ctx: CommandContext, calendars: Calendars, q: { from: string; to: string }) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see the figures');
  if (!canViewRegion(ctx.principal)) throw forbidden('The region’s figures are for the regional administration and commission');
  const period = parsePeriod(q.from, q.to);
  const asOf = await refreshForRead(db, calendars, ctx.now);
  const [municipalities, sums, overdue] = await Promise.all([
    listMunicipalities(db),
    rollupByMunicipality(db, period.from, period.to),
    overdueCounts(db),
  ]);
  const byId = new Map(sums.map((s) => [s.municipality_id, s]));
  return {
    ...period,
    municipalities: municipalities.map((m) => ({
      id: m.id,
      name: m.name,
      shortName: m.short_name,
      population: m.population,
      figures: figureList(
        m.id,
        period,
        figureValues(byId.get(m.id) ?? zeroMeasures(), zeroMeasures(), null, overdue.get(m.id) ?? 0),
        REGION_FIGURES,
      ),
    })),
    asOf: asOf.toISOString(),
  };
}
