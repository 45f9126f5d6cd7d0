import type { Transaction } from 'kysely';
import {
  ATTACHMENT_PENDING_TTL_MS,
  ATTACHMENTS_PER_CASE_MAX,
  ATTACHMENTS_PER_CASE_MAX_BYTES,
} from '../../../../shared/limits.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Database } from '../../../core/db/schema.ts';
import { AppError, invalid } from '../../../core/http/errors.ts';
import { caseAttachmentTotals, linkToCase, lockAttachments } from '../attachments.repository.ts';

const FIELD = 'attachmentIds';

/**
 * Attaches the caller's pending uploads to a case, inside the caller's transaction (the intake's): each must be
 * the caller's own upload (a resident's, or the registering operator's), not on a case yet and not expired; the
 * case holds at most ATTACHMENTS_PER_CASE_MAX files and ATTACHMENTS_PER_CASE_MAX_BYTES in all. Anything else is
 * 400 on `attachmentIds`; someone else's id is reported like a missing one.
 */
export async function linkAttachments(
  trx: Transaction<Database>,
  ctx: CommandContext,
  target: { caseId: number; municipalityId: number },
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to attach files');
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) throw invalid(FIELD, `attachment ${id} is listed twice`);
    seen.add(id);
  }
  const rows = new Map((await lockAttachments(trx, ids)).map((r) => [r.id, r]));
  const oldest = ctx.now.getTime() - ATTACHMENT_PENDING_TTL_MS;
  let bytes = 0;
  for (const id of ids) {
    const r = rows.get(id);
    if (!r || r.uploaded_by !== p.userId) throw invalid(FIELD, `attachment ${id} is not one of your uploads`);
    if (r.case_id !== null) throw invalid(FIELD, `attachment ${id} is already attached to a case`);
    if (r.contest_application_id !== null) {
      throw invalid(FIELD, `attachment ${id} is already attached to a contest application`);
    }
    if (r.created_at.getTime() <= oldest) {
      throw invalid(FIELD, `attachment ${id} was uploaded more than 24 hours ago and has expired; upload it again`);
    }
    bytes += r.size;
  }
  const on = await caseAttachmentTotals(trx, target.caseId);
  if (on.count + ids.length > ATTACHMENTS_PER_CASE_MAX) {
    throw invalid(FIELD, `a case holds at most ${ATTACHMENTS_PER_CASE_MAX} files`);
  }
  if (on.bytes + bytes > ATTACHMENTS_PER_CASE_MAX_BYTES) {
    throw invalid(FIELD, `the files of a case may take at most ${ATTACHMENTS_PER_CASE_MAX_BYTES / (1024 * 1024)} MB in all`);
  }
  await linkToCase(trx, ids, target.caseId, ctx.now);
  await writeAudit(trx, ctx, {
    action: 'attachment.link',
    entityType: 'case',
    entityId: target.caseId,
    municipalityId: target.municipalityId,
    after: { attachmentIds: ids },
  });
}
