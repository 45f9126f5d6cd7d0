// Russian typography for generated documents: numbers, units, and non-breaking spaces where a line must not break.
// Sources: ГОСТ 8.417-2002 п. 8.3 (a space between a number and its unit, «97 %», «24 ч»); Russian editorial
// practice (А. Э. Мильчин, Л. К. Чельцова, «Справочник издателя и автора»): a decimal comma, digits grouped by a
// space from five digits on (12 345, but 1234), a short preposition or conjunction kept with the next word, «№ 5».

export const NBSP = '\u00a0';

const group = (digits: string) => (digits.length >= 5 ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP) : digits);

/** 12 345 (grouped from five digits on, by a non-breaking space); 1234; −5 with a real minus sign. */
export const formatInt = (n: number): string => formatDecimal(n, 0);

/** 97,5 with `digits` after the decimal comma, grouped like formatInt; a negative number gets the minus sign «−». */
export function formatDecimal(n: number, digits = 1): string {
  const fixed = Math.abs(n).toFixed(digits);
  const [whole = '0', frac] = fixed.split('.');
  const negative = n < 0 && Number(fixed) !== 0;
  return `${negative ? '\u2212' : ''}${group(whole)}${frac ? `,${frac}` : ''}`;
}

/** A share (0…1) as «97,5 %» (ГОСТ 8.417: a space before the % sign). */
export const formatPercent = (share: number, digits = 1): string => `${formatDecimal(share * 100, digits)}${NBSP}%`;

/** Hours as «24,0 ч». */
export const formatHours = (hours: number, digits = 1): string => `${formatDecimal(hours, digits)}${NBSP}ч`;

// One- and two-letter words that must not end a line (prepositions, conjunctions, particles).
const SHORT = 'а|в|во|и|к|ко|с|со|у|о|об|от|до|за|из|на|не|ни|но|по|под|над|при|про|для|без|или|да|же|ли|что|как';
const SHORT_WORD = new RegExp(`(^|[\\s(«"„])(${SHORT}) (?=\\S)`, 'giu');

/**
 * Non-breaking spaces where Russian typesetting keeps words together: after a short preposition or conjunction, after
 * «№» and «§», before a dash, between a number and its unit or «г.», inside initials and before a surname («И.\u00a0О.\u00a0Фамилия»).
 * Only spaces change; the text stays the same to a reader and to a search.
 */
export function typeset(text: string): string {
  return (
    text
      .replace(SHORT_WORD, (_m, before: string, word: string) => `${before}${word}${NBSP}`)
      // The same again: «и в городе» has two short words in a row, the first match ate the space before the second.
      .replace(SHORT_WORD, (_m, before: string, word: string) => `${before}${word}${NBSP}`)
      .replace(/([№§]) (?=\d)/g, `$1${NBSP}`)
      // An abbreviation stays with its number: «ст. 11», «ч. 2», «п. 5», «д. 7».
      .replace(/(^|[\s(«])(ст|ч|п|пп|гл|разд|д|корп|стр|рис|табл)\. (?=\d)/gu, `$1$2.${NBSP}`)
      // A dash never starts a line: it stays with the word before it.
      .replace(/ (?=[—–] )/g, NBSP)
      .replace(/(\d) (?=(%|‰|ч|мин|сут|дн|км|м|кг|т|г\.|гг\.|год|года|лет|руб|тыс|млн|млрд|чел)(?![а-яё]))/giu, `$1${NBSP}`)
      // Initials: «И. О. Петров» / «Петров И. О.».
      .replace(/(?<=(^|[\s(«])[А-ЯЁ]\.) (?=[А-ЯЁ])/gu, NBSP)
  );
}
