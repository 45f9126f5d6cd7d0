import * as snowball from 'snowball-stemmers';
import { foldLatinLookAlikes, mixesLatinAndCyrillic } from '../look-alikes.ts';

/**
 * Words of a post or a query, normalised and stemmed the way PostgreSQL's `russian` text-search configuration does
 * (its `russian_stem` and `english_stem` dictionaries are Snowball's russian and english stemmers), so that a query
 * here and a full-text search in the database agree on what a word is.
 *
 * - A word is a run of letters and digits (Unicode `L`, `N`), with combining marks and invisible characters (soft
 *   hyphen, zero-width space/joiners, word joiner, BOM) inside it. Everything else separates words: a hyphen too, so
 *   «северо-западный» is the two words «северо», «западный» at consecutive positions (a query word with a hyphen is a
 *   phrase of its parts, so both sides agree); `_` too.
 * - URLs (`scheme://…`, `www.…`, `domain.tld/path`, `name.ru` and a few other common TLDs) and e-mail addresses are
 *   skipped from where they start to the next white space; a mention (`@handle`) is skipped;
 *   a hashtag's text is a word (`#ЯмыКемерово` → «ямыкемерово»; `#дороги_кузбасса` → «дороги», «кузбасса»).
 * - Normal form: stress marks and invisible characters removed, NFC, Latin look-alikes inside a Cyrillic word made
 *   Cyrillic («мусоp» with a Latin p), lower case, ё → е.
 * - Stem: a word with a digit is kept as it is (PostgreSQL's `simple` for numbers); a word of ASCII letters only gets
 *   Snowball english (PostgreSQL maps `asciiword` to `english_stem`); any other word Snowball russian.
 *
 * Differences from PostgreSQL, all deliberate: stop words are kept (PostgreSQL drops «и», «не», «на»…; here they count
 * as positions, which phrases and NEAR need); a hyphenated word yields only its parts (PostgreSQL adds the whole word
 * as a third lexeme); the look-alike folding above.
 *
 * snowball-stemmers 0.6.0 is generated from an older Snowball than PostgreSQL ≥ 13 ships (2.x). A one-off comparison
 * with `ts_lexize` over the distinct words of this repository's sources (~2,600 Russian) and of TypeScript's lib
 * files (~33,000 English) found (stem-postgres.test.ts keeps checking a table of words):
 * - russian: Snowball 2.x maps ё to е before stemming; done here in the normal form, for every word. Otherwise equal.
 * - english: equal to PostgreSQL 15 (the server CI runs). PostgreSQL 18 (PGlite) has a newer english stemmer that
 *   keeps a double consonant after a/e/o when removing -ed/-ing («added» → «add», here and in PostgreSQL 15 «ad»;
 *   «egging», «offed», «odding», «erred», «ebbed»). The two databases disagree with each other on these few words;
 *   we keep the package's (older) answer.
 */

const russian = snowball.newStemmer('russian');
const english = snowball.newStemmer('english');

/** A word of a text. Offsets are UTF-16 indices into the text (what `String.prototype.slice` takes). */
export interface Token {
  /** The word as written: `text.slice(from, to)`. */
  text: string;
  /** The normal form (see above); `prefix*` in a query is a prefix of this. */
  norm: string;
  /** The Snowball stem of `norm`; a query word matches a token with the same stem. */
  stem: string;
  /** 0-based start offset. */
  from: number;
  /** End offset, exclusive. */
  to: number;
}

/** The shortest `prefix*` a query may use; posts are indexed by their words' first PREFIX_MIN characters. */
export const PREFIX_MIN = 3;

/** One spelling of a word as the matcher needs it; shared by all tokens spelled the same way (see wordForm). */
export interface WordForm {
  norm: string;
  stem: string;
  /** The first PREFIX_MIN characters of `norm`, or '' when it is shorter. */
  bucket: string;
}

// Character classes: SPACE ends a chunk (see scan), WORD starts and continues a word, JOINER (combining marks,
// invisible characters) only continues one, OTHER separates.
const OTHER = 1;
const WORD = 2;
const JOINER = 3;
const SPACE = 4;

const classes = new Uint8Array(0x10000);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;
const WHITE = /\s/u;

