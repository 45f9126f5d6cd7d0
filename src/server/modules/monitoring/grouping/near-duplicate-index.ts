import {
  BANDS,
  bandKey,
  computeSignature,
  decodeSignature,
  encodeSignature,
  type Signature,
  signatureSimilarity,
} from './minhash.ts';

/**
 * The in-process index of recent posts that collapses reposts and copy-paste storms into groups (issue 6, item 5).
 *
 * - A post joins the group of the most similar recent post whose estimated Jaccard similarity of word bigrams is at
 *   least `threshold` (default 0.5; minhash.ts explains the estimate); otherwise it starts a group whose id is its own.
 *   Groups chain: a copy of a copy joins the first one's group even when it no longer resembles the first.
 * - Lookup is sublinear: a post is compared only with the posts that share one of its 20 LSH band buckets (short texts:
 *   the one exact bucket), never with the whole window. In a storm a bucket holds thousands of copies; only its newest
 *   64 are checked — any of them is in the group.
 * - Bounded: posts older than `windowMs` (default 72 h) before the newest time seen, and the oldest posts beyond
 *   `capacity` (default 20,000; about 0.5 KB a post), are evicted in the order they were added; a post is never
 *   compared with one more than `windowMs` apart in time. A post whose group's posts were all evicted starts a new
 *   group.
 * - Pure: time is passed in (`at`, ms or a Date; by default the latest time seen), nothing is read from a clock.
 * - Restart: store `signature` (and the group) with each post; `restore()` them in the order they arrived to rebuild
 *   the index as it was, without the texts.
 */
export interface NearDuplicateOptions {
  /** Most posts kept (default 20,000). */
  capacity?: number;
  /** Posts are kept and compared within this time (default 72 hours). */
  windowMs?: number;
  /** Least estimated Jaccard similarity of word bigrams for a duplicate (default 0.5). */
  threshold?: number;
}

export interface NearDuplicateResult<Id> {
  /** The id of the group's first post (the post's own id when it starts a group). */
  groupId: Id;
  /** The most similar earlier post (the earliest among equals), or null. */
  duplicateOf: Id | null;
  /** Estimated similarity to `duplicateOf` (1 for an exact short text), 0 when it is null. */
  similarity: number;
  /** To store with the post (minhash.ts `signature`). */
  signature: string;
}

export const DEFAULT_CAPACITY = 20_000;
export const DEFAULT_WINDOW_MS = 72 * 3600_000;
export const DEFAULT_THRESHOLD = 0.5;
const MAX_SCAN_PER_BUCKET = 64;

interface Item<Id> {
  id: Id;
  groupId: Id;
  duplicateOf: Id | null;
  similarity: number;
  sig: Signature;
  encoded: string;
  at: number;
  seq: number;
  bandKeys: number[];
  live: boolean;
  stamp: number;
}

const toMs = (at: number | Date | undefined): number | undefined => (at instanceof Date ? at.getTime() : at);

export class NearDuplicateIndex<Id extends string | number = string | number> {
  readonly capacity: number;
  readonly windowMs: number;
  readonly threshold: number;
  readonly #items = new Map<Id, Item<Id>>();
  readonly #bands = new Map<number, Item<Id>[]>();
  readonly #exact = new Map<string, Item<Id>[]>();
  readonly #groupSizes = new Map<Id, number>();
  #queue: Item<Id>[] = [];
  #head = 0;
  #seq = 0;
  #stamp = 0;
  #latest = -Infinity;
  #comparisons = 0;

