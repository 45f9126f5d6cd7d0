import { formatRuDate } from '../../../core/time/index.ts';

/**
 * Placeholders an answer template may contain, each filled from the case the answer is for. A template's text is
 * checked on save: an unknown `{{name}}` is refused (a typo would otherwise reach the applicant). A value the case
 * lacks (no address, an anonymous applicant) renders as an empty string.
 */
export const TEMPLATE_PLACEHOLDERS = {
  number: 'the case number, e.g. КЕМ-2026-000123',
  applicant: 'the applicant’s full name: Фамилия Имя Отчество',
  received: 'the date the case was received, ДД.ММ.ГГГГ (the municipality’s local date)',
  registered: 'the date the case was registered, ДД.ММ.ГГГГ',
  category: 'the category’s name',
  address: 'the address of the problem as given in the case',
  municipality: 'the municipality’s full name',
  today: 'today’s date, ДД.ММ.ГГГГ (the date the answer is prepared)',
} as const;

export type Placeholder = keyof typeof TEMPLATE_PLACEHOLDERS;
export type PlaceholderValues = Record<Placeholder, string>;

const PATTERN = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** The placeholders in a text that are not known (empty when the text is fine). */
export function unknownPlaceholders(text: string): string[] {
  const bad = new Set<string>();
  for (const m of text.matchAll(PATTERN)) if (!Object.hasOwn(TEMPLATE_PLACEHOLDERS, m[1] ?? '')) bad.add(`{{${m[1]}}}`);
  return [...bad];
}

/** Replaces every known `{{name}}` (spaces inside the braces allowed) with its value; anything else is left as is. */
export function renderTemplate(text: string, values: PlaceholderValues): string {
  const known = (name: string) => Object.hasOwn(values, name);
  return (
    text
      // « ({{address}})» with no address leaves no empty brackets behind.
      .replace(BRACKETED, (whole, name: string) => (known(name) && !values[name as Placeholder] ? '' : whole))
      .replace(PATTERN, (whole, name: string) => (known(name) ? values[name as Placeholder] : whole))
  );
}

const BRACKETED = /\s?\(\{\{\s*([^{}\s]*)\s*\}\}\)/g;

const ruDate = (instant: Date | null, zone: string) => (instant ? formatRuDate(instant, zone) : '');

/** The values for one case, dates in the municipality's zone. */
export function placeholderValues(
  c: {
    number: string;
    last_name: string | null;
    first_name: string | null;
    middle_name: string | null;
    received_at: Date;
    registered_at: Date | null;
    category_name: string | null;
    address: string | null;
    time_zone: string;
  },
  municipalityName: string,
  now: Date,
): PlaceholderValues {
  return {
    number: c.number,
    applicant: [c.last_name, c.first_name, c.middle_name].filter((s) => s?.trim()).join(' '),
    received: ruDate(c.received_at, c.time_zone),
    registered: ruDate(c.registered_at, c.time_zone),
    category: c.category_name ?? '',
    address: c.address ?? '',
    municipality: municipalityName,
    today: ruDate(now, c.time_zone),
  };
}
