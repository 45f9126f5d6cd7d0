import { PostView, positiveTerms, termStarts } from './evaluate.ts';
import { parseQuery } from './parser.ts';
import { PREFIX_MIN, scanWords, stem, wordForm } from './tokenize.ts';
import type { Query, QueryError, QueryNode, TermItem, TermNode } from './types.ts';
import { holds, NodeTable, type PostState, type VNode } from './verify.ts';

/**
 * Many queries compiled into one index, so that a post is verified only against the queries it can match.
 *
 * Compiling a query: from its tree we derive necessary conditions, a conjunction of clauses, each clause a set of
 * index keys of which at least one must be in the post (NOTs pushed down by De Morgan; a term requires each of its
 * items; AND and NEAR require all their children, OR one of its children). A key is a stem (`яма` → «ям») or, for
 * a `prefix*`, its first PREFIX_MIN characters (the prefix bucket). At most MAX_CLAUSES clauses are kept, the
 * cheapest: a subset of necessary conditions is still necessary. A query true without any positive word (only NOTs)
 * has no clause; the parser refuses it.
 *
 * Anchoring: a query is posted under pairs of keys, one from each of its two cheapest clauses (a one-clause query
 * under (k, k) for each of its keys), so that a post brings in only the queries for which two of its keys agree —
 * «яма» with «Белово», not every query that says «яма». Cost of a key: a stop word ≫ a prefix bucket > a short stem
 * > a stem.
 *
 * Matching a post: it is read once (words → cached normal form and stem); the distinct index keys among its stems
 * and prefix buckets are marked, with their positions; every pair of them (each key with itself too) looks up its
 * queries; each such query whose every clause has a marked key is verified by evaluating its tree on the post's
 * positions (every stem and prefix bucket a query names, under NOT too, is a key, so verification reads positions
 * gathered during the one pass instead of scanning the post again). Queries share their identical subtrees, each
 * evaluated once per post (verify.ts). A post with more than PAIR_LIMIT distinct index keys (a very long post) takes
 * every query anchored on any of its keys instead of looking up all pairs.
 *
 * Adding or removing a query touches only its own keys and pairs: no rebuild. Not for concurrent use from several
 * worker threads (one matcher per thread); within one thread any order of add, remove and match is fine.
 */

/** A query by its id: the text (parsed here) or an already parsed query. */
export type QuerySource = { id: number; text: string } | { id: number; query: Query };

/** A place in the post where a term of the query occurs: UTF-16 offsets, `to` exclusive; `term` as written in the query. */
export interface MatchHit {
  from: number;
  to: number;
  term: string;
}

export interface QueryMatch {
  id: number;
  /** Occurrences of the query's positive terms (not those under NOT), sorted by `from`. */
  hits: MatchHit[];
}

export interface QueryMatcherOptions {
  /** Words read per post; the rest of a longer post is ignored. Default 100,000 (~700 KB of Russian text). */
  maxTokens?: number;
}

export interface MatcherStats {
  queries: number;
  /** Index keys (distinct stems and prefix buckets the queries name). */
  keys: number;
  /** Distinct subtrees of all queries (shared ones counted once). */
  nodes: number;
  posts: number;
  /** Queries verified, over all posts. */
  candidates: number;
  matches: number;
}

const MAX_CLAUSES = 16;
/** Distinct index keys in a post above which candidates come from single keys rather than pairs. */
const PAIR_LIMIT = 64;
/** Key pairs per query above which it is anchored on its cheapest clause alone. */
const MAX_PAIRS = 256;

type Clause = string[];

// Snowball's Russian stop-word list (the one PostgreSQL's russian.stop ships): words in almost every post, so a
// clause of them is a poor anchor. Kept as stems, since keys are stems.
const STOP_WORDS =
  'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между';
const STOP_STEMS = new Set(STOP_WORDS.split(' ').map(stem));

