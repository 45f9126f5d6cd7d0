import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../app/api.ts';

// Issue 7 (analytics): the dashboards' data. The shapes mirror src/server/modules/analytics/analytics.schemas.ts
// (SummaryOut, RegionOut, ExecutorsOut, DrillOut, HeatOut); every period is a pair of local dates, both included, in
// the municipality's own zone.

export type FigureUnit = 'count' | 'share' | 'hours' | 'working_hours';

export type FigureKey =
  | 'received'
  | 'answered'
  | 'onTimeShare'
  | 'overdueNow'
  | 'reactionHoursMean'
  | 'reactionHoursMedian'
  | 'reactionHoursP90'
  | 'reactionWorkHoursMean'
  | 'reactionWorkHoursMedian'
  | 'reactionWorkHoursP90'
  | 'resolutionHoursMean'
  | 'resolutionHoursMedian'
  | 'resolutionHoursP90'
  | 'resolutionWorkHoursMean'
  | 'resolutionWorkHoursMedian'
  | 'resolutionWorkHoursP90'
  | 'satisfaction'
  | 'rated'
  | 'reopenRate'
  | 'redirectedShare'
  | 'repeat'
  | 'converted'
  | 'incidents'
  | 'incidentReactionHoursMean'
  | 'incidentReactionHoursMedian'
  | 'incidentReactionHoursP90';

export interface Figure {
  key: FigureKey;
  label: string;
  /** null: nothing to compute over (a share of no cases, the median of no durations). */
  value: number | null;
  unit: FigureUnit;
  /** The cases the figure is computed over (the count itself, a share's denominator, the durations measured). */
  base: number;
  definition: string;
  /** `/api/v1/analytics/drill?…`: the cases behind the figure. */
  drill: string;
}

export interface Period {
  from: string;
  to: string;
}

export interface PeriodOut extends Period {
  timeZone: string;
}

export interface BreakdownRow {
  key: string;
  label: string;
  received: number;
  answered: number;
  onTime: number;
  late: number;
  onTimeShare: number | null;
  overdue: number;
  resolutionWorkHoursMean: number | null;
  rated: number;
  satisfaction: number | null;
  drill: string;
}

export interface TrendPoint {
  month: string;
  received: number;
  answered: number;
  onTimeShare: number | null;
}

export interface OverdueCase {
  caseId: number;
  number: string;
  dueAt: string;
  departmentId: number | null;
  department: string | null;
  executorUserId: number | null;
  executor: string | null;
}

export interface Summary {
  municipality: { id: number; name: string; shortName: string; timeZone: string };
  period: PeriodOut;
  compare: { period: PeriodOut; figures: Figure[] };
  figures: Figure[];
  byChannel: BreakdownRow[];
  byRegime: BreakdownRow[];
  byCategory: BreakdownRow[];
  byDepartment: BreakdownRow[];
  byDistrict: BreakdownRow[];
  trend: TrendPoint[];
  overdueNow: OverdueCase[];
  asOf: string;
}

export interface RegionMunicipality {
  id: number;
  name: string;
  shortName: string;
  population: number | null;
  figures: Figure[];
}

export interface RegionSummary {
  from: string;
  to: string;
  municipalities: RegionMunicipality[];
  asOf: string;
}

export interface ExecutorRow {
  userId: number | null;
  name: string;
  assigned: number;
  answered: number;
  onTime: number;
  late: number;
  onTimeShare: number | null;
  overdueNow: number;
  resolutionWorkHoursMean: number | null;
  drill: string;
}

export interface Executors {
  department: { id: number; name: string; municipalityId: number };
  period: PeriodOut;
  executors: ExecutorRow[];
  asOf: string;
}

export interface DrillItem {
  id: number;
  number: string;
  status: string;
  regime: string;
  channel: string;
  categoryId: number | null;
  departmentId: number | null;
  executorUserId: number | null;
  receivedAt: string;
  answeredAt: string | null;
  dueAt: string | null;
  late: boolean | null;
  overdue: boolean;
  reactionHours: number | null;
  resolutionHours: number | null;
  rating: number | null;
  reopened: boolean;
  redirected: boolean;
}

