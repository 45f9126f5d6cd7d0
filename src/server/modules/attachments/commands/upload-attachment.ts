import { createHash } from 'node:crypto';
import {
  ATTACHMENT_FILE_NAME_MAX,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_PENDING_MAX_PER_USER,
  ATTACHMENT_PENDING_TTL_MS,
} from '../../../../shared/limits.ts';
import { writeAudit } from '../../../core/audit/audit.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError } from '../../../core/http/errors.ts';
import { countPending, insertAttachment } from '../attachments.repository.ts';
import { checkFile } from '../sniff.ts';

const MB = ATTACHMENT_MAX_BYTES / (1024 * 1024);

export const tooLarge = () =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `The file is larger than ${MB} MB (${ATTACHMENT_MAX_BYTES} bytes), the limit for one attachment; attach a smaller file`,
    [{ field: 'file', reason: `larger than ${ATTACHMENT_MAX_BYTES} bytes` }],
  );

export interface UploadInput {
  bytes: Buffer;
  /** The request's Content-Type (absent, octet-stream: the content alone decides). */
  declaredType: string | undefined;
  /** The name the uploader gave (already URI-decoded); sanitised here. */
  fileName: string;
}

/**
 * A signed-in user uploads one file. Its type is decided by its content (sniff.ts); programs, scripts, unknown
 * types and content that contradicts the declared type or the name's extension are refused (415), an empty file is
 * 400, over the limit 413. The upload stays pending until an intake attaches it (link-attachments.ts).
 */
export async function uploadAttachment(db: Db, ctx: CommandContext, input: UploadInput) {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Sign in to attach files');
  if (input.bytes.length > ATTACHMENT_MAX_BYTES) throw tooLarge();
  if (/^multipart\//i.test(input.declaredType ?? '')) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file itself as the request body with its own Content-Type (fetch(url, { body: file })), not a multipart form',
      [{ field: 'file', reason: 'multipart' }],
    );
  }
  const check = checkFile(input.bytes, input.declaredType, input.fileName, ATTACHMENT_FILE_NAME_MAX);
  if (!check.ok) {
    const details = [{ field: 'file', reason: check.reason }];
    if (check.reason === 'empty') throw new AppError('EMPTY_BODY', 'The file is empty; choose the file again', details);
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', check.message, details);
  }
  const since = new Date(ctx.now.getTime() - ATTACHMENT_PENDING_TTL_MS);
  if ((await countPending(db, p.userId, since)) >= ATTACHMENT_PENDING_MAX_PER_USER) {
    throw new AppError(
      'RATE_LIMITED',
      `You have ${ATTACHMENT_PENDING_MAX_PER_USER} uploaded files not yet attached to an appeal; submit the appeal first`,
    );
  }
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return db.transaction().execute(async (trx) => {
    const row = await insertAttachment(trx, {
      uploadedBy: p.userId,
      fileName: check.fileName,
      contentType: check.type,
      size: input.bytes.length,
      sha256,
      data: input.bytes,
      createdAt: ctx.now,
    });
    await writeAudit(trx, ctx, {
      action: 'attachment.upload',
      entityType: 'attachment',
      entityId: row.id,
      after: { fileName: row.file_name, contentType: row.content_type, size: row.size, sha256 },
    });
    return row;
  });
}
