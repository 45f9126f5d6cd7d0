/** Limits shared by the server (validation) and the web app (form hints). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NAME_MAX = 100;
export const EMAIL_MAX = 254;
/** Default request body limit; endpoints that take files set their own. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Sessions (ASVS 7.3.1–7.3.2): an idle timeout and an absolute lifetime, both enforced server-side. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

/** Login throttling (ASVS 6.3.1): per account and per client address, within a sliding window. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_MAX_FAILURES_PER_ACCOUNT = 5;
export const LOGIN_MAX_FAILURES_PER_IP = 30;
export const LOGIN_LOCKOUT_MS = 15 * 60 * 1000;

export const EMAIL_CONFIRM_TTL_MS = 3 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Attachments (issue 4). One file at most 10 MiB (413 above); a case holds at most 10 files and 25 MiB in all
 * (the intake refuses more with 400 on `attachmentIds`). An upload not attached to a case within 24 h expires
 * (it can no longer be attached; a daily job deletes it), and a user keeps at most 30 such pending uploads (429).
 * The accepted types are decided by the file's content (magic bytes), not by its name or declared type.
 */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_CASE_MAX = 10;
export const ATTACHMENTS_PER_CASE_MAX_BYTES = 25 * 1024 * 1024;
export const ATTACHMENT_PENDING_TTL_MS = 24 * 60 * 60 * 1000;
export const ATTACHMENT_PENDING_MAX_PER_USER = 30;
export const ATTACHMENT_FILE_NAME_MAX = 200;
/** The accepted types with the file-name extensions each may carry (the first is the canonical one). */
export const ATTACHMENT_TYPES = [
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg', 'jfif'] },
  { type: 'image/png', extensions: ['png'] },
  { type: 'image/gif', extensions: ['gif'] },
  { type: 'image/webp', extensions: ['webp'] },
  { type: 'image/heic', extensions: ['heic', 'heif'] },
  { type: 'image/heif', extensions: ['heif', 'heic'] },
  { type: 'application/pdf', extensions: ['pdf'] },
  { type: 'text/plain', extensions: ['txt'] },
  { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'] },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'] },
  { type: 'application/vnd.oasis.opendocument.text', extensions: ['odt'] },
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number]['type'];
