import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ATTACHMENT_MAX_BYTES } from '../../../shared/limits.ts';
import { requireUser, sessionCookieName } from '../../core/auth/auth-plugin.ts';
import { contextOf } from '../../core/context.ts';
import { AppError, invalid } from '../../core/http/errors.ts';
import { errorResponses } from '../../core/http/schemas.ts';
import { contentDisposition, presentAttachment } from './attachments.presenters.ts';
import { AttachmentOut, UploadHeaders } from './attachments.schemas.ts';
import { deleteAttachment } from './commands/delete-attachment.ts';
import { purgePendingAttachments } from './commands/purge-attachments.ts';
import { readAttachment } from './commands/read-attachment.ts';
import { tooLarge, uploadAttachment } from './commands/upload-attachment.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const errors = errorResponses(400, 401, 403, 404, 409, 413, 415, 429);

/** Reads the raw body up to the limit; a larger one is refused as soon as it is known (413 naming the limit). */
async function readFileBody(request: FastifyRequest, payload: AsyncIterable<Buffer>): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > ATTACHMENT_MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of payload) {
    total += chunk.length;
    if (total > ATTACHMENT_MAX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function decodeFileName(raw: string | undefined): string {
  if (raw === undefined) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid('X-File-Name', 'must be URI-encoded (encodeURIComponent of the file name)');
  }
}

export const PURGE_JOB = 'attachments.purge';

/**
 * Attachments (issue 4): `POST /attachments` takes the file itself as the body (any Content-Type: the content
 * decides), `GET /attachments/{id}` gives it back as a download. The raw-body parser is scoped to this plugin, so
 * JSON routes elsewhere are untouched; the CSRF check (auth plugin) applies to this write like to any other.
 */
export const attachmentsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['attachments'];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', readFileBody);

  // Daily, at night in Moscow: pending uploads older than a day are deleted.
  app.jobs.register(PURGE_JOB, async (_payload, job) => void (await purgePendingAttachments(job.db, job.now)), {
    transactional: true,
  });
  app.jobs.schedule(PURGE_JOB, { dailyAt: '04:00', timeZone: 'Europe/Moscow' });

  const cookieName = sessionCookieName(app.config.publicUrl);

  app.post(
    '/attachments',
    {
      // Without a session cookie there is no point reading up to 10 MB first.
      onRequest: async (request) => {
        if (!request.cookies[cookieName]) throw new AppError('UNAUTHENTICATED', 'Sign in to attach files');
      },
      schema: {
        tags,
        summary: `Upload one file (the body is the file; at most ${ATTACHMENT_MAX_BYTES / 1048576} MB), to attach to a case`,
        description:
          'Send the file bytes as the body with its Content-Type and the URI-encoded name in X-File-Name. The type is ' +
          'decided from the content: JPEG, PNG, GIF, WebP, HEIC/HEIF, PDF, UTF-8 text, DOCX, XLSX, ODT. Programs, ' +
          'scripts, macro documents and content contradicting the declared type or extension are refused (415). ' +
          'Pass the returned id in attachmentIds of POST /cases, or of a contest application (POST /contests/{id}/' +
          'applications, PATCH /contest-applications/{id}), within 24 hours.',
        // No body schema: the body is the file itself (any type), checked by its content in the command.
        headers: UploadHeaders,
        response: { 201: AttachmentOut, ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const body = request.body as unknown;
      const row = await uploadAttachment(app.db, contextOf(request), {
        bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
        declaredType: request.headers['content-type'],
        fileName: decodeFileName(request.headers['x-file-name']),
      });
      reply.code(201);
      return presentAttachment(row);
    },
  );

  app.get(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary:
          'Download an attachment (its uploader, the case’s applicant, staff of the case’s municipality; a contest ' +
          'application’s file: its municipality’s administrators, the region’s administrators, the commission once admitted)',
        params: Id,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      requireUser(request);
      const row = await readAttachment(app.db, contextOf(request), request.params.id);
      const data = Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength);
      reply
        .type(row.content_type === 'text/plain' ? 'text/plain; charset=utf-8' : row.content_type)
        .header('content-disposition', contentDisposition(row.file_name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        // Opened directly (not saved), the file gets no scripts, no plugins, no same-origin access.
        .header('content-security-policy', "default-src 'none'; sandbox");
      return reply.send(data);
    },
  );

  app.delete(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary: 'Remove one of your uploads not yet attached (a file on a case or a contest application stays: 409)',
        params: Id,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      requireUser(request);
      await deleteAttachment(app.db, contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
