import { type InfiniteData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../app/api.ts';

/*
 * Social-media monitoring (issue 6): the moderation stream, the keyword queries and the sources. The shapes mirror
 * src/server/modules/monitoring/{moderation,queries,sources}.schemas.ts.
 */

export type SourceKind = 'vk' | 'telegram' | 'rss' | 'webhook';
export const SOURCE_KINDS: readonly SourceKind[] = ['vk', 'telegram', 'rss', 'webhook'];
export type PostStatus = 'new' | 'matched' | 'unmatched' | 'accepted' | 'dismissed';
export type ReplyStatus = 'sending' | 'published' | 'manual' | 'failed';

export interface Highlight {
  from: number;
  to: number;
  term: string;
}

export interface PostPlace {
  kind: 'municipality' | 'settlement' | 'district' | 'street';
  name: string;
  text: string;
  from: number;
  to: number;
  municipalityId: number | null;
  placeId: number | null;
  ambiguous: boolean;
}

export interface PostReply {
  status: ReplyStatus;
  text: string;
  externalId: string | null;
  url: string | null;
  error: string | null;
  repliedBy: number | null;
  repliedAt: string | null;
}

export interface SourceRef {
  id: number;
  kind: SourceKind;
  name: string;
}

export interface StreamItem {
  id: number;
  status: PostStatus;
  source: SourceRef;
  externalId: string;
  parentExternalId: string | null;
  url: string | null;
  authorHandle: string | null;
  authorName: string | null;
  text: string;
  publishedAt: string;
  fetchedAt: string;
  municipality: { id: number; name: string } | null;
  place: PostPlace | null;
  category: { id: number; name: string } | null;
  matchedQueries: Array<{ id: number; name: string; highlights: Highlight[] }>;
  duplicateCount: number;
  duplicateOf: number | null;
  caseId: number | null;
  caseNumber: string | null;
  dismissReason: string | null;
  moderatedBy: number | null;
  moderatedAt: string | null;
  canReply: boolean;
  reply: PostReply | null;
}

export interface StreamPage {
  items: StreamItem[];
  nextCursor: string | null;
}

export interface StreamFilter {
  status?: PostStatus | 'all';
  municipalityId?: number;
  regional?: boolean;
  q?: string;
}

export interface ModeratedOut {
  post: StreamItem;
  case: { id: number; number: string; municipalityId: number; dueAt: string | null; dueKind: string | null } | null;
}

export interface BulkResult {
  id: number;
  ok: boolean;
  caseId: number | null;
  caseNumber: string | null;
  error: { code: string; message: string } | null;
}

export interface MonitoringQuery {
  id: number;
  municipalityId: number | null;
  name: string;
  text: string;
  explained: string;
  defaultCategoryId: number | null;
  defaultCategoryName: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface QueryInput {
  municipalityId?: number | null;
  name?: string;
  text?: string;
  defaultCategoryId?: number | null;
  active?: boolean;
}

export interface TestMatch {
  postId: number;
  source: SourceRef;
  url: string | null;
  authorHandle: string | null;
  text: string;
  publishedAt: string;
  highlights: Highlight[];
}

export interface TestResult {
  explained: string;
  tested: number;
  matched: number;
  items: TestMatch[];
}

export type HealthStatus = 'ok' | 'never' | 'error' | 'backoff' | 'inactive';

export interface SourceHealth {
  status: HealthStatus;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveErrors: number;
  consecutiveRateLimits: number;
  backoffUntil: string | null;
  nextPollAt: string | null;
  lagS: number | null;
  sinceSuccessS: number | null;
  postsTotal: number;
  skippedTotal: number;
  lastSkipReason: string | null;
}

export interface Source {
  id: number;
  municipalityId: number | null;
  kind: SourceKind;
  name: string;
  config: Record<string, unknown>;
  secretSet: boolean;
  replySecretSet: boolean;
  canReply: boolean;
  active: boolean;
  pollIntervalS: number;
  cursor: unknown;
  webhookUrl: string | null;
  health: SourceHealth;
  createdAt: string;
  updatedAt: string;
  /** Only in the answer to a create: a webhook's generated HMAC key, shown this once. */
  generatedSecret?: string;
}

export interface SourceInput {
  municipalityId?: number | null;
  kind?: SourceKind;
  name?: string;
  config?: Record<string, unknown>;
  secret?: string;
  replySecret?: string | null;
  active?: boolean;
  pollIntervalS?: number;
}

// ——— Russian names ———

export const SOURCE_KIND_NAMES: Record<SourceKind, string> = {
  vk: 'ВКонтакте',
  telegram: 'Telegram',
  rss: 'RSS/Atom',
  webhook: 'Вебхук',
};

export const POST_STATUS_NAMES: Record<PostStatus, string> = {
  new: 'Новая',
  matched: 'Ждёт решения',
  unmatched: 'Не подошла под запросы',
  accepted: 'Принята',
  dismissed: 'Отклонена',
};

export const REPLY_STATUS_NAMES: Record<ReplyStatus, string> = {
  sending: 'Публикуется',
  published: 'Опубликован',
  manual: 'Ждёт публикации вручную',
  failed: 'Не опубликован',
};

export const HEALTH_NAMES: Record<HealthStatus, string> = {
  ok: 'Работает',
  never: 'Ещё не опрашивался',
  error: 'Ошибка',
  backoff: 'Пауза после ошибок',
  inactive: 'Отключён',
};

// ——— Reads ———

export const STREAM_PAGE = 30;

export const monitoringKeys = {
  all: ['monitoring'] as const,
  stream: (filter: StreamFilter) => ['monitoring', 'stream', filter] as const,
  queries: ['monitoring', 'queries'] as const,
  sources: ['monitoring', 'sources'] as const,
};

const noRetryOnClientError = (count: number, error: unknown) => !(error instanceof ApiError && error.status < 500) && count < 2;

/** The stream, newest first, a page at a time (keyset: the server's opaque cursor). */
export function useStream(filter: StreamFilter) {
  return useInfiniteQuery({
    queryKey: monitoringKeys.stream(filter),
    queryFn: ({ pageParam, signal }) =>
      api<StreamPage>('/monitoring/stream', {
        query: { ...filter, limit: STREAM_PAGE, cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: noRetryOnClientError,
  });
}

/** Changes posts in every cached page of the stream (a decided post keeps its place until the list is reloaded). */
export function updatePosts(
  data: InfiniteData<StreamPage, string | null> | undefined,
  change: (post: StreamItem) => StreamItem,
): InfiniteData<StreamPage, string | null> | undefined {
  if (!data) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map(change) })) };
}

export function useMonitoringQueries() {
  return useQuery({
    queryKey: monitoringKeys.queries,
    queryFn: () => api<{ items: MonitoringQuery[] }>('/monitoring/queries').then((b) => b.items),
    retry: noRetryOnClientError,
  });
}

export function useSources() {
  return useQuery({
    queryKey: monitoringKeys.sources,
    queryFn: () => api<{ items: Source[] }>('/monitoring/sources').then((b) => b.items),
    retry: noRetryOnClientError,
    // Health changes as the poller runs: keep the page fresh while it is open.
    refetchInterval: 30_000,
  });
}

// ——— Writes ———

export const acceptPost = (id: number, body: { categoryId?: number; municipalityId?: number; text?: string }) =>
  api<ModeratedOut>(`/monitoring/posts/${id}/accept`, { method: 'POST', body });

export const dismissPost = (id: number, reason: string) =>
  api<ModeratedOut>(`/monitoring/posts/${id}/dismiss`, { method: 'POST', body: { reason } });

export const bulkModerate = (body: { ids: number[]; action: 'accept' | 'dismiss'; reason?: string; categoryId?: number }) =>
  api<{ results: BulkResult[] }>('/monitoring/posts/bulk', { method: 'POST', body }).then((b) => b.results);

export const replyToPost = (id: number, body: { text: string; manual?: boolean }) =>
  api<StreamItem>(`/monitoring/posts/${id}/reply`, { method: 'POST', body });

export const confirmReply = (id: number, body: { url?: string }) =>
  api<StreamItem>(`/monitoring/posts/${id}/reply/confirm`, { method: 'POST', body });

export const createQuery = (body: QueryInput) => api<MonitoringQuery>('/monitoring/queries', { method: 'POST', body });

export const updateQuery = (id: number, body: QueryInput) =>
  api<MonitoringQuery>(`/monitoring/queries/${id}`, { method: 'PATCH', body });

export const testQuery = (body: { text: string; municipalityId?: number; limit?: number }) =>
  api<TestResult>('/monitoring/queries/test', { method: 'POST', body });

export const createSource = (body: SourceInput) => api<Source>('/monitoring/sources', { method: 'POST', body });

export const updateSource = (id: number, body: SourceInput) =>
  api<Source>(`/monitoring/sources/${id}`, { method: 'PATCH', body });

export const pollSource = (id: number) =>
  api<{ jobId: number; runAt: string }>(`/monitoring/sources/${id}/poll`, { method: 'POST' });

/** The 422 of a query that does not parse: where (0-based, UTF-16) and why, in Russian. */
export function querySyntaxError(error: unknown): { position: number; reason: string } | null {
  if (!(error instanceof ApiError) || (error.code as string) !== 'QUERY_SYNTAX') return null;
  const d = error.details.find((x) => x.field === 'text') as { position?: unknown; reason: string } | undefined;
  if (!d) return null;
  return { position: typeof d.position === 'number' ? d.position : 0, reason: d.reason };
}
