import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api.ts';

/** The production calendar years the server ships (issue 3). */
export const FIRST_YEAR = 2020;
export const LAST_YEAR = 2027;
export const YEARS: readonly number[] = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'transfer' | 'working_weekend' | 'shortened' | 'nonworking';

export interface CalendarDay {
  date: string;
  working: boolean;
  hours: number;
  kind: DayKind;
  note: string | null;
}

export interface CalendarSource {
  title: string;
  url?: string;
  verified: boolean;
  note?: string;
}

export interface CalendarTotals {
  workingDays: number;
  workingHours: number;
}

export interface MunicipalCalendar {
  year: number;
  provisional: boolean;
  municipality: number;
  timeZone: string;
  region: string | null;
  sources: CalendarSource[];
  totals: CalendarTotals;
  days: CalendarDay[];
}

export type Regime = 'appeal' | 'message' | 'incident';
export const REGIMES: readonly Regime[] = ['appeal', 'message', 'incident'];
export const REGIME_NAMES: Record<Regime, string> = {
  appeal: 'Обращение (59-ФЗ)',
  message: 'Сообщение (ПОС)',
  incident: 'Инцидент',
};

export type DeadlineKind =
  | 'register'
  | 'redirect'
  | 'answer'
  | 'extended_answer'
  | 'court_return'
  | 'notice_unreadable'
  | 'notice_unclear'
  | 'first_reaction';

export const KIND_NAMES: Record<DeadlineKind, string> = {
  register: 'Регистрация',
  redirect: 'Переадресация по компетенции',
  answer: 'Ответ',
  extended_answer: 'Ответ при продлении срока',
  court_return: 'Возврат обращения об обжаловании судебного решения',
  notice_unreadable: 'Уведомление: текст не поддаётся прочтению',
  notice_unclear: 'Уведомление: суть вопроса не ясна',
  first_reaction: 'Первая реакция',
};

export const kindName = (kind: string) => KIND_NAMES[kind as DeadlineKind] ?? kind;

export type PeriodUnit = 'calendar_days' | 'working_days' | 'hours';

export interface Deadline {
  kind: DeadlineKind;
  /** The end of the last allowed day with the municipality's offset, `2026-05-29T23:59:59+07:00`. */
  dueAt: string;
  /** The local date of `dueAt`. */
  dueDate: string;
  legalDueAt: string;
  internal: boolean;
  amount: number;
  legalAmount: number;
  unit: PeriodUnit;
  from: 'receipt' | 'registration';
  rule: string;
  source: string;
  provisional: boolean;
  verified: boolean;
}

export interface DeadlinePreview {
  municipality: number;
  timeZone: string;
  regime: Regime;
  at: string;
  deadlines: Deadline[];
}

export interface PreviewQuery {
  municipality: number;
  regime: Regime;
  at: string;
  registeredAt?: string;
  category?: string;
}

/** The statutory periods, as the server's rules state them (for the settings form's hints). */
export interface LegalRule {
  kind: DeadlineKind;
  amount: number;
  unit: PeriodUnit;
  source: string;
}

export const LEGAL_RULES: Record<Regime, LegalRule[]> = {
  appeal: [
    { kind: 'register', amount: 3, unit: 'calendar_days', source: '59-ФЗ ст. 8 ч. 2' },
    { kind: 'redirect', amount: 7, unit: 'calendar_days', source: '59-ФЗ ст. 8 ч. 3' },
    { kind: 'answer', amount: 30, unit: 'calendar_days', source: '59-ФЗ ст. 12 ч. 1' },
    { kind: 'extended_answer', amount: 30, unit: 'calendar_days', source: '59-ФЗ ст. 12 ч. 2' },
    { kind: 'court_return', amount: 7, unit: 'calendar_days', source: '59-ФЗ ст. 11 ч. 2' },
    { kind: 'notice_unreadable', amount: 7, unit: 'calendar_days', source: '59-ФЗ ст. 11 ч. 4' },
    { kind: 'notice_unclear', amount: 7, unit: 'calendar_days', source: '59-ФЗ ст. 11 ч. 4.1' },
  ],
  message: [{ kind: 'answer', amount: 10, unit: 'working_days', source: 'ПП РФ от 10.11.2020 № 1802 (ПОС)' }],
  incident: [{ kind: 'first_reaction', amount: 24, unit: 'hours', source: 'регламент ЦУР региона' }],
};

