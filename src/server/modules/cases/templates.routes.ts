import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Answer templates per category, routing rules and executors' workload (issue 4). Placeholder until the work lands. */
export const templatesRoutes: FastifyPluginAsyncTypebox = async () => {};
