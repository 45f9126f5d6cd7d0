import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Selectable } from 'kysely';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import type { AnswerTemplateTable } from '../../core/db/schema.ts';
import { invalid } from '../../core/http/errors.ts';
import { ErrorResponse, errorResponses } from '../../core/http/schemas.ts';
import {
  AnswerTemplateBody,
  AnswerTemplateOut,
  AnswerTemplatePatch,
  AnswerTemplateQuery,
  RoutingBody,
  RoutingOut,
  TotkoImportOut,
  WorkloadOut,
} from './cases.schemas.ts';
import { importTotko } from './commands/import-totko.ts';
import { readTemplates, templatesForCase } from './commands/read-template.ts';
import { readWorkload } from './commands/read-workload.ts';
import { readRouting, saveRouting } from './commands/save-routing.ts';
import { createTemplate, deleteTemplate, updateTemplate } from './commands/save-template.ts';
import type { listRouting, WorkloadRow } from './templates.repository.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = errorResponses(400, 401, 403, 404, 409);

function presentTemplate(t: Selectable<AnswerTemplateTable>) {
  return {
    id: t.id,
    municipalityId: t.municipality_id,
    categoryId: t.category_id,
    title: t.title,
    text: t.text,
    result: t.result,
    isActive: t.is_active,
  };
}

function presentRouting(rows: Awaited<ReturnType<typeof listRouting>>) {
  return {
    rules: rows.map((r) => ({
      categoryId: r.category_id,
      categoryName: r.category_name,
      totkoCode: r.totko_code,
      regime: r.regime,
      departmentId: r.department_id,
      departmentName: r.department_name,
    })),
  };
}

function presentWorkload(r: WorkloadRow) {
  return {
    userId: r.user_id,
    name: [r.last_name, r.first_name, r.middle_name].filter(Boolean).join(' '),
    departmentId: r.department_id,
    departmentName: r.department_name,
    open: r.open,
    overdue: r.overdue,
    dueSoon: r.due_soon,
  };
}

/** Answer templates per category, routing rules, executors' workload and the ТОТКО import (issue 4). */
export const templatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['cases'];

  app.get(
    '/municipalities/:id/answer-templates',
    {
      schema: {
        tags,
        summary: 'Answer templates of a municipality (staff; categoryId: that category’s and the generic ones)',
        params: Id,
        querystring: AnswerTemplateQuery,
        response: { 200: Type.Object({ items: Type.Array(AnswerTemplateOut) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const rows = await readTemplates(app.db, contextOf(request), request.params.id, request.query.categoryId);
      return { items: rows.map(presentTemplate) };
    },
  );

  app.post(
    '/municipalities/:id/answer-templates',
    {
      schema: {
        tags,
        summary: 'Add an answer template (head, municipal administrator)',
        params: Id,
        body: AnswerTemplateBody,
        response: { 201: AnswerTemplateOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const row = await createTemplate(app.db, contextOf(request), request.params.id, request.body);
      reply.code(201);
      return presentTemplate(row);
    },
  );

  app.patch(
    '/answer-templates/:id',
    {
      schema: {
        tags,
        summary: 'Change an answer template (head, municipal administrator)',
        params: Id,
        body: AnswerTemplatePatch,
        response: { 200: AnswerTemplateOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      if (Object.keys(request.body).length === 0) throw invalid('body', 'nothing to change');
      return presentTemplate(await updateTemplate(app.db, contextOf(request), request.params.id, request.body));
    },
  );

  app.delete(
    '/answer-templates/:id',
    {
      schema: {
        tags,
        summary: 'Delete an answer template (head, municipal administrator)',
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      await deleteTemplate(app.db, contextOf(request), request.params.id);
      reply.code(204);
      return null;
    },
  );

  app.get(
    '/cases/:id/answer-templates',
    {
      schema: {
        tags,
        summary: 'The active templates for a case’s category and the generic ones, placeholders filled in (staff)',
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(AnswerTemplateOut) }), ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const rows = await templatesForCase(app.db, contextOf(request), request.params.id);
      return { items: rows.map(presentTemplate) };
    },
  );

  app.get(
    '/municipalities/:id/routing',
    {
      schema: {
        tags,
        summary: 'Routing rules: each active category with the department its new cases go to (staff)',
        params: Id,
        response: { 200: RoutingOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentRouting(await readRouting(app.db, contextOf(request), request.params.id));
    },
  );

  app.put(
    '/municipalities/:id/routing',
    {
      schema: {
        tags,
        summary: 'Set the departments of categories (municipal administrator); categories not listed keep theirs',
        params: Id,
        body: RoutingBody,
        response: { 200: RoutingOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return presentRouting(await saveRouting(app.db, contextOf(request), request.params.id, request.body.rules));
    },
  );

  app.get(
    '/municipalities/:id/workload',
    {
      schema: {
        tags,
        summary: 'Executors’ workload: open, overdue and due-within-24-hours cases per person (staff)',
        params: Id,
        response: { 200: WorkloadOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const rows = await readWorkload(app.db, contextOf(request), request.params.id);
      return { items: rows.map(presentWorkload) };
    },
  );

  // The CSV body arrives as bytes (decoded and checked as UTF-8 by the import); only for this plugin's routes.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (_r, body, done) =>
    done(null, body),
  );
  app.post(
    '/admin/totko/import',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import the ТОТКО classifier from CSV (code;name[;parent], UTF-8): all lines or none (regional administrator)',
        consumes: ['text/csv'],
        response: { 200: TotkoImportOut, ...errors, 413: ErrorResponse, 415: ErrorResponse },
      },
    },
    async (request) => {
      requireUser(request);
      if (!Buffer.isBuffer(request.body))
        throw invalid('body', 'send the CSV file as the request body with Content-Type: text/csv');
      return importTotko(app.db, contextOf(request), request.body);
    },
  );
};
