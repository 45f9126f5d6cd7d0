/**
 * Monitoring queries (issue 6, items 2–3): the query language with Russian morphology and the matcher that runs all
 * active queries over the stream of posts. Pure code, no database. README.md describes the language.
 *
 * - `tokenize(text)`, `stem(word)`: words, normal forms and Snowball stems as PostgreSQL's `russian` configuration
 *   stems them.
 * - `parseQuery(text)`: a query, or `{ position, message }` (0-based index, Russian reason) — for the query editor.
 * - `explainQuery(query)`: how it was understood, with every group bracketed — for showing next to the editor.
 * - `QueryMatcher`: many queries in one index; `match(text)` → ids, `matchDetailed(text)` → ids with the character
 *   ranges of their terms for highlighting; `add`/`remove` without a rebuild. Testing a draft query against the last
 *   N posts is `new QueryMatcher([{ id: 0, text }]).matchDetailed(post)` for each.
 */
export {
  type MatcherStats,
  type MatchHit,
  type QueryMatch,
  QueryMatcher,
  type QueryMatcherOptions,
  type QuerySource,
} from './matcher.ts';
export { explainQuery, MAX_NEAR, MAX_QUERY_LENGTH, MAX_TERMS, parseQuery } from './parser.ts';
export { normalizeWord, PREFIX_MIN, stem, type Token, tokenize } from './tokenize.ts';
export type { ParseResult, Query, QueryError, QueryNode, TermItem, TermNode } from './types.ts';
