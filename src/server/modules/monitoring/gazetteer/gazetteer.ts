import {
  CASES,
  DISTRICT_TYPES,
  declinePhrase,
  findTypeWord,
  isAdjective,
  type NameWord,
  SETTLEMENT_TYPES,
  STREET_TYPES,
  type TypeWord,
  typeWordForms,
} from './inflect.ts';
import { isShouting, type Token, tokenize } from './text.ts';

/**
 * The gazetteer (issue 6, item 4): which place a social-media post is about, from the names in its text.
 *
 * Every name of every entry is expanded once into all its inflected forms (inflect.ts) and put into a trie over
 * words; a post is tokenised (text.ts: lower case, ё → е) and walked once, so the cost is linear in the post and
 * does not depend on the number of places. What counts as a mention:
 *
 * 1. Municipalities and settlements by their name in any case («Белово», «в Белове», «из Мариинска», «Мариинске»,
 *    «Кемерово» and the colloquial «в Кемерове»), optionally after a generic word («г. Белово», «пгт Промышленная»,
 *    «в посёлке Береговой») which then belongs to the mention. A leading generic word in an entry's name is dropped.
 * 2. Districts with their generic word, in agreement or abbreviated: «Ленинский район», «на Ленинском районе»,
 *    «Рудничного района», «Заводский р-н». A district named by an adjective alone gets «район»; a bare adjective
 *    («на Рудничном») counts only when it is an alias of the entry (then rule 5 applies).
 * 3. Streets with their generic word before or after, full or abbreviated: «на улице Весенней», «ул. Весенняя»,
 *    «Весенняя улица», «по проспекту Ленина», «пр. Ленина». An adjectival street name agrees with it (also the
 *    colloquial «на улице Весенняя»); a genitive one («Ленина», «50 лет Октября») stays as written. Without the
 *    generic word a street counts only before a house number: «на Весенней, 12», «Ленина 5», «Ленина, д. 5».
 * 4. The oblique forms of a toponym in -ово/-ево/-ино/-ыно are also surname forms («Ивана Белова», «к Белову»): they
 *    count only right after a preposition or a generic word («из Белова», «в Белове», «г. Белова»).
 * 5. False positives on common words. A name made of adjectives only («Береговой», «Промышленная», «Калининское») is
 *    usually an ordinary word as well («береговой линии», «промышленная зона»). It counts only (a) after a generic
 *    word of a settlement («пгт Промышленная», «посёлок Береговой»), or (b) capitalised where a capital is not
 *    required anyway — not the first word of a sentence (after . ! ? … or a line break, quotes and emoji ignored), and
 *    not in a post written mostly in capitals; and never (c) right before a generic word of a street or district
 *    («Береговой улицы» is a street, not the settlement Береговой). Entries with `strict: true` (a noun that is also a
 *    common word: «Тайга», «Кедровка», «Лесная Поляна») follow the same rule. Names with their generic word (rules 2
 *    and 3) need no capital: «в центральном районе» is taken to mean the Центральный район.
 * 6. Single-letter abbreviations (г., п., с., д., х.) count only with their full stop.
 * 7. Overlapping mentions: the longest wins («проспект Ленина 5» is the avenue, not a bare «Ленина 5»); one span may
 *    name several entries (the same street name in two cities) — all are kept as candidates.
 *
 * resolve() then picks one place: every mention supports the municipalities it may belong to, 1/n each for a
 * mention shared by n municipalities; among the municipalities with the most support the most specific place wins
 * (street > district > settlement > municipality; the first mentioned among equals). When the winners lie in
 * several municipalities the post's place is null — it goes to the regional queue with the candidates listed.
 * `ambiguous` is true when the post names places in two municipalities for certain («из Белова в Кемерово»: a place
 * may still be chosen by specificity), or when no place could be chosen among several municipalities («ул. Ленина»
 * with no city); not when another mention settles a shared name («в Белове на ул. Ленина»).
 */
export type PlaceKind = 'municipality' | 'settlement' | 'district' | 'street';
export const PLACE_KINDS: readonly PlaceKind[] = ['municipality', 'settlement', 'district', 'street'];

export type PlaceId = string | number;

