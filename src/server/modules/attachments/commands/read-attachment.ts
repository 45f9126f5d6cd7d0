import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { findForDownload } from '../attachments.repository.ts';
import { downloadAccess } from '../permissions.ts';

/**
 * The file for a download. Anyone without access gets 404 (its existence is not disclosed). A staff member's
 * download is a read of the applicant's personal data and leaves an audit row (152-ФЗ), as reading the card does.
 */
export async function readAttachment(db: Db, ctx: CommandContext, id: number) {
  if (!ctx.principal) throw new AppError('UNAUTHENTICATED', 'Sign in to download attachments');
  const row = await findForDownload(db, id);
  const access = row ? downloadAccess(ctx.principal, row) : null;
  if (!row || !access) throw notFound('Attachment');
  if (access === 'staff') {
    await writeAudit(db, ctx, {
      action: 'personal_data.read',
      entityType: 'attachment',
      entityId: row.id,
      municipalityId: row.municipality_id,
      after: { caseId: row.case_id, applicantUserId: row.applicant_user_id, fields: ['attachment'] },
    });
  }
  return row;
}
