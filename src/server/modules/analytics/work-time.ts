import type { CaseRegime } from '../../core/db/schema.ts';
import {
  CalendarRangeError,
  DEFAULT_OFFICE_HOURS,
  DeadlineSettingError,
  type OfficeHours,
  type ProductionCalendar,
  timeZone,
  type WorkSchedule,
  workSchedule,
} from '../../core/time/index.ts';
import { readSettings } from '../calendar/index.ts';

/** Where the calendar in force comes from (the app's CalendarService). */
export interface Calendars {
  calendarFor(regionCode: string | null | undefined): Promise<ProductionCalendar>;
}

/**
 * Working time between two instants for a municipality (core/time `WorkSchedule`): its zone, the production
 * calendar of its region (shipped years with published corrections), and the office hours of the case's regime from
 * its deadline settings (`officeHours`), else core/time's DEFAULT_OFFICE_HOURS (Mon–Thu 09:00–18:00, Fri until
 * 16:45, lunch 13:00–13:48, a shortened pre-holiday day an hour shorter). Null when an instant lies outside the
 * calendar's years (never a guess, as core/time's CalendarRangeError says).
 */
export function workTimeOf(
  calendar: ProductionCalendar,
  settings: unknown,
  zoneName: string,
): (fromMs: number, toMs: number, regime: CaseRegime) => number | null {
  const zone = timeZone(zoneName);
  const all = readSettings(settings);
  const schedules = new Map<CaseRegime, WorkSchedule>();
  const scheduleOf = (regime: CaseRegime) => {
    let s = schedules.get(regime);
    if (!s) {
      const hours: OfficeHours = all[regime]?.officeHours ?? DEFAULT_OFFICE_HOURS;
      try {
        s = workSchedule(calendar, hours);
      } catch (error) {
        // Settings are checked when saved; an unreadable stored value falls back to the default office hours.
        if (!(error instanceof DeadlineSettingError)) throw error;
        s = workSchedule(calendar, DEFAULT_OFFICE_HOURS);
      }
      schedules.set(regime, s);
    }
    return s;
  };
  return (fromMs, toMs, regime) => {
    try {
      return Math.round(scheduleOf(regime).between(fromMs, toMs, zone));
    } catch (error) {
      if (error instanceof CalendarRangeError) return null;
      throw error;
    }
  };
}
