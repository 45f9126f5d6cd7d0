import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { invalid } from '../../core/http/errors.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { serviceCodeOf } from './attributes.repository.ts';
import { AttributeOut, AttributesBody, ServiceBody, ServiceOut } from './attributes.schemas.ts';
import type { AttributeDef } from './attributes.ts';
import { readAttributes } from './commands/read-attributes.ts';
import { saveAttributes, saveServiceFields } from './commands/save-attributes.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const Items = Type.Object({ items: Type.Array(AttributeOut) });
const present = (defs: AttributeDef[]) => ({ items: defs });

/** A category's extra questions (Open311 service attributes) and its Open311 service description (issue 5). */
export const attributesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['categories'];

  app.get(
    '/categories/:id/attributes',
    {
      schema: {
        tags,
        summary: 'The questions a report in this category asks (public for an active category)',
        params: Id,
        response: { 200: Items, ...errors },
      },
    },
    async (request) => present(await readAttributes(app.db, contextOf(request), request.params.id)),
  );

  app.put(
    '/categories/:id/attributes',
    {
      schema: {
        tags,
        summary: 'Replace the questions of a category (municipal administrator)',
        params: Id,
        body: AttributesBody,
        response: { 200: Items, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const items = request.body.items.map((a) => ({
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        variable: a.variable ?? true,
        description: a.description,
        datatypeDescription: a.datatypeDescription ?? null,
        ...(a.order !== undefined && { order: a.order }),
        values: a.values ?? [],
      }));
      return present(await saveAttributes(app.db, contextOf(request), request.params.id, items));
    },
  );

  app.patch(
    '/categories/:id/service',
    {
      schema: {
        tags,
        summary: 'Describe a category as an Open311 service: code, description, keywords, group (municipal administrator)',
        params: Id,
        body: ServiceBody,
        response: { 200: ServiceOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      if (Object.keys(request.body).length === 0) throw invalid('body', 'nothing to change');
      const row = await saveServiceFields(app.db, contextOf(request), request.params.id, request.body);
      return {
        categoryId: row.id,
        serviceCode: serviceCodeOf(row),
        description: row.description,
        keywords: row.keywords,
        group: row.service_group,
      };
    },
  );
};
