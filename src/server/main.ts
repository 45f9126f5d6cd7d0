import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './core/config.ts';
import { openDatabase } from './core/db/index.ts';
import { migrateToLatest } from './core/db/migrate.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedShowcase } from './modules/demo/index.ts';

/** Opens the database, migrates, seeds in demo mode, listens; closes gracefully on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<FastifyInstance> {
  const startedAt = performance.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let app: FastifyInstance;
  try {
    await migrateToLatest(database.db as never);
    if (config.demo) await seedShowcase(database.db, new Date());
    app = await buildApp({ config, database, ownsDatabase: true });
  } catch (error) {
    await database.close();
    throw error;
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: closing (in-flight requests finish first)`);
    const timer = setTimeout(() => {
      app.log.error('shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL server' : `embedded PGlite in ${config.dataDir}`;
  app.log.info(`Otklik ready at ${config.publicUrl} on ${where} in ${Math.round(performance.now() - startedAt)} ms`);
  if (!config.smtpUrl) {
    app.log.warn('SMTP_URL is not set: letters (confirmation and password-reset links) are written to this log');
  }
  if (config.demo) {
    // Demo mode only: the shared demo password is printed so a visitor can try every role.
    const lines = DEMO_USERS.map((u) => `  ${u.email.padEnd(28)} ${u.roles.map((r) => r.role).join(', ')}`);
    process.stdout.write(
      `\nOtklik demo is running at ${config.publicUrl}\nDemo accounts (password for all: ${DEMO_PASSWORD}):\n${lines.join('\n')}\n\n`,
    );
  }
  return app;
}
