import { type Kysely, sql } from 'kysely';

// 152-ФЗ ст. 9 (as amended by 156-ФЗ, from 01.09.2025): consent to personal-data processing is its own
// document, kept as a versioned record (which text, when, from where) and can be withdrawn.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table consent (
      id integer generated always as identity primary key,
      user_id integer not null references app_user(id) on delete cascade,
      kind text not null check (kind in ('personal_data')),
      version text not null,
      accepted_at timestamptz not null,
      ip text,
      user_agent text,
      withdrawn_at timestamptz
    );
    create index consent_user_idx on consent (user_id, kind);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table consent`.execute(db);
}