const keyOf = (item: TermItem): string => (item.kind === 'stem' ? `s${item.value}` : `p${item.value.slice(0, PREFIX_MIN)}`);

/**
 * How many posts a key is expected to bring in, relatively: a stop word is in almost every post, a prefix bucket
 * collects every word starting with its letters, a short stem is more common than a long one.
 */
function keyCost(key: string): number {
  if (key[0] === 'p') return 4;
  const stemmed = key.slice(1);
  if (STOP_STEMS.has(stemmed)) return 50;
  return stemmed.length <= 3 ? 2 : 1;
}
const clauseCost = (clause: Clause): number => clause.reduce((sum, key) => sum + keyCost(key), 0);

function cheapest(clauses: Clause[]): Clause {
  let best = clauses[0]!;
  for (const c of clauses) if (clauseCost(c) < clauseCost(best)) best = c;
  return best;
}

/** Necessary conditions of the node (as a conjunction of clauses), or null when it can hold without any of its words. */
function required(node: QueryNode, negated: boolean): Clause[] | null {
  switch (node.type) {
    case 'term':
      return negated ? null : node.items.map((item) => [keyOf(item)]);
    case 'not':
      return required(node.child, !negated);
    case 'near':
      // ¬NEAR holds whenever one side is missing; NEAR needs both sides (positional, so never null themselves).
      return negated ? null : [...required(node.left, false)!, ...required(node.right, false)!];
    case 'and':
    case 'or': {
      const parts = node.children.map((child) => required(child, negated));
      // AND, or a negated OR (¬(a ∨ b) = ¬a ∧ ¬b): every child's conditions hold.
      if ((node.type === 'and') !== negated) {
        const known = parts.filter((p): p is Clause[] => p !== null);
        return known.length > 0 ? known.flat() : null;
      }
      // OR, or a negated AND: one of the children holds; a child without conditions makes the whole free.
      if (parts.some((p) => p === null)) return null;
      return [[...new Set(parts.flatMap((p) => cheapest(p!)))]];
    }
  }
}

function compileClauses(root: QueryNode): Clause[] | null {
  const clauses = required(root, false);
  if (clauses === null) return null;
  const unique = new Map<string, Clause>();
  for (const c of clauses) {
    const sorted = [...new Set(c)].sort();
    unique.set(sorted.join('\u0000'), sorted);
  }
  return [...unique.values()].sort((a, b) => clauseCost(a) - clauseCost(b)).slice(0, MAX_CLAUSES);
}

/** An index key: a stem, or a prefix bucket. */
interface KeyEntry {
  /** Small integer, reused after the key is gone: indexes `keySeen`. */
  id: number;
  /** 's' + stem or 'p' + bucket. */
  key: string;
  /** How many queries name this key. */
  refs: number;
  /** Slots anchored on a pair (this key, the key with the id) for ids ≥ this one's. */
  pairs: Map<number, number[]>;
  /** Slots anchored on a pair that includes this key (the route for very long posts). */
  anchored: number[];
  /** Positions of the key in the current post (valid when keySeen[id] is the current generation). */
  positions: number[];
}

interface Compiled {
  id: number;
  query: Query;
  /** Its tree in the matcher's shared form (verify.ts). */
  root: VNode;
  /** Its clauses as key ids: [clause count, then per clause its length and its key ids] (copied into clauseData). */
  clauses: number[];
  /** Its anchor pairs as [lower key, higher key id]. */
  pairs: Array<[KeyEntry, number]>;
  /** The distinct keys of its pairs. */
  anchorKeys: KeyEntry[];
  /** Every distinct key its terms name. */
  keys: KeyEntry[];
  terms: TermNode[];
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

function allItems(node: QueryNode, out: TermItem[] = []): TermItem[] {
  switch (node.type) {
    case 'term':
      out.push(...node.items);
      break;
    case 'and':
    case 'or':
      for (const child of node.children) allItems(child, out);
      break;
    case 'not':
      allItems(node.child, out);
      break;
    case 'near':
      allItems(node.left, out);
      allItems(node.right, out);
      break;
  }
  return out;
}

export class QueryMatcher {
  /** Queries the constructor could not take, with the parser's reason. */
  readonly refused: Array<{ id: number; error: QueryError }> = [];

