import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Similar cases and clusters of duplicates (issue 4). Placeholder until the work lands. */
export const clustersRoutes: FastifyPluginAsyncTypebox = async () => {};
