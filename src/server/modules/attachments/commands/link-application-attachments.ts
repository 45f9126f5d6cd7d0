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
import { deleteFromApplication, linkToApplication, listForApplication, lockAttachments } from '../attachments.repository.ts';

const FIELD = 'attachmentIds';

/**
 * Makes `ids` the files of a contest application (issue 8: the brochure-presentation of the form), inside the
 * caller's transaction (the application's save). A file already on this application stays whoever uploaded it (the
 * municipality's administrators share the application); a new one must be the caller's own pending upload, not
 * expired. A file on a case or on another application, someone else's upload or an unknown id is 400 on
 * `attachmentIds` and, the transaction being rolled back, nothing changes. Files of the application that the list no
 * longer names are deleted. Limits as for a case: ATTACHMENTS_PER_CASE_MAX files, ATTACHMENTS_PER_CASE_MAX_BYTES in
 * all. Returns the ids linked now and the ids removed (both empty when nothing changed).
 */
export async function setApplicationAttachments(
  trx: Transaction<Database>,
  ctx: CommandContext,
  target: { applicationId: number; municipalityId: number },
  ids: readonly number[],
): Promise<{ linked: number[]; removed: number[] }> {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to attach files');
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) throw invalid(FIELD, `attachment ${id} is listed twice`);
    seen.add(id);
  }
  if (ids.length > ATTACHMENTS_PER_CASE_MAX) {
    throw invalid(FIELD, `an application holds at most ${ATTACHMENTS_PER_CASE_MAX} files`);
  }
  const current = await listForApplication(trx, target.applicationId);
  const rows = new Map((await lockAttachments(trx, [...new Set([...ids, ...current.map((c) => c.id)])])).map((r) => [r.id, r]));
  const oldest = ctx.now.getTime() - ATTACHMENT_PENDING_TTL_MS;
  const linked: number[] = [];
  let bytes = 0;
  for (const id of ids) {
    const r = rows.get(id);
    if (r && r.contest_application_id === target.applicationId) {
      bytes += r.size;
      continue;
    }
    if (!r || r.uploaded_by !== p.userId) throw invalid(FIELD, `attachment ${id} is not one of your uploads`);
    if (r.case_id !== null) throw invalid(FIELD, `attachment ${id} is already attached to a case`);
    if (r.contest_application_id !== null) {
      throw invalid(FIELD, `attachment ${id} is already attached to another contest application`);
    }
    if (r.created_at.getTime() <= oldest) {
      throw invalid(FIELD, `attachment ${id} was uploaded more than 24 hours ago and has expired; upload it again`);
    }
    bytes += r.size;
    linked.push(id);
  }
  if (bytes > ATTACHMENTS_PER_CASE_MAX_BYTES) {
    throw invalid(
      FIELD,
      `the files of an application may take at most ${ATTACHMENTS_PER_CASE_MAX_BYTES / (1024 * 1024)} MB in all`,
    );
  }
  const removed = current.map((c) => c.id).filter((id) => !seen.has(id));
  if (linked.length === 0 && removed.length === 0) return { linked, removed };
  await deleteFromApplication(trx, target.applicationId, removed);
  await linkToApplication(trx, linked, target.applicationId, ctx.now);
  await writeAudit(trx, ctx, {
    action: 'attachment.link',
    entityType: 'contest_application',
    entityId: target.applicationId,
    municipalityId: target.municipalityId,
    after: { attachmentIds: ids, linked, removed },
  });
  return { linked, removed };
}
