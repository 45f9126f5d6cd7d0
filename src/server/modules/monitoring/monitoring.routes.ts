import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** The monitoring API (sources, queries, the moderation stream). Filled in by the monitoring work. */
export const monitoringApiRoutes: FastifyPluginAsyncTypebox = async (_app) => {};
