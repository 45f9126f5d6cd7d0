import { type Kysely, sql } from 'kysely';

// Issue 4 (attachments): the files residents and operators attach to a case. The bytes live in the database
// (bytea) so PGlite and PostgreSQL behave alike and a backup holds them. An upload is pending (case_id null)
// until an intake attaches it; pending uploads older than a day are purged by the attachments.purge job.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table attachment (
      id integer generated always as identity primary key,
      uploaded_by integer not null references app_user(id),
      case_id integer references "case"(id),
      file_name text not null check (length(file_name) between 1 and 255),
      content_type text not null,
      size integer not null check (size > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      data bytea not null,
      created_at timestamptz not null,
      linked_at timestamptz,
      check ((case_id is null) = (linked_at is null))
    );
    create index attachment_case_idx on attachment (case_id) where case_id is not null;
    create index attachment_pending_idx on attachment (uploaded_by, created_at) where case_id is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table attachment;`.execute(db);
}