  constructor(options: NearDuplicateOptions = {}) {
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!(this.capacity >= 1)) throw new RangeError('capacity must be at least 1');
    if (!(this.windowMs > 0)) throw new RangeError('windowMs must be positive');
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  }

  /** Posts in the index. */
  get size(): number {
    return this.#items.size;
  }

  /** Signature comparisons made so far: the lookup's cost, for tests and metrics. */
  get comparisons(): number {
    return this.#comparisons;
  }

  has(id: Id): boolean {
    return this.#items.has(id);
  }

  /** Posts of a group still in the index. */
  groupSize(groupId: Id): number {
    return this.#groupSizes.get(groupId) ?? 0;
  }

  /** Adds a post and returns its group. Adding an id again returns its first answer and changes nothing. */
  add(id: Id, text: string, at?: number | Date): NearDuplicateResult<Id> {
    const known = this.#items.get(id);
    if (known) return result(known);
    const sig = computeSignature(text);
    return this.#add(id, sig, encodeSignature(sig), toMs(at));
  }

  /** As add(), from a signature stored earlier (signature() of the text). */
  addSignature(id: Id, stored: string, at?: number | Date): NearDuplicateResult<Id> {
    const known = this.#items.get(id);
    if (known) return result(known);
    return this.#add(id, decodeSignature(stored), stored, toMs(at));
  }

  /**
   * Puts back a post with the group it was given (after a restart), without looking for duplicates. Restore posts
   * in the order they were added; the window and capacity apply as in add().
   */
  restore(post: {
    id: Id;
    signature: string;
    groupId: Id;
    at?: number | Date;
    duplicateOf?: Id | null;
    similarity?: number;
  }): void {
    if (this.#items.has(post.id)) return;
    const at = this.#advance(toMs(post.at));
    this.#insert({
      id: post.id,
      groupId: post.groupId,
      duplicateOf: post.duplicateOf ?? null,
      similarity: post.similarity ?? 0,
      sig: decodeSignature(post.signature),
      encoded: post.signature,
      at,
      seq: 0,
      bandKeys: [],
      live: true,
      stamp: 0,
    });
  }

  /** Takes a post out (deleted at the source); its group lives on in its other posts. */
  remove(id: Id): boolean {
    const item = this.#items.get(id);
    if (!item) return false;
    this.#evict(item);
    return true;
  }

  #advance(at: number | undefined): number {
    const now = at ?? (Number.isFinite(this.#latest) ? this.#latest : 0);
    if (now > this.#latest) this.#latest = now;
    const horizon = this.#latest - this.windowMs;
    while (this.#head < this.#queue.length) {
      const oldest = this.#queue[this.#head]!;
      if (oldest.live && oldest.at >= horizon) break;
      this.#evict(oldest);
      this.#head++;
    }
    this.#compact();
    return now;
  }

  #add(id: Id, sig: Signature, encoded: string, atMs: number | undefined): NearDuplicateResult<Id> {
    const at = this.#advance(atMs);
    let best: Item<Id> | undefined;
    let bestSimilarity = 0;
    const bandKeys: number[] = [];
    const consider = (candidate: Item<Id>) => {
      if (Math.abs(candidate.at - at) > this.windowMs) return;
      this.#comparisons++;
      const s = signatureSimilarity(sig, candidate.sig);
      if (s < this.threshold) return;
      if (!best || s > bestSimilarity || (s === bestSimilarity && candidate.seq < best.seq)) {
        best = candidate;
        bestSimilarity = s;
      }
    };
    if (sig.kind === 'minhash') {
      const stamp = ++this.#stamp;
      for (let b = 0; b < BANDS; b++) {
        const key = bandKey(sig.values, b);
        bandKeys.push(key);
        const bucket = this.#bands.get(key);
        if (!bucket) continue;
        for (let n = bucket.length - 1, scanned = 0; n >= 0 && scanned < MAX_SCAN_PER_BUCKET; n--, scanned++) {
          const candidate = bucket[n]!;
          if (candidate.stamp === stamp) continue;
          candidate.stamp = stamp;
          consider(candidate);
        }
      }
    } else if (sig.kind === 'exact') {
      for (const candidate of this.#exact.get(sig.hash) ?? []) {
        consider(candidate);
        if (best) break; // the bucket is in order of arrival: the first in the window is the earliest
      }
    }
    const found = best as Item<Id> | undefined;
    const item: Item<Id> = {
      id,
      groupId: found ? found.groupId : id,
      duplicateOf: found ? found.id : null,
      similarity: found ? bestSimilarity : 0,
      sig,
      encoded,
      at,
      seq: 0,
      bandKeys,
      live: true,
      stamp: 0,
    };
    this.#insert(item);
    return result(item);
  }

  #insert(item: Item<Id>): void {
    item.seq = ++this.#seq;
    if (item.sig.kind === 'minhash') {
      if (item.bandKeys.length === 0) for (let b = 0; b < BANDS; b++) item.bandKeys.push(bandKey(item.sig.values, b));
      for (const key of item.bandKeys) {
        const bucket = this.#bands.get(key);
        if (bucket) bucket.push(item);
        else this.#bands.set(key, [item]);
      }
    } else if (item.sig.kind === 'exact') {
      const bucket = this.#exact.get(item.sig.hash);
      if (bucket) bucket.push(item);
      else this.#exact.set(item.sig.hash, [item]);
    }
    this.#items.set(item.id, item);
    this.#queue.push(item);
    this.#groupSizes.set(item.groupId, (this.#groupSizes.get(item.groupId) ?? 0) + 1);
    while (this.#items.size > this.capacity) this.#dequeue();
  }

  /** Evicts the oldest live item (skipping those already removed). */
  #dequeue(): void {
    while (this.#head < this.#queue.length) {
      const item = this.#queue[this.#head++]!;
      if (item.live) {
        this.#evict(item);
        break;
      }
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #evict(item: Item<Id>): void {
    if (!item.live) return;
    item.live = false;
    this.#items.delete(item.id);
    const unlink = (map: Map<number, Item<Id>[]> | Map<string, Item<Id>[]>, key: number | string) => {
      const bucket = (map as Map<number | string, Item<Id>[]>).get(key);
      if (!bucket) return;
      const at = bucket.indexOf(item);
      if (at >= 0) bucket.splice(at, 1);
      if (bucket.length === 0) (map as Map<number | string, Item<Id>[]>).delete(key);
    };
    for (const key of item.bandKeys) unlink(this.#bands, key);
    if (item.sig.kind === 'exact') unlink(this.#exact, item.sig.hash);
    const left = (this.#groupSizes.get(item.groupId) ?? 1) - 1;
    if (left > 0) this.#groupSizes.set(item.groupId, left);
    else this.#groupSizes.delete(item.groupId);
  }
}

function result<Id>(item: Item<Id>): NearDuplicateResult<Id> {
  return { groupId: item.groupId, duplicateOf: item.duplicateOf, similarity: item.similarity, signature: item.encoded };
}
