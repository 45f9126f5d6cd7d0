/**
 * Wall times in a municipality's IANA zone, never in the browser's: staff in Moscow checking a deadline of a
 * Kuzbass municipality type the time as it was in Кемерово. Offsets come from `Intl` (the browser's tz database).
 */

const MS_PER_MINUTE = 60_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** The local wall-clock fields of an instant in a zone. */
export function wallTime(epochMs: number, zone: string) {
  const parts: Record<string, number> = {};
  for (const p of partsFormat(zone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in minutes (420 for UTC+7). */
export function offsetMinutes(epochMs: number, zone: string): number {
  const w = wallTime(epochMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - whole) / MS_PER_MINUTE);
}

/** Whether the browser knows this zone. */
export function isKnownZone(zone: string): boolean {
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant of a local date (`YYYY-MM-DD`) and time (`HH:MM`) in a zone, or null when either does not parse.
 * Two passes find the offset that applies at the instant itself, so a zone that changed its offset is read right;
 * a wall time that does not exist (clocks moved forward) lands after the gap.
 */
export function instantOf(date: string, time: string, zone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  let instant = local - offsetMinutes(local, zone) * MS_PER_MINUTE;
  instant = local - offsetMinutes(instant, zone) * MS_PER_MINUTE;
  return instant;
}

/** An instant as ISO 8601 with the zone's own offset: `2026-04-30T10:00:00+07:00`. */
export function isoInZone(epochMs: number, zone: string): string {
  const w = wallTime(epochMs, zone);
  const pad = (n: number, len = 2) => String(n).padStart(len, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offsetIso(offsetMinutes(epochMs, zone))}`;
}

function offsetIso(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** «UTC+7», «UTC+3», «UTC+5:30», «UTC». */
export function utcOffsetLabel(epochMs: number, zone: string): string {
  const minutes = offsetMinutes(epochMs, zone);
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const hours = Math.floor(abs / 60);
  const rest = abs % 60;
  return `UTC${minutes < 0 ? '−' : '+'}${hours}${rest ? `:${String(rest).padStart(2, '0')}` : ''}`;
}

/** «Asia/Novokuznetsk, UTC+7». */
export function zoneLabel(zone: string, epochMs = Date.now()): string {
  return `${zone}, ${utcOffsetLabel(epochMs, zone)}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The local date of an instant in a zone, `YYYY-MM-DD` (the value of an `<input type="date">`). */
export function localDateInput(epochMs: number, zone: string): string {
  const w = wallTime(epochMs, zone);
  return `${String(w.year).padStart(4, '0')}-${pad2(w.month)}-${pad2(w.day)}`;
}

/** The local time of an instant in a zone, `HH:MM` (the value of an `<input type="time">`). */
export function localTimeInput(epochMs: number, zone: string): string {
  const w = wallTime(epochMs, zone);
  return `${pad2(w.hour)}:${pad2(w.minute)}`;
}

/** «29.05.2026» and «23:59» of an instant, in the zone. */
export function formatInZone(iso: string, zone: string): { date: string; time: string } {
  const ms = Date.parse(iso);
  const w = wallTime(ms, zone);
  return { date: `${pad2(w.day)}.${pad2(w.month)}.${w.year}`, time: `${pad2(w.hour)}:${pad2(w.minute)}` };
}

/** «YYYY-MM-DD» → «29.05.2026». */
export function formatIsoDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
