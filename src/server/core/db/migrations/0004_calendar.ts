import { type Kysely, sql } from 'kysely';

// Issue 3: production-calendar corrections published by an administrator over the shipped data (append-only: the
// latest publication of a year wins, earlier ones stay as history), the region's ISO 3166-2 code (for regional
// holiday overlays), and each municipality's deadline settings (last-day policy, stricter internal control periods,
// per-category periods).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table region add column iso_code text check (iso_code ~ '^RU-[A-Z]{2,3}$');

    create table calendar_publication (
      id integer generated always as identity primary key,
      year integer not null check (year between 2000 and 2100),
      region_code text,
      data jsonb not null,
      note text not null,
      published_by integer references app_user(id),
      published_at timestamptz not null
    );
    create index calendar_publication_year_idx on calendar_publication (year, region_code, id desc);

    alter table municipality add column deadline_settings jsonb not null default '{}'::jsonb;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table municipality drop column deadline_settings;
    drop table calendar_publication;
    alter table region drop column iso_code;
  `.execute(db);
}
