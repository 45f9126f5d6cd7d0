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
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[a-z]/i;
const HYPHENS = /[‐‑]/g;

/** Latin letters that look like Cyrillic ones (upper and lower case). */
const LOOKALIKES: Record<string, string> = {
  A: 'а',
  a: 'а',
  B: 'в',
  C: 'с',
  c: 'с',
  E: 'е',
  e: 'е',
  H: 'н',
  K: 'к',
  k: 'к',
  M: 'м',
  O: 'о',
  o: 'о',
  P: 'р',
  p: 'р',
  T: 'т',
  X: 'х',
  x: 'х',
  Y: 'у',
  y: 'у',
};

/** One word → its normalised form (see Token.norm). */
export function normaliseWord(raw: string): string {
  let w = raw.normalize('NFC').replace(MARKS, '').replace(HYPHENS, '-');
  if (CYRILLIC.test(w) && LATIN.test(w)) w = w.replace(/[a-z]/gi, (ch) => LOOKALIKES[ch] ?? ch);
  return w.toLowerCase().replaceAll('ё', 'е');
}

const SENTENCE_END = /[.!?…\n]/;
const INSIDE_SENTENCE = /[\p{L}\p{N},;:]/u;

function startsSentence(text: string, at: number): boolean {
  for (let k = at - 1; k >= 0; k--) {
    const ch = text[k]!;
    if (SENTENCE_END.test(ch)) return true;
    if (INSIDE_SENTENCE.test(ch)) return false;
  }
  return true;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0];
    const start = m.index;
    const first = raw[0]!;
    tokens.push({
      norm: normaliseWord(raw),
      start,
      end: start + raw.length,
      capitalised: first !== first.toLowerCase(),
      allCaps: raw === raw.toUpperCase() && raw !== raw.toLowerCase(),
      sentenceStart: startsSentence(text, start),
      dotAfter: text[start + raw.length] === '.',
    });
  }
  return tokens;
}

/**
 * A text written mostly in capitals («В БЕЛОВЕ НЕТ ВОДЫ») gives no evidence by capitalisation: at least 12 letters,
 * more than 60 % of them capitals.
 */
export function isShouting(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lower === up) continue;
    letters++;
    if (ch === up) upper++;
  }
  return letters >= 12 && upper / letters > 0.6;
}
