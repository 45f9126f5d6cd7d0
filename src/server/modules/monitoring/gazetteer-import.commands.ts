import { sql } from 'kysely';
import { writeAudit } from '../../core/audit/audit.ts';
import type { CommandContext } from '../../core/context.ts';
import type { Db } from '../../core/db/index.ts';
import { AppError, forbidden } from '../../core/http/errors.ts';
import { parseGazetteerCsv } from './gazetteer/index.ts';
import { canReadMonitoring, monitoringScope } from './moderation.permissions.ts';
import { mdb } from './monitoring-db.ts';

/** The gazetteer's imported entries: list, import a CSV file (all lines or none), audited. */

function requireStaff(ctx: CommandContext) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  const scope = monitoringScope(ctx.principal);
  if (scope !== 'all' && scope.length === 0) throw forbidden('The gazetteer is kept by moderators, heads and administrators');
  return scope;
}

export async function readGazetteer(db: Db, ctx: CommandContext, municipalityId?: number) {
  const scope = requireStaff(ctx);
  if (municipalityId !== undefined && !canReadMonitoring(ctx.principal, municipalityId)) {
    throw forbidden('You keep the gazetteer of other municipalities');
  }
  let q = mdb(db).selectFrom('monitoring_gazetteer_entry').select(['id', 'municipality_id', 'kind', 'name', 'aliases', 'strict']);
  if (municipalityId !== undefined) q = q.where('municipality_id', '=', municipalityId);
  else if (scope !== 'all') q = q.where('municipality_id', 'in', scope);
  return q.orderBy('municipality_id').orderBy('kind').orderBy('name').execute();
}

/**
 * Imports places from the CSV format of gazetteer/csv.ts, all lines or none: a line of a municipality the caller
 * does not work for is an error of that line («муниципалитет … не найден»). A place already there (same
 * municipality, kind and name) gets the file's aliases and strictness.
 */
export async function importGazetteer(db: Db, ctx: CommandContext, csv: string) {
  const scope = requireStaff(ctx);
  let q = db.selectFrom('municipality').select(['id', 'slug']);
  if (scope !== 'all') q = q.where('id', 'in', scope);
  const slugs = new Map((await q.execute()).map((m) => [m.slug, m.id]));
  const { entries, errors } = parseGazetteerCsv(csv, slugs);
  if (errors.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `csv: ${errors.length === 1 ? errors[0]!.message : `${errors.length} строк с ошибками; ничего не загружено`}`,
      errors.slice(0, 100).map((e) => ({ field: 'csv', reason: e.message })),
    );
  }
  if (entries.length === 0)
    throw new AppError('VALIDATION_FAILED', 'csv: в файле нет ни одного места', [{ field: 'csv', reason: 'пусто' }]);
  return db.transaction().execute(async (trx) => {
    const rows = await mdb(trx)
      .insertInto('monitoring_gazetteer_entry')
      .values(
        entries.map((e) => ({
          municipality_id: e.municipalityId as number,
          kind: e.kind,
          name: e.name,
          aliases: e.aliases ?? [],
          strict: e.strict ?? false,
          created_at: ctx.now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['municipality_id', 'kind', 'name']).doUpdateSet({
          aliases: (eb) => eb.ref('excluded.aliases'),
          strict: (eb) => eb.ref('excluded.strict'),
        }),
      )
      // xmax = 0 for a row inserted by this statement, not for one updated.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const added = rows.filter((r) => r.inserted).length;
    const municipalities = [...new Set(entries.map((e) => e.municipalityId as number))];
    await writeAudit(trx, ctx, {
      action: 'monitoring_gazetteer.import',
      entityType: 'monitoring_gazetteer',
      municipalityId: municipalities.length === 1 ? municipalities[0] : null,
      after: { entries: entries.length, added, updated: rows.length - added, municipalities },
    });
    return { entries: entries.length, added, updated: rows.length - added };
  });
}
