import { type Kysely, sql } from 'kysely';

// Issue 4 (workflow): the draft answer (kept off the timeline, which the applicant sees) and the approved answer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "case"
      add column draft_text text,
      add column draft_result text check (draft_result in ('supported', 'not_supported', 'explained')),
      add column answer_text text,
      add column answer_result text check (answer_result in ('supported', 'not_supported', 'explained')),
      add column answered_at timestamptz,
      add column extension_count integer not null default 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "case" drop column draft_text, drop column draft_result, drop column answer_text,
      drop column answer_result, drop column answered_at, drop column extension_count;
  `.execute(db);
}
