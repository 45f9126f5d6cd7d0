import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { gazetteerRoutes } from './gazetteer-import.routes.ts';
import { moderationRoutes } from './moderation.routes.ts';
import { registerPipeline } from './pipeline.ts';
import { queriesRoutes } from './queries.routes.ts';
import { sourcesRoutes } from './sources.routes.ts';
import { webhookRoutes } from './webhook.routes.ts';

/** The monitoring API (sources, the webhook, queries, the moderation stream and replies, the gazetteer's import) and the pipeline. */
export const monitoringApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The pipeline (matcher, gazetteer, grouping) on every storing transaction of the poller and the webhook.
  registerPipeline(app);
  await app.register(sourcesRoutes);
  await app.register(webhookRoutes);
  await app.register(queriesRoutes);
  await app.register(moderationRoutes);
  await app.register(gazetteerRoutes);
};
