import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Attachments (issue 4): upload, checks by content, download. Placeholder until the module lands. */
export const attachmentsRoutes: FastifyPluginAsyncTypebox = async () => {};
