import type { Db } from '../../core/db/index.ts';
import { presentCaseAttachment } from './attachments.presenters.ts';
import { findForDownload, findMeta, listForApplication, listForCase } from './attachments.repository.ts';

/** Attachments (issue 4): upload checked by content, download with the case's permissions, linking at intake. */
export { attachmentsRoutes } from './attachments.routes.ts';
export { CaseAttachmentOut } from './attachments.schemas.ts';
export { setApplicationAttachments } from './commands/link-application-attachments.ts';
export { linkAttachments } from './commands/link-attachments.ts';

/** The files on a case, as the card lists them (no bytes). */
export async function caseAttachments(db: Db, caseId: number) {
  return (await listForCase(db, caseId)).map(presentCaseAttachment);
}
export type CaseAttachment = Awaited<ReturnType<typeof caseAttachments>>[number];

/** Issue 5 (map): a file's metadata (no bytes), the files of a case with their uploaders, one file with its bytes. */
export const attachmentMeta = (db: Db, id: number) => findMeta(db, id);
export const caseFiles = (db: Db, caseId: number) => listForCase(db, caseId);
export const attachmentWithData = (db: Db, id: number) => findForDownload(db, id);

/** Issue 8: the files of a contest application, listed like a case's (no bytes). */
export async function applicationAttachments(db: Db, applicationId: number) {
  return (await listForApplication(db, applicationId)).map(presentCaseAttachment);
}
