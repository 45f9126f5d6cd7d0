import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** In-cabinet notices and staff deadline reminders (issue 4). Placeholder until the module lands. */
export const noticesRoutes: FastifyPluginAsyncTypebox = async () => {};
