import type { FastifyInstance } from 'fastify';
import type { Db } from '../../core/db/index.ts';
import type { MonitoringPostStatus } from '../../core/db/schema.ts';
import type { JobLogger } from '../../core/jobs/index.ts';
import { Gazetteer } from './gazetteer/index.ts';
import { DEFAULT_CAPACITY, DEFAULT_WINDOW_MS, NearDuplicateIndex } from './grouping/index.ts';
import type { StoredMatch } from './monitoring-db.ts';
import {
  activeQueriesForMatcher,
  countDuplicates,
  districtsForGazetteer,
  existingPostIds,
  type GroupedPost,
  gazetteerEntries,
  gazetteerVersion,
  groupedPostsAfter,
  groupedPostsSince,
  type HeadIncrement,
  maxPostId,
  municipalitiesForGazetteer,
  type ProcessedPost,
  postsToProcess,
  storeProcessed,
} from './pipeline.repository.ts';
import { gazetteerEntriesFrom, storedPlace } from './pipeline-places.ts';
import type { PostsStoredEvent } from './poller.ts';
import { queriesVersion } from './queries.repository.ts';
import { type MatchHit, type QueryMatch, QueryMatcher } from './query/index.ts';

/*
 * The pipeline (issue 6, items 3–5): every new post, as it is stored, is matched against all active queries, placed
 * by the gazetteer, given a category guess and grouped with its near-duplicates.
 *
 * Where it runs. Inside the transaction that stores the posts (the poller's and the webhook's onPostsStored hook),
 * not in a job after it. The work is in-process and small — the compiled matcher checks a post only against the
 * queries its words can match (microseconds with thousands of queries), the gazetteer walks the post once (~20 µs),
 * MinHash is one pass over its words — and the batch is written with two statements whatever its size, so a poll of
 * a few hundred posts gains milliseconds. In exchange a post is never seen half-processed (no `new` post in the
 * stream, no second job to lose or repeat), and a crash rolls the posts, the cursor and the pipeline's work back
 * together: the next poll brings the same posts and they are processed once.
 *
 * Matcher. One QueryMatcher per app over the active queries, checked at every batch against a fingerprint (count,
 * newest id, latest updated_at of monitoring_query: one cheap query) and updated incrementally — queries whose
 * updated_at changed are compiled again, deactivated ones removed — so an edit on any node reaches every node's
 * next batch. A post is `matched` when any active query matches it (its ids and the term ranges for highlighting are
 * stored), else `unmatched`.
 *
 * Place and municipality, in this order of precedence:
 *   1. the gazetteer's place in the text (a street, district, settlement or municipality: the most specific named,
 *      see gazetteer/gazetteer.ts) — what the post is about beats where it was found;
 *   2. otherwise the source's municipality (a municipal source: the city's own wall, a local chat);
 *   3. otherwise the matched queries' municipality, when they all belong to one (regional queries do not count);
 *   4. otherwise none: the regional queue (municipality_id null).
 * The gazetteer is built from the municipalities, the places module's districts and the imported entries, and is
 * rebuilt when any of them changes (a fingerprint checked at every batch).
 *
 * Category guess: the default category of the matched query with the most term hits (the lower id among equals),
 * taken only from queries whose category belongs to the post's municipality.
 *
 * Grouping. A NearDuplicateIndex (MinHash, 72-hour window) of the posts already stored: rebuilt from the stored
 * signatures at the first batch, then brought up to date at every batch with the posts stored since (by this node
 * or another). A batch's posts are added to see each other and the stored ones, then taken out again: the index
 * only ever holds committed posts, so a rolled-back batch leaves nothing behind. A near-duplicate points at its
 * group's head (`duplicate_of`, the group's first post), is hidden from the stream, and the head's `dup_count` grows;
 * a head that no query matched takes the queries its duplicates matched, so a storm of matching copies shows.
 * Limits (best effort, never wrong): a post committed by another node's concurrent transaction with a lower id than
 * posts already read is missed by this node's index; it is still grouped itself when stored.
 */

interface CompiledQuery {
  version: string;
  municipalityId: number | null;
  categoryId: number | null;
  categoryMunicipalityId: number | null;
}

const CATCH_UP_LIMIT = 50_000;
/** A batch still not visible after this long was rolled back: the catch-up stops waiting for it. */
const IN_FLIGHT_MS = 10 * 60_000;

export interface PipelineOptions {
  log?: JobLogger;
  /** Grouping window and capacity (tests use smaller ones). */
  windowMs?: number;
  capacity?: number;
}