export type LastDayPolicy = 'previous_working_day' | 'next_working_day' | 'none';

export interface DeadlineSettings {
  policy?: LastDayPolicy;
  internalControl?: Partial<Record<DeadlineKind, number>>;
  defaultPeriod?: number;
  categoryPeriods?: Record<string, number>;
  incidentClock?: 'clock' | 'working';
}

/** What the server keeps; a regime never configured is absent. */
export type MunicipalDeadlineSettings = Partial<Record<Regime, DeadlineSettings>>;

export type CalendarOrigin = 'shipped' | 'published';

export interface AdminCalendarYear {
  year: number;
  /** ISO 3166-2 code of a regional overlay year (its own holidays), null for the federal calendar. */
  region: string | null;
  provisional: boolean;
  origin: CalendarOrigin;
  publishedAt: string | null;
  publishedBy: string | null;
  totals: CalendarTotals;
}

export interface CalendarPublication {
  id: number;
  year: number;
  region: string | null;
  note: string;
  publishedAt: string;
  publishedBy: string | null;
}

export interface AdminCalendar {
  years: AdminCalendarYear[];
  publications: CalendarPublication[];
}

export interface PublishResult {
  year: number;
  region: string | null;
  publicationId: number;
  changedYears: number[];
  recomputeJobId: number | null;
}

export const calendarKeys = {
  year: (year: number, municipality: number) => ['calendar', 'year', year, municipality] as const,
  preview: (q: PreviewQuery) => ['deadlines', 'preview', q] as const,
  admin: ['calendar', 'admin'] as const,
  adminYear: (year: number, region: string | null) => ['calendar', 'admin', 'year', year, region] as const,
  settings: (municipality: number) => ['deadline-settings', municipality] as const,
};

export function useMunicipalCalendar(year: number, municipality: number | null) {
  return useQuery({
    queryKey: calendarKeys.year(year, municipality ?? 0),
    queryFn: ({ signal }) => api<MunicipalCalendar>(`/calendar/${year}`, { query: { municipality }, signal }),
    enabled: municipality !== null,
    staleTime: 5 * 60_000,
  });
}

export function useDeadlinePreview(query: PreviewQuery | null) {
  return useQuery({
    queryKey: query ? calendarKeys.preview(query) : ['deadlines', 'preview', null],
    queryFn: ({ signal }) => api<DeadlinePreview>('/deadlines/preview', { query: query as unknown as Query, signal }),
    enabled: query !== null,
    retry: false,
    staleTime: 0,
    gcTime: 60_000,
  });
}

export function useAdminCalendar() {
  return useQuery({
    queryKey: calendarKeys.admin,
    queryFn: ({ signal }) => api<AdminCalendar>('/admin/calendar', { signal }),
  });
}

export function useAdminCalendarYear(year: number | null, region: string | null) {
  return useQuery({
    queryKey: calendarKeys.adminYear(year ?? 0, region),
    queryFn: ({ signal }) => api<unknown>(`/admin/calendar/years/${year}`, { query: { region }, signal }),
    enabled: year !== null,
    staleTime: 0,
  });
}

export const publishCalendarYear = (data: unknown, note: string) =>
  api<PublishResult>('/admin/calendar/years', { method: 'POST', body: { data, note } });

export function useDeadlineSettings(municipality: number | null) {
  return useQuery({
    queryKey: calendarKeys.settings(municipality ?? 0),
    queryFn: ({ signal }) => api<MunicipalDeadlineSettings>(`/municipalities/${municipality}/deadline-settings`, { signal }),
    enabled: municipality !== null,
  });
}

export const saveDeadlineSettings = (municipality: number, settings: MunicipalDeadlineSettings) =>
  api<MunicipalDeadlineSettings>(`/municipalities/${municipality}/deadline-settings`, { method: 'PUT', body: settings });

/** «30 календарных дней», «10 рабочих дней», «24 часа». */
export function periodText(amount: number, unit: PeriodUnit): string {
  const forms: Record<PeriodUnit, readonly [string, string, string]> = {
    calendar_days: ['календарный день', 'календарных дня', 'календарных дней'],
    working_days: ['рабочий день', 'рабочих дня', 'рабочих дней'],
    hours: ['час', 'часа', 'часов'],
  };
  const mod10 = amount % 10;
  const mod100 = amount % 100;
  const [one, few, many] = forms[unit];
  const word = mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many;
  return `${amount} ${word}`;
}
