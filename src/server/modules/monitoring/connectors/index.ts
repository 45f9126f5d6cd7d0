import { rssConnector } from './rss.ts';
import { telegramConnector } from './telegram.ts';
import type { Connector, SourceKind } from './types.ts';
import { vkConnector } from './vk.ts';
import { webhookConnector } from './webhook.ts';

/** The connectors by source kind: VK, Telegram, RSS/Atom poll; the webhook is pushed to. */
export const CONNECTORS: Record<SourceKind, Connector> = {
  vk: vkConnector as Connector,
  telegram: telegramConnector as Connector,
  rss: rssConnector as Connector,
  webhook: webhookConnector as Connector,
};

export const connectorFor = (kind: SourceKind): Connector => CONNECTORS[kind];

export { HttpClient, type HttpClientOptions } from './http.ts';
export * from './types.ts';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from './webhook.ts';