function classify(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return OTHER; // outside the BMP (emoji, decorative alphabets): separators
  if (c === 0xad || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff) return JOINER;
  const ch = String.fromCharCode(c);
  if (MARK.test(ch)) return JOINER;
  if (LETTER_OR_DIGIT.test(ch)) return WORD;
  if (WHITE.test(ch)) return SPACE;
  return OTHER;
}

function charClass(c: number): number {
  let k = classes[c]!;
  if (k === 0) {
    k = classify(c);
    classes[c] = k;
  }
  return k;
}

for (let c = 0; c < 0x530; c++) classes[c] = classify(c); // ASCII, Latin-1, Latin Extended, Cyrillic: ready

/** The UTF-16 code unit can start a word (a letter or a digit). */
export const isWordStart = (c: number): boolean => charClass(c) === WORD;
/** The UTF-16 code unit can continue a word (also combining marks and invisible characters). */
export const isWordPart = (c: number): boolean => {
  const k = charClass(c);
  return k === WORD || k === JOINER;
};
/** White space. */
export const isSpace = (c: number): boolean => charClass(c) === SPACE;

const TLDS = new Set(['ru', 'рф', 'su', 'com', 'org', 'net', 'info', 'me', 'io']);
const isAsciiLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isAsciiDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isSchemeChar = (c: number) => isAsciiLetter(c) || isAsciiDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e;
/** Letters, digits, '-' and '.': what a host name is made of. */
const isHostChar = (c: number) => charClass(c) === WORD || c === 0x2d || c === 0x2e;
const isLocalChar = (c: number) => isHostChar(c) || c === 0x5f || c === 0x25 || c === 0x2b;

/** Whether text[from, …) starts with a host name that has a dot between two labels (the domain of an address). */
function hostAt(text: string, from: number, to: number): boolean {
  let i = from;
  let dot = -1;
  while (i < to && isHostChar(text.charCodeAt(i))) {
    if (text.charCodeAt(i) === 0x2e && i > from) dot = i;
    i++;
  }
  return dot > from && dot < i - 1;
}

/**
 * Where a URL or an e-mail address starts within text[from, to) (a chunk without white space), or `to`: `scheme://`,
 * `www.`, `local@host.tld`, `host.tld/…`, and `host.ru` (a few common TLDs). One pass, no regular expressions: the
 * runs of scheme, host and address characters that end at the current character are tracked as we go, so a 10 MB
 * chunk costs 10 MB of work whatever it holds.
 */
function linkStart(text: string, from: number, to: number): number {
  let schemeRun = from; // start of the current run of scheme characters
  let hostRun = from; // … of host characters
  let localRun = from; // … of e-mail local-part characters
  let lastDot = -1; // the last '.' in the current host run
  let labelLetters = 0; // ASCII letters since it (−1: something else came after it)
  const hostEnds = (end: number): boolean => {
    // The host run [hostRun, end) just ended: www.… or name.<tld>?
    if (end - hostRun >= 4 && text.slice(hostRun, hostRun + 4).toLowerCase() === 'www.') return true;
    return lastDot > hostRun && TLDS.has(text.slice(lastDot + 1, end).toLowerCase());
  };
  // host.tld/…: a Latin top-level label (or .рф), so that «ул.Ленина/5» stays words.
  const pathAfterHost = (slash: number): boolean =>
    lastDot > hostRun && (labelLetters >= 2 || text.slice(lastDot + 1, slash).toLowerCase() === 'рф');
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a && i > schemeRun && text.charCodeAt(i + 1) === 0x2f && text.charCodeAt(i + 2) === 0x2f) return schemeRun;
    if (c === 0x40 && i > localRun && hostAt(text, i + 1, to)) return localRun;
    if (c === 0x2f && pathAfterHost(i)) return hostRun;
    if (!isHostChar(c) && i > hostRun && hostEnds(i)) return hostRun;

    if (!isSchemeChar(c)) schemeRun = i + 1;
    if (!isLocalChar(c)) localRun = i + 1;
    if (!isHostChar(c)) {
      hostRun = i + 1;
      lastDot = -1;
      labelLetters = 0;
    } else if (c === 0x2e) {
      lastDot = i;
      labelLetters = 0;
    } else if (labelLetters >= 0) {
      labelLetters = isAsciiLetter(c) ? labelLetters + 1 : -1;
    }
  }
  return to > hostRun && hostEnds(to) ? hostRun : to;
}