export interface GazetteerEntry {
  id: PlaceId;
  kind: PlaceKind;
  /** The name as written in documents: «Белово», «Ленинский район», «улица Весенняя», «пгт Промышленная». */
  name: string;
  municipalityId: PlaceId;
  /** Other names people use, taken literally (declined, but no generic word added): «Рудничный», «КГО». */
  aliases?: string[];
  /** The name is also a common word even though it is a noun («Тайга», «Кедровка»): rule 5 applies. */
  strict?: boolean;
}

export interface PlaceMention {
  placeId: PlaceId;
  municipalityId: PlaceId;
  kind: PlaceKind;
  /** The entry's name. */
  name: string;
  /** The words of the post that name it, as written (with a generic word before it, if any). */
  text: string;
  /** UTF-16 offsets in the post: text === post.slice(start, end). */
  start: number;
  end: number;
}

export interface PlaceResolution {
  place: PlaceMention | null;
  /** Places in two municipalities for certain, or several municipalities and no place chosen (see above). */
  ambiguous: boolean;
  /** Every place named, once each: best supported municipality first, then the more specific, then by position. */
  candidates: PlaceMention[];
}

const SPECIFICITY: Record<PlaceKind, number> = { municipality: 0, settlement: 1, district: 2, street: 3 };

interface Terminal {
  entry: number;
  strict: boolean;
  needsContext: boolean;
  needsHouseNumber: boolean;
}

interface TrieNode {
  next?: Map<string, TrieNode>;
  terminals?: Terminal[];
}

interface Phrase {
  words: string[];
  strict: boolean;
  needsContext: boolean;
  needsHouseNumber: boolean;
}

const PREPOSITIONS = new Set(
  'в во на из до от у к ко по под подо около возле близ за через о об обо при с со между над напротив вблизи из-за из-под после для без про мимо вокруг'.split(
    ' ',
  ),
);
const SETTLEMENT_WORDS = typeWordForms(SETTLEMENT_TYPES);
/** Generic words after which an adjective belongs to a street or district name, not to a settlement (rule 5c). */
const STREET_OR_DISTRICT_WORDS = typeWordForms([...STREET_TYPES, ...DISTRICT_TYPES]);
const HOUSE_NUMBER = /^\d{1,4}(?:-?[а-я])?$/;

function nameWords(name: string): NameWord[] {
  return tokenize(name).map((t) => ({ norm: t.norm, allCaps: t.allCaps && t.norm.length > 1 }));
}

const allAdjectives = (words: readonly NameWord[]) => words.every((w) => isAdjective(w.norm) && !w.allCaps);

function literalPhrases(words: NameWord[], strict: boolean): Phrase[] {
  const adjectival = allAdjectives(words);
  return declinePhrase(words).map((f) => ({
    words: f.words,
    strict: strict || adjectival,
    needsContext: f.needsContext,
    needsHouseNumber: false,
  }));
}

/** Rules 2 and 3: a name with its generic word, before or after, agreeing or abbreviated. */
function typedPhrases(words: NameWord[], types: readonly TypeWord[], houseNumberForms: boolean): Phrase[] {
  let type = findTypeWord(words[0]?.norm ?? '', types);
  let proper = words.slice(1);
  if (!type || proper.length === 0) {
    type = findTypeWord(words.at(-1)?.norm ?? '', types);
    proper = words.slice(0, -1);
  }
  if (!type || proper.length === 0) {
    type = types[0]!;
    proper = words;
  }
  const out: Phrase[] = [];
  const add = (w: string[], needsHouseNumber = false) =>
    out.push({ words: w, strict: false, needsContext: false, needsHouseNumber });
  const adjectival = allAdjectives(proper);
  if (adjectival) {
    const forms = declinePhrase(proper);
    const nominative = forms.filter((f) => f.grammaticalCase === 'nom');
    for (const c of CASES) {
      for (const t of type.forms[c]) {
        for (const f of forms) {
          if (f.grammaticalCase !== c) continue;
          add([t, ...f.words]);
          add([...f.words, t]);
        }
        for (const f of nominative) add([t, ...f.words]); // «на улице Весенняя»
      }
    }
    for (const a of type.abbreviations) {
      for (const f of forms) {
        add([a, ...f.words]);
        add([...f.words, a]);
      }
    }
    if (houseNumberForms) for (const f of forms) add(f.words, true);
  } else {
    const fixed = proper.map((w) => w.norm);
    for (const c of CASES) for (const t of type.forms[c]) add([t, ...fixed]);
    for (const a of type.abbreviations) add([a, ...fixed]);
    if (houseNumberForms) add(fixed, true);
  }
  return out;
}

