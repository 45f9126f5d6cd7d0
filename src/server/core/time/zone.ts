/**
 * IANA time zones without assuming a fixed offset: offsets come from `Intl` (the runtime's tz database) and are
 * cached per zone in blocks of about 24 days, each holding its offset transitions (usually none), so converting an
 * instant to a local day or a local wall time to an instant is a Map read and a comparison.
 *
 * Russia has had no DST since 2014, and Asia/Novokuznetsk (Кузбасс) is UTC+7 throughout 2020–2027, but a zone that
 * changed its offset (Europe/Volgograd did in 2020) is handled the same way.
 */
import { civilFromDay, type DayNumber, MS_PER_DAY } from './days.ts';
import { TimeZoneError } from './errors.ts';

const BLOCK_MS = 2 ** 31; // ≈ 24.9 days
const SAMPLE_MS = 6 * 3_600_000; // no real zone changes its offset twice within 6 hours

interface Block {
  /** Offset (ms) from the block start; `changes[i]` is the instant from which `offsets[i + 1]` applies. */
  offsets: number[];
  changes: number[];
}

export class TimeZone {
  readonly name: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #blocks = new Map<number, Block | number>();

  /** Use `timeZone(name)`, which caches one instance per zone. */
  constructor(name: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      throw new TimeZoneError(name);
    }
    this.name = this.#format.resolvedOptions().timeZone;
  }

  /** The zone's offset from UTC at an instant, in milliseconds (e.g. 25 200 000 for UTC+7). */
  offsetAt(epochMs: number): number {
    const key = Math.floor(epochMs / BLOCK_MS);
    let block = this.#blocks.get(key);
    if (block === undefined) {
      block = this.#computeBlock(key);
      this.#blocks.set(key, block);
    }
    if (typeof block === 'number') return block;
    let i = 0;
    while (i < block.changes.length && epochMs >= block.changes[i]!) i++;
    return block.offsets[i]!;
  }

  /** The local civil day of an instant. */
  localDay(epochMs: number): DayNumber {
    return Math.floor((epochMs + this.offsetAt(epochMs)) / MS_PER_DAY);
  }

  /** The local day and the milliseconds since local midnight of an instant. */
  localDayAndTime(epochMs: number): { day: DayNumber; msOfDay: number } {
    const local = epochMs + this.offsetAt(epochMs);
    const day = Math.floor(local / MS_PER_DAY);
    return { day, msOfDay: local - day * MS_PER_DAY };
  }

  /**
   * The instant of a local wall time (`msOfDay` after midnight of `day`; may exceed a day). A wall time that occurs
   * twice (clocks moved back) gives the earlier instant; one that does not exist (clocks moved forward) is read with
   * the offset before the change, i.e. it lands after the gap (as Temporal's "compatible" disambiguation).
   */
  instantOf(day: DayNumber, msOfDay: number): number {
    const local = day * MS_PER_DAY + msOfDay;
    const before = this.offsetAt(local - MS_PER_DAY);
    const after = this.offsetAt(local + MS_PER_DAY);
    if (before === after) return local - before;
    const a = local - before;
    const b = local - after;
    const aValid = a + this.offsetAt(a) === local;
    const bValid = b + this.offsetAt(b) === local;
    if (aValid && bValid) return Math.min(a, b);
    if (aValid) return a;
    if (bValid) return b;
    return a;
  }

  /** The instant a local day starts (00:00:00.000). */
  startOfDay(day: DayNumber): number {
    return this.instantOf(day, 0);
  }

  /** The last whole second of a local day (23:59:59.000): the due instant of a day-based deadline. */
  endOfDay(day: DayNumber): number {
    return this.instantOf(day, MS_PER_DAY - 1000);
  }

  #intlOffset(epochMs: number): number {
    const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
    const p: Record<string, string> = {};
    for (const part of this.#format.formatToParts(whole)) p[part.type] = part.value;
    let year = Number(p.year);
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    const asUtc = Date.UTC(year, Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    return asUtc - whole;
  }

  #computeBlock(key: number): Block | number {
    const start = key * BLOCK_MS;
    const end = start + BLOCK_MS;
    const offsets = [this.#intlOffset(start)];
    const changes: number[] = [];
    let prevT = start;
    for (let t = Math.min(start + SAMPLE_MS, end); ; t = Math.min(t + SAMPLE_MS, end)) {
      const o = this.#intlOffset(t === end ? end - 1 : t);
      if (o !== offsets[offsets.length - 1]) {
        // Binary search for the first millisecond of the new offset (offsets change on whole seconds).
        let lo = prevT;
        let hi = t === end ? end - 1 : t;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.#intlOffset(mid) === o) hi = mid;
          else lo = mid;
        }
        changes.push(Math.floor(hi / 1000) * 1000); // Intl resolves whole seconds; the change is at the start of hi's
        offsets.push(o);
      }
      prevT = t;
      if (t >= end) break;
    }
    return changes.length === 0 ? offsets[0]! : { offsets, changes };
  }
}

const zones = new Map<string, TimeZone>();

/** The cached `TimeZone` for an IANA name (e.g. `Asia/Novokuznetsk`); throws `TimeZoneError` for an unknown one. */
export function timeZone(name: string): TimeZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new TimeZone(name);
    zones.set(name, zone);
  }
  return zone;
}

/** A zone given by name or as a `TimeZone`. */
export type ZoneInput = string | TimeZone;

export function toZone(zone: ZoneInput): TimeZone {
  return typeof zone === 'string' ? timeZone(zone) : zone;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An instant as local time with the zone's UTC offset, to the second: `2026-05-29T23:59:59+07:00`. Milliseconds are
 * dropped (truncated), so a due instant (always a whole second) reads back exactly with `new Date(text)`.
 */
export function formatInstant(instant: Date | number, zone: ZoneInput): string {
  const z = toZone(zone);
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const offset = z.offsetAt(ms);
  const local = ms + offset;
  const day = Math.floor(local / MS_PER_DAY);
  const secOfDay = Math.floor((local - day * MS_PER_DAY) / 1000);
  const { year, month, day: dom } = civilFromDay(day);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offset / 60_000));
  return `${pad(year, 4)}-${pad(month)}-${pad(dom)}T${pad(Math.floor(secOfDay / 3600))}:${pad(Math.floor(secOfDay / 60) % 60)}:${pad(secOfDay % 60)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A date in Russian usage, dd.mm.yyyy, as the local date in `zone` (for letters and notices). */
export function formatRuDate(instant: Date | number, zone: ZoneInput): string {
  const [y, m, d] = formatInstant(instant, zone).slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** Date and time in Russian usage with the UTC offset, e.g. «02.03.2026 10:00 (UTC+07:00)». */
export function formatRuDateTime(instant: Date | number, zone: ZoneInput): string {
  const text = formatInstant(instant, zone);
  return `${formatRuDate(instant, zone)} ${text.slice(11, 16)} (UTC${text.slice(19)})`;
}
