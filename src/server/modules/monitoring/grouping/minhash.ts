import { groupingWords } from './normalise.ts';

/**
 * Signatures for near-duplicate grouping (issue 6, item 5): MinHash over word shingles, chosen over SimHash.
 *
 * Why MinHash. Posts are short — 10 to 80 words — so a post has few shingles. SimHash's Hamming distance is a noisy
 * function of the cosine between such small sets: a 30-word post with three words changed keeps ~80 % of its bigrams,
 * which is an angle of ~0.6 rad and ~12 of 64 bits flipped on average, with a wide spread; the usual fast lookup
 * (Manku, Jain, Das Sarma, «Detecting near-duplicates for web crawling», WWW 2007: ≤ 3 differing bits, found by
 * identical 16-bit blocks) only works for near-identical long documents. MinHash estimates the Jaccard similarity of
 * the shingle sets without bias (Broder, «On the resemblance and containment of documents», 1997), and LSH banding
 * (Leskovec, Rajaraman, Ullman, «Mining of Massive Datasets», ch. 3.4) puts the threshold where we want it.
 *
 * The choices:
 * - Shingles are word bigrams of the normalised text (normalise.ts). With trigrams a change of one word kills three
 *   shingles: 30 words with 3 changed keep 19 of 28 trigrams (Jaccard ≈ 0.51, on the edge), but 23 of 29 bigrams
 *   (≈ 0.66). Two different complaints about the same thing («нет горячей воды», «управляющая компания не отвечает»)
 *   share a few bigrams out of 20–40 (Jaccard ≈ 0.1–0.2), well below the threshold.
 * - K = 128 hash functions h_k(x) = fmix32(x ⊕ seed_k) over a 32-bit hash of the shingle (murmur3's finaliser is a
 *   bijection with full avalanche; FNV-1a and the mixing use Math.imul, no BigInt). Stored are the low 16 bits of each
 *   minimum — b-bit MinHash (Li, König, «b-Bit Minwise Hashing», WWW 2010): a chance agreement costs 2⁻¹⁶, nothing
 *   at our threshold, and the signature is 256 bytes (344 characters of base64url with its prefix).
 * - Similarity = the share of equal positions, an estimate of Jaccard with a standard error of √(J(1−J)/128) ≈ 0.044
 *   at J = 0.5.
 * - Banding: the first 60 positions as 20 bands of 3. Two posts become candidates with probability 1 − (1 − J³)²⁰:
 *   0.42 at J = 0.3, 0.93 at J = 0.5, 0.99 at J = 0.6; each candidate is then verified on all 128 positions.
 * - Texts of fewer than 5 words (after normalisation) have too few bigrams to estimate anything: they are compared
 *   exactly (a 64-bit hash of the normalised words — two independent 32-bit hashes). A text with no words at all
 *   («🔥🔥🔥», a bare link) is never a duplicate.
 */
export const MINHASH_K = 128;
export const BANDS = 20;
export const ROWS_PER_BAND = 3;
/** Fewer words than this: compared exactly. */
export const MIN_WORDS_FOR_MINHASH = 5;

const VERSION_MINHASH = 'm1:';
const VERSION_EXACT = 'e1:';
const VERSION_EMPTY = 'n1:';

