import { type Kysely, sql } from 'kysely';

// Issue 4 (notices): what a user sees in the cabinet — every letter to an applicant about a case, and the staff's
// deadline reminders — and the record that makes each reminder go out exactly once, whatever the number of nodes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notice (
      id integer generated always as identity primary key,
      user_id integer not null references app_user(id),
      case_id integer references "case"(id),
      kind text not null check (length(kind) between 1 and 100),
      title text not null,
      text text not null,
      created_at timestamptz not null,
      read_at timestamptz
    );
    create index notice_user_idx on notice (user_id, id desc);
    create index notice_unread_idx on notice (user_id) where read_at is null;

    -- One row per reminder sent: the primary key is what makes it exactly once. A moved deadline (an extension,
    -- a recomputed calendar) has another due_at, so its reminders are due again.
    create table deadline_reminder (
      case_id integer not null references "case"(id),
      deadline_kind text not null,
      due_at timestamptz not null,
      reminder_kind text not null check (reminder_kind in ('due_soon', 'overdue')),
      sent_at timestamptz not null,
      recipient_ids jsonb not null,
      primary key (case_id, deadline_kind, due_at, reminder_kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table deadline_reminder; drop table notice;`.execute(db);
}
