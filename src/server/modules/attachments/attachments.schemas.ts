import { Type } from 'typebox';

export const AttachmentOut = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String({ description: 'decided from the content, not from the declared type' }),
  size: Type.Integer({ description: 'bytes' }),
  sha256: Type.String({ description: 'hex' }),
});

/** An attachment as the case card lists it. */
export const CaseAttachmentOut = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'GET it to download (same session)' }),
});

export const UploadHeaders = Type.Object({
  'x-file-name': Type.Optional(Type.String({ maxLength: 2000, description: 'the file name, URI-encoded (encodeURIComponent)' })),
});
