/**
 * The calendar data shipped in the repository (no fetching at run time): federal years 2020–2027 and the regional
 * overlays. Each file is parsed and checked when this module is first imported; a bad file fails loudly at start.
 */

import ruTa from './calendar/regions/ru-ta.json' with { type: 'json' };
import ru2020 from './calendar/ru-2020.json' with { type: 'json' };
import ru2021 from './calendar/ru-2021.json' with { type: 'json' };
import ru2022 from './calendar/ru-2022.json' with { type: 'json' };
import ru2023 from './calendar/ru-2023.json' with { type: 'json' };
import ru2024 from './calendar/ru-2024.json' with { type: 'json' };
import ru2025 from './calendar/ru-2025.json' with { type: 'json' };
import ru2026 from './calendar/ru-2026.json' with { type: 'json' };
import ru2027 from './calendar/ru-2027.json' with { type: 'json' };
import { buildCalendar, type ProductionCalendar } from './calendar.ts';
import { type CalendarYear, parseCalendarYear, parseRegionalOverlay, type RegionalOverlay } from './calendar-data.ts';

const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['ru-2020.json', ru2020],
  ['ru-2021.json', ru2021],
  ['ru-2022.json', ru2022],
  ['ru-2023.json', ru2023],
  ['ru-2024.json', ru2024],
  ['ru-2025.json', ru2025],
  ['ru-2026.json', ru2026],
  ['ru-2027.json', ru2027],
];

/** The shipped federal years, parsed and checked, ascending. */
export const SHIPPED_YEARS: readonly CalendarYear[] = Object.freeze(FILES.map(([name, json]) => parseCalendarYear(json, name)));

/** The shipped regional overlays (an example: Республика Татарстан, 2024–2026). */
export const SHIPPED_OVERLAYS: readonly RegionalOverlay[] = Object.freeze([parseRegionalOverlay(ruTa, 'regions/ru-ta.json')]);

const cache = new Map<string, ProductionCalendar>();

/**
 * The calendar built from the shipped data only, federal or with a shipped region's overlay; built once and cached.
 * (Production code that honours corrections builds its own with `buildCalendar(mergeYears(SHIPPED_YEARS, …))`.)
 */
export function shippedCalendar(region?: string): ProductionCalendar {
  const key = region ?? '';
  let calendar = cache.get(key);
  if (!calendar) {
    const overlays = SHIPPED_OVERLAYS.flatMap((o) => o.years);
    calendar = region === undefined ? buildCalendar([...SHIPPED_YEARS]) : buildCalendar([...SHIPPED_YEARS], { region, overlays });
    cache.set(key, calendar);
  }
  return calendar;
}
