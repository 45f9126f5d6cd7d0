import { type Kysely, sql } from 'kysely';

// Foundation schema: tenancy (region → municipality → department), accounts and roles, sessions,
// one-time e-mail tokens, login throttling, the append-only audit log.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table region (
      id integer generated always as identity primary key,
      name text not null,
      slug text not null unique,
      time_zone text not null,
      created_at timestamptz not null default now()
    );

    create table municipality (
      id integer generated always as identity primary key,
      region_id integer not null references region(id),
      name text not null,
      short_name text not null,
      slug text not null unique,
      case_prefix text not null,
      type text not null check (type in ('urban_okrug', 'municipal_okrug', 'urban_settlement', 'rural_settlement')),
      oktmo text not null check (oktmo ~ '^[0-9]{8}([0-9]{3})?$'),
      population integer check (population is null or population >= 0),
      time_zone text not null,
      boundary jsonb,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (region_id, name),
      unique (region_id, case_prefix)
    );

    create table department (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      name text not null,
      email text,
      phone text,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (municipality_id, name)
    );
    create index department_municipality_idx on department(municipality_id);

    create table app_user (
      id integer generated always as identity primary key,
      email text not null,
      password_hash text not null,
      last_name text not null,
      first_name text not null,
      middle_name text,
      phone text,
      email_confirmed_at timestamptz,
      is_active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index app_user_email_idx on app_user (lower(email));

    -- A role is scoped to a municipality (and optionally a department) or, for regional roles, to the region.
    create table user_role (
      id integer generated always as identity primary key,
      user_id integer not null references app_user(id) on delete cascade,
      role text not null check (role in ('resident', 'operator', 'executor', 'head', 'moderator',
        'municipal_admin', 'regional_admin', 'commission_member')),
      region_id integer references region(id),
      municipality_id integer references municipality(id),
      department_id integer references department(id),
      created_at timestamptz not null default now(),
      check (case
        when role in ('regional_admin', 'commission_member') then region_id is not null and municipality_id is null
        when role = 'resident' then municipality_id is null and department_id is null
        else municipality_id is not null end)
    );
    create unique index user_role_unique_idx on user_role (user_id, role, coalesce(municipality_id, 0));
    create index user_role_municipality_idx on user_role (municipality_id);

    -- The cookie carries a random token; the table keeps only its SHA-256 (a stolen DB dump opens no session).
    create table session (
      id text primary key,
      user_id integer not null references app_user(id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    create index session_user_idx on session(user_id);

    create table email_token (
      id text primary key,
      user_id integer not null references app_user(id) on delete cascade,
      purpose text not null check (purpose in ('confirm_email', 'reset_password')),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );

    create table login_throttle (
      key text primary key,
      failures integer not null default 0,
      window_started_at timestamptz not null,
      locked_until timestamptz
    );

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_user_id integer references app_user(id),
      municipality_id integer references municipality(id),
      action text not null,
      entity_type text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      request_id text,
      ip text
    );
    create index audit_log_at_idx on audit_log (at desc);
    create index audit_log_entity_idx on audit_log (entity_type, entity_id);
    create index audit_log_municipality_idx on audit_log (municipality_id, at desc);
    create index audit_log_actor_idx on audit_log (actor_user_id, at desc);

    -- Append-only: the database itself refuses to change or delete an audit row.
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end;
    $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table audit_log; drop function audit_log_append_only(); drop table login_throttle; drop table email_token;
    drop table session; drop table user_role; drop table app_user; drop table department; drop table municipality;
    drop table region;
  `.execute(db);
}
