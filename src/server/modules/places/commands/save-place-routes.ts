import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { canAdminPlaces, canReadPlaceRoutes } from '../permissions.ts';
import {
  categoriesIn,
  departmentsIn,
  districtsIn,
  findMunicipality,
  listPlaceRoutes,
  lockMunicipalityPlaces,
  replacePlaceRoutes,
} from '../places.repository.ts';

export interface PlaceRouteInput {
  categoryId: number;
  placeId: number;
  departmentId: number;
}

/** The municipality's staff read its district routes (403 for another municipality's, which is public). */
export async function readPlaceRoutes(db: Db, ctx: CommandContext, municipalityId: number) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see the district routes');
  const m = await findMunicipality(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canReadPlaceRoutes(ctx.principal, municipalityId))
    throw forbidden('District routes are for the staff of this municipality');
  return listPlaceRoutes(db, municipalityId);
}

/**
 * A municipal administrator replaces the district routes (category × district → department): a new case of that
 * category whose point lies in that district goes to that department instead of the category's own. Category,
 * district and department must be the municipality's, the department active, each pair given once. One
 * transaction with the audit row (before and after). Cases already registered keep their department.
 */
export async function savePlaceRoutes(db: Db, ctx: CommandContext, municipalityId: number, routes: PlaceRouteInput[]) {
  const m = await findMunicipality(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canAdminPlaces(ctx.principal, municipalityId)) {
    throw forbidden('Only an administrator of this municipality edits the district routes');
  }
  const seen = new Set<string>();
  routes.forEach((r, i) => {
    const key = `${r.categoryId}:${r.placeId}`;
    if (seen.has(key)) throw invalid(`routes.${i}`, 'this category and district appear twice');
    seen.add(key);
  });
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  return db.transaction().execute(async (trx) => {
    await lockMunicipalityPlaces(trx, municipalityId);
    const categories = new Set(
      (await categoriesIn(trx, municipalityId, unique(routes.map((r) => r.categoryId)))).map((c) => c.id),
    );
    const districts = new Set((await districtsIn(trx, municipalityId, unique(routes.map((r) => r.placeId)))).map((p) => p.id));
    const departments = new Map(
      (await departmentsIn(trx, municipalityId, unique(routes.map((r) => r.departmentId)))).map((d) => [d.id, d]),
    );
    routes.forEach((r, i) => {
      if (!categories.has(r.categoryId)) throw invalid(`routes.${i}.categoryId`, 'no such category in this municipality');
      if (!districts.has(r.placeId)) throw invalid(`routes.${i}.placeId`, 'no such district in this municipality');
      const d = departments.get(r.departmentId);
      if (!d) throw invalid(`routes.${i}.departmentId`, 'no such department in this municipality');
      if (!d.is_active) throw invalid(`routes.${i}.departmentId`, 'the department is inactive');
    });
    const before = await replacePlaceRoutes(trx, municipalityId, routes);
    await writeAudit(trx, ctx, {
      action: 'place_routes.update',
      entityType: 'municipality',
      entityId: municipalityId,
      municipalityId,
      before: before.map((r) => ({ categoryId: r.category_id, placeId: r.place_id, departmentId: r.department_id })),
      after: routes,
    });
    return listPlaceRoutes(trx, municipalityId);
  });
}