function phrasesOf(entry: GazetteerEntry): Phrase[] {
  const strict = entry.strict === true;
  const words = nameWords(entry.name);
  if (words.length === 0) throw new Error(`gazetteer entry ${String(entry.id)}: the name «${entry.name}» has no words`);
  const phrases: Phrase[] = [];
  switch (entry.kind) {
    case 'street':
      phrases.push(...typedPhrases(words, STREET_TYPES, true));
      break;
    case 'district': {
      const typed =
        findTypeWord(words[0]!.norm, DISTRICT_TYPES) || findTypeWord(words.at(-1)!.norm, DISTRICT_TYPES) || allAdjectives(words);
      phrases.push(...(typed ? typedPhrases(words, DISTRICT_TYPES, false) : literalPhrases(words, strict)));
      break;
    }
    default: {
      let start = 0;
      while (start < words.length - 1 && findTypeWord(words[start]!.norm, SETTLEMENT_TYPES)) start++;
      phrases.push(...literalPhrases(words.slice(start), strict));
    }
  }
  for (const alias of entry.aliases ?? []) {
    const aliasWords = nameWords(alias);
    if (aliasWords.length) phrases.push(...literalPhrases(aliasWords, strict));
  }
  return phrases;
}

/** Rule 6: a generic word of a settlement before the name, a single letter only with its full stop. */
const isSettlementWord = (t: Token | undefined) => !!t && SETTLEMENT_WORDS.has(t.norm) && (t.norm.length > 1 || t.dotAfter);

interface Hit {
  first: number;
  last: number;
  terminal: Terminal;
  withPrefix: boolean;
}

export class Gazetteer {
  readonly #entries: readonly GazetteerEntry[];
  readonly #root = new Map<string, TrieNode>();

  constructor(entries: readonly GazetteerEntry[]) {
    this.#entries = entries;
    for (const [index, entry] of entries.entries()) {
      const merged = new Map<string, Phrase>();
      for (const p of phrasesOf(entry)) {
        const key = p.words.join(' ');
        const seen = merged.get(key);
        if (!seen) merged.set(key, p);
        else {
          // The same words reached twice: keep the least demanding reading.
          seen.strict &&= p.strict;
          seen.needsContext &&= p.needsContext;
          seen.needsHouseNumber &&= p.needsHouseNumber;
        }
      }
      for (const p of merged.values()) this.#insert(p, index);
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  #insert(p: Phrase, entry: number): void {
    let level = this.#root;
    let node: TrieNode | undefined;
    for (const [i, w] of p.words.entries()) {
      if (i > 0) {
        node!.next ??= new Map();
        level = node!.next;
      }
      node = level.get(w);
      if (!node) {
        node = {};
        level.set(w, node);
      }
    }
    if (!node) return;
    node.terminals ??= [];
    node.terminals.push({
      entry,
      strict: p.strict,
      needsContext: p.needsContext,
      needsHouseNumber: p.needsHouseNumber,
    });
  }

  /** Every place named in the text, in order of position (see the rules above). */
  findMentions(text: string): PlaceMention[] {
    const tokens = tokenize(text);
    let shouting: boolean | undefined; // computed once, only when a name needs its capital
    const isShoutingText = () => (shouting ??= isShouting(text));
    const hits: Hit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      let node = this.#root.get(tokens[i]!.norm);
      for (let j = i; node; ) {
        for (const terminal of node.terminals ?? []) {
          const hit = this.#accept(tokens, i, j, terminal, isShoutingText);
          if (hit) hits.push(hit);
        }
        j++;
        const next = tokens[j];
        node = next ? node.next?.get(next.norm) : undefined;
      }
    }
    // Rule 7: longest first, then the more specific kind, then the earlier.
    hits.sort(
      (a, b) =>
        b.last - b.first - (a.last - a.first) ||
        SPECIFICITY[this.#entries[b.terminal.entry]!.kind] - SPECIFICITY[this.#entries[a.terminal.entry]!.kind] ||
        a.first - b.first,
    );
    const taken: Hit[] = [];
    for (const h of hits) {
      const clash = taken.some((t) => h.first <= t.last && t.first <= h.last && !(t.first === h.first && t.last === h.last));
      const twin = taken.some((t) => t.first === h.first && t.last === h.last && t.terminal.entry === h.terminal.entry);
      if (!clash && !twin) taken.push(h);
    }
    taken.sort((a, b) => a.first - b.first || a.terminal.entry - b.terminal.entry);
    return taken.map((h) => {
      const entry = this.#entries[h.terminal.entry]!;
      const start = tokens[h.withPrefix ? h.first - 1 : h.first]!.start;
      const end = tokens[h.last]!.end;
      return {
        placeId: entry.id,
        municipalityId: entry.municipalityId,
        kind: entry.kind,
        name: entry.name,
        text: text.slice(start, end),
        start,
        end,
      };
    });
  }

  #accept(tokens: Token[], first: number, last: number, terminal: Terminal, shouting: () => boolean): Hit | undefined {
    const kind = this.#entries[terminal.entry]!.kind;
    const prev = tokens[first - 1];
    const next = tokens[last + 1];
    const withPrefix = (kind === 'settlement' || kind === 'municipality') && isSettlementWord(prev);
    if (terminal.needsContext && !withPrefix && !(prev && PREPOSITIONS.has(prev.norm))) return undefined; // rule 4
    if (terminal.strict) {
      if (next && STREET_OR_DISTRICT_WORDS.has(next.norm)) return undefined; // rule 5c
      const head = tokens[first]!;
      if (!withPrefix && !(head.capitalised && !head.sentenceStart && !shouting())) return undefined; // rule 5a, 5b
    }
    if (terminal.needsHouseNumber) {
      const n = next && (next.norm === 'д' || next.norm === 'дом') ? tokens[last + 2] : next;
      if (!n || !HOUSE_NUMBER.test(n.norm)) return undefined; // rule 3
    }
    return { first, last, terminal, withPrefix };
  }

