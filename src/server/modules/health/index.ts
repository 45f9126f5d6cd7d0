import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { VERSION } from '../../app.ts';
import { AppError } from '../../core/http/errors.ts';

/** Liveness (`/api/health`: the process answers) and readiness (`/api/ready`: the database answers, schema migrated). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), database: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: VERSION, database: app.dbKind }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and the schema is migrated',
        response: { 200: Type.Object({ status: Type.Literal('ready'), migrations: Type.Integer() }) },
      },
    },
    async () => {
      try {
        const row = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(app.db);
        return { status: 'ready' as const, migrations: row.rows[0]?.n ?? 0 };
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
        throw new AppError('NOT_READY', 'The database is not ready');
      }
    },
  );
};
