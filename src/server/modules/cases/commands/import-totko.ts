import { writeAudit } from '../../../core/audit/audit.ts';
import { hasRoleIn } from '../../../core/auth/principal.ts';
import type { CommandContext } from '../../../core/context.ts';
import type { Db } from '../../../core/db/index.ts';
import { AppError, forbidden } from '../../../core/http/errors.ts';
import { type TotkoRow, totkoByCodes, upsertTotko } from '../templates.repository.ts';

/**
 * Import of the ТОТКО classifier (domain-ru §3: Типовой общероссийский тематический классификатор обращений,
 * Администрация Президента РФ) from a CSV file, one node a line:
 *
 *   code;name[;parent]
 *
 * - UTF-8, with or without a BOM; `;` or `,` between fields (decided by the first separator of the first line);
 *   a field with the separator or a quote in it is "quoted", a quote inside doubled (""), as spreadsheets write it;
 *   empty lines are skipped; a first line `code;name;parent` (or `код;наименование;…`) is a header and skipped.
 * - code: 1 to 5 blocks of 4 digits separated by dots — раздел `0003`, тематика `0003.0009`, тема
 *   `0003.0009.0097`, вопрос `0003.0009.0097.0689`, подвопрос a 5th block. The official full form with zero blocks
 *   (`0003.0009.0000.0000`) is accepted and stored short (`0003.0009`); a zero block before a non-zero one is wrong.
 * - parent (optional): if given it must be the code without its last block (the classifier is a strict hierarchy);
 *   the parent must be in the file or already in the database.
 * - All or nothing: any bad line → nothing is imported and every bad line is reported with its number. Existing
 *   codes get the file's name (upsert); codes missing from the file stay (categories may refer to them).
 */
export interface TotkoImportResult {
  total: number;
  added: number;
  updated: number;
  unchanged: number;
}

export interface TotkoLineError {
  line: number;
  reason: string;
}

const BLOCKS = /^[0-9]{4}(\.[0-9]{4}){0,4}$/;
const MAX_NAME = 2000;

/** `0003.0009.0000.0000` → `0003.0009`; undefined when the code is not a ТОТКО code. */
export function normalizeTotkoCode(raw: string): string | undefined {
  if (!BLOCKS.test(raw)) return undefined;
  const blocks = raw.split('.');
  while (blocks.length > 1 && blocks.at(-1) === '0000') blocks.pop();
  if (blocks.includes('0000')) return undefined;
  return blocks.join('.');
}

/** Splits one line into fields (RFC 4180 quoting within the line); undefined when a quote is not closed. */
function splitLine(line: string, sep: string): string[] | undefined {
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
      while (i < line.length && line[i] !== sep) field += line[i++]; // text after the closing quote
    } else {
      while (i < line.length && line[i] !== sep) field += line[i++];
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the separator
  }
}

function decode(input: Uint8Array | string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The file is not UTF-8 text; save it as CSV UTF-8 and try again', [
      { field: 'file', reason: 'not UTF-8' },
    ]);
  }
}

const HEADER = new Set(['code', 'код']);

/** One line: the node, 'header', or the reason it is bad. */
function parseLine(text: string, sep: string, isFirst: boolean, lineOf: Map<string, number>): TotkoRow | 'header' | string {
  const fields = splitLine(text, sep);
  if (!fields) return 'a quoted field is not closed';
  const [rawCode = '', name = '', rawParent = '', ...extra] = fields;
  if (isFirst && HEADER.has(rawCode.toLowerCase())) return 'header';
  if (extra.length || fields.length < 2)
    return `expected code${sep}name[${sep}parent], found ${fields.length} field(s); quote a name that contains "${sep}"`;
  const code = normalizeTotkoCode(rawCode);
  if (!code) return `"${rawCode}" is not a ТОТКО code (1–5 blocks of 4 digits, e.g. 0003.0009.0097.0689)`;
  if (!name) return `the name of ${code} is empty`;
  if (name.length > MAX_NAME) return `the name of ${code} is longer than ${MAX_NAME} characters`;
  const blocks = code.split('.');
  const parentCode = blocks.length > 1 ? blocks.slice(0, -1).join('.') : null;
  if (rawParent) {
    const given = normalizeTotkoCode(rawParent);
    if (!given) return `the third field "${rawParent}" is not a parent code; quote a name that contains "${sep}"`;
    if (given !== parentCode)
      return parentCode
        ? `the parent of ${code} is ${parentCode}, not "${rawParent}"`
        : `${code} is a section (level 1) and has no parent, but "${rawParent}" is given`;
  }
  const dup = lineOf.get(code);
  if (dup !== undefined) return `${code} is already on line ${dup}`;
  return { code, parentCode, level: blocks.length, name };
}

