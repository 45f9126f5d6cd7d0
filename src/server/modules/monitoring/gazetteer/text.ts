import { foldLatinLookAlikes, mixesLatinAndCyrillic } from '../look-alikes.ts';
/**
 * Words of a post as the gazetteer sees them: each token keeps its place in the original text (UTF-16 offsets, so a
 * match can be highlighted) and a normalised form — lower case, ё → е, stress marks dropped, and Latin look-alike
 * letters inside a Cyrillic word read as Cyrillic («Кeмерово» with a Latin e, a trick of spam and of keyboards).
 */
export interface Token {
  /** Normalised: lower case, ё → е, no combining marks, Latin look-alikes folded in mixed-script words. */
  norm: string;
  start: number;
  end: number;
  /** The first letter is a capital in the original text. */
  capitalised: boolean;
  /** Written in capitals throughout (an abbreviation such as «СП», or shouting). */
  allCaps: boolean;
  /** Nothing but sentence punctuation, quotes, brackets or emoji between the start of a sentence and this word. */
  sentenceStart: boolean;
  /** A full stop follows the word at once («г.», «ул.»): single-letter abbreviations count only with it. */
  dotAfter: boolean;
}

/** Letters, digits and combining marks, joined by hyphens into one word («р-н», «Ленинск-Кузнецкий», «12-а»). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:[-‐‑][\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;
const MARKS = /\p{M}/gu;
const HYPHENS = /[‐‑]/g;

const PLAIN_CYRILLIC = /^[\u0410-\u044f0-9-]+$/;

/** One word → its normalised form (see Token.norm). */
export function normaliseWord(raw: string): string {
  if (PLAIN_CYRILLIC.test(raw)) return raw.toLowerCase(); // the usual case: no ё, marks or Latin letters
  let w = raw.normalize('NFC').replace(MARKS, '').replace(HYPHENS, '-');
  if (mixesLatinAndCyrillic(w)) w = foldLatinLookAlikes(w);
  return w.toLowerCase().replaceAll('ё', 'е');
}

/** . ! ? … and line breaks end a sentence; letters, digits , ; : are inside one; anything else (quotes, emoji) neither. */
function sentenceBoundary(ch: string): boolean | undefined {
  if (ch === '.' || ch === '!' || ch === '?' || ch === '…' || ch === '\n' || ch === '\r') return true;
  if (ch === ',' || ch === ';' || ch === ':') return false;
  return undefined;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const start = m.index;
    const first = raw[0]!;
    // A sentence starts here when, going back through the gap to the previous word, sentence punctuation comes
    // before any comma-like mark (the previous word itself is inside the sentence).
    let sentenceStart = tokens.length === 0;
    for (let k = start - 1; k >= previousEnd; k--) {
      const boundary = sentenceBoundary(text[k]!);
      if (boundary !== undefined) {
        sentenceStart = boundary;
        break;
      }
    }
    const lower = raw.toLowerCase();
    tokens.push({
      norm: normaliseWord(raw),
      start,
      end: start + raw.length,
      capitalised: first !== first.toLowerCase(),
      allCaps: raw !== lower && raw === raw.toUpperCase(),
      sentenceStart,
      dotAfter: text[start + raw.length] === '.',
    });
    previousEnd = start + raw.length;
  }
  return tokens;
}

/**
 * A text written mostly in capitals («В БЕЛОВЕ НЕТ ВОДЫ») gives no evidence by capitalisation: at least 12 letters,
 * more than 60 % of them capitals. Latin and Cyrillic letters are counted.
 */
export function isShouting(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x410 && c <= 0x42f) || c === 0x401) {
      upper++;
      letters++;
    } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x430 && c <= 0x44f) || c === 0x451) letters++;
  }
  return letters >= 12 && upper / letters > 0.6;
}
