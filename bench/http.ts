import path from 'node:path';
import autocannon from 'autocannon';
import {
  type BenchOptions,
  CLI,
  DEFAULT_SERVER_URL,
  freePort,
  freshServerDatabase,
  machineLoad,
  ROOT,
  randomSecret,
  round,
  type Server,
  serverEnv,
  startServer,
  table,
  tempDir,
} from './support.ts';

/**
 * Requests per second and p99 latency of GET /api/v1/municipalities on the app over embedded PGlite and over
 * PostgreSQL, against a bare Fastify hello-world on the same machine. Each server runs in its own process
 * (started as a user would: `otklik serve --demo`, logging silent); autocannon loads it from this one.
 */

const CONNECTIONS = 10;
const DURATION_S = 20;
const WARMUP_S = 5;

interface Measured {
  name: string;
  path: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/**
 * autocannon's own latency histogram keeps whole milliseconds (a hello-world's p99 reads 0), so the latency of
 * every 2xx answer is collected here from its 'response' event, in fractions of a millisecond.
 */
async function load(url: string, seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, pipelining: 1, duration: seconds }, (error, r) =>
      error ? reject(error) : resolve(r),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN;
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  return { result, p50: at(0.5), p99: at(0.99), mean };
}

async function measure(name: string, server: Server, urlPath: string, options: BenchOptions): Promise<Measured> {
  const scale = options.quick ? 0.1 : 1;
  const url = `${server.url}${urlPath}`;
  await load(url, Math.max(0.5, WARMUP_S * scale)); // JIT, caches, connection pool
  const { result: r, p50, p99, mean } = await load(url, DURATION_S * scale);
  return {
    name,
    path: urlPath,
    reqPerSec: round(r.requests.average, 0),
    p50Ms: round(p50, 2),
    p99Ms: round(p99, 2),
    meanMs: round(mean, 2),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function checkMunicipalities(server: Server): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/municipalities`);
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200 || !Array.isArray(body.items) || body.items.length === 0) {
    throw new Error(`GET /api/v1/municipalities answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

export async function runHttp(options: BenchOptions): Promise<void> {
  const loadBefore = machineLoad();
  const results: Measured[] = [];
  const notes: string[] = [];

  // (c) The baseline.
  {
    const port = await freePort();
    const server = await startServer([path.join(ROOT, 'bench/hello.ts')], serverEnv({ PORT: String(port) }), '/hello');
    try {
      results.push(await measure('Fastify hello-world', server, '/hello', options));
    } finally {
      await server.stop();
    }
  }

  // (a) Embedded PGlite with the demo data.
  {
    const data = tempDir('otklik-bench-');
    const port = await freePort();
    const server = await startServer(
      [CLI, 'serve', '--demo'],
      serverEnv({ PORT: String(port), OTKLIK_DATA_DIR: data.dir }),
      '/api/health',
    );
    try {
      await checkMunicipalities(server);
      results.push(await measure('app on PGlite', server, '/api/v1/municipalities', options));
    } finally {
      await server.stop();
      data.remove();
    }
  }

  // (b) PostgreSQL: a fresh database, dropped afterwards.
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const database = await freshServerDatabase(serverUrl, 'otklik_bench');
  if ('skipped' in database) {
    notes.push(`PostgreSQL skipped: ${database.skipped}`);
  } else {
    const data = tempDir('otklik-bench-');
    try {
      const port = await freePort();
      const server = await startServer(
        [CLI, 'serve', '--demo'],
        serverEnv({ PORT: String(port), DATABASE_URL: database.url, SESSION_SECRET: randomSecret(), OTKLIK_DATA_DIR: data.dir }),
        '/api/health',
      );
      try {
        await checkMunicipalities(server);
        results.push(await measure('app on PostgreSQL', server, '/api/v1/municipalities', options));
      } finally {
        await server.stop();
      }
    } finally {
      await database.drop();
      data.remove();
    }
  }

  const hello = results.find((r) => r.name.startsWith('Fastify'))!;
  const pglite = results.find((r) => r.name.endsWith('PGlite'));
  const postgres = results.find((r) => r.name.endsWith('PostgreSQL'));
  const ratio = (r: Measured | undefined) => (r ? round(r.reqPerSec / hello.reqPerSec, 3) : null);

  const scale = options.quick ? 0.1 : 1;
  process.stdout.write(
    `\nHTTP: ${CONNECTIONS} connections, ${round(DURATION_S * scale, 1)} s per target after ${round(Math.max(0.5, WARMUP_S * scale), 1)} s warm-up` +
      `${options.quick ? ' (--quick)' : ''}; Node ${process.version}\n\n`,
  );
  process.stdout.write(
    `${table([
      ['target', 'path', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'non-2xx', 'errors', '÷ hello'],
      ...results.map((r) => [
        r.name,
        r.path,
        r.reqPerSec,
        r.p50Ms,
        r.p99Ms,
        r.meanMs,
        r.requests,
        r.non2xx,
        r.errors,
        ratio(r) ?? '',
      ]),
    ])}\n`,
  );
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  if (busy) notes.push(busy);
  for (const n of notes) process.stdout.write(`note: ${n}\n`);
  for (const r of results) {
    if (r.non2xx || r.errors) process.stdout.write(`warning: ${r.name} had ${r.non2xx} non-2xx answers and ${r.errors} errors\n`);
  }
  process.stdout.write('\n');
  process.stdout.write(
    `${JSON.stringify({
      bench: 'http',
      quick: options.quick,
      connections: CONNECTIONS,
      durationSec: round(DURATION_S * scale, 1),
      pgliteReqPerSec: pglite?.reqPerSec ?? null,
      pgliteP99Ms: pglite?.p99Ms ?? null,
      postgresReqPerSec: postgres?.reqPerSec ?? null,
      postgresP99Ms: postgres?.p99Ms ?? null,
      helloReqPerSec: hello.reqPerSec,
      helloP99Ms: hello.p99Ms,
      pgliteRatio: ratio(pglite),
      postgresRatio: ratio(postgres),
      loadAvg1: [loadBefore.load1, loadAfter.load1],
      ...(postgres ? {} : { postgresSkipped: notes.find((n) => n.startsWith('PostgreSQL skipped')) ?? 'skipped' }),
    })}\n`,
  );
}
