import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, notFound } from '../../../core/http/errors.ts';
import { deletePending, lockAttachments } from '../attachments.repository.ts';

/**
 * The uploader removes a pending upload (a file chosen by mistake before submitting). A file on a case stays:
 * it is part of the appeal (409); anyone else's upload is 404.
 */
export async function deleteAttachment(db: Db, ctx: CommandContext, id: number): Promise<void> {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to remove an upload');
  await db.transaction().execute(async (trx) => {
    const [row] = await lockAttachments(trx, [id]);
    if (!row || row.uploaded_by !== p.userId) throw notFound('Attachment');
    if (row.case_id !== null) {
      throw new AppError('CONFLICT', 'This file is attached to a case and stays with it; it cannot be removed');
    }
    if (row.contest_application_id !== null) {
      throw new AppError(
        'CONFLICT',
        'This file is attached to a contest application; remove it from the application’s attachmentIds instead',
      );
    }
    await deletePending(trx, id);
    await writeAudit(trx, ctx, {
      action: 'attachment.delete',
      entityType: 'attachment',
      entityId: id,
      before: { fileName: row.file_name, contentType: row.content_type, size: row.size, sha256: row.sha256 },
    });
  });
}
