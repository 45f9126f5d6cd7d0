import type { AttributeDatatype } from '../../core/db/schema.ts';
import { invalid } from '../../core/http/errors.ts';

/**
 * A category's extra questions are Open311 GeoReport v2 service attributes (open311.org GeoReport v2, «GET Service
 * Definition»): `variable` false is information shown to the user, not a question; list datatypes offer `values`.
 */
export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
const LISTS: readonly AttributeDatatype[] = ['singlevaluelist', 'multivaluelist'];

export interface AttributeDef {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  variable: boolean;
  description: string;
  datatypeDescription: string | null;
  order: number;
  values: Array<{ key: string; name: string }>;
}

export type AttributeAnswers = Record<string, string | string[]>;

/** GeoReport v2: «string» has no line breaks; «text» may (a description is limited to 4,000 characters). */
const MAX = { string: 500, text: 4000 } as const;
/** W3C NOTE-datetime as the spec requires: a date, or a date and time with a zone (Z or ±HH:MM). */
const W3_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Checks the answers against the category's questions and returns what is stored on the case (trimmed, lists as
 * arrays), or null when there is nothing to store. A missing required answer, an unknown code, a value of the wrong
 * type or not among the offered values is a 400 on `attributes.<code>`.
 */
export function checkAttributes(defs: readonly AttributeDef[], answers: AttributeAnswers | undefined): AttributeAnswers | null {
  const given = answers ?? {};
  const byCode = new Map(defs.map((d) => [d.code, d]));
  for (const code of Object.keys(given)) {
    const d = byCode.get(code);
    if (!d) throw invalid(`attributes.${code}`, 'this category asks no such question');
    if (!d.variable) throw invalid(`attributes.${code}`, 'this is information for the reader, not a question to answer');
  }
  const out: AttributeAnswers = {};
  for (const d of [...defs].sort((a, b) => a.order - b.order)) {
    if (!d.variable) continue;
    const field = `attributes.${d.code}`;
    const raw = given[d.code];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter((v) => v !== '');
    if (list.length === 0) {
      if (d.required) throw invalid(field, `required: ${d.description}`);
      continue;
    }
    if (d.datatype === 'multivaluelist') {
      const keys = new Set(d.values.map((v) => v.key));
      const bad = list.find((v) => !keys.has(v));
      if (bad !== undefined) throw invalid(field, `"${bad}" is not one of the offered values (${[...keys].join(', ')})`);
      if (new Set(list).size !== list.length) throw invalid(field, 'a value is chosen twice');
      out[d.code] = list;
      continue;
    }
    if (list.length > 1 || Array.isArray(raw)) throw invalid(field, 'give one value');
    const v = list[0] as string;
    switch (d.datatype) {
      case 'singlevaluelist':
        if (!d.values.some((x) => x.key === v))
          throw invalid(field, `"${v}" is not one of the offered values (${d.values.map((x) => x.key).join(', ')})`);
        break;
      case 'number':
        if (!NUMBER.test(v)) throw invalid(field, `"${v}" is not a number (digits, a minus sign, a decimal point)`);
        break;
      case 'datetime':
        if (!W3_DATETIME.test(v) || Number.isNaN(Date.parse(v)))
          throw invalid(field, `"${v}" is not an ISO 8601 date or date-time with a time zone (2026-03-02T10:00:00+07:00)`);
        break;
      case 'string':
        if (/[\r\n]/.test(v)) throw invalid(field, 'one line, without line breaks');
        if (v.length > MAX.string) throw invalid(field, `at most ${MAX.string} characters`);
        break;
      case 'text':
        if (v.length > MAX.text) throw invalid(field, `at most ${MAX.text} characters`);
        break;
    }
    out[d.code] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Checks a category's list of questions as an administrator saves it; returns it with `order` filled in. */
export function checkAttributeDefs(defs: ReadonlyArray<Omit<AttributeDef, 'order'> & { order?: number }>): AttributeDef[] {
  const codes = new Set<string>();
  const orders = new Set<number>();
  return defs.map((d, i) => {
    const at = `attributes.${i}`;
    if (codes.has(d.code)) throw invalid(`${at}.code`, `the code "${d.code}" is used twice`);
    codes.add(d.code);
    const order = d.order ?? i + 1;
    if (orders.has(order)) throw invalid(`${at}.order`, `the order ${order} is used twice`);
    orders.add(order);
    if (!d.variable && d.required) throw invalid(`${at}.required`, 'information (variable false) cannot be required');
    if (LISTS.includes(d.datatype)) {
      if (d.values.length === 0) throw invalid(`${at}.values`, `a ${d.datatype} offers at least one value`);
      const keys = new Set<string>();
      for (const [j, v] of d.values.entries()) {
        if (keys.has(v.key)) throw invalid(`${at}.values.${j}.key`, `the key "${v.key}" is used twice`);
        keys.add(v.key);
      }
    } else if (d.values.length > 0) {
      throw invalid(`${at}.values`, `only singlevaluelist and multivaluelist offer values, not ${d.datatype}`);
    }
    return { ...d, order };
  });
}
