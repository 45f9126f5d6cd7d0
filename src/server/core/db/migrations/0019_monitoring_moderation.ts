import { type Kysely, sql } from 'kysely';

// Issue 6, items 2–7: what the pipeline and moderation add to 0016's tables.
//
// monitoring_post:
//  - `place` (jsonb): the gazetteer's mention the post was placed by — {kind, name, text, from, to, municipalityId,
//    placeId, ambiguous}; `place_id` keeps pointing at the places module's row when the mention is one of its
//    districts. Streets and settlements have no row there, hence the name and kind here.
//  - `match_hits` (jsonb): per matched query, the character ranges of its terms in the text, for highlighting:
//    [{queryId, hits: [{from, to, term}]}] (kept as matched: editing a query later does not move them).
//  - `reply_status` gains 'sending': a reply being published right now (claimed in one transaction before the call
//    to the platform, so two clicks cannot publish twice), with `reply_started_at` for taking over a stale claim.
//  - a partial index for the moderation stream: group heads only (duplicates are hidden), newest fetched first.
//
// monitoring_gazetteer_entry: streets, settlements and other names a municipality adds to the gazetteer (the import
// format of modules/monitoring/gazetteer/csv.ts); municipalities and districts come from their own tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table monitoring_post add column place jsonb;
    alter table monitoring_post add column match_hits jsonb;
    alter table monitoring_post add column reply_started_at timestamptz;
    alter table monitoring_post drop constraint monitoring_post_reply_status_check;
    alter table monitoring_post add constraint monitoring_post_reply_status_check
      check (reply_status in ('sending', 'published', 'manual', 'failed'));
    create index monitoring_post_heads_idx on monitoring_post (municipality_id, status, fetched_at desc, id desc)
      where duplicate_of is null;
    create index monitoring_post_heads_status_idx on monitoring_post (status, fetched_at desc, id desc)
      where duplicate_of is null;

    create table monitoring_gazetteer_entry (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      kind text not null check (kind in ('municipality', 'settlement', 'district', 'street')),
      name text not null check (length(name) between 1 and 200),
      aliases text[] not null default '{}',
      strict boolean not null default false,
      created_at timestamptz not null,
      unique (municipality_id, kind, name)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table monitoring_gazetteer_entry;
    drop index monitoring_post_heads_status_idx;
    drop index monitoring_post_heads_idx;
    alter table monitoring_post drop constraint monitoring_post_reply_status_check;
    update monitoring_post set reply_status = 'failed', reply_error = 'interrupted' where reply_status = 'sending';
    alter table monitoring_post add constraint monitoring_post_reply_status_check
      check (reply_status in ('published', 'manual', 'failed'));
    alter table monitoring_post drop column reply_started_at;
    alter table monitoring_post drop column match_hits;
    alter table monitoring_post drop column place;
  `.execute(db);
}
