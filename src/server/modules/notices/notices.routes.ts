import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { notFound } from '../../core/http/errors.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { readAllNotices, readNotice } from './commands/read-notices.ts';
import { presentNotice } from './notices.presenters.ts';
import { countUnread, findOwnNotice, listNotices } from './notices.repository.ts';
import { EmptyBody, NoticeListOut, NoticeListQuery, NoticeOut, ReadAllOut } from './notices.schemas.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** The signed-in user's own notices: letters about their cases, and for staff, deadline reminders. */
export const noticesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['notices'];

  app.get(
    '/notices',
    {
      schema: {
        tags,
        summary: "The caller's own notices, newest first, with the number of unread ones",
        querystring: NoticeListQuery,
        response: { 200: NoticeListOut, ...errors },
      },
    },
    async (request) => {
      const p = requireUser(request);
      const { limit = 50, beforeId } = request.query;
      const rows = await listNotices(app.db, p.userId, { limit, ...(beforeId !== undefined && { beforeId }) });
      return { items: rows.map(presentNotice), unread: await countUnread(app.db, p.userId) };
    },
  );

  app.post(
    '/notices/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark one of your notices read (another user’s is 404)',
        params: Id,
        body: EmptyBody,
        response: { 200: Type.Object({ item: NoticeOut, unread: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const p = requireUser(request);
      await readNotice(app.db, contextOf(request), request.params.id);
      const row = await findOwnNotice(app.db, p.userId, request.params.id);
      if (!row) throw notFound('Notice');
      return { item: presentNotice(row), unread: await countUnread(app.db, p.userId) };
    },
  );

  app.post(
    '/notices/read-all',
    {
      schema: {
        tags,
        summary: 'Mark all your notices read',
        body: EmptyBody,
        response: { 200: ReadAllOut, ...errors },
      },
    },
    async (request) => {
      const p = requireUser(request);
      const marked = await readAllNotices(app.db, contextOf(request));
      return { marked, unread: await countUnread(app.db, p.userId) };
    },
  );
};