/** Parses the file; rows sorted parents first. Pure: parent existence in the database is checked by the import. */
export function parseTotkoCsv(input: Uint8Array | string): {
  rows: Array<TotkoRow & { line: number }>;
  errors: TotkoLineError[];
} {
  const lines = decode(input).split(/\r\n|\n|\r/);
  const rows: Array<TotkoRow & { line: number }> = [];
  const errors: TotkoLineError[] = [];
  const lineOf = new Map<string, number>();
  let sep: string | undefined;
  let first = true;
  for (const [index, text] of lines.entries()) {
    if (!text.trim()) continue;
    const line = index + 1;
    sep ??= /[;,]/.exec(text)?.[0] ?? ';';
    const isFirst = first;
    first = false;
    const parsed = parseLine(text, sep, isFirst, lineOf);
    if (parsed === 'header') continue;
    if (typeof parsed === 'string') errors.push({ line, reason: parsed });
    else {
      lineOf.set(parsed.code, line);
      rows.push({ line, ...parsed });
    }
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 1, reason: 'the file has no lines to import' });
  rows.sort((a, b) => a.level - b.level || a.line - b.line);
  return { rows, errors };
}

function rejected(errors: TotkoLineError[]): AppError {
  errors.sort((a, b) => a.line - b.line);
  const shown = errors
    .slice(0, 10)
    .map((e) => `line ${e.line}: ${e.reason}`)
    .join('; ');
  const more = errors.length > 10 ? `; and ${errors.length - 10} more` : '';
  return new AppError(
    'VALIDATION_FAILED',
    `${errors.length} bad line(s), nothing was imported. ${shown}${more}`,
    errors.slice(0, 200).map((e) => ({ field: `line ${e.line}`, reason: e.reason })),
  );
}

/** Throws the import's error for a file with bad lines, without a database (the CLI checks before opening one). */
export function checkTotkoFile(input: Uint8Array | string): void {
  const { errors } = parseTotkoCsv(input);
  if (errors.length) throw rejected(errors);
}

/**
 * Upserts the file's nodes in one transaction with one audit row (counts and the changed codes). A regional
 * administrator over HTTP; the CLI runs it as the system (`system: true`).
 */
export async function importTotko(
  db: Db,
  ctx: CommandContext,
  input: Uint8Array | string,
  opts: { system?: boolean } = {},
): Promise<TotkoImportResult> {
  if (!opts.system && !hasRoleIn(ctx.principal, ['regional_admin']))
    throw forbidden('Only a regional administrator imports the ТОТКО classifier');
  const { rows, errors } = parseTotkoCsv(input);
  if (errors.length) throw rejected(errors);
  return db.transaction().execute(async (trx) => {
    const existing = new Map<string, { name: string; parent_code: string | null; level: number }>();
    for (let i = 0; i < rows.length; i += 1000)
      for (const r of await totkoByCodes(
        trx,
        rows.slice(i, i + 1000).map((r) => r.code),
      ))
        existing.set(r.code, r);
    const inFile = new Set(rows.map((r) => r.code));
    const parentsToFind = [...new Set(rows.flatMap((r) => (r.parentCode && !inFile.has(r.parentCode) ? [r.parentCode] : [])))];
    const found = new Set((await totkoByCodes(trx, parentsToFind)).map((r) => r.code));
    const orphans = rows
      .filter((r) => r.parentCode && !inFile.has(r.parentCode) && !found.has(r.parentCode))
      .map((r) => ({
        line: r.line,
        reason: `the parent ${r.parentCode} of ${r.code} is neither in the file nor in the database`,
      }));
    if (orphans.length) throw rejected(orphans);
    const added = rows.filter((r) => !existing.has(r.code));
    const updated = rows.filter((r) => {
      const e = existing.get(r.code);
      return e && (e.name !== r.name || e.parent_code !== r.parentCode || e.level !== r.level);
    });
    await upsertTotko(
      trx,
      [...added, ...updated].sort((a, b) => a.level - b.level),
    );
    const result = {
      total: rows.length,
      added: added.length,
      updated: updated.length,
      unchanged: rows.length - added.length - updated.length,
    };
    await writeAudit(trx, ctx, {
      action: 'totko.import',
      entityType: 'totko',
      after: { ...result, addedCodes: added.map((r) => r.code), updatedCodes: updated.map((r) => r.code) },
    });
    return result;
  });
}
