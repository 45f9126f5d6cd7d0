import { type Kysely, sql } from 'kysely';

// Issue 4 (duplicates and clusters): a case may join the cluster of another (its primary), which is answered once
// for all; similar open cases are found with pg_trgm (word similarity of the texts) within a category.
// pg_trgm ships with PostgreSQL (a trusted extension since 13: the database owner may create it) and with PGlite
// (loaded by openDatabase, see core/db/index.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;

    alter table "case" add column cluster_primary_id integer references "case"(id);
    alter table "case" add constraint case_cluster_not_self check (cluster_primary_id <> id);
    create index case_cluster_idx on "case" (cluster_primary_id) where cluster_primary_id is not null;

    -- Candidates for "similar text": the newest open cases of one category of a municipality (then scored).
    create index case_open_category_idx on "case" (municipality_id, category_id, received_at desc)
      where status in ('registered', 'assigned', 'in_work', 'answer_drafted');
    -- Candidates for "same applicant" by e-mail (by account: case_applicant_idx).
    create index case_open_email_idx on "case" (municipality_id, lower(email))
      where email is not null and status in ('registered', 'assigned', 'in_work', 'answer_drafted');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index case_open_email_idx; drop index case_open_category_idx; drop index case_cluster_idx;
    alter table "case" drop constraint case_cluster_not_self, drop column cluster_primary_id;
    drop extension if exists pg_trgm;
  `.execute(db);
}
