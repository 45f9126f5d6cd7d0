import { ATTACHMENT_PENDING_TTL_MS } from '../../../../shared/limits.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import { systemContext } from '../../../core/context.ts';
import type { JobDb } from '../../../core/jobs/index.ts';
import { deletePendingBefore } from '../attachments.repository.ts';

/** The daily job: uploads never attached to a case within ATTACHMENT_PENDING_TTL_MS are deleted. */
export async function purgePendingAttachments(db: JobDb, now: Date): Promise<number> {
  const removed = await deletePendingBefore(db, new Date(now.getTime() - ATTACHMENT_PENDING_TTL_MS));
  if (removed > 0) {
    await writeAudit(db, systemContext(now), {
      action: 'attachment.purge',
      entityType: 'attachment',
      after: { removed, olderThanHours: ATTACHMENT_PENDING_TTL_MS / 3_600_000 },
    });
  }
  return removed;
}
