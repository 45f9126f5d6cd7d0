import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { changeSource, createSource, pollNow, readSource, readSources } from './sources.commands.ts';
import { presentSource } from './sources.presenters.ts';
import {
  CreatedSourceOut,
  CreateSourceBody,
  PollQueuedOut,
  SourceOut,
  SourcesQuery,
  UpdateSourceBody,
} from './sources.schemas.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** Monitoring sources for administrators (issue 6, item 1): settings, write-only secrets, health, poll now. */
export const sourcesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['monitoring'];
  const present = (row: Parameters<typeof presentSource>[0]) => presentSource(row, app.clock.now(), app.config.publicUrl);

  app.get(
    '/monitoring/sources',
    {
      schema: {
        tags,
        summary: 'Monitoring sources with their health (municipal administrators: their own; regional: all)',
        querystring: SourcesQuery,
        response: { 200: Type.Object({ items: Type.Array(SourceOut) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: (await readSources(app.db, contextOf(request), request.query)).map(present) };
    },
  );

  app.get(
    '/monitoring/sources/:id',
    { schema: { tags, summary: 'One monitoring source with its health', params: Id, response: { 200: SourceOut, ...errors } } },
    async (request) => {
      requireUser(request);
      return present(await readSource(app.db, contextOf(request), request.params.id));
    },
  );

  app.post(
    '/monitoring/sources',
    {
      schema: {
        tags,
        summary: 'Add a monitoring source (VK, Telegram, RSS/Atom, webhook)',
        description:
          'The secret (VK service token, Telegram bot token, webhook HMAC key) is write-only: responses say only ' +
          'whether it is set. A webhook source created without one gets a generated key, returned this once.',
        body: CreateSourceBody,
        response: { 201: CreatedSourceOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { row, generatedSecret } = await createSource(app.db, contextOf(request), request.body);
      reply.code(201);
      return { ...present(row), ...(generatedSecret && { generatedSecret }) };
    },
  );

  app.patch(
    '/monitoring/sources/:id',
    {
      schema: {
        tags,
        summary: 'Change a monitoring source: settings, secrets, interval; active: false deactivates it',
        params: Id,
        body: UpdateSourceBody,
        response: { 200: SourceOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return present(await changeSource(app.db, contextOf(request), request.params.id, request.body));
    },
  );

  app.post(
    '/monitoring/sources/:id/poll',
    {
      schema: {
        tags,
        summary: 'Poll the source now (queued; after its backoff if it is backing off)',
        params: Id,
        response: { 202: PollQueuedOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { jobId, runAt } = await pollNow(app.db, contextOf(request), request.params.id);
      reply.code(202);
      return { jobId, runAt: runAt.toISOString() };
    },
  );
};
