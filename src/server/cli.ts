import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROLE_NAMES_RU, ROLES, type Role } from '../shared/roles.ts';
import {
  CliError,
  describeError,
  emailOption,
  parseOptions,
  passwordOption,
  positiveInt,
  UsageError,
  withDatabase,
} from './cli-support.ts';
import { loadConfig } from './core/config.ts';
import { AppError } from './core/http/errors.ts';

const USAGE = `Usage: otklik <command> [options]

Commands:
  serve [--demo]        start the server (migrates first; --demo seeds demo data and prints demo accounts)
  migrate               apply pending database migrations
  seed-demo             load the demo region, municipalities and accounts (idempotent)
  create-region --name NAME --slug SLUG [--time-zone IANA] [--iso-code RU-XX]
                        create the region (a fresh install without demo data starts here; default Europe/Moscow)
  create-admin --email E --password P [--last-name L] [--first-name F]
                        create a regional administrator (needs a region: create-region or seed-demo first)
  create-user --email E --password P --role ROLE [--municipality ID|SLUG] [--department ID]
              [--last-name L] [--first-name F]
                        create an account of any role, its e-mail already confirmed
                        roles: ${ROLES.join(', ')}
  import-totko FILE      load the ТОТКО classifier from a CSV file (code;name[;parent], UTF-8, ; or , between
                        fields): all lines or none; bad lines are listed with their numbers (see import-totko.ts)
  import-places MUNICIPALITY FILE
                        load boundaries (GeoJSON FeatureCollection; properties name, kind = municipality | district
                        | tos, code) into a municipality (id or slug): the places of the kinds in the file are
                        replaced by name; every problem is listed and nothing changes when there is any
  backup --out FILE [--force]
                        embedded: a .tar.gz of the PGlite data dir (stop the server first: it holds the data dir);
                        DATABASE_URL: a pg_dump custom-format archive (needs pg_dump from postgresql-client)
  restore --in FILE [--force]
                        embedded: into an empty OTKLIK_DATA_DIR (--force moves the current database aside);
                        DATABASE_URL: pg_restore into an empty database (--force replaces its contents)

--password - reads the password from the first line of standard input.

Environment: PORT, DATABASE_URL, OTKLIK_DATA_DIR, PUBLIC_URL, SMTP_URL, SESSION_SECRET, LOG_LEVEL (see README).`;

