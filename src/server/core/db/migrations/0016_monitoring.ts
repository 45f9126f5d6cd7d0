import { type Kysely, sql } from 'kysely';

// Issue 6: social-media monitoring.
//
// `monitoring_source` is one stream to watch (a VK source with its community walls and newsfeed.search queries, a
// Telegram bot, an RSS/Atom feed, or a webhook that others push to), owned by a municipality or, with no
// municipality, by the region. Its `cursor` (per-stream positions) advances in the same transaction that stores the
// posts it covers, so a restart loses nothing and repeats nothing. The secrets (a VK service token, a bot token, a
// webhook's HMAC key; a VK community token for publishing replies) are never returned by the API. Health columns say
// when it last worked and why it last failed; `backoff_until` holds polling back after a platform's rate limit.
// `poll_token`/`poll_until` are a lease: one poll of a source at a time across all app nodes.
//
// `monitoring_post` is one post or comment as fetched, unique per (source, external id) so a repeated insert does
// nothing; the matcher, the gazetteer, grouping and moderation fill its other columns later.
//
// `monitoring_query` is a keyword query (the query language of issue 6) with its owner municipality and default
// category.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table monitoring_source (
      id integer generated always as identity primary key,
      municipality_id integer references municipality(id),
      kind text not null check (kind in ('vk', 'telegram', 'rss', 'webhook')),
      name text not null check (length(name) between 1 and 200),
      config jsonb not null default '{}',
      secret text check (length(secret) between 1 and 4000),
      reply_secret text check (length(reply_secret) between 1 and 4000),
      active boolean not null default true,
      poll_interval_s integer not null check (poll_interval_s between 30 and 86400),
      cursor jsonb not null default '{}',
      next_poll_at timestamptz not null,
      poll_token text,
      poll_until timestamptz,
      last_polled_at timestamptz,
      last_success_at timestamptz,
      last_error_at timestamptz,
      last_error text,
      consecutive_errors integer not null default 0,
      consecutive_rate_limits integer not null default 0,
      backoff_until timestamptz,
      lag_s integer,
      posts_total bigint not null default 0,
      skipped_total bigint not null default 0,
      last_skip_reason text,
      created_by integer references app_user(id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index monitoring_source_municipality_idx on monitoring_source (municipality_id, id);
    create index monitoring_source_due_idx on monitoring_source (next_poll_at) where active and kind <> 'webhook';

    create table monitoring_query (
      id integer generated always as identity primary key,
      municipality_id integer references municipality(id),
      name text not null check (length(name) between 1 and 200),
      text text not null check (length(text) between 1 and 4000),
      default_category_id integer references category(id),
      active boolean not null default true,
      created_by integer references app_user(id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index monitoring_query_municipality_idx on monitoring_query (municipality_id, id);

    create table monitoring_post (
      id bigint generated always as identity primary key,
      source_id integer not null references monitoring_source(id),
      external_id text not null check (length(external_id) between 1 and 500),
      parent_external_id text check (length(parent_external_id) between 1 and 500),
      url text check (length(url) <= 2000),
      author_handle text check (length(author_handle) <= 500),
      author_name text check (length(author_name) <= 500),
      text text not null,
      published_at timestamptz not null,
      fetched_at timestamptz not null,
      raw jsonb,
      status text not null default 'new'
        check (status in ('new', 'matched', 'unmatched', 'accepted', 'dismissed')),
      matched_query_ids integer[] not null default '{}',
      municipality_id integer references municipality(id),
      place_id integer references place(id) on delete set null,
      category_id integer references category(id),
      duplicate_of bigint references monitoring_post(id),
      dup_count integer not null default 0 check (dup_count >= 0),
      signature text,
      case_id integer references "case"(id),
      dismiss_reason text check (length(dismiss_reason) <= 1000),
      moderated_by integer references app_user(id),
      moderated_at timestamptz,
      reply_text text check (length(reply_text) <= 10000),
      reply_status text check (reply_status in ('published', 'manual', 'failed')),
      reply_external_id text,
      reply_url text,
      reply_error text,
      replied_by integer references app_user(id),
      replied_at timestamptz,
      unique (source_id, external_id)
    );
    -- The moderation stream: by status, newest first, per municipality (null: the regional queue).
    create index monitoring_post_stream_idx on monitoring_post (municipality_id, status, fetched_at desc, id desc);
    create index monitoring_post_status_idx on monitoring_post (status, fetched_at desc, id desc);
    create index monitoring_post_duplicate_idx on monitoring_post (duplicate_of) where duplicate_of is not null;
    create index monitoring_post_signature_idx on monitoring_post (signature) where signature is not null;
    create index monitoring_post_case_idx on monitoring_post (case_id) where case_id is not null;
    create index monitoring_post_parent_idx on monitoring_post (source_id, parent_external_id)
      where parent_external_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table monitoring_post;
    drop table monitoring_query;
    drop table monitoring_source;
  `.execute(db);
}
