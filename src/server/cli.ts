import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './core/config.ts';
import { DataDirLockedError } from './core/db/lock.ts';

const USAGE = `Usage: otklik <command> [options]

Commands:
  serve [--demo]        start the server (migrates first; --demo seeds demo data and prints demo accounts)
  migrate               apply pending database migrations
  seed-demo             load the demo region, municipalities and accounts (idempotent)

Environment: PORT, DATABASE_URL, OTKLIK_DATA_DIR, PUBLIC_URL, SMTP_URL, SESSION_SECRET, LOG_LEVEL (see README).`;

/** One line for the person at the terminal, and a non-zero exit code. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`otklik: ${message}\n`);
  process.exit(code);
}

type Command = (argv: string[]) => Promise<void>;

export const commands: Record<string, Command> = {
  async serve(argv) {
    const { values } = parseArgs({ args: argv, options: { demo: { type: 'boolean', default: false } } });
    const { serve } = await import('./main.ts');
    await serve(loadConfig(process.env, { demo: values.demo ?? false }));
  },
  async migrate() {
    const { withDatabase } = await import('./cli-support.ts');
    await withDatabase(async ({ db }) => {
      const { migrateToLatest } = await import('./core/db/migrate.ts');
      const result = await migrateToLatest(db as never);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
    });
  },
  async 'seed-demo'() {
    const { withDatabase } = await import('./cli-support.ts');
    await withDatabase(async ({ db }) => {
      const { migrateToLatest } = await import('./core/db/migrate.ts');
      await migrateToLatest(db as never);
      const { seedDemo } = await import('./modules/demo/index.ts');
      const result = await seedDemo(db, new Date());
      process.stdout.write(result.created ? 'demo data loaded\n' : 'demo data already present; nothing changed\n');
    });
  },
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = commands[name];
  if (!command) fail(`unknown command "${name}"\n\n${USAGE}`, 2);
  try {
    await command(rest);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid setting ${error.message}`);
    if (error instanceof DataDirLockedError) fail(error.message);
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      fail(error.message, 2);
    const e = error as { code?: string; message?: string };
    if (e.code === 'ECONNREFUSED') fail(`cannot reach the database server (${e.message})`);
    if (e.code === 'EADDRINUSE') fail(`the port is already in use (${e.message}); set PORT to another one`);
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  await main(process.argv.slice(2));
}
