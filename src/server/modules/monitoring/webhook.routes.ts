import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { WEBHOOK_MAX_BYTES, WEBHOOK_MAX_POSTS, WEBHOOK_SIGNATURE_HEADER } from './connectors/webhook.ts';
import { receivePush } from './webhook.commands.ts';

const Params = Type.Object({ sourceId: Type.Integer({ minimum: 1 }) });
const PushOut = Type.Object({
  received: Type.Integer(),
  stored: Type.Integer(),
  duplicates: Type.Integer({ description: 'posts this source had already stored (a repeated batch)' }),
  skipped: Type.Array(
    Type.Object({ index: Type.Integer(), externalId: Type.Union([Type.String(), Type.Null()]), reason: Type.String() }),
  ),
});

/**
 * The generic webhook (issue 6, item 1). The HMAC is computed over the raw bytes, so this plugin reads JSON bodies
 * as a Buffer (its own content-type parser, scoped to it) and parses them after checking the signature.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/monitoring/webhook/:sourceId',
    {
      bodyLimit: WEBHOOK_MAX_BYTES,
      schema: {
        tags: ['monitoring'],
        summary: 'Push posts to a webhook source (signed with the source’s secret)',
        description:
          `Authenticate with the header \`X-Otklik-Signature: sha256=<hex>\`: the HMAC-SHA256 of the raw request body ` +
          `keyed with the source's secret. Body (application/json): {"posts": [{"externalId", "text", "publishedAt" ` +
          `(ISO 8601), "url"?, "authorHandle"?, "authorName"?, "parentExternalId"?, "raw"?}]}, at most ` +
          `${WEBHOOK_MAX_POSTS} posts and ${WEBHOOK_MAX_BYTES / 1048576} MB. A post already received (same externalId) ` +
          'is not stored again; a post that cannot be used is skipped and listed with its index.',
        params: Params,
        headers: Type.Object({ [WEBHOOK_SIGNATURE_HEADER]: Type.Optional(Type.String()) }),
        response: {
          200: PushOut,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          413: ErrorResponse,
        },
      },
    },
    async (request) => {
      const header = request.headers[WEBHOOK_SIGNATURE_HEADER];
      return receivePush(app.db, app.monitoring, {
        sourceId: request.params.sourceId,
        body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        signature: typeof header === 'string' ? header : undefined,
        now: app.clock.now(),
        log: request.log,
      });
    },
  );
};
