import { type Kysely, sql } from 'kysely';

// Issue 5 (categories as Open311 services, API keys): a category is an Open311 GeoReport v2 service — its
// `service_code` (stable text, unique per municipality; the id by default), description, keywords and group — and
// its extra questions are the service's attributes (`category_attribute`, the spec's service definition). A case
// keeps the answers (`case.attributes`, {code: value | [values]}) and an Open311 client's `media_url`. Integrations
// post requests with an API key of one municipality (`api_key`: only the SHA-256 of the key is stored).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table category
      add column service_code text check (service_code ~ '^[A-Za-z0-9_-]{1,50}$'),
      add column description text check (length(description) <= 2000),
      add column keywords text check (length(keywords) <= 500),
      add column service_group text check (length(service_group) <= 200);
    create unique index category_service_code_idx on category (municipality_id, service_code);

    create table category_attribute (
      id integer generated always as identity primary key,
      category_id integer not null references category(id) on delete cascade,
      code text not null check (code ~ '^[A-Za-z0-9_-]{1,50}$'),
      datatype text not null
        check (datatype in ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
      required boolean not null default false,
      variable boolean not null default true,
      description text not null check (length(description) between 1 and 1000),
      datatype_description text check (length(datatype_description) <= 500),
      "order" integer not null check ("order" >= 1),
      "values" jsonb not null default '[]',
      unique (category_id, code),
      unique (category_id, "order")
    );

    alter table "case"
      add column attributes jsonb,
      add column media_url text;

    create table api_key (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      name text not null check (length(name) between 1 and 200),
      key_sha256 text not null unique,
      key_prefix text not null,
      created_by integer references app_user(id),
      created_at timestamptz not null,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_key_municipality_idx on api_key (municipality_id, created_at);
    create index case_open311_idx on "case" (municipality_id, received_at) where regime in ('message', 'incident');
    -- servicerequestupdates reads the timeline by time window (start_date, end_date).
    create index case_event_at_idx on case_event (at, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index case_event_at_idx;
    drop table api_key;
    drop index case_open311_idx;
    alter table "case" drop column attributes, drop column media_url;
    drop table category_attribute;
    drop index category_service_code_idx;
    alter table category drop column service_code, drop column description, drop column keywords,
      drop column service_group;
  `.execute(db);
}
