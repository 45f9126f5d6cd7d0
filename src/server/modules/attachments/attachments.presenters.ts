import type { AttachmentMeta } from './attachments.repository.ts';

type Meta = Pick<AttachmentMeta, 'id' | 'file_name' | 'content_type' | 'size' | 'sha256'>;

export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

export function presentAttachment(a: Meta) {
  return { id: a.id, fileName: a.file_name, contentType: a.content_type, size: a.size, sha256: a.sha256 };
}

export function presentCaseAttachment(a: Meta) {
  return { id: a.id, fileName: a.file_name, contentType: a.content_type, size: a.size, url: attachmentUrl(a.id) };
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''…` (RFC 6266 / RFC 8187): the real name, never inline. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
