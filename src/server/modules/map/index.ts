import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Issue 5: placeholder until the module lands. */
export const mapRoutes: FastifyPluginAsyncTypebox = async () => {};
