/**
 * Latin letters that look like Cyrillic ones («мусоp» typed with a Latin p, «Kемерово» with a Latin K), as their
 * Cyrillic twins with the case kept. Shared by the query tokenizer (query/), the gazetteer and near-duplicate
 * grouping, so the three read a mixed word the same way.
 */
const LATIN_LOOK_ALIKES: Readonly<Record<string, string>> = {
  A: 'А',
  a: 'а',
  B: 'В',
  C: 'С',
  c: 'с',
  E: 'Е',
  e: 'е',
  H: 'Н',
  K: 'К',
  k: 'к',
  M: 'М',
  O: 'О',
  o: 'о',
  P: 'Р',
  p: 'р',
  T: 'Т',
  X: 'Х',
  x: 'х',
  Y: 'У',
  y: 'у',
};

const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /[A-Za-z]/;
const LATIN_ALL = /[A-Za-z]/g;

/** Does the word mix Cyrillic and Latin letters (the only words where folding applies)? */
export const mixesLatinAndCyrillic = (word: string): boolean => LATIN.test(word) && CYRILLIC.test(word);

/** Each Latin look-alike as its Cyrillic twin (case kept); other Latin letters stay as they are. */
export const foldLatinLookAlikes = (word: string): string => word.replace(LATIN_ALL, (ch) => LATIN_LOOK_ALIKES[ch] ?? ch);