export interface Drill {
  figure: FigureKey;
  label: string;
  total: number;
  items: DrillItem[];
}

export interface Heat {
  cellDegrees: number;
  /** [lat, lon, count] of each non-empty cell, at the cell's centre. */
  points: Array<[number, number, number]>;
  total: number;
}

/** A comparison period; absent → the server's default (as long, just before). */
export interface Compare {
  compareFrom?: string;
  compareTo?: string;
}

const noRetryOnClientError = (count: number, error: unknown) => !(error instanceof ApiError && error.status < 500) && count < 2;

export const analyticsKeys = {
  all: ['analytics'] as const,
  summary: (id: number, p: Period, c: Compare) => ['analytics', 'summary', id, p.from, p.to, c.compareFrom, c.compareTo] as const,
  region: (p: Period) => ['analytics', 'region', p.from, p.to] as const,
  executors: (id: number, p: Period) => ['analytics', 'executors', id, p.from, p.to] as const,
  drill: (query: string) => ['analytics', 'drill', query] as const,
  heat: (id: number, p: Period, categoryId: number | null) => ['analytics', 'heat', id, p.from, p.to, categoryId] as const,
};

export function useSummary(municipalityId: number | null, period: Period | null, compare: Compare) {
  return useQuery({
    queryKey: analyticsKeys.summary(municipalityId ?? 0, period ?? { from: '', to: '' }, compare),
    queryFn: ({ signal }) =>
      api<Summary>(`/analytics/municipalities/${municipalityId}/summary`, {
        query: { from: period?.from, to: period?.to, ...compare },
        signal,
      }),
    enabled: municipalityId !== null && period !== null,
    placeholderData: keepPreviousData,
    retry: noRetryOnClientError,
  });
}

export function useRegion(period: Period | null) {
  return useQuery({
    queryKey: analyticsKeys.region(period ?? { from: '', to: '' }),
    queryFn: ({ signal }) => api<RegionSummary>('/analytics/region/summary', { query: { ...period }, signal }),
    enabled: period !== null,
    placeholderData: keepPreviousData,
    retry: noRetryOnClientError,
  });
}

export function useExecutors(departmentId: number, period: Period | null) {
  return useQuery({
    queryKey: analyticsKeys.executors(departmentId, period ?? { from: '', to: '' }),
    queryFn: ({ signal }) => api<Executors>(`/analytics/departments/${departmentId}/executors`, { query: { ...period }, signal }),
    enabled: departmentId > 0 && period !== null,
    placeholderData: keepPreviousData,
    retry: noRetryOnClientError,
  });
}

export const DRILL_PAGE = 50;

/** The cases behind a figure: `query` is the drill URL's query string (municipalityId, figure, from, to, filters). */
export function useDrill(query: string) {
  return useInfiniteQuery({
    queryKey: analyticsKeys.drill(query),
    queryFn: ({ pageParam, signal }) => {
      const q: Record<string, string | number> = Object.fromEntries(new URLSearchParams(query));
      return api<Drill>('/analytics/drill', { query: { ...q, limit: DRILL_PAGE, offset: pageParam }, signal });
    },
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const seen = pages.reduce((n, p) => n + p.items.length, 0);
      return last.items.length === DRILL_PAGE && seen < last.total ? seen : undefined;
    },
    enabled: query !== '',
    retry: noRetryOnClientError,
  });
}

export function useHeat(municipalityId: number | null, period: Period | null, categoryId: number | null) {
  return useQuery({
    queryKey: analyticsKeys.heat(municipalityId ?? 0, period ?? { from: '', to: '' }, categoryId),
    queryFn: ({ signal }) => api<Heat>('/analytics/heat', { query: { municipalityId, ...period, categoryId }, signal }),
    enabled: municipalityId !== null && period !== null,
    placeholderData: keepPreviousData,
    retry: noRetryOnClientError,
  });
}

/** The web page of a drill-down: the API's drill URL (`/api/v1/analytics/drill?…`) → `/staff/analytics/drill?…`. */
export function drillPage(apiUrl: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(apiUrl.includes('?') ? apiUrl.slice(apiUrl.indexOf('?') + 1) : '');
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `/staff/analytics/drill?${q.toString()}`;
}
