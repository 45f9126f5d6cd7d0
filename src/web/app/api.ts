import type { ErrorBody, ErrorCode, ErrorDetail } from '../../shared/errors.ts';

/**
 * The one way the web app talks to the server. The session lives in an httpOnly cookie; the CSRF token that
 * goes with it is kept in memory only (never in storage a script could read later) and sent on every write.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const WRITES = new Set<Method>(['POST', 'PATCH', 'PUT', 'DELETE']);

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** The browser's HTTP cache for this request (`reload` to skip an answer the server let it keep). */
  cache?: RequestCache;
  /** Extra request headers (an `Idempotency-Key` for a submission that must not be made twice). */
  headers?: Record<string, string>;
}

/** A failed request: the server's error code, message and per-field details, or `NETWORK` when it was not reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: (() => void) | undefined;

/** The session layer learns here when the server says the session is gone (expired, revoked, blocked). */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export function buildUrl(path: string, query?: Query): string {
  const url = `/api/v1${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal ?? null,
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Нет связи с сервером. Проверьте подключение к интернету и повторите.');
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  if (!e) return new ApiError(res.status, 'INTERNAL', `Сервер ответил с ошибкой ${res.status}`);
  return new ApiError(res.status, e.code, e.message, e.details ?? [], e.requestId);
}

/** Sends a request to `/api/v1{path}` and returns the parsed JSON body; throws ApiError on any failure. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let res = await send(path, options);
  if (res.status === 403 && WRITES.has(options.method ?? 'GET')) {
    const error = await toError(res.clone());
    // The token is lost on a reload and comes back with GET /session; fetch it once and repeat the write.
    if (error.code === 'CSRF_TOKEN_INVALID') {
      const session = await send('/session', {});
      const token = session.ok ? ((await session.json()) as { csrfToken: string | null }).csrfToken : null;
      if (token) {
        setCsrfToken(token);
        res = await send(path, options);
      }
    }
  }
  if (!res.ok) {
    const error = await toError(res);
    if (error.code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}
