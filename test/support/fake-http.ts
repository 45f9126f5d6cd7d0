import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Shared plumbing of the fake platforms (fake-vk.ts, fake-telegram.ts, fake-rss.ts): a real node:http server. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export type FakeHandler = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

export async function startServer(handler: FakeHandler): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      Promise.resolve(
        handler(
          {
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            body: Buffer.concat(chunks),
          },
          res,
        ),
      ).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake server failed: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The parameters of a request as a platform reads them: the query string, then a form or JSON body on top. */
export function paramsOf(req: FakeRequest): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(req.query);
  const type = String(req.headers['content-type'] ?? '');
  if (req.body.length === 0) return out;
  if (type.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(out, Object.fromEntries(new URLSearchParams(req.body.toString('utf8'))));
  } else if (type.startsWith('application/json')) {
    const json = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries(json)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

/** A canned answer instead of the platform's own: HTML from a proxy, broken JSON, invalid UTF-8, a huge body. */
export interface RawAnswer {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export function sendRaw(res: ServerResponse, a: RawAnswer): void {
  const body = typeof a.body === 'string' ? Buffer.from(a.body, 'utf8') : a.body;
  res.writeHead(a.status ?? 200, {
    'content-type': a.contentType ?? 'application/json',
    'content-length': body.length,
    ...a.headers,
  });
  res.end(body);
}

export const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
