import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sourcesRoutes } from './sources.routes.ts';
import { webhookRoutes } from './webhook.routes.ts';

/** The monitoring API (sources, the webhook; queries and the moderation stream to come). */
export const monitoringApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(sourcesRoutes);
  await app.register(webhookRoutes);
};
