import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'done', 'dead'];

export interface Job {
  id: number;
  name: string;
  status: JobStatus;
  payload: unknown;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
  dedupeKey: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobCounts {
  pending: number;
  running: number;
  done: number;
  dead: number;
  /** Pending jobs that failed at least once and wait for a retry (counted in pending too). */
  retrying: number;
}

export interface JobPage {
  items: Job[];
  counts: JobCounts;
  nextBefore: number | null;
}

export interface JobSchedule {
  name: string;
  jobName: string;
  payload: unknown;
  everySeconds: number | null;
  dailyAt: string | null;
  timeZone: string | null;
  nextRunAt: string;
  lastRunAt: string | null;
  lastJobId: number | null;
}

export interface JobFilter {
  status?: JobStatus;
  name?: string;
}

export const JOBS_PAGE = 50;

export const jobKeys = {
  all: ['jobs'] as const,
  list: (filter: JobFilter) => ['jobs', 'list', filter] as const,
  schedules: ['jobs', 'schedules'] as const,
};

/** Jobs newest first, a page at a time (keyset: each page asks for ids below the last one), with counts. */
export function useJobs(filter: JobFilter) {
  return useInfiniteQuery({
    queryKey: jobKeys.list(filter),
    queryFn: ({ pageParam }) =>
      api<JobPage>('/admin/jobs', { query: { ...filter, limit: JOBS_PAGE, before: pageParam ?? undefined } }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
}

export function useJobSchedules() {
  return useQuery({
    queryKey: jobKeys.schedules,
    queryFn: () => api<{ items: JobSchedule[] }>('/admin/jobs/schedules').then((b) => b.items),
  });
}

/** A dead-letter job back to the queue with a fresh set of attempts (audited by the server). */
export const retryJob = (id: number) => api<Job>(`/admin/jobs/${id}/retry`, { method: 'POST' });

/** Russian names of the jobs the server runs; a job without one is shown by its code. */
export const JOB_NAMES: Record<string, string> = {
  'mail.send': 'Отправка письма',
  'calendar.recompute': 'Пересчёт сроков по календарю',
  'notices.deadline-reminders': 'Напоминания о сроках',
  'attachments.purge': 'Удаление непривязанных файлов',
};

export const STATUS_NAMES: Record<JobStatus, string> = {
  pending: 'в очереди',
  running: 'выполняется',
  done: 'выполнена',
  dead: 'не выполнена',
};
