import type { Db } from '../../core/db/index.ts';
import { presentCaseAttachment } from './attachments.presenters.ts';
import { listForCase } from './attachments.repository.ts';

/** Attachments (issue 4): upload checked by content, download with the case's permissions, linking at intake. */
export { attachmentsRoutes } from './attachments.routes.ts';
export { CaseAttachmentOut } from './attachments.schemas.ts';
export { linkAttachments } from './commands/link-attachments.ts';

/** The files on a case, as the card lists them (no bytes). */
export async function caseAttachments(db: Db, caseId: number) {
  return (await listForCase(db, caseId)).map(presentCaseAttachment);
}
export type CaseAttachment = Awaited<ReturnType<typeof caseAttachments>>[number];
