import { type Kysely, sql } from 'kysely';

// Issue 8 (contest): an attachment's owner may be a contest application instead of a case (the brochure-presentation
// of the application form). An upload is pending while it has neither owner; only pending uploads are purged after a
// day. A file belongs to at most one owner. Files listed on an application before this migration (attachment_ids,
// never linked, so due for the purge) are linked to it now. Deleting a contest deletes its applications and their
// files (cascade).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table attachment
      add column contest_application_id integer references contest_application(id) on delete cascade;
    alter table attachment drop constraint attachment_check;
    alter table attachment add constraint attachment_owner_check check (
      num_nonnulls(case_id, contest_application_id) <= 1
      and ((case_id is null and contest_application_id is null) = (linked_at is null))
    );
    create index attachment_contest_application_idx on attachment (contest_application_id)
      where contest_application_id is not null;
    drop index attachment_pending_idx;
    create index attachment_pending_idx on attachment (uploaded_by, created_at)
      where case_id is null and contest_application_id is null;
    update attachment set contest_application_id = a.id, linked_at = a.updated_at
      from contest_application a
      where attachment.id = any(a.attachment_ids) and attachment.case_id is null
        and attachment.contest_application_id is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index attachment_pending_idx;
    alter table attachment drop constraint attachment_owner_check;
    update attachment set linked_at = null where contest_application_id is not null;
    drop index attachment_contest_application_idx;
    alter table attachment drop column contest_application_id;
    alter table attachment add constraint attachment_check check ((case_id is null) = (linked_at is null));
    create index attachment_pending_idx on attachment (uploaded_by, created_at) where case_id is null;
  `.execute(db);
}
