/**
 * Rule-based declension of Russian place names — enough to recognise a place in any of its six cases, not a general
 * morphological analyser. Words are normalised (lower case, ё → е) before they get here. The rules are the school
 * grammar of the nominal declensions; on toponyms in -ово/-ево/-ино/-ыно, declined in the literary norm («в Кемерове»)
 * and often left indeclinable in speech and the press («в Кемерово»), see Розенталь Д. Э., «Справочник по правописанию
 * и литературной правке», the chapter on the declension of geographical names. Both readings are generated:
 *
 * - adjectives (Ленинский, Промышленная, Калининское, Береговой, Верхние): the full adjectival paradigm of their
 *   gender and number, hard or soft stem, «и» after г/к/х/ж/ш/ч/щ; both «-ой» and «-ей» after a sibilant where the
 *   stress decides (Горячая → Горячей, Большая → Большой);
 * - nouns by their ending: -ово/-ево/-ино/-ыно (Кемерово → Кемерова, Кемерову, Кемеровом, Кемерове; these oblique
 *   forms coincide with surnames — Белова, Белову — and are flagged `obliqueNeedsContext`), other -о neuters, -ье,
 *   -а/-я (Юрга → Юрги, Юрге, Юргу, Юргой; -ия → -ии), -ь (masculine and feminine forms both generated), -й,
 *   -ие (поселение → поселении), consonants (Мариинск → Мариинска, Мариинску, Мариинском, Мариинске; fleeting
 *   vowel in -ок/-ец: Городок → Городка), plurals in -ы/-и (Топки → Топок/Топков, Топкам, Топками, Топках);
 * - a word in capitals of up to 4 letters (СП, ГО) or with a digit stays as written; so do
 *   foreign endings -е, -у, -ю, -э (a word in -и is read as a plural: over-generation);
 * - a hyphenated word declines part by part, except a first part ending in a linking -о/-е (Анжеро-Судженск →
 *   Анжеро-Судженска; Ленинск-Кузнецкий → Ленинске-Кузнецком).
 *
 * Over-generation (a form no speaker uses, such as «городока») is harmless: it only has to be found in a post.
 */
export type GrammaticalCase = 'nom' | 'gen' | 'dat' | 'acc' | 'ins' | 'loc';
export const CASES: readonly GrammaticalCase[] = ['nom', 'gen', 'dat', 'acc', 'ins', 'loc'];

export type Forms = Record<GrammaticalCase, string[]>;

export interface Paradigm {
  forms: Forms;
  /** The oblique cases of a -ово/-ево/-ино/-ыно toponym, which are also surname forms (Белова, Белову). */
  obliqueNeedsContext?: boolean;
}

const VELAR = 'кгх';
const SIBILANT = 'жшчщ';
const ADJECTIVE = /(?:ый|ий|ой|ая|яя|ое|ее|ые|ие)$/;
/** Neuter nouns in -ение/-ание/-яние/-тие (поселение, Заречие aside): not plural adjectives in -ие. */
const VERBAL_NOUN = /(?:ени|ани|яни|ти)е$/;

const fixed = (w: string): Forms => ({ nom: [w], gen: [w], dat: [w], acc: [w], ins: [w], loc: [w] });

function build(stem: string, endings: Record<GrammaticalCase, string[]>): Forms {
  const out = {} as Forms;
  for (const c of CASES) out[c] = endings[c].map((e) => stem + e);
  return out;
}

/** The adjectival paradigm, or undefined when the word does not end like an adjective. */
export function adjectiveForms(w: string): Forms | undefined {
  if (w.length < 4 || !ADJECTIVE.test(w) || VERBAL_NOUN.test(w)) return undefined;
  const ending = w.slice(-2);
  const stem = w.slice(0, -2);
  const last = stem.at(-1) ?? '';
  const i = VELAR.includes(last) || SIBILANT.includes(last); // «и», not «ы», after these
  const y = i ? 'и' : 'ы';
  switch (ending) {
    case 'ый':
    case 'ой':
      return build(stem, { nom: [ending], gen: ['ого'], dat: ['ому'], acc: [ending], ins: [`${y}м`], loc: ['ом'] });
    case 'ий':
      return VELAR.includes(last)
        ? build(stem, { nom: ['ий'], gen: ['ого'], dat: ['ому'], acc: ['ий'], ins: ['им'], loc: ['ом'] })
        : build(stem, { nom: ['ий'], gen: ['его'], dat: ['ему'], acc: ['ий'], ins: ['им'], loc: ['ем'] });
    case 'ая': {
      const oblique = SIBILANT.includes(last) ? ['ей', 'ой'] : ['ой'];
      return build(stem, { nom: ['ая'], gen: oblique, dat: oblique, acc: ['ую'], ins: [...oblique, 'ою'], loc: oblique });
    }
    case 'яя':
      return build(stem, { nom: ['яя'], gen: ['ей'], dat: ['ей'], acc: ['юю'], ins: ['ей', 'ею'], loc: ['ей'] });
    case 'ое':
      return build(stem, { nom: ['ое'], gen: ['ого'], dat: ['ому'], acc: ['ое'], ins: [`${y}м`], loc: ['ом'] });
    case 'ее':
      return build(stem, { nom: ['ее'], gen: ['его'], dat: ['ему'], acc: ['ее'], ins: ['им'], loc: ['ем'] });
    case 'ые':
    case 'ие': {
      const v = ending[0]!;
      return build(stem, { nom: [ending], gen: [`${v}х`], dat: [`${v}м`], acc: [ending], ins: [`${v}ми`], loc: [`${v}х`] });
    }
    default:
      return undefined;
  }
}

