import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { ErrorResponse } from '../../core/http/schemas.ts';
import { acceptPost, bulkModerate, dismissPost, postAfter, readPost, readStream } from './moderation.commands.ts';
import { encodeCursor, presentPost } from './moderation.presenters.ts';
import {
  AcceptBody,
  BulkBody,
  BulkOut,
  ConfirmReplyBody,
  DismissBody,
  ModeratedOut,
  PostOut,
  ReplyBody,
  StreamOut,
  StreamQuery,
} from './moderation.schemas.ts';
import { confirmReply, replyToPost } from './replies.commands.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  422: ErrorResponse,
};

/** The moderation workspace and replies (issue 6, items 6–7); the contract is in moderation.schemas.ts. */
export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['monitoring'];
  const shown = async (id: number) => {
    const { post, names } = await postAfter(app.db, id);
    return presentPost(post, names);
  };

  app.get(
    '/monitoring/stream',
    {
      schema: {
        tags,
        summary: 'The moderation stream: group heads, newest first, keyset paging',
        querystring: StreamQuery,
        response: { 200: StreamOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const { items, names, last } = await readStream(app.db, contextOf(request), request.query);
      return { items: items.map((p) => presentPost(p, names)), nextCursor: last ? encodeCursor(last) : null };
    },
  );

  app.get(
    '/monitoring/posts/:id',
    { schema: { tags, summary: 'One post with its duplicates', params: Id, response: { 200: PostOut, ...errors } } },
    async (request) => {
      requireUser(request);
      const { post, names, duplicates } = await readPost(app.db, contextOf(request), request.params.id);
      return { ...presentPost(post, names), duplicates };
    },
  );

  app.post(
    '/monitoring/posts/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept a post: an incident case through the intake (channel social), the post accepted',
        params: Id,
        body: AcceptBody,
        response: { 200: ModeratedOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const a = await acceptPost(app.db, contextOf(request), app.calendars, request.params.id, request.body ?? {});
      return {
        post: await shown(a.postId),
        case: {
          id: a.case.id,
          number: a.case.number,
          municipalityId: a.case.municipalityId,
          dueAt: a.case.dueAt ? a.case.dueAt.toISOString() : null,
          dueKind: a.case.dueKind,
        },
      };
    },
  );

  app.post(
    '/monitoring/posts/:id/dismiss',
    {
      schema: {
        tags,
        summary: 'Dismiss a post as noise, with the reason',
        params: Id,
        body: DismissBody,
        response: { 200: ModeratedOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await dismissPost(app.db, contextOf(request), request.params.id, request.body.reason);
      return { post: await shown(request.params.id), case: null };
    },
  );

  app.post(
    '/monitoring/posts/bulk',
    {
      schema: {
        tags,
        summary: 'Accept or dismiss several posts; each has its own outcome',
        body: BulkBody,
        response: { 200: BulkOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return { results: await bulkModerate(app.db, contextOf(request), app.calendars, request.body) };
    },
  );

  app.post(
    '/monitoring/posts/:id/reply',
    {
      schema: {
        tags,
        summary: 'Reply to a post: published back where the source can, else marked for publication by hand',
        params: Id,
        body: ReplyBody,
        response: { 200: PostOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const ctx = contextOf(request);
      await replyToPost(app.db, ctx, app.monitoring, request.params.id, request.body);
      const { post, names, duplicates } = await readPost(app.db, ctx, request.params.id);
      return { ...presentPost(post, names), duplicates };
    },
  );

  app.post(
    '/monitoring/posts/:id/reply/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a reply published by hand (its time is the incident’s first reaction)',
        params: Id,
        body: ConfirmReplyBody,
        response: { 200: PostOut, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      const ctx = contextOf(request);
      const { url, publishedAt } = request.body ?? {};
      await confirmReply(app.db, ctx, request.params.id, {
        ...(url !== undefined && { url }),
        ...(publishedAt !== undefined && { publishedAt: new Date(publishedAt) }),
      });
      const { post, names, duplicates } = await readPost(app.db, ctx, request.params.id);
      return { ...presentPost(post, names), duplicates };
    },
  );
};
