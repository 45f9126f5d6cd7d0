/**
 * Typed errors of the time core. Each has a stable `code` for the API layer to map (range and settings errors are
 * the caller's fault → 4xx; data errors come from a calendar file or a published correction → 4xx on publish).
 */

/** A date outside the years the calendar holds (e.g. 2019 or 2030). Never answered with a guess. */
export class CalendarRangeError extends Error {
  readonly code = 'CALENDAR_RANGE' as const;
  constructor(
    /** The year that was asked for and is not in the calendar. */
    readonly year: number,
    readonly firstYear: number,
    readonly lastYear: number,
    detail?: string,
  ) {
    super(`The production calendar has no data for ${year} (it covers ${firstYear}–${lastYear})${detail ? `: ${detail}` : ''}`);
    this.name = 'CalendarRangeError';
  }
}

/** Calendar data (a shipped file or a published correction) that is malformed or contradicts itself. */
export class CalendarDataError extends Error {
  readonly code = 'CALENDAR_DATA_INVALID' as const;
  constructor(
    /** Where: the document and the field, e.g. `ru-2026.json: transfers[1].to`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'CalendarDataError';
  }
}

/** An IANA time-zone name that the runtime does not know. */
export class TimeZoneError extends Error {
  readonly code = 'TIME_ZONE_UNKNOWN' as const;
  constructor(readonly zone: string) {
    super(`Unknown IANA time zone: ${JSON.stringify(zone)}`);
    this.name = 'TimeZoneError';
  }
}

/**
 * A deadline setting that cannot be applied: not a positive whole number, or looser than the law (a municipality may
 * set a stricter internal control period, never a longer one).
 */
export class DeadlineSettingError extends Error {
  readonly code = 'DEADLINE_SETTING_INVALID' as const;
  constructor(
    /** The setting, as a dotted path (`internalControl.answer`, `categoryDays.housing`). */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DeadlineSettingError';
  }
}
