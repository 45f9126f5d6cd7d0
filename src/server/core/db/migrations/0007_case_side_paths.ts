import { type Kysely, sql } from 'kysely';

// Issue 4 (side paths): a case closed without an answer on the merits (59-ФЗ ст. 11, or withdrawn) and the
// co-signers of a collective appeal.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "case"
      add column closure_reason text check (closure_reason in
        ('anonymous', 'abusive', 'unreadable', 'court_decision', 'correspondence_terminated', 'withdrawn')),
      add column closure_comment text,
      add column forwarded_to text,
      add column closed_at timestamptz;

    create table case_cosigner (
      id integer generated always as identity primary key,
      case_id integer not null references "case"(id),
      position integer not null check (position between 1 and 500),
      last_name text not null check (length(last_name) between 1 and 100),
      first_name text not null check (length(first_name) between 1 and 100),
      middle_name text,
      email text,
      postal_address text,
      unique (case_id, position)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_cosigner;
    alter table "case" drop column closure_reason, drop column closure_comment, drop column forwarded_to,
      drop column closed_at;
  `.execute(db);
}