export const isAdjective = (w: string): boolean => adjectiveForms(w) !== undefined;

const POSSESSIVE = /(?:ов|ев|ин|ын)о$/;

/** The noun paradigm chosen by the word's ending (see the file comment). */
export function nounParadigm(w: string): Paradigm {
  if (/\d/.test(w) || !/[а-я]/.test(w)) return { forms: fixed(w) };
  const last = w.at(-1)!;
  const stem = w.slice(0, -1);
  const beforeLast = stem.at(-1) ?? '';
  switch (last) {
    case 'о':
      return {
        forms: build(stem, { nom: ['о'], gen: ['а'], dat: ['у'], acc: ['о'], ins: ['ом'], loc: ['е'] }),
        obliqueNeedsContext: POSSESSIVE.test(w),
      };
    case 'е':
      if (beforeLast === 'ь')
        return { forms: build(stem, { nom: ['е'], gen: ['я'], dat: ['ю'], acc: ['е'], ins: ['ем'], loc: ['е'] }) };
      if (beforeLast === 'и')
        return { forms: build(stem, { nom: ['е'], gen: ['я'], dat: ['ю'], acc: ['е'], ins: ['ем'], loc: ['и'] }) };
      return { forms: fixed(w) };
    case 'а': {
      const gen = VELAR.includes(beforeLast) || SIBILANT.includes(beforeLast) ? 'и' : 'ы';
      const ins = SIBILANT.includes(beforeLast) || beforeLast === 'ц' ? ['ей', 'ой'] : ['ой'];
      return { forms: build(stem, { nom: ['а'], gen: [gen], dat: ['е'], acc: ['у'], ins, loc: ['е'] }) };
    }
    case 'я':
      return beforeLast === 'и'
        ? { forms: build(stem, { nom: ['я'], gen: ['и'], dat: ['и'], acc: ['ю'], ins: ['ей'], loc: ['и'] }) }
        : { forms: build(stem, { nom: ['я'], gen: ['и'], dat: ['е'], acc: ['ю'], ins: ['ей'], loc: ['е'] }) };
    case 'ь': // masculine (Тисуль → Тисуля) and feminine (Обь → Оби) both
      return {
        forms: build(stem, { nom: ['ь'], gen: ['я', 'и'], dat: ['ю', 'и'], acc: ['ь'], ins: ['ем', 'ью'], loc: ['е', 'и'] }),
      };
    case 'й':
      return { forms: build(stem, { nom: ['й'], gen: ['я'], dat: ['ю'], acc: ['й'], ins: ['ем'], loc: ['е'] }) };
    case 'ы':
    case 'и': {
      if (w.length < 4) return { forms: fixed(w) };
      const gen = beforeLast === 'к' ? [`${stem.slice(0, -1)}ок`, `${stem}ов`] : [`${stem}ов`, `${stem}ей`];
      return {
        forms: { nom: [w], gen, dat: [`${stem}ам`], acc: [w], ins: [`${stem}ами`], loc: [`${stem}ах`] },
      };
    }
    case 'у':
    case 'ю':
    case 'э':
      return { forms: fixed(w) };
    default: {
      // A consonant: masculine, with the fleeting vowel of -ок/-ек/-ец as an alternative stem.
      const stems = [w];
      if (w.length > 4 && /(?:ок|ек|ец)$/.test(w)) stems.push(w.slice(0, -2) + last);
      const ins = SIBILANT.includes(last) || last === 'ц' ? ['ем', 'ом'] : ['ом'];
      const forms: Forms = { nom: [w], gen: [], dat: [], acc: [w], ins: [], loc: [] };
      for (const s of stems) {
        forms.gen.push(`${s}а`);
        forms.dat.push(`${s}у`);
        forms.ins.push(...ins.map((e) => s + e));
        forms.loc.push(`${s}е`);
      }
      return { forms };
    }
  }
}

/** A generic word of a place name («улица», «район», «посёлок») with its abbreviations (any case, as written). */
export interface TypeWord {
  word: string;
  forms: Forms;
  abbreviations: string[];
}

function typeWord(word: string, abbreviations: string[]): TypeWord {
  return { word, forms: adjectiveForms(word) ?? nounParadigm(word).forms, abbreviations };
}

/** Generic words of street names; the first is the default for a street named without one («Весенняя»). */
export const STREET_TYPES: readonly TypeWord[] = [
  typeWord('улица', ['ул']),
  typeWord('проспект', ['пр', 'пр-т', 'пр-кт', 'просп']),
  typeWord('переулок', ['пер']),
  typeWord('бульвар', ['б-р', 'бульв']),
  typeWord('площадь', ['пл']),
  typeWord('шоссе', ['ш']),
  typeWord('проезд', ['пр-д']),
  typeWord('набережная', ['наб']),
  typeWord('тупик', ['туп']),
  typeWord('аллея', []),
  typeWord('квартал', ['кв-л']),
];