  /** The best place for a post, whether it is ambiguous, and every candidate (see the comment above). */
  resolve(text: string): PlaceResolution {
    const mentions = this.findMentions(text);
    if (mentions.length === 0) return { place: null, ambiguous: false, candidates: [] };
    const spans = new Map<string, PlaceMention[]>();
    for (const m of mentions) {
      const key = `${m.start}:${m.end}`;
      const list = spans.get(key);
      if (list) list.push(m);
      else spans.set(key, [m]);
    }
    const support = new Map<PlaceId, number>();
    const certain = new Set<PlaceId>(); // municipalities named by a mention that can belong to no other
    for (const list of spans.values()) {
      const municipalities = new Set(list.map((m) => m.municipalityId));
      for (const id of municipalities) support.set(id, (support.get(id) ?? 0) + 1 / municipalities.size);
      if (municipalities.size === 1) certain.add(list[0]!.municipalityId);
    }
    const best = Math.max(...support.values());
    const preferred = (m: PlaceMention) => support.get(m.municipalityId)! > best - 1e-9;
    const pool = mentions.filter(preferred);
    const top = Math.max(...pool.map((m) => SPECIFICITY[m.kind]));
    const winners = pool.filter((m) => SPECIFICITY[m.kind] === top);
    const place = new Set(winners.map((m) => m.municipalityId)).size === 1 ? winners[0]! : null;

    const seen = new Set<string>();
    const candidates = mentions
      .filter((m) => !seen.has(`${m.kind}:${m.placeId}`) && seen.add(`${m.kind}:${m.placeId}`))
      .sort(
        (a, b) =>
          support.get(b.municipalityId)! - support.get(a.municipalityId)! ||
          SPECIFICITY[b.kind] - SPECIFICITY[a.kind] ||
          a.start - b.start,
      );
    const ambiguous = certain.size > 1 || (place === null && support.size > 1);
    return { place, ambiguous, candidates };
  }
}

/** Normalises a place name the way the gazetteer compares names (lower case, ё → е, single spaces). */
export function normalisePlaceName(name: string): string {
  return tokenize(name)
    .map((t) => t.norm)
    .join(' ');
}
