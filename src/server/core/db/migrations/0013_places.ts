import { type Kysely, sql } from 'kysely';

// Issue 5 (places): boundaries of municipalities, their districts and ТОС territories as GeoJSON MultiPolygon
// coordinates ([lon, lat]) with their bounding box; the in-process area index (modules/places) is built from this
// table. `category_place_route` sends a category's new cases in a district to another department than the
// category's own. `place_revision` counts changes of places. A case remembers the district its point fell in (`case.place_id`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table place (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      kind text not null check (kind in ('municipality', 'district', 'tos')),
      name text not null check (length(name) between 1 and 200),
      code text check (code is null or length(code) between 1 and 50),
      geometry jsonb not null,
      min_lon double precision not null,
      min_lat double precision not null,
      max_lon double precision not null,
      max_lat double precision not null,
      is_approximate boolean not null default false,
      source text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (min_lon <= max_lon and min_lat <= max_lat),
      unique (municipality_id, kind, name)
    );
    create table category_place_route (
      category_id integer not null references category(id) on delete cascade,
      place_id integer not null references place(id) on delete cascade,
      department_id integer not null references department(id),
      primary key (category_id, place_id)
    );
    create index category_place_route_place_idx on category_place_route (place_id);
    -- One row: moved in every transaction that changes places, so every node's area index notices the change.
    create table place_revision (
      id boolean primary key default true check (id),
      revision bigint not null
    );
    insert into place_revision (revision) values (0);
    alter table "case" add column place_id integer references place(id) on delete set null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "case" drop column place_id;
    drop table place_revision;
    drop table category_place_route;
    drop table place;
  `.execute(db);
}
