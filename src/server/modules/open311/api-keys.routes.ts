import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Selectable } from 'kysely';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import type { ApiKeyTable } from '../../core/db/schema.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { createApiKey, readApiKeys, revokeKey } from './commands/manage-api-keys.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
const ApiKeyOut = Type.Object({
  id: Type.Integer(),
  municipalityId: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

const present = (k: Selectable<ApiKeyTable>) => ({
  id: k.id,
  municipalityId: k.municipality_id,
  name: k.name,
  prefix: k.key_prefix,
  createdBy: k.created_by,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
  lastUsedAt: k.last_used_at?.toISOString() ?? null,
});

/** Open311 API keys of a municipality (its administrators). */
export const apiKeysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['open311'];
  app.get(
    '/municipalities/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'The municipality’s Open311 API keys (municipal administrator; the keys themselves are never shown again)',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(ApiKeyOut) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: (await readApiKeys(app.db, contextOf(request), request.params.id)).map(present) };
    },
  );

  app.post(
    '/municipalities/:id/api-keys',
    {
      schema: {
        tags,
        summary: 'Issue an Open311 API key for an integration (municipal administrator); the key is shown this once',
        params: Id,
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: {
          201: Type.Intersect([ApiKeyOut, Type.Object({ key: Type.String({ description: 'shown once, stored hashed' }) })]),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const { row, key } = await createApiKey(app.db, contextOf(request), request.params.id, request.body);
      reply.code(201);
      return { ...present(row), key };
    },
  );

  app.post(
    '/api-keys/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an Open311 API key (municipal administrator); POSTs with it get 403 at once',
        params: Id,
        response: { 200: ApiKeyOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return present(await revokeKey(app.db, contextOf(request), request.params.id));
    },
  );
};
