import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../core/db/index.ts';
import {
  buildCalendar,
  type CalendarYear,
  mergeYears,
  type ProductionCalendar,
  parseCalendarYear,
  SHIPPED_OVERLAYS,
  SHIPPED_YEARS,
} from '../../core/time/index.ts';
import { latestPublications, publicationVersion } from './calendar.repository.ts';

/** How often a node checks whether another node published a correction (one cheap query). */
const REFRESH_EVERY_MS = 5_000;

/**
 * The effective production calendar: the shipped years with the corrections administrators published on top
 * (latest publication of a year wins), federal or with a region's overlay. Built once per version and cached;
 * every node notices another node's publication within REFRESH_EVERY_MS, the publishing node at once.
 */
export class CalendarService {
  #version = Number.NaN;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #federalYears: CalendarYear[] = [...SHIPPED_YEARS];
  #overlayYears: CalendarYear[] = SHIPPED_OVERLAYS.flatMap((o) => o.years);
  #publishedKeys = new Map<string, { publishedAt: Date; publishedBy: string | null }>();
  #calendars = new Map<string, ProductionCalendar>();
  #loading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The calendar for a subject of the federation (ISO 3166-2 code), federal when it has no overlay. */
  async calendarFor(regionCode: string | null | undefined): Promise<ProductionCalendar> {
    await this.#fresh();
    return this.#build(regionCode ?? null);
  }

  /** The effective document of a year (federal, or a region's overlay year). */
  async effectiveYear(year: number, regionCode: string | null = null): Promise<CalendarYear | undefined> {
    await this.#fresh();
    const pool = regionCode ? this.#overlayYears : this.#federalYears;
    return pool.find((y) => y.year === year && (y.region ?? null) === regionCode);
  }

  /** Where each year comes from: the shipped file, or a publication (with when and by whom). */
  async origins(): Promise<Array<{ year: number; region: string | null; publishedAt: Date | null; publishedBy: string | null }>> {
    await this.#fresh();
    return [...this.#federalYears, ...this.#overlayYears].map((y) => {
      const p = this.#publishedKeys.get(`${y.region ?? ''}:${y.year}`);
      return { year: y.year, region: y.region ?? null, publishedAt: p?.publishedAt ?? null, publishedBy: p?.publishedBy ?? null };
    });
  }

  /** The calendar that would result from publishing `candidate` (for validation and changedYears). */
  async withCandidate(candidate: CalendarYear): Promise<{ before: ProductionCalendar; after: ProductionCalendar }> {
    await this.#fresh();
    const region = candidate.region ?? null;
    const before = this.#build(region);
    const federal = region ? this.#federalYears : mergeYears(this.#federalYears, [candidate]);
    const overlays = region ? mergeYears(this.#overlayYears, [candidate]) : this.#overlayYears;
    const after = buildCalendar(federal, region ? { region, overlays } : {});
    return { before, after };
  }

  /** After a publication on this node: rebuild on next use. */
  invalidate(): void {
    this.#checkedAt = Number.NEGATIVE_INFINITY;
    this.#version = Number.NaN;
  }

  #build(region: string | null): ProductionCalendar {
    const hasOverlay = region !== null && this.#overlayYears.some((y) => y.region === region);
    const key = hasOverlay ? region : '';
    let calendar = this.#calendars.get(key);
    if (!calendar) {
      calendar = hasOverlay
        ? buildCalendar(this.#federalYears, { region, overlays: this.#overlayYears })
        : buildCalendar(this.#federalYears);
      this.#calendars.set(key, calendar);
    }
    return calendar;
  }

  async #fresh(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.#checkedAt < REFRESH_EVERY_MS && now >= this.#checkedAt) return;
    this.#loading ??= this.#reload(now).finally(() => {
      this.#loading = undefined;
    });
    await this.#loading;
  }

  async #reload(now: number): Promise<void> {
    const version = await publicationVersion(this.db);
    this.#checkedAt = now;
    if (version === this.#version) return;
    const rows = await latestPublications(this.db);
    // Publications were checked when published; parsing again guards against a hand-edited row.
    const published = rows.map((r) => parseCalendarYear(r.data, `calendar publication ${r.id}`));
    this.#federalYears = mergeYears(
      [...SHIPPED_YEARS],
      published.filter((y) => !y.region),
    );
    this.#overlayYears = mergeYears(
      SHIPPED_OVERLAYS.flatMap((o) => o.years),
      published.filter((y) => y.region),
    );
    this.#publishedKeys = new Map(
      rows.map((r) => [`${r.region_code ?? ''}:${r.year}`, { publishedAt: r.published_at, publishedBy: r.published_by_name }]),
    );
    this.#calendars.clear();
    this.#version = version;
  }
}
