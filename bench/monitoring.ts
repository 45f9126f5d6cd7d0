import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { openDatabase } from '../src/server/core/db/index.ts';
import { migrateToLatest } from '../src/server/core/db/migrate.ts';
import { seedDemo } from '../src/server/modules/demo/index.ts';
import {
  DEMO_WEBHOOK_SECRET,
  seedMonitoringDemo,
  signWebhookBody,
  WEBHOOK_SIGNATURE_HEADER,
} from '../src/server/modules/monitoring/index.ts';
import { evaluate, PostView } from '../src/server/modules/monitoring/query/evaluate.ts';
import { parseQuery, type Query, QueryMatcher } from '../src/server/modules/monitoring/query/index.ts';
import { syntheticPosts, syntheticQueries } from '../src/server/modules/monitoring/query/synthetic.ts';
import { MemoryMailer, testConfig } from '../test/support/test-app.ts';
import { type BenchOptions, DEFAULT_SERVER_URL, freshServerDatabase, machineLoad, round, table } from './support.ts';

/**
 * End to end into PostgreSQL: a fresh database with the demo and `queryCount` active queries of Кемерово; posts are
 * pushed through the signed webhook (`POST /api/v1/monitoring/webhook/{id}`, app.inject, `batch` posts a request)
 * and each request's transaction stores them and runs the pipeline on them (match, place, near-duplicate groups).
 * The first request (it compiles the matcher) is not timed. Every post sent must be stored once.
 */