export class MonitoringPipeline {
  readonly #log: JobLogger | undefined;
  #queriesVersion: string | null = null;
  readonly #matcher = new QueryMatcher();
  readonly #queries = new Map<number, CompiledQuery>();
  #gazetteerVersion: string | null = null;
  #gazetteer = new Gazetteer([]);
  readonly #dups: NearDuplicateIndex<number>;
  #dupsLoaded = false;
  /** Posts with ids up to here are in the index (or were looked at). */
  #highWater = 0;
  /** This node's batches whose posts may not be committed yet: their smallest id and when they were processed. */
  readonly #inFlight = new Map<number, { minId: number; maxId: number; at: number }>();
  #batchSeq = 0;

  constructor(options: PipelineOptions = {}) {
    this.#log = options.log;
    this.#dups = new NearDuplicateIndex<number>({
      windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
      capacity: options.capacity ?? DEFAULT_CAPACITY,
    });
  }

  /** The onPostsStored hook: inside the storing transaction, use only `trx`. */
  readonly onPostsStored = async (trx: Db, e: PostsStoredEvent): Promise<void> => {
    await this.process(trx, e);
  };

  async process(trx: Db, e: PostsStoredEvent): Promise<ProcessedPost[]> {
    if (e.postIds.length === 0) return [];
    const posts = await postsToProcess(trx, e.postIds);
    if (posts.length === 0) return [];
    await this.#refreshQueries(trx);
    await this.#refreshGazetteer(trx);
    const ids = posts.map((p) => Number(p.id));
    await this.#catchUp(trx, e.now, Math.min(...ids));

    const batch = ++this.#batchSeq;
    this.#inFlight.set(batch, { minId: Math.min(...ids), maxId: Math.max(...ids), at: e.now.getTime() });

    const out: ProcessedPost[] = [];
    const grouped: Array<{ id: number; head: number; matched: number[] }> = [];
    try {
      for (const post of posts) {
        const id = Number(post.id);
        const matches = this.#matcher.matchDetailed(post.text);
        const matched = matches.map((m) => m.id).sort((a, b) => a - b);
        const place = storedPlace(this.#gazetteer.resolve(post.text));
        const municipalityId = place?.municipalityId ?? e.municipalityId ?? this.#queriesMunicipality(matched);
        const group = this.#dups.add(id, post.text, post.published_at);
        const head = group.groupId === id ? null : group.groupId;
        if (head !== null) grouped.push({ id, head, matched });
        out.push({
          id,
          status: (matched.length > 0 ? 'matched' : 'unmatched') satisfies MonitoringPostStatus,
          matched,
          hits: matches.length > 0 ? matches.map((m): StoredMatch => ({ queryId: m.id, hits: distinctRanges(m.hits) })) : null,
          municipality_id: municipalityId,
          place_id: place?.placeId ?? null,
          place,
          category_id: this.#categoryGuess(matches, municipalityId),
          duplicate_of: head,
          signature: group.signature,
        });
      }
    } finally {
      // Only committed posts stay in the index: the batch's come back through the catch-up once visible.
      for (const id of ids) this.#dups.remove(id);
    }

    // A head the index remembered may have been rolled back since (another node's, or a failed batch before the
    // catch-up saw it gone): such a post heads its own group instead.
    const inBatch = new Set(ids);
    const outside = [...new Set(grouped.map((g) => g.head).filter((h) => !inBatch.has(h)))];
    const existing = await existingPostIds(trx, outside);
    const increments = new Map<number, HeadIncrement>();
    for (const g of grouped) {
      if (!inBatch.has(g.head) && !existing.has(g.head)) {
        const p = out.find((x) => x.id === g.id)!;
        p.duplicate_of = null;
        continue;
      }
      const inc = increments.get(g.head) ?? { id: g.head, n: 0, matched: [] };
      inc.n++;
      for (const q of g.matched) if (!inc.matched.includes(q)) inc.matched.push(q);
      increments.set(g.head, inc);
    }
    await storeProcessed(trx, out);
    await countDuplicates(trx, [...increments.values()]);
    return out;
  }

  /** The matcher is brought up to date when the queries' fingerprint changed. */
  async #refreshQueries(trx: Db): Promise<void> {
    const version = await queriesVersion(trx);
    if (version === this.#queriesVersion) return;
    const rows = await activeQueriesForMatcher(trx);
    const active = new Set<number>();
    for (const r of rows) {
      active.add(r.id);
      const known = this.#queries.get(r.id);
      const entry: CompiledQuery = {
        version: r.version,
        municipalityId: r.municipality_id,
        categoryId: r.category_id,
        categoryMunicipalityId: r.category_municipality_id,
      };
      if (known?.version === r.version && this.#matcher.has(r.id)) {
        this.#queries.set(r.id, entry); // the category may have been deactivated
        continue;
      }
      const added = this.#matcher.add({ id: r.id, text: r.text });
      if (!added.ok) {
        this.#matcher.remove(r.id);
        this.#queries.delete(r.id);
        this.#log?.warn({ queryId: r.id, error: added.error }, 'monitoring: an active query does not compile; skipped');
        continue;
      }
      this.#queries.set(r.id, entry);
    }
    for (const id of [...this.#queries.keys()]) {
      if (!active.has(id)) {
        this.#matcher.remove(id);
        this.#queries.delete(id);
      }
    }
    this.#queriesVersion = version;
  }

  async #refreshGazetteer(trx: Db): Promise<void> {
    const version = await gazetteerVersion(trx);
    if (version === this.#gazetteerVersion) return;
    const [municipalities, districts, entries] = [
      await municipalitiesForGazetteer(trx),
      await districtsForGazetteer(trx),
      await gazetteerEntries(trx),
    ];
    this.#gazetteer = new Gazetteer(gazetteerEntriesFrom({ municipalities, districts, entries }));
    this.#gazetteerVersion = version;
  }

  /** Restores the index from the stored signatures (first batch), then adds what was stored since. */
  async #catchUp(trx: Db, now: Date, batchMinId: number): Promise<void> {
    const restore = (rows: GroupedPost[]) => {
      for (const r of rows) {
        this.#dups.restore({ id: r.id, signature: r.signature, groupId: r.duplicate_of ?? r.id, at: r.published_at });
      }
    };
    if (!this.#dupsLoaded) {
      const top = await maxPostId(trx);
      restore(await groupedPostsSince(trx, new Date(now.getTime() - this.#dups.windowMs), this.#dups.capacity));
      // The batch's own posts (already inserted, not yet grouped) come back through the catch-up after it commits.
      this.#highWater = Math.min(top, batchMinId - 1);
      this.#dupsLoaded = true;
      return;
    }
    const rows = await groupedPostsAfter(trx, this.#highWater, CATCH_UP_LIMIT);
    restore(rows);
    const maxRead = rows.length > 0 ? rows[rows.length - 1]!.id : this.#highWater;
    // Do not move past a batch of this node that is not visible yet (still committing): read its posts next time.
    let cap = maxRead;
    for (const [key, b] of this.#inFlight) {
      const seen = rows.some((r) => r.id >= b.minId && r.id <= b.maxId) || b.maxId <= this.#highWater;
      if (seen || now.getTime() - b.at > IN_FLIGHT_MS) this.#inFlight.delete(key);
      else cap = Math.min(cap, b.minId - 1);
    }
    this.#highWater = Math.max(this.#highWater, cap);
  }

  /** Rule 3: the matched queries' municipality when they all have the same one. */
  #queriesMunicipality(matched: number[]): number | null {
    let found: number | null = null;
    for (const id of matched) {
      const m = this.#queries.get(id)?.municipalityId ?? null;
      if (m === null) continue;
      if (found !== null && found !== m) return null;
      found = m;
    }
    return found;
  }

  #categoryGuess(matches: QueryMatch[], municipalityId: number | null): number | null {
    if (municipalityId === null) return null;
    let best: { id: number; hits: number; category: number } | null = null;
    for (const m of matches) {
      const q = this.#queries.get(m.id);
      if (!q?.categoryId || q.categoryMunicipalityId !== municipalityId) continue;
      if (!best || m.hits.length > best.hits || (m.hits.length === best.hits && m.id < best.id)) {
        best = { id: m.id, hits: m.hits.length, category: q.categoryId };
      }
    }
    return best?.category ?? null;
  }
}

/** One highlight per range: «яма OR ямы» hits the same word through both terms (the first term is kept). */
function distinctRanges(hits: readonly MatchHit[]): MatchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(`${h.from}:${h.to}`) && seen.add(`${h.from}:${h.to}`));
}

/** Hangs the pipeline on the app's storing transactions (the poller's and the webhook's). */
export function registerPipeline(app: FastifyInstance, options: Omit<PipelineOptions, 'log'> = {}): MonitoringPipeline {
  const pipeline = new MonitoringPipeline({ ...options, log: app.log });
  app.monitoring.onPostsStored(pipeline.onPostsStored);
  return pipeline;
}
