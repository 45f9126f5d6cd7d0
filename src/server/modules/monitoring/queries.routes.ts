import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { changeQuery, createQuery, readQueries, readQuery, testQuery } from './queries.commands.ts';
import { presentQuery, presentTest } from './queries.presenters.ts';
import {
  CreateQueryBody,
  QueriesOut,
  QueriesQuery,
  QueryOut,
  QuerySyntaxErrorOut,
  TestQueryBody,
  TestQueryOut,
  UpdateQueryBody,
} from './queries.schemas.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const withSyntax = { ...errors, 422: QuerySyntaxErrorOut };

/** Monitoring queries (issue 6, item 2): the keyword queries the stream is matched against, and testing a draft. */
export const queriesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['monitoring'];

  app.get(
    '/monitoring/queries',
    {
      schema: {
        tags,
        summary: 'Monitoring queries: the municipality’s own and the regional ones',
        querystring: QueriesQuery,
        response: { 200: QueriesOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return { items: (await readQueries(app.db, contextOf(request), request.query)).map(presentQuery) };
    },
  );

  app.post(
    '/monitoring/queries/test',
    {
      schema: {
        tags,
        summary: 'Test a draft query against the newest stored posts (nothing is saved)',
        body: TestQueryBody,
        response: { 200: TestQueryOut, ...withSyntax },
      },
    },
    async (request) => {
      requireUser(request);
      return presentTest(request.body.text, await testQuery(app.db, contextOf(request), request.body));
    },
  );

  app.get(
    '/monitoring/queries/:id',
    { schema: { tags, summary: 'One monitoring query', params: Id, response: { 200: QueryOut, ...errors } } },
    async (request) => {
      requireUser(request);
      return presentQuery(await readQuery(app.db, contextOf(request), request.params.id));
    },
  );

  app.post(
    '/monitoring/queries',
    {
      schema: {
        tags,
        summary: 'Add a monitoring query (a syntax error is 422 with its position and reason)',
        body: CreateQueryBody,
        response: { 201: QueryOut, ...withSyntax },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const q = await createQuery(app.db, contextOf(request), request.body);
      reply.code(201);
      return presentQuery(q);
    },
  );

  app.patch(
    '/monitoring/queries/:id',
    {
      schema: {
        tags,
        summary: 'Change a monitoring query: text, name, default category; active: false deactivates it',
        params: Id,
        body: UpdateQueryBody,
        response: { 200: QueryOut, ...withSyntax },
      },
    },
    async (request) => {
      requireUser(request);
      return presentQuery(await changeQuery(app.db, contextOf(request), request.params.id, request.body));
    },
  );
};
