import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { findMunicipalityForCases } from '../cases.repository.ts';
import { canEditRouting, canReadCasesOf } from '../permissions.ts';
import { categoriesOf, departmentsOf, listRouting } from '../templates.repository.ts';

/**
 * Routing rules: where the intake sends a new case. Today a rule is "category → department" and lives on the
 * category (`category.department_id`, read by submit-case). Extension point: location rules (a district or a
 * polygon → department, from the map issue) get their own table and a `locationRules` list beside `rules` here and
 * in the PUT body; submit-case would then ask one `routeCase(category, point)` function instead of reading the
 * category's department directly.
 */
export interface RoutingRuleInput {
  categoryId: number;
  departmentId: number | null;
}

/** Staff of the municipality see every active category with its department (403 for other municipalities). */
export async function readRouting(db: Db, ctx: CommandContext, municipalityId: number) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see the routing rules');
  const m = await findMunicipalityForCases(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canReadCasesOf(ctx.principal, municipalityId)) throw forbidden('Routing rules are for the staff of this municipality');
  return listRouting(db, municipalityId);
}

/**
 * A municipal administrator sets the department of some categories (the others keep theirs); every category and
 * department must belong to the municipality, and a department must be active. One transaction, one audit row with
 * the changed rules before and after. Cases already registered keep their department; new ones follow the rules.
 */
export async function saveRouting(db: Db, ctx: CommandContext, municipalityId: number, rules: RoutingRuleInput[]) {
  const m = await findMunicipalityForCases(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canEditRouting(ctx.principal, municipalityId))
    throw forbidden('Only an administrator of this municipality edits the routing rules');
  const seen = new Set<number>();
  rules.forEach((r, i) => {
    if (seen.has(r.categoryId)) throw invalid(`rules.${i}.categoryId`, 'the category appears twice');
    seen.add(r.categoryId);
  });
  return db.transaction().execute(async (trx) => {
    const categories = new Map(
      (
        await categoriesOf(
          trx,
          municipalityId,
          rules.map((r) => r.categoryId),
        )
      ).map((c) => [c.id, c]),
    );
    const departmentIds = rules.flatMap((r) => (r.departmentId === null ? [] : [r.departmentId]));
    const departments = new Map((await departmentsOf(trx, municipalityId, departmentIds)).map((d) => [d.id, d]));
    rules.forEach((r, i) => {
      if (!categories.has(r.categoryId)) throw invalid(`rules.${i}.categoryId`, 'no such category in this municipality');
      if (r.departmentId === null) return;
      const d = departments.get(r.departmentId);
      if (!d) throw invalid(`rules.${i}.departmentId`, 'no such department in this municipality');
      if (!d.is_active) throw invalid(`rules.${i}.departmentId`, 'the department is inactive');
    });
    const changed = rules.filter((r) => categories.get(r.categoryId)?.department_id !== r.departmentId);
    for (const r of changed) {
      await trx
        .updateTable('category')
        .set({ department_id: r.departmentId, updated_at: ctx.now })
        .where('id', '=', r.categoryId)
        .execute();
    }
    if (changed.length) {
      await writeAudit(trx, ctx, {
        action: 'routing.update',
        entityType: 'municipality',
        entityId: municipalityId,
        municipalityId,
        before: changed.map((r) => ({ categoryId: r.categoryId, departmentId: categories.get(r.categoryId)?.department_id })),
        after: changed.map((r) => ({ categoryId: r.categoryId, departmentId: r.departmentId })),
      });
    }
    return listRouting(trx, municipalityId);
  });
}
