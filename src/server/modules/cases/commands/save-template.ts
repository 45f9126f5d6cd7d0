import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import type { AnswerResult } from '../../../core/db/schema.ts';
import { forbidden, invalid, notFound } from '../../../core/http/errors.ts';
import { findCategory, findMunicipalityForCases } from '../cases.repository.ts';
import { canEditTemplates, canReadCasesOf } from '../permissions.ts';
import { findTemplate } from '../templates.repository.ts';
import { TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './render-template.ts';

export interface TemplateInput {
  categoryId?: number | null;
  title?: string;
  text?: string;
  result?: AnswerResult | null;
  isActive?: boolean;
}

async function check(db: Db, municipalityId: number, input: TemplateInput) {
  if (input.title !== undefined && !input.title.trim()) throw invalid('title', 'must not be blank');
  if (input.text !== undefined) {
    if (!input.text.trim()) throw invalid('text', 'must not be blank');
    const bad = unknownPlaceholders(input.text);
    if (bad.length)
      throw invalid(
        'text',
        `unknown placeholder ${bad.join(', ')}; known: ${Object.keys(TEMPLATE_PLACEHOLDERS)
          .map((k) => `{{${k}}}`)
          .join(', ')}`,
      );
  }
  if (input.categoryId !== undefined && input.categoryId !== null) {
    const category = await findCategory(db, input.categoryId);
    if (!category || category.municipality_id !== municipalityId)
      throw invalid('categoryId', 'no such category in this municipality');
  }
}

/** A head or administrator of the municipality adds an answer template (for a category, or for any). */
export async function createTemplate(
  db: Db,
  ctx: CommandContext,
  municipalityId: number,
  input: TemplateInput & { title: string; text: string },
) {
  const m = await findMunicipalityForCases(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canEditTemplates(ctx.principal, municipalityId))
    throw forbidden('Only a head or an administrator of this municipality edits answer templates');
  await check(db, municipalityId, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('answer_template')
      .values({
        municipality_id: municipalityId,
        category_id: input.categoryId ?? null,
        title: input.title.trim(),
        text: input.text,
        result: input.result ?? null,
        is_active: input.isActive ?? true,
        created_by: ctx.principal?.userId ?? null,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'answer_template.create',
      entityType: 'answer_template',
      entityId: row.id,
      municipalityId,
      after: row,
    });
    return row;
  });
}

/** Staff of the template's municipality may see it (403 for the wrong role); anyone else gets 404. */
async function editable(db: Db, ctx: CommandContext, id: number) {
  const before = await findTemplate(db, id);
  if (!before || !canReadCasesOf(ctx.principal, before.municipality_id)) throw notFound('Answer template');
  if (!canEditTemplates(ctx.principal, before.municipality_id))
    throw forbidden('Only a head or an administrator of this municipality edits answer templates');
  return before;
}

export async function updateTemplate(db: Db, ctx: CommandContext, id: number, input: TemplateInput) {
  const before = await editable(db, ctx, id);
  await check(db, before.municipality_id, input);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('answer_template')
      .set({
        ...(input.categoryId !== undefined && { category_id: input.categoryId }),
        ...(input.title !== undefined && { title: input.title.trim() }),
        ...(input.text !== undefined && { text: input.text }),
        ...(input.result !== undefined && { result: input.result }),
        ...(input.isActive !== undefined && { is_active: input.isActive }),
        updated_at: ctx.now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'answer_template.update',
      entityType: 'answer_template',
      entityId: id,
      municipalityId: before.municipality_id,
      before,
      after: row,
    });
    return row;
  });
}

/** Deleting removes the row (nothing refers to a template: an answer keeps its own text); the audit keeps it. */
export async function deleteTemplate(db: Db, ctx: CommandContext, id: number): Promise<void> {
  const before = await editable(db, ctx, id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('answer_template').where('id', '=', id).execute();
    await writeAudit(trx, ctx, {
      action: 'answer_template.delete',
      entityType: 'answer_template',
      entityId: id,
      municipalityId: before.municipality_id,
      before,
    });
  });
}
