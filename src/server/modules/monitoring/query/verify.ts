import { nearSpans, sortedPairs } from './evaluate.ts';
import { PREFIX_MIN } from './tokenize.ts';
import type { QueryNode, TermItem } from './types.ts';

/**
 * The matcher's form of query trees: identical subtrees of all its queries are one node (hash-consed, reference
 * counted), and a node remembers its value for the current post. Municipalities' queries share much — the same
 * topic with another place or another exclusion — so a shared part is evaluated once per post, not once per query.
 * Terms read the positions the matcher gathered for its index keys in its one pass over the post. The semantics are
 * those of evaluate.ts (the property test holds the two together).
 */

/** An index key as verification sees it: the matcher fills `positions` when the key is in the post. */
export interface Key {
  id: number;
  positions: number[];
}

/** The post being matched, as the matcher read it. */
export interface PostState {
  /** The post's generation; a key is in the post when keySeen[key.id] === gen. */
  gen: number;
  keySeen: Uint32Array;
  stems: string[];
  norms: string[];
}

interface Item {
  prefix: boolean;
  value: string;
  key: Key;
}

const TERM = 0;
const AND = 1;
const OR = 2;
const NOT = 3;
const NEAR = 4;
const KINDS = { term: TERM, and: AND, or: OR, not: NOT, near: NEAR } as const;

/**
 * A node of the shared form. One class for every kind, so that the hot loop reads fields of a single object shape.
 * `children`: an AND's or OR's operands, NOT's one operand, NEAR's left and right.
 */
export class VNode {
  /** How many parents and queries hold it. */
  refs = 1;
  /** Value (and spans, of a positional node) for the post of generation `gen` / `spansGen`. */
  gen = 0;
  value = false;
  spansGen = 0;
  spans: number[] = [];

  constructor(
    readonly kind: number,
    /** Canonical key of the subtree (interning). */
    readonly canon: string,
    readonly items: Item[],
    readonly children: VNode[],
    readonly distance: number,
  ) {}
}

export class NodeTable {
  private readonly nodes = new Map<string, VNode>();
  private nextId = 0;
  private readonly ids = new WeakMap<VNode, number>();

  constructor(private readonly keyOf: (item: TermItem) => Key) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The shared node for a subtree, held once more (release it once per intern). */
  intern(node: QueryNode): VNode {
    const children: VNode[] = [];
    let canon: string;
    switch (node.type) {
      case 'term':
        canon = `t${node.items.map((i) => `${i.kind === 'prefix' ? '*' : '='}${i.value}`).join(' ')}`;
        break;
      case 'and':
      case 'or':
        for (const child of node.children) children.push(this.intern(child));
        canon = `${node.type}(${children.map((c) => this.ids.get(c)).join(',')})`;
        break;
      case 'not':
        children.push(this.intern(node.child));
        canon = `not(${this.ids.get(children[0]!)})`;
        break;
      case 'near':
        children.push(this.intern(node.left), this.intern(node.right));
        canon = `near${node.distance}(${this.ids.get(children[0]!)},${this.ids.get(children[1]!)})`;
        break;
    }
    const existing = this.nodes.get(canon);
    if (existing) {
      existing.refs++;
      for (const child of children) this.release(child); // the existing node already holds them
      return existing;
    }
    const items =
      node.type === 'term' ? node.items.map((i) => ({ prefix: i.kind === 'prefix', value: i.value, key: this.keyOf(i) })) : [];
    const made = new VNode(KINDS[node.type], canon, items, children, node.type === 'near' ? node.distance : 0);
    this.ids.set(made, this.nextId++);
    this.nodes.set(canon, made);
    return made;
  }

  /** Forgets every node's remembered value (when the matcher's post generations start again from 1). */
  forgetValues(): void {
    for (const node of this.nodes.values()) {
      node.gen = 0;
      node.spansGen = 0;
    }
  }

  /** Lets go of a node held by intern; the last release removes it and lets go of its children. */
  release(node: VNode): void {
    if (--node.refs > 0) return;
    this.nodes.delete(node.canon);
    for (const child of node.children) this.release(child);
  }
}

const NONE: readonly number[] = [];

/** Positions where the term's items match consecutive tokens, or (first) just whether there is one: [] or [p]. */
function termStarts(items: Item[], s: PostState, first: boolean): readonly number[] {
  for (const item of items) if (s.keySeen[item.key.id] !== s.gen) return NONE;
  const head = items[0]!;
  const candidates = head.key.positions;
  const simpleHead = !head.prefix || head.value.length === PREFIX_MIN;
  if (items.length === 1 && simpleHead) return candidates;
  const out: number[] = [];
  const last = s.stems.length - items.length;
  outer: for (const p of candidates) {
    if (p > last) break;
    if (!simpleHead && !s.norms[p]!.startsWith(head.value)) continue;
    for (let i = 1; i < items.length; i++) {
      const item = items[i]!;
      if (item.prefix ? !s.norms[p + i]!.startsWith(item.value) : s.stems[p + i] !== item.value) continue outer;
    }
    out.push(p);
    if (first) break;
  }
  return out;
}

function spansOf(v: VNode, s: PostState): number[] {
  if (v.spansGen === s.gen) return v.spans;
  let out: number[];
  if (v.kind === TERM) {
    out = [];
    const len = v.items.length - 1;
    for (const p of termStarts(v.items, s, false)) out.push(p, p + len);
  } else if (v.kind === OR) {
    const all: number[] = [];
    let parts = 0;
    let only: number[] = [];
    for (const child of v.children) {
      const c = spansOf(child, s);
      if (c.length === 0) continue;
      parts++;
      only = c;
      for (const x of c) all.push(x);
    }
    out = parts <= 1 ? only : sortedPairs(all);
  } else if (v.kind === NEAR) {
    out = nearSpans(spansOf(v.children[0]!, s), spansOf(v.children[1]!, s), v.distance, false);
  } else {
    throw new Error(`node ${v.canon} has no position`);
  }
  v.spansGen = s.gen;
  v.spans = out;
  return out;
}

/** Whether the node holds for the post. */
export function holds(v: VNode, s: PostState): boolean {
  if (v.gen === s.gen) return v.value;
  let value: boolean;
  const kind = v.kind;
  if (kind === TERM) {
    value = termStarts(v.items, s, true).length > 0;
  } else if (kind === AND) {
    value = true;
    for (const child of v.children)
      if (!holds(child, s)) {
        value = false;
        break;
      }
  } else if (kind === OR) {
    value = false;
    for (const child of v.children)
      if (holds(child, s)) {
        value = true;
        break;
      }
  } else if (kind === NOT) {
    value = !holds(v.children[0]!, s);
  } else {
    value = spansOf(v, s).length > 0;
  }
  v.gen = s.gen;
  v.value = value;
  return value;
}
