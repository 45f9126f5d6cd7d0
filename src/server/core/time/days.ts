/**
 * Civil dates as integer day numbers: the number of days since 1970-01-01 (day 0, a Thursday), with no time zone.
 * All calendar arithmetic runs on these integers; a date only becomes an instant in `zone.ts`.
 * The conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` (proleptic Gregorian), no `Date`.
 */

/** Days since 1970-01-01 of a civil date (not an instant). */
export type DayNumber = number;

/** A civil date written `YYYY-MM-DD`. */
export type IsoDate = string;

export const MS_PER_DAY = 86_400_000;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export function dayFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function civilFromDay(dayNumber: DayNumber): Civil {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** The year a day number falls in. */
export function yearOfDay(dayNumber: DayNumber): number {
  return civilFromDay(dayNumber).year;
}

export function isoWeekday(dayNumber: DayNumber): IsoWeekday {
  return (((((dayNumber + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  return isoWeekday(dayNumber) >= 6;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function formatIsoDate(dayNumber: DayNumber): IsoDate {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of `YYYY-MM-DD`, or undefined when the text is not a real calendar date (e.g. 2026-02-30). */
export function tryParseIsoDate(text: string): DayNumber | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const n = dayFromCivil(year, month, day);
  const back = civilFromDay(n);
  return back.month === month && back.day === day ? n : undefined;
}

/** The day number of `YYYY-MM-DD`; throws a RangeError on anything else. */
export function parseIsoDate(text: string): DayNumber {
  const n = tryParseIsoDate(text);
  if (n === undefined) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return n;
}

/** A day given either as `YYYY-MM-DD` or as a day number. */
export type DayInput = IsoDate | DayNumber;

export function toDayNumber(day: DayInput): DayNumber {
  if (typeof day === 'number') {
    if (!Number.isInteger(day)) throw new RangeError(`a day number must be an integer: ${day}`);
    return day;
  }
  return parseIsoDate(day);
}