/** Generic words of city districts; the first is added to a district named by an adjective alone («Ленинский»). */
export const DISTRICT_TYPES: readonly TypeWord[] = [
  typeWord('район', ['р-н', 'р-на', 'р-не', 'р-ну', 'р-ном', 'рн', 'р-он']),
  typeWord('микрорайон', ['мкр', 'мкрн', 'мкр-н', 'м-н']),
  typeWord('жилрайон', []),
];

/**
 * Words that may stand before the name of a settlement or a municipality («пгт Промышленная», «в посёлке
 * Береговой», «г. Белово»), in any case. One- and two-letter abbreviations count only with their full stop.
 */
export const SETTLEMENT_TYPES: readonly TypeWord[] = [
  typeWord('город', ['г', 'гор']),
  typeWord('поселок', ['п', 'пос', 'пгт', 'рп', 'кп']),
  typeWord('село', ['с']),
  typeWord('деревня', ['д', 'дер']),
  typeWord('станция', ['ст']),
  typeWord('хутор', ['х']),
  typeWord('слобода', ['сл']),
  typeWord('аул', []),
];

/** Every form of every generic word of `types`, with its abbreviations. */
export function typeWordForms(types: readonly TypeWord[]): Set<string> {
  const out = new Set<string>();
  for (const t of types) {
    for (const c of CASES) for (const f of t.forms[c]) out.add(f);
    for (const a of t.abbreviations) out.add(a);
  }
  return out;
}

/** The generic word whose nominative (or abbreviation) `w` is, among `types`. */
export function findTypeWord(w: string, types: readonly TypeWord[]): TypeWord | undefined {
  return types.find((t) => t.word === w || t.abbreviations.includes(w));
}

const ALL_TYPES = [...STREET_TYPES, ...DISTRICT_TYPES, ...SETTLEMENT_TYPES];

/** A word of a name as written: normalised, and whether it was in capitals (an abbreviation such as «СП»). */
export interface NameWord {
  norm: string;
  allCaps?: boolean;
}

function partParadigm(part: string, isLast: boolean): Paradigm {
  if (!isLast && /[ое]$/.test(part)) return { forms: fixed(part) };
  const type = ALL_TYPES.find((t) => t.word === part);
  if (type) return { forms: type.forms };
  const adjective = adjectiveForms(part);
  return adjective ? { forms: adjective } : nounParadigm(part);
}

/** The paradigm of one word of a name (a generic word, an adjective or a noun; hyphenated parts one by one). */
export function wordParadigm(word: NameWord): Paradigm {
  const w = word.norm;
  if ((word.allCaps && w.length <= 4) || /\d/.test(w)) return { forms: fixed(w) };
  const parts = w.split('-');
  if (parts.length === 1) return partParadigm(w, true);
  const paradigms = parts.map((p, i) => partParadigm(p, i === parts.length - 1));
  const forms = {} as Forms;
  for (const c of CASES) {
    let acc = [''];
    for (const [i, p] of paradigms.entries()) acc = acc.flatMap((a) => p.forms[c].map((f) => (i === 0 ? f : `${a}-${f}`)));
    forms[c] = [...new Set(acc)];
  }
  return { forms, obliqueNeedsContext: paradigms.some((p) => p.obliqueNeedsContext) };
}

export interface PhraseForm {
  words: string[];
  grammaticalCase: GrammaticalCase;
  /** An oblique form of a -ово/-ево/-ино/-ыно toponym: also a surname form, needs a preposition or generic word. */
  needsContext: boolean;
}

const MAX_VARIANTS_PER_CASE = 64;

/**
 * Every form of a multi-word name, word forms agreeing in case. The words up to the first noun (the head) decline;
 * the words after it stay as written — they are genitive complements («улица 50 лет Октября», «посёлок шахты
 * Северной») or appositions. A name of adjectives only declines throughout.
 */
export function declinePhrase(words: readonly NameWord[]): PhraseForm[] {
  let head = words.findIndex((w) => !isAdjective(w.norm) || (w.allCaps && w.norm.length <= 4));
  if (head < 0) head = words.length - 1;
  const paradigms = words.map((w, i) => (i <= head ? wordParadigm(w) : { forms: fixed(w.norm) }));
  const needsContext = paradigms.some((p) => p.obliqueNeedsContext);
  const out: PhraseForm[] = [];
  const seen = new Set<string>();
  for (const c of CASES) {
    let variants: string[][] = [[]];
    for (const p of paradigms) {
      variants = variants.flatMap((v) => p.forms[c].map((f) => [...v, f])).slice(0, MAX_VARIANTS_PER_CASE);
    }
    for (const v of variants) {
      const key = `${c}|${v.join(' ')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ words: v, grammaticalCase: c, needsContext: needsContext && c !== 'nom' && c !== 'acc' });
    }
  }
  return out;
}
