import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { notFound } from '../../../core/http/errors.ts';
import { listAttributes } from '../attributes.repository.ts';
import { findCategory } from '../cases.repository.ts';
import { canAdminCategories } from '../permissions.ts';

/** A category's questions: public for an active category (the report form asks them); its administrators see any. */
export async function readAttributes(db: Db, ctx: CommandContext, categoryId: number) {
  const category = await findCategory(db, categoryId);
  if (!category || (!category.is_active && !canAdminCategories(ctx.principal, category.municipality_id)))
    throw notFound('Category');
  return listAttributes(db, categoryId);
}
