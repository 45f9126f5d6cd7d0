import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { CaseRegime } from '../../../core/db/schema.ts';
import { AppError, forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { findCategory, findDepartmentOf, findTotko } from '../cases.repository.ts';
import { canAdminCategories } from '../permissions.ts';

export interface CategoryInput {
  name?: string;
  totkoCode?: string | null;
  regime?: CaseRegime;
  departmentId?: number | null;
  isActive?: boolean;
}

async function check(db: Db, municipalityId: number, input: CategoryInput) {
  if (input.totkoCode && !(await findTotko(db, input.totkoCode))) throw invalid('totkoCode', 'no such ТОТКО code');
  if (input.departmentId && !(await findDepartmentOf(db, municipalityId, input.departmentId)))
    throw invalid('departmentId', 'no such department in this municipality');
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** A municipal administrator adds a category (routing to a department, ТОТКО code, default regime). */
export async function createCategory(
  db: Db,
  ctx: CommandContext,
  municipalityId: number,
  input: CategoryInput & { name: string },
) {
  if (!canAdminCategories(ctx.principal, municipalityId))
    throw forbidden('Only an administrator of this municipality edits categories');
  const exists = await db.selectFrom('municipality').select('id').where('id', '=', municipalityId).executeTakeFirst();
  if (!exists) throw notFound('Municipality');
  await check(db, municipalityId, input);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('category')
        .values({
          municipality_id: municipalityId,
          name: input.name.trim(),
          totko_code: input.totkoCode ?? null,
          regime: input.regime ?? 'appeal',
          department_id: input.departmentId ?? null,
          is_active: input.isActive ?? true,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, {
        action: 'category.create',
        entityType: 'category',
        entityId: row.id,
        municipalityId,
        after: row,
      });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError('CONFLICT', 'A category with this name exists', [{ field: 'name', reason: 'taken' }]);
    throw e;
  }
}

export async function updateCategory(db: Db, ctx: CommandContext, id: number, input: CategoryInput) {
  const before = await findCategory(db, id);
  if (!before || !canAdminCategories(ctx.principal, before.municipality_id)) throw notFound('Category');
  await check(db, before.municipality_id, input);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('category')
        .set({
          ...(input.name !== undefined && { name: input.name.trim() }),
          ...(input.totkoCode !== undefined && { totko_code: input.totkoCode }),
          ...(input.regime !== undefined && { regime: input.regime }),
          ...(input.departmentId !== undefined && { department_id: input.departmentId }),
          ...(input.isActive !== undefined && { is_active: input.isActive }),
          updated_at: ctx.now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, {
        action: 'category.update',
        entityType: 'category',
        entityId: id,
        municipalityId: before.municipality_id,
        before,
        after: row,
      });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError('CONFLICT', 'A category with this name exists', [{ field: 'name', reason: 'taken' }]);
    throw e;
  }
}
