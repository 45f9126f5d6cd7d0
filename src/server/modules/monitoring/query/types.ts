/**
 * The parsed form of a monitoring query (see README.md for the language). Offsets into the query text (`from`, `to`)
 * are 0-based UTF-16 indices, `to` exclusive, as everywhere in this folder.
 */

/** One position of a term: the token's stem equals `value`, or the token's normal form starts with `value`. */
export type TermItem = { kind: 'stem'; value: string } | { kind: 'prefix'; value: string };

/**
 * A word, a `prefix*`, a hyphenated word or an `"exact phrase"`: its items must match consecutive tokens of a post.
 * A plain word is a term of one item.
 */
export interface TermNode {
  type: 'term';
  items: TermItem[];
  /** Written in quotes. */
  phrase: boolean;
  /** The term as written in the query (with its quotes, without a leading #). */
  source: string;
  from: number;
  to: number;
}

export interface AndNode {
  type: 'and';
  children: QueryNode[];
  from: number;
  to: number;
}

export interface OrNode {
  type: 'or';
  children: QueryNode[];
  from: number;
  to: number;
}

export interface NotNode {
  type: 'not';
  child: QueryNode;
  from: number;
  to: number;
}

/** Both sides occur, not overlapping, at most `distance` positions apart (either order). Sides are positional. */
export interface NearNode {
  type: 'near';
  left: QueryNode;
  right: QueryNode;
  distance: number;
  from: number;
  to: number;
}

export type QueryNode = TermNode | AndNode | OrNode | NotNode | NearNode;

export interface Query {
  /** The text the query was parsed from. */
  text: string;
  root: QueryNode;
}

/** Why a query was refused: where (0-based index into the query text) and a reason in Russian for the person. */
export interface QueryError {
  position: number;
  message: string;
}

export type ParseResult = { ok: true; query: Query } | { ok: false; error: QueryError };
