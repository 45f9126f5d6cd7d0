import { type Kysely, sql } from 'kysely';

// Issue 4 (foundation): the ТОТКО classifier (sections and тематики from domain-ru §3.1, plus the темы/вопросы the
// demo categories use), municipal categories, cases with their yearly numbering, and the append-only timeline.

/** [code, name]; the level and the parent follow from the code (`XXXX.XXXX.0000.0000` is written `XXXX.XXXX`). */
export const TOTKO_SEED: ReadonlyArray<readonly [string, string]> = [
  ['0001', 'Государство, общество, политика'],
  ['0001.0001', 'Конституционный строй'],
  ['0001.0002', 'Основы государственного управления'],
  ['0001.0003', 'Гражданское право'],
  ['0001.0020', 'Международные отношения. Международное право'],
  [
    '0001.0021',
    'Индивидуальные правовые акты по кадровым вопросам, вопросам награждения, помилования, гражданства, присвоения почетных и иных званий',
  ],
  ['0002', 'Социальная сфера'],
  ['0002.0004', 'Семья'],
  ['0002.0006', 'Труд и занятость населения'],
  ['0002.0007', 'Социальное обеспечение и социальное страхование'],
  ['0002.0013', 'Образование. Наука. Культура'],
  ['0002.0014', 'Здравоохранение. Физическая культура и спорт. Туризм'],
  ['0003', 'Экономика'],
  ['0003.0008', 'Финансы'],
  ['0003.0009', 'Хозяйственная деятельность'],
  ['0003.0010', 'Внешнеэкономическая деятельность. Таможенное дело'],
  ['0003.0011', 'Природные ресурсы и охрана окружающей природной среды'],
  ['0003.0012', 'Информация и информатизация'],
  ['0004', 'Оборона, безопасность, законность'],
  ['0004.0015', 'Оборона'],
  ['0004.0016', 'Безопасность и охрана правопорядка'],
  ['0004.0017', 'Уголовное право. Исполнение наказаний'],
  ['0004.0018', 'Правосудие'],
  ['0004.0019', 'Прокуратура. Органы юстиции. Адвокатура. Нотариат'],
  ['0005', 'Жилищно-коммунальная сфера'],
  ['0005.0005', 'Жилище'],
  ['0003.0009.0097', 'Градостроительство и архитектура'],
  ['0003.0009.0097.0689', 'Комплексное благоустройство'],
  ['0003.0009.0097.0699', 'Ремонт подъездных дорог, тротуаров'],
  ['0003.0009.0099', 'Транспорт'],
  ['0003.0009.0099.0742', 'Эксплуатация и сохранность автомобильных дорог'],
  ['0005.0005.0056', 'Коммунальное хозяйство'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table totko (
      code text primary key check (code ~ '^[0-9]{4}(\\.[0-9]{4}){0,4}$'),
      parent_code text references totko(code),
      level integer not null check (level between 1 and 5),
      name text not null
    );

    create table category (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      name text not null check (length(name) between 1 and 200),
      totko_code text references totko(code),
      regime text not null default 'appeal' check (regime in ('appeal', 'message', 'incident')),
      department_id integer references department(id),
      is_active boolean not null default true,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (municipality_id, name)
    );

    create table case_counter (
      municipality_id integer not null references municipality(id),
      year integer not null,
      last integer not null,
      primary key (municipality_id, year)
    );

    create table "case" (
      id integer generated always as identity primary key,
      municipality_id integer not null references municipality(id),
      number text not null unique,
      regime text not null check (regime in ('appeal', 'message', 'incident')),
      channel text not null check (channel in ('web', 'api', 'phone', 'reception', 'meeting', 'letter', 'social', 'open311', 'epgu')),
      kind text not null check (kind in ('proposal', 'statement', 'complaint', 'other')),
      category_id integer references category(id),
      applicant_user_id integer references app_user(id),
      last_name text,
      first_name text,
      middle_name text,
      email text,
      phone text,
      postal_address text,
      answer_by text check (answer_by in ('cabinet', 'email', 'post')),
      is_anonymous boolean not null default false,
      text text not null,
      address text,
      lat double precision check (lat between -90 and 90),
      lon double precision check (lon between -180 and 180),
      department_id integer references department(id),
      executor_user_id integer references app_user(id),
      status text not null,
      received_at timestamptz not null,
      registered_at timestamptz,
      due_at timestamptz,
      due_kind text,
      due_rule text,
      due_source text,
      answer_due_at timestamptz,
      deadlines jsonb not null default '[]'::jsonb,
      idempotency_scope text,
      idempotency_key text,
      created_at timestamptz not null,
      search tsvector generated always as (to_tsvector('russian', coalesce(text, '') || ' ' || coalesce(address, ''))) stored,
      unique (idempotency_scope, idempotency_key)
    );
    create index case_queue_idx on "case" (municipality_id, status, due_at);
    create index case_applicant_idx on "case" (applicant_user_id, id desc);
    create index case_search_idx on "case" using gin (search);

    create table case_event (
      id integer generated always as identity primary key,
      case_id integer not null references "case"(id),
      at timestamptz not null,
      actor_user_id integer references app_user(id),
      type text not null,
      data jsonb not null default '{}'::jsonb,
      deadline_at timestamptz,
      late boolean
    );
    create index case_event_case_idx on case_event (case_id, id);

    create function case_event_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'case_event is append-only';
    end $$;
    create trigger case_event_no_update before update or delete on case_event
      for each row execute function case_event_append_only();
  `.execute(db);
  for (const [code, name] of TOTKO_SEED) {
    const parts = code.split('.');
    const parent = parts.length > 1 ? parts.slice(0, -1).join('.') : null;
    await sql`insert into totko (code, parent_code, level, name) values (${code}, ${parent}, ${parts.length}, ${name})`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table case_event; drop function case_event_append_only();
    drop table "case"; drop table case_counter; drop table category; drop table totko;
  `.execute(db);
}
