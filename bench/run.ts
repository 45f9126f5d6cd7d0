import { parseArgs } from 'node:util';
import { runAnalytics } from './analytics.ts';
import { runCases } from './cases.ts';
import { runColdstart } from './coldstart.ts';
import { runHttp } from './http.ts';
import { runMap } from './map.ts';
import { runMonitoring } from './monitoring.ts';
import type { BenchOptions } from './support.ts';
import { runTime } from './time.ts';

/** `npm run bench -- <area> [--quick]`: each area prints a human table, then one JSON object as its last line. */
const AREAS: Record<string, (options: BenchOptions) => Promise<void>> = {
  http: runHttp,
  coldstart: runColdstart,
  time: runTime,
  cases: runCases,
  map: runMap,
  monitoring: runMonitoring,
  analytics: runAnalytics,
};

const USAGE = `Usage: npm run bench -- <area> [--quick]
Areas: ${Object.keys(AREAS).join(', ')}
  http       req/s and p99 of GET /api/v1/municipalities on PGlite and PostgreSQL vs a Fastify hello-world
             (PostgreSQL from BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
  coldstart  time from spawn to the first answers of \`otklik serve --demo\` on a new and an existing data dir
  time       deadline computations per second (calendar and working days) vs a naive day-by-day Date loop
  cases      1,000,000 cases on PostgreSQL (a fresh database on BENCH_DATABASE_URL's server) and 200,000 on PGlite:
             staff queue p50/p95, full-text search p95, submissions/s with none lost, each vs a floor in the same run
  map        1,000,000 map reports on PostgreSQL (a fresh database on BENCH_DATABASE_URL's server): bounding-box p50/p95,
             Open311 GET requests.json req/s and p99 at 32 connections, /map showing 20,000 markers in Chromium
  monitoring 200,000 synthetic Russian posts through the query matcher with 2,000 (and 5,000) municipal queries
             (Russian morphology, phrases, NEAR, NOT, prefixes) vs evaluating every query on a sample, same ids checked
  analytics  1,000,000 cases with their timelines on PostgreSQL (a fresh database on BENCH_DATABASE_URL's server): the
             municipality dashboard p50/p95 (target < 200 ms) vs a full recount of the same figures, the region summary
--quick      a tenth of the duration (cases, monitoring, analytics: of the scale)`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    options: { quick: { type: 'boolean', default: false }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help || positionals.length === 0) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
const options: BenchOptions = { quick: values.quick ?? false };
for (const area of positionals) {
  const run = AREAS[area];
  if (!run) {
    process.stderr.write(`bench: unknown area "${area}"; areas: ${Object.keys(AREAS).join(', ')}\n`);
    process.exit(2);
  }
}
for (const area of positionals) await AREAS[area]!(options);