/** One line for the person at the terminal, and a non-zero exit code. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`otklik: ${message}\n`);
  process.exit(code);
}

type Command = (argv: string[]) => Promise<void>;

async function migrated<T>(fn: Parameters<typeof withDatabase<T>>[0]): Promise<T> {
  return withDatabase(async (handle, config) => {
    const { migrateToLatest } = await import('./core/db/migrate.ts');
    await migrateToLatest(handle.db as never);
    return fn(handle, config);
  });
}

interface NewUser {
  email: string;
  password: string;
  lastName: string;
  firstName: string;
  role: Role;
  municipality?: string | undefined;
  departmentId?: number | undefined;
}

async function createUser(input: NewUser): Promise<void> {
  const { systemContext } = await import('./core/context.ts');
  const { provisionUser } = await import('./modules/staff/index.ts');
  await migrated(async ({ db }) => {
    let municipalityId: number | undefined;
    if (input.municipality !== undefined) {
      if (/^\d+$/.test(input.municipality)) municipalityId = positiveInt('municipality', input.municipality, 'a municipality id');
      else {
        const row = await db.selectFrom('municipality').select('id').where('slug', '=', input.municipality).executeTakeFirst();
        if (!row) throw new UsageError(`--municipality: no municipality with id or slug "${input.municipality}"`);
        municipalityId = row.id;
      }
    }
    const user = await provisionUser(
      db,
      systemContext(new Date()),
      {
        email: input.email,
        password: input.password,
        lastName: input.lastName,
        firstName: input.firstName,
        roles: [{ role: input.role, municipalityId: municipalityId ?? null, departmentId: input.departmentId ?? null }],
      },
      { system: true },
    ).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'EMAIL_TAKEN') {
        throw new CliError(`an account with the e-mail ${input.email} already exists`);
      }
      throw error;
    });
    const scope = municipalityId
      ? ` in municipality ${municipalityId}${input.departmentId ? `, department ${input.departmentId}` : ''}`
      : '';
    process.stdout.write(`created ${input.role} ${user.email} (user id ${user.id})${scope}\n`);
  });
}

const nameOptions = {
  'last-name': { type: 'string' },
  'first-name': { type: 'string' },
} as const;

export const commands: Record<string, Command> = {
  async serve(argv) {
    const values = parseOptions(argv, { demo: { type: 'boolean', default: false } });
    const config = loadConfig(process.env, { demo: values.demo ?? false });
    const { serve } = await import('./main.ts');
    await serve(config);
  },

  async migrate(argv) {
    parseOptions(argv, {});
    await withDatabase(async ({ db }) => {
      const { migrateToLatest } = await import('./core/db/migrate.ts');
      const result = await migrateToLatest(db as never);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
    });
  },

  async 'seed-demo'(argv) {
    parseOptions(argv, {});
    await migrated(async ({ db }) => {
      const { seedDemo } = await import('./modules/demo/index.ts');
      const result = await seedDemo(db, new Date());
      process.stdout.write(result.created ? 'demo data loaded\n' : 'demo data already present; nothing changed\n');
    });
  },

  async 'create-region'(argv) {
    const values = parseOptions(
      argv,
      { name: { type: 'string' }, slug: { type: 'string' }, 'time-zone': { type: 'string' }, 'iso-code': { type: 'string' } },
      ['name', 'slug'],
    );
    await migrated(async ({ db }) => {
      const { createRegion } = await import('./modules/tenancy/index.ts');
      const { systemContext } = await import('./core/context.ts');
      const region = await createRegion(db, systemContext(new Date()), {
        name: values.name!,
        slug: values.slug!,
        timeZone: values['time-zone'] || 'Europe/Moscow',
        isoCode: values['iso-code'] || undefined,
      });
      process.stdout.write(`region ${region.id} «${region.name}» (${region.time_zone}) created\n`);
    });
  },

  async 'create-admin'(argv) {
    const values = parseOptions(argv, { email: { type: 'string' }, password: { type: 'string' }, ...nameOptions }, [
      'email',
      'password',
    ]);
    await createUser({
      email: emailOption(values.email!),
      password: passwordOption(values.password!),
      lastName: values['last-name'] || 'Администратор',
      firstName: values['first-name'] || 'Региональный',
      role: 'regional_admin',
    });
  },

  async 'create-user'(argv) {
    const values = parseOptions(
      argv,
      {
        email: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string' },
        municipality: { type: 'string' },
        department: { type: 'string' },
        ...nameOptions,
      },
      ['email', 'password', 'role'],
    );
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role: unknown role "${values.role}"; one of ${ROLES.join(', ')}`);
    if (role === 'resident' && (values.municipality || values.department)) {
      throw new UsageError('--municipality and --department do not apply to the role resident');
    }
    if (values.department && !values.municipality) throw new UsageError('--department needs --municipality');
    if (values.municipality === '') throw new UsageError('--municipality: give a municipality id or slug');
    const email = emailOption(values.email!);
    await createUser({
      email,
      password: passwordOption(values.password!),
      lastName: values['last-name'] || ROLE_NAMES_RU[role],
      firstName: values['first-name'] || (email.split('@')[0] ?? email),
      role,
      municipality: values.municipality,
      departmentId: positiveInt('department', values.department, 'a department id'),
    });
  },

  async 'import-totko'(argv) {
    const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError('give one CSV file: otklik import-totko FILE');
    const file = positionals[0]!;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const { checkTotkoFile, importTotko } = await import('./modules/cases/commands/import-totko.ts');
    const { systemContext } = await import('./core/context.ts');
    try {
      checkTotkoFile(bytes); // bad lines are reported before the database is opened
      await migrated(async ({ db }) => {
        const r = await importTotko(db, systemContext(new Date()), bytes, { system: true });
        process.stdout.write(
          `ТОТКО imported from ${file}: ${r.total} lines, ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged\n`,
        );
      });
    } catch (error) {
      if (error instanceof AppError && error.details?.length) {
        const lines = error.details.map((d) => `  ${d.field}: ${d.reason}`).join('\n');
        throw new CliError(`${file}: ${error.message.split('.')[0]}\n${lines}`);
      }
      throw error;
    }
  },

  async 'import-places'(argv) {
    const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
    if (positionals.length !== 2) throw new UsageError('give a municipality and a file: otklik import-places MUNICIPALITY FILE');
    const [municipality, file] = positionals as [string, string];
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CliError(`cannot read ${file} as JSON: ${(error as Error).message}`);
    }
    const { importPlaces, readPlaceFile } = await import('./modules/places/index.ts');
    const { describeProblems } = await import('./core/geo/index.ts');
    const { systemContext } = await import('./core/context.ts');
    const { problems } = readPlaceFile(doc); // reported before the database is opened
    if (problems.length > 0) {
      throw new CliError(
        `${file}: ${problems.length} problem(s), nothing imported\n  ${problems.map((x) => describeProblems([x])).join('\n  ')}`,
      );
    }
    await migrated(async ({ db }) => {
      const row = /^\d+$/.test(municipality)
        ? await db.selectFrom('municipality').select(['id', 'name']).where('id', '=', Number(municipality)).executeTakeFirst()
        : await db.selectFrom('municipality').select(['id', 'name']).where('slug', '=', municipality).executeTakeFirst();
      if (!row) throw new UsageError(`no municipality with id or slug "${municipality}"`);
      const source = `file ${file.split(/[\\/]/).at(-1)}`;
      const r = await importPlaces(db, systemContext(new Date()), row.id, doc, { source, system: true });
      process.stdout.write(
        `${row.name}: ${r.kinds.join(', ')} from ${file}: ${r.created} added, ${r.updated} updated, ${r.removed} removed` +
          `${r.routesRemoved ? ` (with ${r.routesRemoved} district routes)` : ''}\n`,
      );
    });
  },

  async backup(argv) {
    const values = parseOptions(argv, { out: { type: 'string' }, force: { type: 'boolean', default: false } }, ['out']);
    const { backupEmbedded, backupServer } = await import('./core/backup/index.ts');
    // Opening the database first checks the connection (server) or takes the data-dir lock (embedded).
    await withDatabase(async (handle, config) => {
      const result =
        handle.kind === 'postgres'
          ? await backupServer(config.databaseUrl!, values.out!, { force: values.force ?? false })
          : await backupEmbedded(handle.pglite!, values.out!, { force: values.force ?? false });
      const what = handle.kind === 'postgres' ? 'pg_dump custom-format archive' : `PGlite data dir ${config.dataDir}`;
      process.stdout.write(`backup written: ${result.file} (${result.bytes} bytes, ${what})\n`);
    });
  },

  async restore(argv) {
    const values = parseOptions(argv, { in: { type: 'string' }, force: { type: 'boolean', default: false } }, ['in']);
    const force = values.force ?? false;
    const { restoreEmbedded, restoreServer } = await import('./core/backup/index.ts');
    const config = loadConfig(process.env);
    if (config.databaseUrl) {
      const result = await restoreServer(config.databaseUrl, values.in!, { force });
      const replaced = result.replacedTables ? ` (replaced ${result.replacedTables} existing tables)` : '';
      process.stdout.write(`restored ${values.in} into ${result.database}${replaced}\n`);
    } else {
      const result = await restoreEmbedded(config.dataDir, values.in!, { force });
      const aside = result.movedAside ? `; the previous database was moved to ${result.movedAside}` : '';
      process.stdout.write(`restored ${values.in} into ${result.pgDir} (${result.migrations} migrations)${aside}\n`);
    }
  },
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    fail(`unknown command "${name}"; commands: ${Object.keys(commands).join(', ')} (otklik --help)`, 2);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    await command(rest);
  } catch (error) {
    const described = describeError(error);
    if (described) fail(described.message, described.code);
    process.stderr.write(`otklik: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  await main(process.argv.slice(2));
}
