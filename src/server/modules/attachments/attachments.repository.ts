import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../../core/db/index.ts';
import type { Database } from '../../core/db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The columns a listing returns: never the bytes. */
const META = [
  'attachment.id',
  'attachment.uploaded_by',
  'attachment.case_id',
  'attachment.contest_application_id',
  'attachment.file_name',
  'attachment.content_type',
  'attachment.size',
  'attachment.sha256',
  'attachment.created_at',
  'attachment.linked_at',
] as const;

export async function insertAttachment(
  trx: Q,
  values: {
    uploadedBy: number;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    data: Uint8Array;
    createdAt: Date;
  },
) {
  return trx
    .insertInto('attachment')
    .values({
      uploaded_by: values.uploadedBy,
      file_name: values.fileName,
      content_type: values.contentType,
      size: values.size,
      sha256: values.sha256,
      data: values.data,
      created_at: values.createdAt,
    })
    .returning(META)
    .executeTakeFirstOrThrow();
}

export type AttachmentMeta = Awaited<ReturnType<typeof insertAttachment>>;

/** Uploads by `userId` not yet attached to a case or an application, made after `since`. */
export async function countPending(db: Q, userId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('attachment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('uploaded_by', '=', userId)
    .where('case_id', 'is', null)
    .where('contest_application_id', 'is', null)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One attachment with its bytes and its owner: on a case, the case's municipality and applicant; on a contest
 * application, the application's municipality and status and the contest's region.
 */
export async function findForDownload(db: Db, id: number) {
  return db
    .selectFrom('attachment')
    .leftJoin('case', 'case.id', 'attachment.case_id')
    .leftJoin('contest_application', 'contest_application.id', 'attachment.contest_application_id')
    .leftJoin('contest', 'contest.id', 'contest_application.contest_id')
    .select([
      ...META,
      'attachment.data',
      'case.municipality_id',
      'case.applicant_user_id',
      'contest_application.municipality_id as application_municipality_id',
      'contest_application.status as application_status',
      'contest.region_id as contest_region_id',
    ])
    .where('attachment.id', '=', id)
    .executeTakeFirst();
}

/** One attachment without its bytes (issue 5: the after-photo of mark-fixed is checked before linking). */
export async function findMeta(db: Q, id: number) {
  return db.selectFrom('attachment').select(META).where('id', '=', id).executeTakeFirst();
}

/** Locks the listed attachments for linking (the intake's transaction). */
export async function lockAttachments(trx: Transaction<Database>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return trx.selectFrom('attachment').select(META).where('id', 'in', ids).forUpdate().execute();
}

export async function caseAttachmentTotals(trx: Q, caseId: number) {
  const row = await trx
    .selectFrom('attachment')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes')])
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), bytes: Number(row.bytes) };
}

export async function linkToCase(trx: Transaction<Database>, ids: readonly number[], caseId: number, at: Date) {
  await trx.updateTable('attachment').set({ case_id: caseId, linked_at: at }).where('id', 'in', ids).execute();
}

export async function listForCase(db: Q, caseId: number) {
  return db.selectFrom('attachment').select(META).where('case_id', '=', caseId).orderBy('id').execute();
}

/** The files of a contest application (no bytes), in the order they were linked. */
export async function listForApplication(db: Q, applicationId: number) {
  return db
    .selectFrom('attachment')
    .select(META)
    .where('contest_application_id', '=', applicationId)
    .orderBy('linked_at')
    .orderBy('id')
    .execute();
}

export async function linkToApplication(trx: Transaction<Database>, ids: readonly number[], applicationId: number, at: Date) {
  if (ids.length === 0) return;
  await trx
    .updateTable('attachment')
    .set({ contest_application_id: applicationId, linked_at: at })
    .where('id', 'in', ids)
    .where('case_id', 'is', null)
    .where('contest_application_id', 'is', null)
    .execute();
}

/** Deletes files of an application that its new list no longer names. */
export async function deleteFromApplication(trx: Transaction<Database>, applicationId: number, ids: readonly number[]) {
  if (ids.length === 0) return;
  await trx.deleteFrom('attachment').where('contest_application_id', '=', applicationId).where('id', 'in', ids).execute();
}

/** Deletes uploads never attached to a case or an application and made before `before`; returns how many. */
export async function deletePendingBefore(trx: Q, before: Date): Promise<number> {
  const rows = await trx
    .deleteFrom('attachment')
    .where('case_id', 'is', null)
    .where('contest_application_id', 'is', null)
    .where('created_at', '<', before)
    .returning('id')
    .execute();
  return rows.length;
}

export async function deletePending(trx: Transaction<Database>, id: number): Promise<void> {
  await trx
    .deleteFrom('attachment')
    .where('id', '=', id)
    .where('case_id', 'is', null)
    .where('contest_application_id', 'is', null)
    .execute();
}