/** murmur3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, 32 bits, then the finaliser. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

const SEEDS = (() => {
  // splitmix32: fixed seeds, so signatures stored in the database stay comparable across restarts and versions.
  const out = new Int32Array(MINHASH_K);
  let s = 0x9e3779b9;
  for (let k = 0; k < MINHASH_K; k++) {
    s = (s + 0x9e3779b9) | 0;
    out[k] = fmix32(s) | 0;
  }
  return out;
})();

export type Signature = { kind: 'minhash'; values: Uint16Array } | { kind: 'exact'; hash: string } | { kind: 'empty' };

/** The signature of a text (see the comment above). */
export function computeSignature(text: string): Signature {
  const words = groupingWords(text);
  if (words.length === 0) return { kind: 'empty' };
  if (words.length < MIN_WORDS_FOR_MINHASH) {
    const joined = words.join(' ');
    const hi = hashString(joined, 0x811c9dc5);
    const lo = hashString(joined, 0x2f6b4f2d);
    return { kind: 'exact', hash: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0') };
  }
  const wordHashes = words.map((w) => hashString(w));
  // Minima kept with the sign bit flipped, so that signed int32 comparison orders them as unsigned: the loop stays in
  // int32 arithmetic (murmur3's finaliser written out) — about 2 ns a hash function and shingle.
  const mins = new Int32Array(MINHASH_K).fill(0x7fffffff);
  const seen = new Set<number>();
  for (let i = 0; i + 1 < wordHashes.length; i++) {
    const shingle = fmix32((Math.imul(wordHashes[i]!, 0x9e3779b1) ^ (wordHashes[i + 1]! + 0x7f4a7c15)) >>> 0) | 0;
    if (seen.has(shingle)) continue;
    seen.add(shingle);
    for (let k = 0; k < MINHASH_K; k++) {
      let h = shingle ^ SEEDS[k]!;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      h ^= 0x80000000;
      if (h < mins[k]!) mins[k] = h;
    }
  }
  const values = new Uint16Array(MINHASH_K);
  for (let k = 0; k < MINHASH_K; k++) values[k] = mins[k]! & 0xffff;
  return { kind: 'minhash', values };
}

export function encodeSignature(sig: Signature): string {
  switch (sig.kind) {
    case 'empty':
      return VERSION_EMPTY;
    case 'exact':
      return VERSION_EXACT + sig.hash;
    case 'minhash': {
      const bytes = new Uint8Array(MINHASH_K * 2);
      for (let k = 0; k < MINHASH_K; k++) {
        bytes[2 * k] = sig.values[k]! & 0xff;
        bytes[2 * k + 1] = sig.values[k]! >>> 8;
      }
      return VERSION_MINHASH + Buffer.from(bytes).toString('base64url');
    }
  }
}

/** Reads a stored signature; throws on anything signature() did not write. */
export function decodeSignature(stored: string): Signature {
  if (stored === VERSION_EMPTY) return { kind: 'empty' };
  if (stored.startsWith(VERSION_EXACT) && /^[0-9a-f]{16}$/.test(stored.slice(3))) {
    return { kind: 'exact', hash: stored.slice(3) };
  }
  if (stored.startsWith(VERSION_MINHASH)) {
    const bytes = Buffer.from(stored.slice(3), 'base64url');
    if (bytes.length === MINHASH_K * 2) {
      const values = new Uint16Array(MINHASH_K);
      for (let k = 0; k < MINHASH_K; k++) values[k] = bytes[2 * k]! | (bytes[2 * k + 1]! << 8);
      return { kind: 'minhash', values };
    }
  }
  throw new Error(`not a near-duplicate signature: ${stored.slice(0, 40)}`);
}

/**
 * A text's signature as a string to store with the post (≤ 344 ASCII characters): `m1:` + base64url of 128 16-bit
 * MinHash values, `e1:` + 16 hex digits for a short text, `n1:` for a text without words.
 */
export function signature(text: string): string {
  return encodeSignature(computeSignature(text));
}

/** Estimated Jaccard similarity of two signatures' shingle sets: 0…1 (exact texts: 1 or 0; no words: 0). */
export function signatureSimilarity(a: Signature, b: Signature): number {
  if (a.kind === 'minhash' && b.kind === 'minhash') {
    let equal = 0;
    for (let k = 0; k < MINHASH_K; k++) if (a.values[k] === b.values[k]) equal++;
    return equal / MINHASH_K;
  }
  if (a.kind === 'exact' && b.kind === 'exact') return a.hash === b.hash ? 1 : 0;
  return 0;
}

/** Estimated similarity of two stored signatures (as signature() wrote them). */
export function similarity(a: string, b: string): number {
  return signatureSimilarity(decodeSignature(a), decodeSignature(b));
}

/** The 32-bit LSH bucket key of band `band` (0…BANDS−1) of a MinHash signature. */
export function bandKey(values: Uint16Array, band: number): number {
  let h = Math.imul(band + 1, 0x9e3779b1);
  for (let r = 0; r < ROWS_PER_BAND; r++) h = fmix32((h ^ values[band * ROWS_PER_BAND + r]!) >>> 0);
  return h;
}