  private readonly maxTokens: number;
  private readonly stemKeys = new Map<string, KeyEntry>();
  private readonly prefixKeys = new Map<string, KeyEntry>();
  private readonly nodes = new NodeTable((item) => this.keyEntry(keyOf(item)));
  private readonly byId = new Map<number, number>();
  private readonly slots: Array<Compiled | undefined> = [];
  private readonly freeSlots: number[] = [];
  private readonly freeKeyIds: number[] = [];
  private nextKeyId = 0;
  /**
   * Every live query's clauses, packed one after another (see Compiled.clauses) so that checking the candidates of
   * a post reads one array; clauseAt[slot] is where a slot's start. Removed queries leave garbage until compaction.
   */
  private clauseData = new Int32Array(1024);
  private clauseUsed = 0;
  private clauseGarbage = 0;
  private clauseAt = new Int32Array(64);
  /** Per slot / per key id: the post generation that last took it in / contained it. */
  private slotSeen = new Uint32Array(64);
  private keySeen = new Uint32Array(64);
  private generation = 0;
  private readonly present: KeyEntry[] = [];
  private readonly anchored: number[] = [];
  private readonly view = new PostView();
  private readonly post: PostState = { gen: 0, keySeen: this.keySeen, stems: this.view.stems, norms: this.view.norms };
  private readonly counters = { posts: 0, candidates: 0, matches: 0 };