async function endToEnd(posts: string[], queryCount: number, batch: number) {
  const serverUrl = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER_URL;
  const server = await freshServerDatabase(serverUrl, 'otklik_bench_monitoring');
  if ('skipped' in server) return { skipped: server.skipped };
  const database = await openDatabase({ databaseUrl: server.url, poolSize: 4, onIdleClientError: () => {} });
  try {
    const now = systemClock.now();
    await migrateToLatest(database.db as never);
    await seedDemo(database.db, now);
    const demo = await seedMonitoringDemo(database.db, now);
    if (!demo.sourceId) throw new Error('the monitoring demo made no webhook source');
    const kem = await database.db
      .selectFrom('municipality')
      .select('id')
      .where('slug', '=', 'kemerovo')
      .executeTakeFirstOrThrow();
    const texts = syntheticQueries(queryCount, 1);
    for (let i = 0; i < texts.length; i += 500) {
      await database.db
        .insertInto('monitoring_query')
        .values(
          texts.slice(i, i + 500).map((text, j) => ({
            municipality_id: kem.id,
            name: `Запрос ${i + j + 1}`,
            text,
            active: true,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
    const app = await buildApp({ config: testConfig(), database, clock: systemClock, mailer: new MemoryMailer() });
    await app.ready();
    let n = 0;
    const send = async (texts: string[]) => {
      const body = JSON.stringify({
        posts: texts.map((text) => ({
          externalId: `bench-${n++}`,
          text,
          publishedAt: new Date(now.getTime() - 60_000).toISOString(),
        })),
      });
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/monitoring/webhook/${demo.sourceId}`,
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(DEMO_WEBHOOK_SECRET, body),
        },
        payload: body,
      });
      if (res.statusCode >= 300) throw new Error(`webhook answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    };
    try {
      const warm = Date.now();
      await send(posts.slice(0, batch)); // compiles the matcher of all queries
      const warmMs = Date.now() - warm;
      const timed = posts.slice(batch);
      const t0 = performance.now();
      for (let i = 0; i < timed.length; i += batch) await send(timed.slice(i, i + batch));
      const ms = performance.now() - t0;
      const stored = await database.db
        .selectFrom('monitoring_post')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('id').filterWhere('status', '=', 'matched').as('matched'),
        ])
        .where('source_id', '=', demo.sourceId)
        .where('external_id', 'like', 'bench-%')
        .executeTakeFirstOrThrow();
      return {
        posts: timed.length,
        ms,
        perSec: (timed.length / ms) * 1000,
        warmMs,
        stored: Number(stored.n),
        sent: n,
        matched: Number(stored.matched),
      };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    await server.drop();
  }
}

/**
 * The monitoring matcher (issue 6, items 2–3) on one core: municipality-style queries (topic × place, with
 * exclusions: «((яма OR ямы OR выбоина) AND дорог*) AND (Белово OR Белове OR Белова) AND NOT реклама»,
 * «отключ* NEAR/3 (свет OR электричеств*)», phrases) over synthetic Russian posts (~31 words: complaints with
 * inflected words and places, chatter, links, mentions, hashtags), through QueryMatcher against the naive way —
 * read the post once, then evaluate every query on it — in the same run. Both must return the same ids on the naive
 * sample; the bench fails otherwise. Posts/s are by the wall clock; CPU-time posts/s are printed too, since on a
 * shared machine the wall clock also counts other processes' turns.
 */

interface Measure {
  posts: number;
  ms: number;
  cpuMs: number;
  perSec: number;
  cpuPerSec: number;
  matches: number;
}

function measure(posts: string[], fn: (post: string) => number): Measure {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let matches = 0;
  for (const post of posts) matches += fn(post);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    posts: posts.length,
    ms,
    cpuMs,
    perSec: (posts.length / ms) * 1000,
    cpuPerSec: (posts.length / cpuMs) * 1000,
    matches,
  };
}

interface Run {
  queries: number;
  buildMs: number;
  indexed: Measure;
  naive: Measure;
  candidatesPerPost: number;
  nodes: number;
  keys: number;
  matchesEqual: boolean;
  sample: number;
}

function run(queryCount: number, posts: string[], naiveSample: string[]): Run {
  const texts = syntheticQueries(queryCount);
  const queries: Query[] = texts.map((text) => {
    const result = parseQuery(text);
    if (!result.ok) throw new Error(`synthetic query «${text}» refused: ${result.error.message}`);
    return result.query;
  });

  const t0 = performance.now();
  const matcher = new QueryMatcher(texts.map((text, id) => ({ id, text })));
  const buildMs = performance.now() - t0;

  const view = new PostView();
  const naiveIds = (post: string): number[] => {
    view.fill(post);
    const ids: number[] = [];
    for (let id = 0; id < queries.length; id++) if (evaluate(queries[id]!.root, view)) ids.push(id);
    return ids;
  };

  // The same answers, post by post, on the naive sample.
  for (const post of naiveSample) {
    const a = matcher.match(post).join(',');
    const b = naiveIds(post).join(',');
    if (a !== b) throw new Error(`matcher and naive disagree on «${post}»: [${a}] ≠ [${b}]`);
  }

  // Warm-up, then one measured pass each.
  for (const post of posts.slice(0, 5000)) matcher.match(post);
  const before = matcher.stats();
  const indexed = measure(posts, (post) => matcher.match(post).length);
  const after = matcher.stats();
  const naive = measure(naiveSample, (post) => naiveIds(post).length);
  return {
    queries: queryCount,
    buildMs,
    indexed,
    naive,
    candidatesPerPost: (after.candidates - before.candidates) / (after.posts - before.posts),
    nodes: after.nodes,
    keys: after.keys,
    matchesEqual: true,
    sample: naiveSample.length,
  };
}

export async function runMonitoring(options: BenchOptions): Promise<void> {
  const scale = options.quick ? 0.1 : 1;
  const postCount = Math.round(200_000 * scale);
  const loadBefore = machineLoad();

  const posts = syntheticPosts(postCount, 2);
  const words = posts.reduce((n, p) => n + p.split(/\s+/).length, 0) / posts.length;
  const sample = syntheticPosts(Math.round(2000 * scale), 3);

  // The tokenizer alone (normal forms and stems, cached): the floor under any matcher.
  const view = new PostView();
  for (const post of posts.slice(0, 5000)) view.fill(post);
  const tokenizeOnly = measure(posts, (post) => view.fill(post).length * 0);

  const main = run(2000, posts, sample);
  const large = run(5000, posts.slice(0, Math.round(postCount / 4)), sample.slice(0, Math.round(sample.length / 2)));
  const ratio = main.indexed.perSec / main.naive.perSec;
  const largeRatio = large.indexed.perSec / large.naive.perSec;
  const e2e = await endToEnd(syntheticPosts(Math.round(20_000 * scale) + 200, 4), 5000, 200);

  const row = (name: string, queries: number | string, m: Measure) => [
    name,
    queries,
    m.posts,
    round(m.ms, 0),
    Math.round(m.perSec).toLocaleString('en-US'),
    Math.round(m.cpuPerSec).toLocaleString('en-US'),
    round((m.ms * 1000) / m.posts, 1),
    round(m.matches / m.posts, 2),
  ];
  process.stdout.write(
    `\nMonitoring matcher, one core: synthetic posts (~${round(words, 0)} words)${options.quick ? ' (--quick: a tenth of the posts)' : ''}\n\n`,
  );
  process.stdout.write(
    `${table([
      ['variant', 'queries', 'posts', 'ms', 'posts/s', 'posts/s (CPU)', 'µs/post', 'matches/post'],
      row('tokenize only (PostView.fill)', '–', tokenizeOnly),
      row('QueryMatcher', main.queries, main.indexed),
      row('naive: every query per post', main.queries, main.naive),
      row('QueryMatcher', large.queries, large.indexed),
      row('naive: every query per post', large.queries, large.naive),
    ])}\n`,
  );
  for (const r of [main, large])
    process.stdout.write(
      `\n${r.queries} queries: built in ${round(r.buildMs, 0)} ms (${r.keys} index keys, ${r.nodes} distinct subtrees); ` +
        `${round(r.candidatesPerPost, 1)} candidates verified per post; matcher/naive ${round(r.indexed.perSec / r.naive.perSec, 1)}×; ` +
        `identical ids on ${r.sample} posts`,
    );
  process.stdout.write(
    'skipped' in e2e
      ? `\n\nend to end into PostgreSQL: skipped (${e2e.skipped})`
      : `\n\nend to end into PostgreSQL (signed webhook, 200 posts a request, 5000 queries; store + match + place + ` +
          `groups in one transaction): ${Math.round(e2e.perSec).toLocaleString('en-US')} posts/s over ${e2e.posts} posts ` +
          `(${round(e2e.ms, 0)} ms; the first request, compiling the matcher, ${e2e.warmMs} ms); ` +
          `stored ${e2e.stored} of ${e2e.sent} sent, ${e2e.matched} matched`,
  );
  if (!('skipped' in e2e) && e2e.stored !== e2e.sent) throw new Error(`sent ${e2e.sent} posts, stored ${e2e.stored}`);
  const loadAfter = machineLoad();
  const busy = loadBefore.warning ?? loadAfter.warning;
  process.stdout.write(busy ? `\nnote: ${busy}\n\n` : '\n\n');
  process.stdout.write(
    `${JSON.stringify({
      bench: 'monitoring',
      quick: options.quick,
      queries: main.queries,
      posts: postCount,
      postsPerSec: Math.round(main.indexed.perSec),
      naivePostsPerSec: Math.round(main.naive.perSec),
      ratio: round(ratio, 1),
      matchesEqual: main.matchesEqual && large.matchesEqual,
      cpuPostsPerSec: Math.round(main.indexed.cpuPerSec),
      naiveSample: main.sample,
      matchesPerPost: round(main.indexed.matches / main.indexed.posts, 2),
      candidatesPerPost: round(main.candidatesPerPost, 1),
      tokenizePostsPerSec: Math.round(tokenizeOnly.perSec),
      at5000: {
        posts: large.indexed.posts,
        postsPerSec: Math.round(large.indexed.perSec),
        cpuPostsPerSec: Math.round(large.indexed.cpuPerSec),
        naivePostsPerSec: Math.round(large.naive.perSec),
        ratio: round(largeRatio, 1),
      },
      endToEnd:
        'skipped' in e2e
          ? null
          : { posts: e2e.posts, postsPerSec: Math.round(e2e.perSec), stored: e2e.stored, matched: e2e.matched },
      loadAvg1: [loadBefore.load1, loadAfter.load1],
    })}\n`,
  );
}
