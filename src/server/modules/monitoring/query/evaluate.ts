import { scanWords, wordForm } from './tokenize.ts';
import type { QueryNode, TermItem, TermNode } from './types.ts';

/**
 * One post as the evaluator reads it: the stems and normal forms of its tokens by position, their offsets in the
 * text, and per-post memos of where a stem or a prefix occurs. This is the plain evaluator: the definitions of the
 * language, used for `matchDetailed`'s ranges, by the naive baseline of the bench and by the tests; the matcher's
 * hot path is verify.ts.
 */
export class PostView {
  readonly stems: string[] = [];
  readonly norms: string[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  private readonly stemMemo = new Map<string, number[]>();
  private readonly prefixMemo = new Map<string, number[]>();

  get length(): number {
    return this.stems.length;
  }

  /** Empties the view for the next post. */
  reset(): void {
    this.stems.length = 0;
    this.norms.length = 0;
    this.starts.length = 0;
    this.ends.length = 0;
    this.stemMemo.clear();
    this.prefixMemo.clear();
  }

  /** Reads a text's words (at most `maxTokens`; the rest of a longer text is not read). */
  fill(text: string, maxTokens = Number.POSITIVE_INFINITY): this {
    this.reset();
    const count = scanWords(text, this.starts, this.ends, maxTokens);
    for (let i = 0; i < count; i++) {
      const form = wordForm(text.slice(this.starts[i], this.ends[i]));
      this.stems.push(form.stem);
      this.norms.push(form.norm);
    }
    return this;
  }

  static of(text: string, maxTokens?: number): PostView {
    return new PostView().fill(text, maxTokens);
  }

  /** Positions of the tokens with this stem, ascending. */
  stemPositions(stem: string): number[] {
    let out = this.stemMemo.get(stem);
    if (out === undefined) {
      out = [];
      const stems = this.stems;
      for (let i = 0; i < stems.length; i++) if (stems[i] === stem) out.push(i);
      this.stemMemo.set(stem, out);
    }
    return out;
  }

  /** Positions of the tokens whose normal form starts with `prefix`, ascending. */
  prefixPositions(prefix: string): number[] {
    let out = this.prefixMemo.get(prefix);
    if (out === undefined) {
      out = [];
      const norms = this.norms;
      for (let i = 0; i < norms.length; i++) if (norms[i]!.startsWith(prefix)) out.push(i);
      this.prefixMemo.set(prefix, out);
    }
    return out;
  }
}

/** Whether the token at `p` matches the item. */
function itemAt(view: PostView, item: TermItem, p: number): boolean {
  return item.kind === 'stem' ? view.stems[p] === item.value : view.norms[p]!.startsWith(item.value);
}

function firstPositions(term: TermNode, view: PostView): number[] {
  const first = term.items[0]!;
  return first.kind === 'stem' ? view.stemPositions(first.value) : view.prefixPositions(first.value);
}

/** Positions where the term's items match consecutive tokens, ascending. */
export function termStarts(term: TermNode, view: PostView): number[] {
  const items = term.items;
  const candidates = firstPositions(term, view);
  if (items.length === 1) return candidates;
  const out: number[] = [];
  const last = view.length - items.length;
  outer: for (const p of candidates) {
    if (p > last) break;
    for (let i = 1; i < items.length; i++) if (!itemAt(view, items[i]!, p + i)) continue outer;
    out.push(p);
  }
  return out;
}

/** Whether the term occurs at all (termStarts without building the list). */
function termOccurs(term: TermNode, view: PostView): boolean {
  const items = term.items;
  const candidates = firstPositions(term, view);
  if (items.length === 1) return candidates.length > 0;
  const last = view.length - items.length;
  outer: for (const p of candidates) {
    if (p > last) return false;
    for (let i = 1; i < items.length; i++) if (!itemAt(view, items[i]!, p + i)) continue outer;
    return true;
  }
  return false;
}

// A span [s, e] (token positions) as one number ordered by start, then end. e - s < 2^17: a span is at most a
// phrase (≤ 200 words) or NEARs of such within 50 positions, whatever the post's length.
const SPAN = 131_072;

/**
 * Occurrences of a positional node as [start, end] token positions (end inclusive), flattened into one array of
 * pairs, sorted by start then end, without repeats. A term spans its items; an OR the union of its children's spans;
 * a NEAR spans both of its occurrences.
 */
export function spans(node: QueryNode, view: PostView): number[] {
  switch (node.type) {
    case 'term': {
      const len = node.items.length - 1;
      const out: number[] = [];
      for (const p of termStarts(node, view)) out.push(p, p + len);
      return out;
    }
    case 'or': {
      let only: number[] | undefined;
      let all: number[] | undefined;
      for (const child of node.children) {
        const s = spans(child, view);
        if (s.length === 0) continue;
        if (only === undefined) only = s;
        else {
          all ??= [...only];
          for (const x of s) all.push(x);
        }
      }
      return all ? sortedPairs(all) : (only ?? []);
    }
    case 'near':
      return nearSpans(spans(node.left, view), spans(node.right, view), node.distance, false);
    default:
      throw new Error(`a ${node.type} has no position`); // refused by the parser
  }
}

/** Spans (flattened [start, end] pairs) sorted by start then end, without repeats. */
export function sortedPairs(flat: number[]): number[] {
  const codes = new Float64Array(flat.length / 2);
  for (let i = 0; i < codes.length; i++) codes[i] = flat[2 * i]! * SPAN + (flat[2 * i + 1]! - flat[2 * i]!);
  codes.sort();
  const out: number[] = [];
  let previous = -1;
  for (const code of codes) {
    if (code === previous) continue;
    previous = code;
    const s = Math.floor(code / SPAN);
    out.push(s, s + (code - s * SPAN));
  }
  return out;
}

/**
 * Pairs of a left and a right occurrence that do not overlap and whose gap (start of the later minus end of the
 * earlier) is at most `distance`; each gives the span covering both. `first`: stop at the first pair.
 */
export function nearSpans(left: number[], right: number[], distance: number, first: boolean): number[] {
  if (left.length === 0 || right.length === 0) return [];
  let maxLen = 0;
  for (let j = 0; j < right.length; j += 2) maxLen = Math.max(maxLen, right[j + 1]! - right[j]!);
  const out: number[] = [];
  for (let i = 0; i < left.length; i += 2) {
    const s = left[i]!;
    const e = left[i + 1]!;
    // A right occurrence before this one ends at ≥ s - distance, so it starts at ≥ s - distance - maxLen.
    const lowest = s - distance - maxLen;
    let lo = 0;
    let hi = right.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (right[mid * 2]! < lowest) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo * 2; j < right.length && right[j]! <= e + distance; j += 2) {
      const rs = right[j]!;
      const re = right[j + 1]!;
      const gap = e < rs ? rs - e : re < s ? s - re : 0;
      if (gap === 0 || gap > distance) continue;
      out.push(Math.min(s, rs), Math.max(e, re));
      if (first) return out;
    }
  }
  return first ? out : sortedPairs(out);
}

/** Whether the node holds for the post. */
export function evaluate(node: QueryNode, view: PostView): boolean {
  switch (node.type) {
    case 'term':
      return termOccurs(node, view);
    case 'and':
      for (const child of node.children) if (!evaluate(child, view)) return false;
      return true;
    case 'or':
      for (const child of node.children) if (evaluate(child, view)) return true;
      return false;
    case 'not':
      return !evaluate(node.child, view);
    case 'near':
      return nearSpans(spans(node.left, view), spans(node.right, view), node.distance, true).length > 0;
  }
}

/** The terms that count for a match (under an even number of NOTs), in query order. */
export function positiveTerms(node: QueryNode, negated = false, out: TermNode[] = []): TermNode[] {
  switch (node.type) {
    case 'term':
      if (!negated) out.push(node);
      break;
    case 'and':
    case 'or':
      for (const child of node.children) positiveTerms(child, negated, out);
      break;
    case 'not':
      positiveTerms(node.child, !negated, out);
      break;
    case 'near':
      positiveTerms(node.left, negated, out);
      positiveTerms(node.right, negated, out);
      break;
  }
  return out;
}
