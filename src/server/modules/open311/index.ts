import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeysRoutes } from './api-keys.routes.ts';
import { georeportRoutes } from './open311.routes.ts';

/**
 * Issue 5: Open311 GeoReport v2 at /open311 (discovery) and /open311/v2, with FixMyStreet's servicerequestupdates,
 * and the API keys integrations post with (/api/v1). Registered by app.ts without a prefix.
 */
export const open311Routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(apiKeysRoutes, { prefix: '/api/v1' });
  await app.register(georeportRoutes, { prefix: '/open311' });
};
