// What an HTTP answer carrying a generated file needs: its media type and a Content-Disposition with the real name.

export const MEDIA_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;
export type FileFormat = keyof typeof MEDIA_TYPES;

/**
 * `attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 § 4.3 with the RFC 8187 —
 * formerly RFC 5987 — extended parameter): browsers save the file under its Russian name, old clients under the
 * fallback, where every character outside printable ASCII (and any quote or backslash) becomes `_`.
 */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; encodeURIComponent leaves '()*' and "'" too, encode them.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
