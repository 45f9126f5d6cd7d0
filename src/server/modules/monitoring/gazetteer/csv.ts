import { type GazetteerEntry, normalisePlaceName, type PlaceId, type PlaceKind } from './gazetteer.ts';

/**
 * The gazetteer's import format (streets and other places a municipality adds), one place a line:
 *
 *   kind;name;municipality_slug;aliases[;strict]
 *
 * - UTF-8 with or without a BOM, fields separated by `;` (names may contain commas); a field with `;` or a quote in it
 *   is "quoted", a quote inside doubled — as spreadsheets write it. Empty lines and lines starting with `#` are
 *   skipped; a first line starting with `kind`/`вид`/`тип` is a header.
 * - kind: municipality | settlement | district | street, or in Russian: муниципалитет (мо), населённый пункт (нп),
 *   район, улица.
 * - name: as in documents — «Белово», «Ленинский район», «улица Весенняя», «проспект Ленина», «пгт Промышленная».
 * - municipality_slug: the municipality's slug (`kemerovo`); it must be one of the known ones.
 * - aliases: other names, separated by `|` or `,` (may be empty).
 * - strict (optional): да/нет, 1/0 — the name is also a common word and counts only when capitalised or after a
 *   generic word (see gazetteer.ts, rule 5). Names of adjectives only are treated so anyway.
 * - The same kind and name twice for one municipality is an error. Entry ids are `slug:kind:normalised name`, stable
 *   across imports.
 * - Parsing is pure and all or nothing is the caller's choice: every bad line is reported with its number, in Russian.
 */
export interface GazetteerCsvError {
  /** 1-based line number; 0 for the file as a whole. */
  line: number;
  /** «Строка 3: …», in Russian, for the person who prepared the file. */
  message: string;
}

export interface GazetteerCsvResult {
  entries: GazetteerEntry[];
  errors: GazetteerCsvError[];
}

const KINDS: Record<string, PlaceKind> = {
  municipality: 'municipality',
  муниципалитет: 'municipality',
  'муниципальное образование': 'municipality',
  мо: 'municipality',
  settlement: 'settlement',
  'населенный пункт': 'settlement',
  нп: 'settlement',
  district: 'district',
  район: 'district',
  street: 'street',
  улица: 'street',
};
const STRICT: Record<string, boolean> = { '': false, да: true, нет: false, '1': true, '0': false, true: true, false: false };
const HEADER = new Set(['kind', 'вид', 'тип']);
const MAX_NAME = 200;
const MAX_ALIASES = 20;
const FORMAT = 'вид;название;муниципалитет;синонимы[;строгое]';

/** One line split at `;` with RFC 4180 quoting; undefined when a quote is not closed. */
function splitLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (i < line.length && line[i] !== ';') field += line[i++];
    } else {
      while (i < line.length && line[i] !== ';') field += line[i++];
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++;
  }
}

function checkName(name: string, what: string): string | undefined {
  if (!name) return `${what} пусто`;
  if (name.length > MAX_NAME) return `${what} длиннее ${MAX_NAME} символов`;
  if (!/\p{L}/u.test(name)) return `${what} «${name}» не содержит ни одной буквы`;
  return undefined;
}

export function parseGazetteerCsv(
  input: string | Uint8Array,
  municipalities: ReadonlyMap<string, PlaceId> | Readonly<Record<string, PlaceId>>,
): GazetteerCsvResult {
  let text: string;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return {
        entries: [],
        errors: [{ line: 0, message: 'Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8» и загрузите снова' }],
      };
    }
  }
  const municipalityOf = (slug: string): PlaceId | undefined =>
    municipalities instanceof Map
      ? municipalities.get(slug)
      : Object.hasOwn(municipalities, slug)
        ? (municipalities as Record<string, PlaceId>)[slug]
        : undefined;
  const known = () => [...(municipalities instanceof Map ? municipalities.keys() : Object.keys(municipalities))].join(', ');

  const entries: GazetteerEntry[] = [];
  const errors: GazetteerCsvError[] = [];
  const lineOfId = new Map<string, number>();
  let first = true;
  for (const [index, raw] of text.split(/\r\n|\n|\r/).entries()) {
    const line = index + 1;
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const fail = (reason: string) => errors.push({ line, message: `Строка ${line}: ${reason}` });
    const fields = splitLine(raw);
    const isFirst = first;
    first = false;
    if (!fields) {
      fail('кавычка не закрыта');
      continue;
    }
    const [rawKind = '', name = '', slug = '', rawAliases = '', rawStrict = ''] = fields;
    if (isFirst && HEADER.has(rawKind.toLowerCase())) continue;
    if (fields.length < 3 || fields.length > 5) {
      fail(`ожидается 3–5 полей через «;» (${FORMAT}), найдено ${fields.length}; название с «;» возьмите в кавычки`);
      continue;
    }
    const kind = KINDS[rawKind.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ')];
    if (!kind) {
      fail(
        `вид места «${rawKind}» неизвестен; допустимы: municipality (муниципалитет), settlement (населённый пункт), district (район), street (улица)`,
      );
      continue;
    }
    const nameProblem = checkName(name, 'название');
    if (nameProblem) {
      fail(nameProblem);
      continue;
    }
    if (!slug) {
      fail(`не указан муниципалитет (третье поле) для «${name}»`);
      continue;
    }
    const municipalityId = municipalityOf(slug);
    if (municipalityId === undefined) {
      fail(`муниципалитет «${slug}» не найден; известны: ${known() || 'ни одного'}`);
      continue;
    }
    const aliases = [
      ...new Set(
        rawAliases
          .split(/[|,]/)
          .map((a) => a.trim())
          .filter(Boolean),
      ),
    ];
    if (aliases.length > MAX_ALIASES) {
      fail(`синонимов больше ${MAX_ALIASES}`);
      continue;
    }
    const aliasProblem = aliases.map((a) => checkName(a, 'синоним')).find(Boolean);
    if (aliasProblem) {
      fail(aliasProblem);
      continue;
    }
    const strict = STRICT[rawStrict.toLowerCase()];
    if (strict === undefined) {
      fail(`признак «строгое» должен быть «да» или «нет» (1 или 0), а не «${rawStrict}»`);
      continue;
    }
    const id = `${slug}:${kind}:${normalisePlaceName(name)}`;
    const earlier = lineOfId.get(id);
    if (earlier !== undefined) {
      fail(`«${name}» (${rawKind}) в «${slug}» уже есть в строке ${earlier}`);
      continue;
    }
    lineOfId.set(id, line);
    entries.push({
      id,
      kind,
      name,
      municipalityId,
      ...(aliases.length > 0 && { aliases }),
      ...(strict && { strict }),
    });
  }
  return { entries, errors };
}
