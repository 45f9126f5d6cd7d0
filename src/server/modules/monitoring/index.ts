import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { monitoringApiRoutes } from './monitoring.routes.ts';

/**
 * Issue 6: social-media monitoring — sources and connectors (VK, Telegram, RSS/Atom, webhook), keyword queries with
 * Russian morphology, the matcher, the gazetteer, near-duplicate grouping, moderation into incident cases, replies.
 * Registered by app.ts under /api/v1.
 */
export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(monitoringApiRoutes);
};
