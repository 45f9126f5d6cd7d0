import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, invalid, notFound } from '../../../core/http/errors.ts';
import { listAttributes, replaceAttributes, type ServiceFields, updateServiceFields } from '../attributes.repository.ts';
import { type AttributeDef, checkAttributeDefs } from '../attributes.ts';
import { findCategory } from '../cases.repository.ts';
import { canAdminCategories } from '../permissions.ts';

/**
 * A municipal administrator sets a category's questions (Open311 service attributes) as a whole list: codes and
 * orders unique, list datatypes with values. One transaction with the audit row (before/after). Answers already
 * stored on cases stay as they were given.
 */
export async function saveAttributes(
  db: Db,
  ctx: CommandContext,
  categoryId: number,
  input: ReadonlyArray<Omit<AttributeDef, 'order'> & { order?: number }>,
) {
  const category = await findCategory(db, categoryId);
  if (!category || !canAdminCategories(ctx.principal, category.municipality_id)) throw notFound('Category');
  const defs = checkAttributeDefs(input);
  return db.transaction().execute(async (trx) => {
    const before = await listAttributes(trx, categoryId);
    await replaceAttributes(trx, categoryId, defs);
    await trx.updateTable('category').set({ updated_at: ctx.now }).where('id', '=', categoryId).execute();
    await writeAudit(trx, ctx, {
      action: 'category.attributes',
      entityType: 'category',
      entityId: categoryId,
      municipalityId: category.municipality_id,
      before,
      after: defs,
    });
    return listAttributes(trx, categoryId);
  });
}

/**
 * A municipal administrator describes a category as an Open311 service: its code (letters, digits, `_`, `-`; a code
 * of digits only is a category's id, so only the category's own id is allowed as one), description, keywords, group.
 */
export async function saveServiceFields(db: Db, ctx: CommandContext, categoryId: number, input: ServiceFields) {
  const before = await findCategory(db, categoryId);
  if (!before || !canAdminCategories(ctx.principal, before.municipality_id)) throw notFound('Category');
  const code = input.serviceCode;
  if (code && /^\d+$/.test(code) && code !== String(categoryId))
    throw invalid('serviceCode', 'a code of digits only is taken by the category with that id: add a letter');
  const clean = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : s.trim() || null);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await updateServiceFields(
        trx,
        categoryId,
        {
          serviceCode: code === String(categoryId) ? null : clean(code),
          description: clean(input.description),
          keywords: clean(input.keywords),
          group: clean(input.group),
        },
        ctx.now,
      );
      await writeAudit(trx, ctx, {
        action: 'category.service',
        entityType: 'category',
        entityId: categoryId,
        municipalityId: before.municipality_id,
        before,
        after: row,
      });
      return row;
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505')
      throw new AppError('CONFLICT', 'Another category of this municipality has this service code', [
        { field: 'serviceCode', reason: 'taken' },
      ]);
    throw e;
  }
}
