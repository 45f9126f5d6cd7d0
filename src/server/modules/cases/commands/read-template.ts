import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden, notFound } from '../../../core/http/errors.ts';
import { findCase, findMunicipalityForCases } from '../cases.repository.ts';
import { canEditTemplates, canReadCasesOf } from '../permissions.ts';
import { listTemplates } from '../templates.repository.ts';
import { placeholderValues, renderTemplate } from './render-template.ts';

/**
 * Staff of the municipality list its answer templates (`categoryId`: that category's and the generic ones); heads
 * and administrators also see inactive ones. Staff of another municipality: 403 (the municipality is public).
 */
export async function readTemplates(db: Db, ctx: CommandContext, municipalityId: number, categoryId?: number) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to see answer templates');
  const m = await findMunicipalityForCases(db, municipalityId);
  if (!m) throw notFound('Municipality');
  if (!canReadCasesOf(ctx.principal, municipalityId)) throw forbidden('Answer templates are for the staff of this municipality');
  return listTemplates(db, municipalityId, {
    ...(categoryId !== undefined && { categoryId }),
    activeOnly: !canEditTemplates(ctx.principal, municipalityId),
  });
}

/**
 * The active templates that fit a case (its category's, then the generic ones; none of other categories), with the
 * placeholders filled in from the case. Staff of the case's municipality only: the applicant gets 403, anyone else
 * 404. Filling in the applicant's name is a read of personal data (152-ФЗ), so it leaves an audit row.
 */
export async function templatesForCase(db: Db, ctx: CommandContext, caseId: number) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to see answer templates');
  const c = await findCase(db, caseId);
  if (!c) throw notFound('Case');
  if (!canReadCasesOf(p, c.municipality_id)) {
    if (c.applicant_user_id === p.userId) throw forbidden('Answer templates are for staff');
    throw notFound('Case');
  }
  const m = await findMunicipalityForCases(db, c.municipality_id);
  const rows = await listTemplates(db, c.municipality_id, { categoryId: c.category_id, activeOnly: true });
  const values = placeholderValues(c, m?.name ?? '', ctx.now);
  if (values.applicant && rows.some((r) => /\{\{\s*applicant\s*\}\}/.test(r.text))) {
    await writeAudit(db, ctx, {
      action: 'personal_data.read',
      entityType: 'case',
      entityId: c.id,
      municipalityId: c.municipality_id,
      after: {
        applicantUserId: c.applicant_user_id,
        fields: ['last_name', 'first_name', 'middle_name'],
        via: 'answer_templates',
      },
    });
  }
  return rows.map((r) => ({ ...r, text: renderTemplate(r.text, values) }));
}
