import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { monitoringApiRoutes } from './monitoring.routes.ts';

export { CONNECTORS, connectorFor } from './connectors/index.ts';
export type {
  Connector,
  ConnectorEnv,
  ConnectorSource,
  FetchedPost,
  FetchResult,
  PublishedReply,
  ReplyTarget,
  SourceKind,
} from './connectors/types.ts';
export { ConnectorError } from './connectors/types.ts';
export { signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from './connectors/webhook.ts';
export { DEMO_WEBHOOK_SECRET, type MonitoringDemoResult, seedMonitoringDemo } from './demo.ts';
export { MONITORING_STAFF_ROLES } from './moderation.permissions.ts';
export { findSource, type SourceRow } from './monitoring.repository.ts';
export { MonitoringPipeline, registerPipeline } from './pipeline.ts';
export {
  MonitoringRuntime,
  POLL_JOB,
  type PollOutcome,
  type PostsStoredEvent,
  type PostsStoredHook,
  pollDueSources,
  pollSource,
  registerMonitoring,
} from './poller.ts';

/**
 * Issue 6: social-media monitoring — sources and connectors (VK, Telegram, RSS/Atom, webhook), keyword queries with
 * Russian morphology, the matcher, the gazetteer, near-duplicate grouping, moderation into incident cases, replies.
 * Registered by app.ts under /api/v1.
 */
export const monitoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(monitoringApiRoutes);
};
