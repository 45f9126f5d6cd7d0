import { ConnectorError } from './types.ts';

/**
 * The connectors' HTTP: global fetch with a timeout (AbortSignal.timeout) and a cap on the answer's size, read as
 * bytes so the connector decides the charset. Error messages name the host only: a Telegram bot token is part of
 * the URL's path and must not reach the source's health or the log.
 */
export interface HttpClientOptions {
  /** Per request (default 20 s). */
  timeoutMs?: number;
  /** An answer larger than this is refused (default 32 MiB: a page of posts with one 10 MB post still fits). */
  maxBytes?: number;
  userAgent?: string;
  /** Aborts every request (the job runner's stop signal). */
  signal?: AbortSignal;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

export class HttpClient {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly #userAgent: string;
  readonly #signal: AbortSignal | undefined;
  /** Requests made (for the logs and tests). */
  requests = 0;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#userAgent = options.userAgent ?? 'Otklik-monitoring/0.1 (+https://github.com/otklik)';
    this.#signal = options.signal;
  }

  async request(url: string, init: HttpRequest = {}): Promise<HttpResponse> {
    const host = hostOf(url);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.#signal ? AbortSignal.any([timeout, this.#signal]) : timeout;
    this.requests++;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method ?? 'GET',
        headers: { 'user-agent': this.#userAgent, ...init.headers },
        ...(init.body !== undefined && { body: init.body }),
        signal,
        redirect: 'follow',
      });
    } catch (error) {
      throw this.#failure(error, host, timeout);
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new ConnectorError('bad_response', `${host} answered with ${declared} bytes, more than ${this.maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > this.maxBytes) {
            await reader.cancel().catch(() => {});
            throw new ConnectorError('bad_response', `${host} answered with more than ${this.maxBytes} bytes`);
          }
          chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        }
      }
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw this.#failure(error, host, timeout);
    }
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks, total) };
  }

  #failure(error: unknown, host: string, timeout: AbortSignal): ConnectorError {
    if (timeout.aborted) return new ConnectorError('network', `${host} did not answer within ${this.timeoutMs / 1000} s`);
    if (this.#signal?.aborted) return new ConnectorError('network', 'the poll was stopped (the server is shutting down)');
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new ConnectorError('network', `cannot reach ${host}: ${why}`);
  }
}

/** Whether the bytes are valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes bytes in `charset` (default UTF-8; a BOM wins). Invalid sequences become U+FFFD and `lossy` says so,
 * so the connector can skip the posts that lost characters instead of the whole answer.
 */
export function decodeText(bytes: Uint8Array, charset = 'utf-8'): { text: string; lossy: boolean } {
  let label = charset.trim().toLowerCase() || 'utf-8';
  let data = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    label = 'utf-8';
    data = bytes.subarray(3);
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    decoder = new TextDecoder('utf-8', { fatal: true });
  }
  try {
    return { text: decoder.decode(data), lossy: false };
  } catch {
    return { text: new TextDecoder(decoder.encoding).decode(data), lossy: true };
  }
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = /;\s*charset\s*=\s*"?([A-Za-z0-9._:-]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

/** A short, printable preview of an answer, for an error message. */
export function preview(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/**
 * Parses a JSON answer. HTML or anything else that is not JSON (a proxy's error page, a captive portal) is a
 * `bad_response` naming the status and the first characters.
 */
export function parseJsonResponse(res: HttpResponse, what: string): { value: unknown; lossy: boolean } {
  const { text, lossy } = decodeText(res.body, charsetOf(res.headers.get('content-type')) ?? 'utf-8');
  try {
    return { value: JSON.parse(text), lossy };
  } catch {
    throw new ConnectorError(
      'bad_response',
      `${what} answered HTTP ${res.status} with something that is not JSON (${res.headers.get('content-type') ?? 'no Content-Type'}): ${preview(text)}`,
    );
  }
}

/** Waits so that calls are at least `intervalMs` apart (VK allows a few requests per second per token). */
export class Pacer {
  #last = 0;
  constructor(readonly intervalMs: number) {}
  async wait(): Promise<void> {
    const due = this.#last + this.intervalMs;
    const now = Date.now();
    if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
    this.#last = Date.now();
  }
}