/**
 * Appends the [from, to) offsets of the words of `text` to the two arrays (at most `limit` words in all) and returns
 * how many there are now. Linear in the text; the building block of `tokenize` and of the matcher.
 */
export function scanWords(text: string, starts: number[], ends: number[], limit = Number.POSITIVE_INFINITY): number {
  const n = text.length;
  let i = 0;
  while (i < n && starts.length < limit) {
    if (charClass(text.charCodeAt(i)) === SPACE) {
      i++;
      continue;
    }
    // A chunk: up to the next white space. Only a chunk with ':', '/', '@' or a '.' inside can hold a link.
    let j = i;
    let special = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (charClass(c) === SPACE) break;
      if (c === 0x3a || c === 0x2f || c === 0x40 || (c === 0x2e && j + 1 < n && charClass(text.charCodeAt(j + 1)) === WORD))
        special = true;
      j++;
    }
    const end = special ? linkStart(text, i, j) : j;
    let k = i;
    while (k < end) {
      const c = text.charCodeAt(k);
      const t = charClass(c);
      if (t === WORD) {
        let e = k + 1;
        while (e < end) {
          const t2 = charClass(text.charCodeAt(e));
          if (t2 !== WORD && t2 !== JOINER) break;
          e++;
        }
        if (starts.length >= limit) break;
        starts.push(k);
        ends.push(e);
        k = e;
      } else if (c === 0x40 && k + 1 < end && charClass(text.charCodeAt(k + 1)) === WORD) {
        // @handle: a mention names an account, it is not a word of the post.
        k++;
        while (k < end) {
          const d = text.charCodeAt(k);
          const t2 = charClass(d);
          if (t2 !== WORD && t2 !== JOINER && d !== 0x5f && d !== 0x2e) break;
          k++;
        }
      } else {
        k++;
      }
    }
    i = j;
  }
  return starts.length;
}

// Latin look-alikes are folded only inside a word that also has Cyrillic letters, and only when every Latin letter
// in it has a Cyrillic twin (a real mixed word like «iPhone-чехол» stays as written).
const NOT_FOLDABLE = /[DFGIJLNQRSUVWZbdfghijlmnqrstuvwz]/;
const NEEDS_CLEANING = /\p{M}|[\u00ad\u200b-\u200d\u2060\ufeff]/u;
const INVISIBLE_OR_STRESS = /\u0300|\u0301|[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** The normal form of one word (see the file's comment). */
export function normalizeWord(raw: string): string {
  let w = raw;
  if (NEEDS_CLEANING.test(w)) w = w.replace(INVISIBLE_OR_STRESS, '').normalize('NFC');
  if (mixesLatinAndCyrillic(w) && !NOT_FOLDABLE.test(w)) w = foldLatinLookAlikes(w);
  w = w.toLowerCase();
  return w.includes('ё') ? w.replaceAll('ё', 'е') : w;
}

const HAS_DIGIT = /\p{N}/u;
const ASCII_LETTERS = /^[a-z]+$/;

/** The stem of a word already in normal form. */
export function stemNormalized(norm: string): string {
  if (HAS_DIGIT.test(norm)) return norm;
  if (ASCII_LETTERS.test(norm)) return english.stem(norm);
  return russian.stem(norm);
}

/** The stem of one word as written («Ямами» → «ям», «ёлки» → «елк», «Running» → «run»). */
export function stem(word: string): string {
  return stemNormalized(normalizeWord(word));
}

const forms = new Map<string, WordForm>();
const FORMS_LIMIT = 200_000;

/** The normal form, stem and prefix bucket of a word as written, cached (stemming is the costly part). */
export function wordForm(raw: string): WordForm {
  let form = forms.get(raw);
  if (form === undefined) {
    const norm = normalizeWord(raw);
    form = { norm, stem: stemNormalized(norm), bucket: norm.length >= PREFIX_MIN ? norm.slice(0, PREFIX_MIN) : '' };
    if (forms.size >= FORMS_LIMIT) forms.clear();
    forms.set(raw, form);
  }
  return form;
}

/** The words of a text in order; a word's position is its index in the array. */
export function tokenize(text: string): Token[] {
  const starts: number[] = [];
  const ends: number[] = [];
  scanWords(text, starts, ends);
  return starts.map((from, i) => {
    const to = ends[i]!;
    const raw = text.slice(from, to);
    const { norm, stem } = wordForm(raw);
    return { text: raw, norm, stem, from, to };
  });
}
