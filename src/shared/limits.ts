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