  constructor(queries: Iterable<QuerySource> = [], options: QueryMatcherOptions = {}) {
    this.maxTokens = options.maxTokens ?? 100_000;
    for (const source of queries) {
      const result = this.add(source);
      if (!result.ok) this.refused.push({ id: source.id, error: result.error });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Adds a query, or replaces the one with the same id. A text that does not parse is refused (the old one stays). */
  add(source: QuerySource): { ok: true } | { ok: false; error: QueryError } {
    let query: Query;
    if ('text' in source) {
      const parsed = parseQuery(source.text);
      if (!parsed.ok) return parsed;
      query = parsed.query;
    } else {
      query = source.query;
    }
    const clauses = compileClauses(query.root);
    if (clauses === null)
      return { ok: false, error: { position: 0, message: 'Запрос совпал бы почти с любым постом: нет обязательного слова' } };
    this.remove(source.id);

    const slot = this.freeSlots.pop() ?? this.slots.length;
    if (slot >= this.slotSeen.length) {
      this.slotSeen = grown(this.slotSeen, slot + 1);
      this.clauseAt = grown(this.clauseAt, slot + 1);
    }
    this.slotSeen[slot] = 0;
    const keys = [...new Set(allItems(query.root).map((item) => this.keyEntry(keyOf(item))))];
    for (const entry of keys) entry.refs++;
    const entries = clauses.map((clause) => clause.map((key) => this.keyEntry(key)));

    // Clauses come cheapest first (compileClauses): pair the first two, or take the first alone.
    const first = entries[0]!;
    const second = entries[1];
    const pairs = new Map<string, [KeyEntry, KeyEntry]>();
    const pair = (a: KeyEntry, b: KeyEntry) => {
      const [lo, hi] = a.id <= b.id ? [a, b] : [b, a];
      pairs.set(`${lo.id}:${hi.id}`, [lo, hi]);
    };
    if (second && first.length * second.length <= MAX_PAIRS) {
      for (const a of first) for (const b of second) pair(a, b);
    } else {
      for (const a of first) pair(a, a);
    }
    const anchorKeys = new Set<KeyEntry>();
    for (const [lo, hi] of pairs.values()) {
      let list = lo.pairs.get(hi.id);
      if (!list) {
        list = [];
        lo.pairs.set(hi.id, list);
      }
      list.push(slot);
      anchorKeys.add(lo);
      anchorKeys.add(hi);
    }
    for (const entry of anchorKeys) entry.anchored.push(slot);

    const packed = [entries.length];
    for (const clause of entries) packed.push(clause.length, ...clause.map((entry) => entry.id));
    this.pack(slot, packed);
    this.slots[slot] = {
      id: source.id,
      query,
      root: this.nodes.intern(query.root),
      clauses: packed,
      pairs: [...pairs.values()].map(([lo, hi]) => [lo, hi.id]),
      anchorKeys: [...anchorKeys],
      keys,
      terms: positiveTerms(query.root),
    };
    this.byId.set(source.id, slot);
    return { ok: true };
  }

  /** Removes a query; false when there was none with this id. */
  remove(id: number): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const compiled = this.slots[slot]!;
    for (const [lo, hi] of compiled.pairs) {
      const list = lo.pairs.get(hi)!;
      remove(list, slot);
      if (list.length === 0) lo.pairs.delete(hi);
    }
    for (const entry of compiled.anchorKeys) remove(entry.anchored, slot);
    for (const entry of compiled.keys) {
      if (--entry.refs > 0) continue;
      (entry.key[0] === 's' ? this.stemKeys : this.prefixKeys).delete(entry.key.slice(1));
      this.freeKeyIds.push(entry.id);
    }
    this.clauseGarbage += compiled.clauses.length;
    this.nodes.release(compiled.root);
    this.slots[slot] = undefined;
    this.freeSlots.push(slot);
    this.byId.delete(id);
    return true;
  }

  /** Ids of the queries the post matches, ascending. */
  match(text: string): number[] {
    const ids: number[] = [];
    for (const slot of this.candidates(text)) {
      const compiled = this.slots[slot]!;
      if (holds(compiled.root, this.post)) ids.push(compiled.id);
    }
    this.counters.matches += ids.length;
    return ids.sort((a, b) => a - b);
  }

  /** The matching queries (by id, ascending) with where their terms occur in the post, for highlighting. */
  matchDetailed(text: string): QueryMatch[] {
    const out: QueryMatch[] = [];
    for (const slot of this.candidates(text)) {
      const compiled = this.slots[slot]!;
      if (!holds(compiled.root, this.post)) continue;
      const seen = new Set<string>();
      const hits: MatchHit[] = [];
      for (const term of compiled.terms) {
        const len = term.items.length - 1;
        for (const p of termStarts(term, this.view)) {
          const hit = { from: this.view.starts[p]!, to: this.view.ends[p + len]!, term: term.source };
          const key = `${hit.from}:${hit.to}:${hit.term}`;
          if (seen.has(key)) continue;
          seen.add(key);
          hits.push(hit);
        }
      }
      hits.sort((a, b) => a.from - b.from || a.to - b.to);
      out.push({ id: compiled.id, hits });
    }
    this.counters.matches += out.length;
    return out.sort((a, b) => a.id - b.id);
  }

  stats(): MatcherStats {
    return {
      queries: this.size,
      keys: this.stemKeys.size + this.prefixKeys.size,
      nodes: this.nodes.size,
      ...this.counters,
    };
  }

  /** Appends a slot's packed clauses to clauseData, compacting or growing it first when needed. */
  private pack(slot: number, packed: number[]): void {
    if (this.clauseUsed + packed.length > this.clauseData.length) {
      if (this.clauseGarbage > this.clauseUsed / 2) {
        const live = this.slots.flatMap((c, s) => (c && s !== slot ? [[s, c.clauses] as const] : []));
        this.clauseUsed = 0;
        this.clauseGarbage = 0;
        for (const [s, clauses] of live) this.pack(s, clauses);
      }
      if (this.clauseUsed + packed.length > this.clauseData.length) {
        let size = this.clauseData.length;
        while (size < this.clauseUsed + packed.length) size *= 2;
        const data = new Int32Array(size);
        data.set(this.clauseData.subarray(0, this.clauseUsed));
        this.clauseData = data;
      }
    }
    this.clauseAt[slot] = this.clauseUsed;
    this.clauseData.set(packed, this.clauseUsed);
    this.clauseUsed += packed.length;
  }

  private keyEntry(key: string): KeyEntry {
    const map = key[0] === 's' ? this.stemKeys : this.prefixKeys;
    let entry = map.get(key.slice(1));
    if (!entry) {
      const id = this.freeKeyIds.pop() ?? this.nextKeyId++;
      if (id >= this.keySeen.length) {
        this.keySeen = grown(this.keySeen, id + 1);
        this.post.keySeen = this.keySeen;
      }
      this.keySeen[id] = 0;
      entry = { id, key, refs: 0, pairs: new Map(), anchored: [], positions: [] };
      map.set(key.slice(1), entry);
    }
    return entry;
  }

  /**
   * Reads the post into the view, marks the index keys it contains with their positions, and returns the slots
   * anchored on a pair of them whose every clause has a key in the post: the queries left to verify.
   */
  private candidates(text: string): number[] {
    const view = this.view;
    view.reset();
    const count = scanWords(text, view.starts, view.ends, this.maxTokens);
    if (this.generation === 0xffffffff) {
      this.generation = 0;
      this.slotSeen.fill(0);
      this.keySeen.fill(0);
      this.nodes.forgetValues();
    }
    const gen = ++this.generation;
    this.post.gen = gen;
    const { keySeen, slotSeen, present, anchored, stemKeys, prefixKeys } = this;
    present.length = 0;
    anchored.length = 0;
    for (let i = 0; i < count; i++) {
      const form = wordForm(text.slice(view.starts[i], view.ends[i]));
      view.stems.push(form.stem);
      view.norms.push(form.norm);
      const byStem = stemKeys.get(form.stem);
      if (byStem !== undefined) {
        if (keySeen[byStem.id] !== gen) {
          keySeen[byStem.id] = gen;
          byStem.positions.length = 0;
          present.push(byStem);
        }
        byStem.positions.push(i);
      }
      if (form.bucket !== '') {
        const byPrefix = prefixKeys.get(form.bucket);
        if (byPrefix !== undefined) {
          if (keySeen[byPrefix.id] !== gen) {
            keySeen[byPrefix.id] = gen;
            byPrefix.positions.length = 0;
            present.push(byPrefix);
          }
          byPrefix.positions.push(i);
        }
      }
    }

    if (present.length <= PAIR_LIMIT) {
      for (const a of present) {
        if (a.pairs.size === 0) continue;
        for (const b of present) {
          if (b.id < a.id) continue;
          const slots = a.pairs.get(b.id);
          if (slots === undefined) continue;
          for (const slot of slots)
            if (slotSeen[slot] !== gen) {
              slotSeen[slot] = gen;
              anchored.push(slot);
            }
        }
      }
    } else {
      for (const entry of present)
        for (const slot of entry.anchored)
          if (slotSeen[slot] !== gen) {
            slotSeen[slot] = gen;
            anchored.push(slot);
          }
    }

    const out: number[] = [];
    const { clauseData, clauseAt } = this;
    next: for (const slot of anchored) {
      let o = clauseAt[slot]!;
      const n = clauseData[o++]!;
      for (let c = 0; c < n; c++) {
        const end = o + 1 + clauseData[o]!;
        o++;
        while (o < end && keySeen[clauseData[o]!] !== gen) o++;
        if (o === end) continue next;
        o = end;
      }
      out.push(slot);
    }
    this.counters.posts++;
    this.counters.candidates += out.length;
    return out;
  }
}

function grown<T extends Uint32Array | Int32Array>(old: T, needed: number): T {
  let size = old.length;
  while (size < needed) size *= 2;
  const a = new (old.constructor as new (n: number) => T)(size);
  a.set(old);
  return a;
}
