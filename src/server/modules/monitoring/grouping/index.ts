/**
 * Near-duplicate grouping (issue 6, item 5), pure: reposts and copy-paste storms collapse into one group with a
 * count. MinHash over word bigrams with LSH banding (minhash.ts says why and with which numbers); the index keeps a
 * time window and a capacity (near-duplicate-index.ts). Store `signature` with each post to rebuild after a restart.
 *
 *   const index = new NearDuplicateIndex<number>();
 *   const { groupId, duplicateOf, similarity, signature } = index.add(post.id, post.text, post.publishedAt);
 */
export { MIN_WORDS_FOR_MINHASH, signature, similarity } from './minhash.ts';
export {
  DEFAULT_CAPACITY,
  DEFAULT_THRESHOLD,
  DEFAULT_WINDOW_MS,
  NearDuplicateIndex,
  type NearDuplicateOptions,
  type NearDuplicateResult,
} from './near-duplicate-index.ts';
export { groupingWords } from './normalise.ts';
