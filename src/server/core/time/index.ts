/**
 * Time core (issue 3): the Russian production calendar as data, time zones, deadline arithmetic and the statutory
 * rules. Pure: no database, no network, no `new Date()` inside a rule — "now" comes from an injected `Clock`.
 *
 * Typical use:
 *
 *   const calendar = shippedCalendar();                       // or buildCalendar(mergeYears(SHIPPED_YEARS, fromDb))
 *   const deadlines = computeDeadlines({
 *     regime: 'appeal', start: receivedAt, registeredAt, zone: 'Asia/Novokuznetsk', calendar,
 *     settings: { policy: 'previous_working_day', internalControl: { answer: 25 } },
 *   });
 *   // → [{ kind: 'answer', dueAt, dueAtText: '2026-05-29T23:59:59+07:00', rule, source: '59-ФЗ ст. 12 ч. 1', … }, …]
 *
 * Errors, each with a stable `code` for the API layer: `CalendarRangeError` (a date outside the calendar's years →
 * 4xx, never a guess), `CalendarDataError` (a calendar file or published correction is malformed; names the field),
 * `DeadlineSettingError` (a setting looser than the law, or malformed; names the setting), `TimeZoneError`.
 */

// The calendar model: build from years (+ a region's overlay), compare two calendars, merge corrections.
export {
  type BuildCalendarOptions,
  buildCalendar,
  type CalendarYearInfo,
  changedYears,
  type DayCounting,
  type DayInfo,
  type LastDayPolicy,
  mergeYears,
  ProductionCalendar,
} from './calendar.ts';
// Calendar data: the JSON shape of a year and of a regional overlay, their parsers (strict, with field-naming errors).
export {
  type CalendarDay,
  type CalendarHoliday,
  type CalendarNonWorking,
  type CalendarSource,
  type CalendarTotals,
  type CalendarTransfer,
  type CalendarYear,
  DAY_EXTRAORDINARY_OFF,
  DAY_HOLIDAY,
  DAY_SHORTENED,
  DAY_TRANSFERRED_OFF,
  DAY_WORKING,
  DAY_WORKING_WEEKEND,
  parseCalendarYear,
  parseRegionalOverlay,
  type RegionalOverlay,
  TK_112_HOLIDAYS,
} from './calendar-data.ts';
// Civil dates as integer day numbers (days since 1970-01-01) and ISO `YYYY-MM-DD` text.
export {
  type DayInput,
  type DayNumber,
  dayFromCivil,
  formatIsoDate,
  type IsoDate,
  isoWeekday,
  parseIsoDate,
  tryParseIsoDate,
} from './days.ts';
// Deadlines on instants in a zone (end of the last local day), the overdue test and the clock-based state.
export {
  addCalendarDaysDeadline,
  addWorkingDaysDeadline,
  calendarDaysDueMs,
  type DayDeadlineContext,
  type DeadlineState,
  type DueDate,
  deadlineState,
  endOfLocalDay,
  isOverdue,
  isWorkingDayAt,
  localDate,
  workingDaysDueMs,
} from './deadlines.ts';
export { CalendarDataError, CalendarRangeError, DeadlineSettingError, TimeZoneError } from './errors.ts';
// Working time within office hours.
export {
  addWorkingHours,
  DEFAULT_OFFICE_HOURS,
  type OfficeHours,
  type OfficeInterval,
  type WorkingTimeContext,
  WorkSchedule,
  workingTimeBetween,
  workSchedule,
} from './office-hours.ts';
// Statutory rules as data and the per-case deadlines.
export {
  computeDeadlines,
  type Deadline,
  type DeadlineKind,
  type DeadlineRequest,
  type DeadlineSettings,
  type PeriodUnit,
  type Regime,
  rulesFor,
  STATUTORY_RULES,
  type StartPoint,
  type StatutoryRule,
  validateDeadlineSettings,
} from './rules.ts';
// The data shipped in the repository.
export { SHIPPED_OVERLAYS, SHIPPED_YEARS, shippedCalendar } from './shipped.ts';
// Time zones (IANA, via Intl, cached per zone) and the instant formatter with the zone's offset.
export { formatInstant, formatRuDate, formatRuDateTime, TimeZone, timeZone, type ZoneInput } from './zone.ts';
